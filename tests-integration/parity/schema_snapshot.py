"""A whole database's schema as a plain, comparable dict, and a readable diff of two of them.

The parity suites run the same change through Alembic and through our packages on two fresh
databases of one kind, then compare what reflection says. Both sides are read by this one
function, so a difference it reports is a difference in the database, not in how it was read.
Values are normalised only where the database itself answers with noise (whitespace in CHECK
text, letter case of type names and referential actions); anything the database stores
differently is kept apart on purpose.

Usage::

    before = snapshot_schema(conn_a)
    after = snapshot_schema(conn_b)
    assert before == after, "\\n".join(diff_snapshots(before, after, ("alembic", "ours")))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Inspector

Snapshot = dict[str, Any]

# Tables a tool keeps for itself, not part of the user's schema.
BOOKKEEPING_TABLES = frozenset({"alembic_version", "migrate_version", "sqlite_sequence"})


def snapshot_schema(connection: Connection, schema: str | None = None) -> Snapshot:
    """Reflect every table of ``schema`` (the default one if None) into plain data.

    ``{"tables": {name: table}, "sequences": [...]}``; each table holds its columns (in
    order), primary key, foreign keys, indexes, unique and CHECK constraints and comment.
    Collections are dicts keyed by constraint name (or by a description when unnamed), so
    two snapshots compare with ``==`` and `diff_snapshots` can say which item differs.
    """
    inspector = sa.inspect(connection)
    dialect = connection.dialect
    names = sorted(
        n for n in inspector.get_table_names(schema=schema) if n not in BOOKKEEPING_TABLES
    )
    tables: dict[str, Any] = {}
    if names:
        multi = _read_multi(inspector, dialect, schema, names)
        for name in names:
            key = (schema, name)
            tables[name] = {
                "columns": _columns(multi["columns"].get(key, []), dialect),
                "column_order": [c["name"] for c in multi["columns"].get(key, [])],
                "primary_key": _primary_key(multi["pk"].get(key)),
                "foreign_keys": _keyed(_foreign_key(f) for f in multi["fks"].get(key, [])),
                "indexes": _keyed(_index(i) for i in multi["indexes"].get(key, [])),
                "unique_constraints": _keyed(_unique(u) for u in multi["uniques"].get(key, [])),
                "check_constraints": _keyed(_check(c) for c in multi["checks"].get(key, [])),
                "comment": (multi["comments"].get(key) or {}).get("text"),
            }
        if dialect.name == "sqlite":
            _add_sqlite_details(connection, tables)
    sequences: list[str] = []
    if dialect.name == "postgresql":
        sequences = sorted(inspector.get_sequence_names(schema=schema))
    return {"tables": tables, "sequences": sequences}


def _read_multi(
    inspector: Inspector, dialect: Any, schema: str | None, names: list[str]
) -> dict[str, dict[Any, Any]]:
    """One bulk reflection call per kind of object (SQLAlchemy 2's get_multi_*)."""
    kw: dict[str, Any] = {"schema": schema, "filter_names": names}
    comments: dict[Any, Any] = {}
    if dialect.supports_comments:
        comments = dict(inspector.get_multi_table_comment(**kw))
    return {
        "columns": dict(inspector.get_multi_columns(**kw)),
        "pk": dict(inspector.get_multi_pk_constraint(**kw)),
        "fks": dict(inspector.get_multi_foreign_keys(**kw)),
        "indexes": dict(inspector.get_multi_indexes(**kw)),
        "uniques": dict(inspector.get_multi_unique_constraints(**kw)),
        "checks": dict(inspector.get_multi_check_constraints(**kw)),
        "comments": comments,
    }


def normalise_sql(text: Any) -> str | None:
    """SQL text with runs of whitespace collapsed (databases re-indent stored expressions)."""
    if text is None:
        return None
    return re.sub(r"\s+", " ", str(text)).strip()


_CAST_NUMBER = re.compile(
    r"^'(-?\d+(?:\.\d+)?)'::(?:bigint|integer|smallint|numeric)$", re.IGNORECASE
)


def normalise_default(text: Any) -> str | None:
    """A server default as SQL text; PostgreSQL's ``'0'::bigint`` (how it keeps a quoted number
    on a BIGINT) reads as ``0``, which is what it keeps for the same default on INTEGER."""
    sql = normalise_sql(text)
    if sql is None:
        return None
    found = _CAST_NUMBER.match(sql)
    return found.group(1) if found else sql


def type_name(type_: Any, dialect: Any) -> str:
    """The type as the database's DDL spells it, upper-cased (``VARCHAR(20)``, ``BIGINT``)."""
    try:
        compiled = type_.compile(dialect=dialect)
    except Exception:  # a reflected type the dialect cannot write back (NullType, ...)
        compiled = repr(type_)
    return normalise_sql(compiled.upper()) or ""


def _columns(reflected: Sequence[Mapping[str, Any]], dialect: Any) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for column in reflected:
        entry: dict[str, Any] = {
            "type": type_name(column["type"], dialect),
            "nullable": bool(column["nullable"]),
            "default": normalise_default(column.get("default")),
            "comment": column.get("comment"),
        }
        if dialect.name in ("mysql", "mariadb", "postgresql"):
            entry["autoincrement"] = column.get("autoincrement") is True
        if column.get("identity"):
            entry["identity"] = dict(sorted(column["identity"].items()))
        if column.get("computed"):
            computed = column["computed"]
            entry["computed"] = {
                "sqltext": normalise_sql(computed.get("sqltext")),
                "persisted": computed.get("persisted"),
            }
        columns[column["name"]] = entry
    return columns


def _primary_key(pk: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not pk or not pk.get("constrained_columns"):
        return None
    return {"name": pk.get("name"), "columns": list(pk["constrained_columns"])}


def _action(value: Any) -> str | None:
    return str(value).upper() if value else None


def _foreign_key(fk: Mapping[str, Any]) -> dict[str, Any]:
    options = fk.get("options") or {}
    return {
        "name": fk.get("name"),
        "columns": list(fk["constrained_columns"]),
        "referred_schema": fk.get("referred_schema"),
        "referred_table": fk["referred_table"],
        "referred_columns": list(fk["referred_columns"]),
        "ondelete": _action(options.get("ondelete")),
        "onupdate": _action(options.get("onupdate")),
        "deferrable": options.get("deferrable"),
        "initially": _action(options.get("initially")),
    }


def _index(index: Mapping[str, Any]) -> dict[str, Any]:
    options = {
        key: normalise_sql(value)
        for key, value in sorted((index.get("dialect_options") or {}).items())
        if value not in (None, [], (), "")
    }
    expressions = index.get("expressions")
    return {
        "name": index.get("name"),
        "columns": list(index.get("column_names") or []),
        "expressions": [normalise_sql(e) for e in expressions] if expressions else None,
        "unique": bool(index.get("unique")),
        "include_columns": list(index.get("include_columns") or []) or None,
        "options": options,
        "duplicates_constraint": index.get("duplicates_constraint"),
    }


def _unique(unique: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": unique.get("name"), "columns": list(unique["column_names"])}


def _check(check: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": check.get("name"), "sqltext": normalise_sql(check.get("sqltext"))}


def _keyed(items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Items keyed by name; an unnamed one by what it covers, numbered if that repeats."""
    keyed: dict[str, Any] = {}
    for item in items:
        name = item.get("name")
        if name:
            key = str(name)
        else:
            what = item.get("columns") or item.get("expressions") or item.get("sqltext")
            key = f"(unnamed) {what}"
        base, n = key, 2
        while key in keyed:
            key, n = f"{base} #{n}", n + 1
        keyed[key] = item
    return dict(sorted(keyed.items()))


def _add_sqlite_details(connection: Connection, tables: dict[str, Any]) -> None:
    """What SQLite reflection leaves out but changes behaviour: AUTOINCREMENT, and whether
    the key is the rowid (only an ``INTEGER PRIMARY KEY`` column is)."""
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
    ).all()
    for name, sql in rows:
        if name not in tables:
            continue
        tables[name]["sqlite_autoincrement"] = bool(
            sql and re.search(r"\bAUTOINCREMENT\b", sql, re.IGNORECASE)
        )
        pk = tables[name]["primary_key"]
        rowid_alias = None
        if pk and len(pk["columns"]) == 1:
            declared = tables[name]["columns"][pk["columns"][0]]["type"]
            rowid_alias = declared == "INTEGER"
        tables[name]["sqlite_rowid_alias"] = rowid_alias


def diff_snapshots(
    left: Snapshot, right: Snapshot, labels: tuple[str, str] = ("left", "right")
) -> list[str]:
    """One line per differing value, naming where it is: ``tables.t.columns.x.nullable:
    alembic=True ours=False``. Empty when the snapshots are equal."""
    lines: list[str] = []
    _diff(left, right, "", labels, lines)
    return lines


_MISSING = object()


def _diff(a: Any, b: Any, path: str, labels: tuple[str, str], out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            where = f"{path}.{key}" if path else str(key)
            _diff(a.get(key, _MISSING), b.get(key, _MISSING), where, labels, out)
        return
    if a == b:
        return
    shown_a = "(absent)" if a is _MISSING else repr(a)
    shown_b = "(absent)" if b is _MISSING else repr(b)
    out.append(f"{path}: {labels[0]}={shown_a} {labels[1]}={shown_b}")
