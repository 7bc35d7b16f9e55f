"""SQLite: what its reflection misses, and the comparisons its storage makes moot.

SQLite keeps little catalog beyond each object's CREATE statement, so reflection is
completed from ``sqlite_master``: expression indexes (unreadable, checked by name),
CHECKs (re-read from the statement), generated expressions, DESC index columns.
It cannot ALTER most things in place, so scripts for it are rendered in batch mode.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Inspector

from ddl_ops.dialects.sqlite_checks import reread_sqlite_checks
from migrate_autogen.dialects.default import DialectRules, mark_descending
from migrate_autogen.live_schema import ReflectedDatabase, TableKey
from migrate_autogen.pairs import ColumnChange, ColumnPair


class SQLiteRules(DialectRules):
    name = "sqlite"

    compares_computed_column_types = False
    reflects_fk_deferral = False
    # SQLite rebuilds the table in batch mode, where the renderer names an unnamed
    # foreign key through batch_alter_table(naming_convention=...) to drop it
    drops_unnamed_foreign_keys_in_batch = True
    # it cannot ALTER a column, a constraint or a foreign key in place: a script of
    # plain ``op.alter_column`` calls would fail there
    render_as_batch: ClassVar[bool] = True
    foreign_keys_in_table_block = True

    def complete_reflection(
        self, conn: Connection, inspector: Inspector, db: ReflectedDatabase
    ) -> None:
        db.opaque_indexes = _opaque_indexes(conn, db)
        for table in db.tables.values():
            reread_sqlite_checks(conn, table)  # SQLAlchemy's pattern misreads some CHECKs
        _read_generated_expressions(conn, db)
        mark_descending(conn, db, _descending(conn, db))

    def autoincrement_change(
        self, pair: ColumnPair, change: ColumnChange, wanted: bool, dialect: Dialect
    ) -> str | None:
        """SQLite numbers new rows only through ``INTEGER PRIMARY KEY`` (an alias of the rowid).

        That key already holds 64-bit values, so a model typed BIGINT asks for nothing
        it lacks, and ddl-ops' batch keeps the rowid rather than lose the numbering:
        the type change is dropped, or `check` would report it after every upgrade.
        Any other type (SMALLINT, NUMERIC, ...) is rendered as the models say, with a
        warning naming the variant that keeps the rowid.
        """
        if change.type_ is None:
            return None
        conn_pk = [c.name for c in pair.table.conn.primary_key.columns]
        if conn_pk != [pair.name] or str(pair.conn.type).upper() != "INTEGER":
            return None
        try:
            new_sql = str(change.type_.compile(dialect=dialect)).upper()
        except sa.exc.CompileError:
            return None
        if new_sql == "BIGINT":
            change.type_ = None
        elif new_sql != "INTEGER":
            return (
                f"{pair.table.name}.{pair.name} becomes {new_sql} PRIMARY KEY: on SQLite only "
                "INTEGER PRIMARY KEY numbers new rows; to keep that, type it in the models as "
                "sa.BigInteger().with_variant(sa.Integer(), 'sqlite')"
            )
        return None


def _opaque_indexes(conn: Connection, db: ReflectedDatabase) -> dict[TableKey, set[str]]:
    opaque: dict[TableKey, set[str]] = {}
    rows = conn.exec_driver_sql(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    )
    for index_name, table_name in rows:
        table = db.tables.get((None, table_name))
        if table is None:
            continue
        if any(ix.name == index_name for ix in table.indexes):
            continue
        opaque.setdefault((None, table_name), set()).add(index_name)
    return opaque


_GENERATED = re.compile(r"\bGENERATED\s+ALWAYS\s+AS\s*\(", re.IGNORECASE)


def _read_generated_expressions(conn: Connection, db: ReflectedDatabase) -> None:
    """Fill in the expressions SQLAlchemy reflects as ``''`` on SQLite.

    Its pattern stops at the first comma, so ``x NUMERIC(12, 2) GENERATED ALWAYS AS
    (...)`` loses its expression: compared, it looks changed; dropped, the downgrade
    would recreate ``Computed('')``. The column's own definition is read instead.
    """
    for (schema, name), table in db.tables.items():
        missing = [
            c for c in table.columns if c.computed is not None and not str(c.computed.sqltext)
        ]
        if schema is not None or not missing:
            continue
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).scalar()
        definitions = _column_definitions(sql or "")
        for column in missing:
            definition = definitions.get(column.name.lower(), "")
            found = _GENERATED.search(definition)
            if found is not None and column.computed is not None:
                column.computed.sqltext = sa.text(_parenthesized(definition, found.end() - 1))


def _column_definitions(create_sql: str) -> dict[str, str]:
    """``CREATE TABLE t (a INT, b NUMERIC(1, 2) ...)`` as ``{"a": "a INT", "b": ...}``."""
    body = create_sql[create_sql.find("(") + 1 : create_sql.rfind(")")]
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    definitions = {}
    for part in parts:
        words = part.strip().split(None, 1)
        if words:
            definitions[words[0].strip('"`[]').lower()] = part.strip()
    return definitions


def _parenthesized(text: str, open_at: int) -> str:
    """The text inside the parenthesis opening at ``open_at`` (nesting respected)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i]
    return text[open_at + 1 :]


def _descending(conn: Connection, db: ReflectedDatabase) -> dict[Any, set[str]]:
    """DESC key columns of each named index, from ``PRAGMA index_xinfo``."""
    found: dict[Any, set[str]] = {}
    quote = conn.dialect.identifier_preparer.quote_identifier
    for (schema, name), table in db.tables.items():
        for index in table.indexes:
            if index.name is None:
                continue
            rows = conn.exec_driver_sql(f"PRAGMA index_xinfo({quote(index.name)})")
            # (seqno, cid, name, desc, coll, key): key columns whose desc flag is set
            columns = {row[2] for row in rows if row[5] and row[3] and row[2] is not None}
            if columns:
                found[(schema, name, index.name)] = columns
    return found
