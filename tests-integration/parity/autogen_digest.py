"""A database's schema as a plain dict, for "the migrated schema equals create_all(new)".

Only what a migration decides goes in: column types as the database names them,
nullability, defaults, comments, primary keys, foreign keys with ON DELETE,
unique constraints, CHECK constraints and indexes. Column order is left out
(`add_column` appends), and so is what the database makes on its own: the
index MariaDB adds behind a foreign key, and SQLite's autoindexes.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from ddl_ops.dialects.sqlite_checks import check_constraints

Digest = dict[str, Any]


def digest(conn: sa.Connection, skip: tuple[str, ...] = ()) -> Digest:
    inspector = sa.inspect(conn)
    names = [n for n in inspector.get_table_names() if n not in skip]
    out: Digest = {}
    for name in sorted(names):
        out[name] = _table(conn, inspector, name)
    return out


def _table(conn: sa.Connection, inspector: Any, name: str) -> dict[str, Any]:
    dialect = conn.dialect
    columns = {}
    for col in inspector.get_columns(name):
        columns[col["name"]] = {
            "type": _type(col["type"], dialect),
            "nullable": bool(col["nullable"]),
            "default": _sql(col.get("default")),
            "comment": col.get("comment") or None,
        }
    pk = inspector.get_pk_constraint(name)
    pk_columns = pk.get("constrained_columns") or []
    if dialect.name == "sqlite" and len(pk_columns) == 1:
        key = columns.get(pk_columns[0])
        if key is not None and key["type"] == "BIGINT":
            # Differences from Alembic, "SQLite: an `INTEGER PRIMARY KEY` retyped in batch
            # stays the rowid": the rowid already holds 64-bit values, so create_all's
            # BIGINT key and our INTEGER one store the same.
            key["type"] = "INTEGER"
    fks = sorted(
        (
            tuple(fk["constrained_columns"]),
            fk["referred_table"],
            tuple(fk["referred_columns"]),
            (fk.get("options") or {}).get("ondelete", "NO ACTION").upper()
            if (fk.get("options") or {}).get("ondelete")
            else "NO ACTION",
            fk.get("name") if dialect.name != "sqlite" else None,
        )
        for fk in inspector.get_foreign_keys(name)
    )
    fk_names = {fk[4] for fk in fks}
    uniques = sorted(
        (u.get("name"), tuple(u["column_names"])) for u in inspector.get_unique_constraints(name)
    )
    unique_names = {u[0] for u in uniques}
    indexes = sorted(
        (ix["name"], tuple(str(c) for c in ix["column_names"]), bool(ix["unique"]))
        for ix in inspector.get_indexes(name)
        if not _implicit_index(ix, dialect.name, fk_names, unique_names)
    )
    checks = sorted(
        ((ck_name or "", _condition(text)) for ck_name, text in _checks(conn, inspector, name)),
    )
    try:
        comment = inspector.get_table_comment(name).get("text")
    except NotImplementedError:
        comment = None
    return {
        "columns": columns,
        "primary_key": tuple(pk.get("constrained_columns") or ()),
        "foreign_keys": fks,
        "uniques": uniques,
        "checks": checks,
        "indexes": indexes,
        "comment": comment or None,
    }


def _checks(conn: sa.Connection, inspector: Any, name: str) -> list[tuple[str | None, str]]:
    """(name, condition) of each CHECK; SQLite's read with the scanner that skips strings
    (SQLAlchemy's pattern takes ``CHECK (x)`` inside a string for a constraint)."""
    if conn.dialect.name == "sqlite":
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).scalar()
        return check_constraints(sql or "")
    return [(ck.get("name"), ck["sqltext"]) for ck in inspector.get_check_constraints(name)]


def _implicit_index(ix: dict[str, Any], dialect: str, fks: set[Any], uniques: set[Any]) -> bool:
    if dialect == "mysql" and ix["name"] in fks:
        return True  # InnoDB's index behind a foreign key
    if dialect == "mysql" and ix["name"] in uniques:
        return True  # MySQL reports a UNIQUE constraint as a unique index too
    if ix.get("duplicates_constraint"):
        return True
    return ix["name"] is None or str(ix["name"]).startswith("sqlite_autoindex")


def _type(type_: Any, dialect: sa.Dialect) -> str:
    try:
        return re.sub(r"\s+", " ", type_.compile(dialect=dialect)).upper()
    except Exception:  # a type the dialect cannot compile back: its repr is stable enough
        return repr(type_)


def _sql(text: Any) -> str | None:
    if text is None:
        return None
    value = re.sub(r"\s+", " ", str(text)).strip()
    while value.startswith("(") and value.endswith(")") and _balanced(value[1:-1]):
        value = value[1:-1].strip()
    # PostgreSQL keeps a cast after ALTER TYPE ('0'::bigint) that CREATE TABLE's 0 lacks
    value = re.sub(r"::[a-z][a-z0-9_ ]*", "", value.lower())
    unquoted = re.fullmatch(r"'(-?\d+(?:\.\d+)?)'", value)
    if unquoted:
        return unquoted.group(1)
    # PostgreSQL: now() and CURRENT_TIMESTAMP are one function under two names (autogen
    # rightly sees no change between them), yet each is reflected as written.
    return "current_timestamp" if value == "now()" else value


def _condition(text: str) -> str:
    """A CHECK condition with the spacing and parentheses databases add taken out."""
    return re.sub(r"[\s()`\"]+", "", str(text)).lower()


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def differences(expected: Digest, actual: Digest) -> list[str]:
    """Lines naming each table and aspect that differs, empty when the schemas agree."""
    lines: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            lines.append(f"table {name}: missing")
            continue
        if name not in expected:
            lines.append(f"table {name}: not in the models")
            continue
        for aspect in expected[name]:
            want, got = expected[name][aspect], actual[name][aspect]
            if aspect == "columns":
                for col in sorted(set(want) | set(got)):
                    was, now = want.get(col), got.get(col)
                    if was is None or now is None:
                        lines.append(f"{name}.{col} column: expected {was}, got {now}")
                        continue
                    for key in sorted(k for k in was if was[k] != now[k]):
                        lines.append(
                            f"{name}.{col} column_{key}: expected {was[key]}, got {now[key]}"
                        )
            elif want != got:
                lines.append(f"{name} {aspect}: expected {want}, got {got}")
    return lines
