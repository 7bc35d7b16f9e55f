"""MySQL and MariaDB (MariaDB falls back to these rules along the dialect chain).

Their catalog differs from the models' spelling in many small ways: display widths,
BOOLEAN as TINYINT(1), TEXT(n) stored as the smallest TEXT kind that holds it,
implicit indexes for foreign keys, RESTRICT meaning NO ACTION. And ALTER is strict:
MODIFY restates the whole column, and a column a foreign key uses cannot be changed.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Inspector

from migrate_autogen.dialects.default import DialectRules, compiled_type, mark_descending
from migrate_autogen.live_schema import ReflectedDatabase
from migrate_autogen.pairs import ColumnChange, ColumnPair

_MYSQL_INT_WIDTH = re.compile(r"^(TINYINT|SMALLINT|MEDIUMINT|INTEGER|INT|BIGINT)\(\d+\)")
_SIZED = re.compile(r"(TEXT|BLOB)\((\d+)\)")
_SIZE_KINDS = ((255, "TINY"), (65535, ""), (16777215, "MEDIUM"))


class MySQLRules(DialectRules):
    name = "mysql"

    # MySQL's ALTER TABLE ... MODIFY restates the whole column; left out, AUTO_INCREMENT
    # is silently dropped and inserts stop getting ids
    restates_auto_increment = True
    reflects_expression_indexes = False  # no expression indexes to reflect
    implicit_foreign_key_indexes = True
    reflected_fk_omits_same_schema = True
    reflects_fk_deferral = False
    # MySQL refuses to MODIFY a column a foreign key uses, on either end (errors
    # 1832/1833), and to drop the only index a foreign key can use (error 1553)
    rebuilds_foreign_keys_around_changes = True

    def complete_reflection(
        self, conn: Connection, inspector: Inspector, db: ReflectedDatabase
    ) -> None:
        mark_descending(conn, db, _descending(conn, db, inspector.default_schema_name))

    def fold_type(self, text: str) -> str:
        if text in ("BOOL", "BOOLEAN"):
            return "TINYINT(1)"
        if text == "TINYINT(1)":
            return text
        text = _MYSQL_INT_WIDTH.sub(r"\1", text)
        text = re.sub(r"^INT\b", "INTEGER", text)
        text = re.sub(r"^NUMERIC\b", "DECIMAL", text)
        if text == "DECIMAL":
            text = "DECIMAL(10,0)"
        text = text.replace("DOUBLE PRECISION", "DOUBLE")
        if text == "REAL":
            text = "DOUBLE"  # unless REAL_AS_FLOAT is set, MySQL's REAL is DOUBLE
        match = re.fullmatch(r"FLOAT\((\d+)\)", text)
        if match:
            text = "FLOAT" if int(match.group(1)) <= 24 else "DOUBLE"
        if text == "JSON":
            text = "LONGTEXT"
        return text

    def types_differ(self, meta_type: Any, conn_type: Any, dialect: Dialect) -> bool | None:
        """``Text(n)`` / ``LargeBinary(n)`` against the TEXT / BLOB kind MySQL chose for ``n``.

        MySQL stores ``TEXT(100000)`` as MEDIUMTEXT and ``BLOB(1000)`` as BLOB: the
        smallest kind that holds ``n`` bytes (for TEXT, ``n`` characters of 1 to 4 bytes).
        """
        meta_sql = compiled_type(meta_type, dialect)
        conn_sql = compiled_type(conn_type, dialect)
        if meta_sql is None or conn_sql is None:
            return None
        match = _SIZED.fullmatch(self.fold_type_sql(meta_sql))
        if match is None:
            return None
        kind, length = match.group(1), int(match.group(2))
        widths = (length,) if kind == "BLOB" else (length, 4 * length)
        return self.fold_type_sql(conn_sql) not in {_size_kind(kind, w) for w in widths}

    def autoincrement_change(
        self, pair: ColumnPair, change: ColumnChange, wanted: bool, dialect: Dialect
    ) -> str | None:
        """AUTO_INCREMENT gained or lost (a MODIFY that forgot it drops it silently, and
        inserts then fail for want of an id)."""
        if wanted != (pair.conn.autoincrement is True):
            change.autoincrement = wanted
        return None

    def default_primary_key_name(self, table_name: str) -> str:
        return "PRIMARY"

    backslash_escapes = True

    def implicit_check(self, condition: str) -> bool:
        """MariaDB's JSON columns carry a CHECK (json_valid(col)) the models never declare."""
        return re.fullmatch(r"json_valid\(\w+\)", condition) is not None

    def fk_action(self, action: str) -> str:
        return "NO ACTION" if action == "RESTRICT" else action


def _size_kind(kind: str, size: int) -> str:
    for limit, prefix in _SIZE_KINDS:
        if size <= limit:
            return prefix + kind
    return "LONG" + kind


def _descending(
    conn: Connection, db: ReflectedDatabase, default_schema: str | None
) -> dict[Any, set[str]]:
    """One query for every schema compared: information_schema marks DESC with 'D'."""
    if not db.tables:
        return {}
    names = {schema or default_schema: schema for schema, _ in db.tables}
    rows = conn.execute(
        sa.text(
            "SELECT table_schema, table_name, index_name, column_name "
            "FROM information_schema.statistics "
            "WHERE collation = 'D' AND table_schema IN :schemas"
        ).bindparams(sa.bindparam("schemas", expanding=True)),
        {"schemas": sorted(n for n in names if n is not None)},
    )
    found: dict[Any, set[str]] = {}
    for schema, table, index, column in rows:
        found.setdefault((names.get(schema), table, index), set()).add(column)
    return found
