"""PostgreSQL: SERIAL sequences, native enum types, and defaults the server can judge itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Inspector

from ddl_ops import AlterColumnOp, ExecuteSQLOp, MigrateOperation
from migrate_autogen.dialects.default import DialectRules
from migrate_autogen.live_schema import ReflectedDatabase
from migrate_autogen.naming import schema_key
from migrate_autogen.pairs import NOT_CHANGED, ColumnChange, ColumnPair

_SEQUENCE_TYPES = ("SMALLINT", "INTEGER", "BIGINT")


class PostgreSQLRules(DialectRules):
    name = "postgresql"

    compares_identity = True

    def complete_reflection(
        self, conn: Connection, inspector: Inspector, db: ReflectedDatabase
    ) -> None:
        for table in db.tables.values():
            _forget_serial_defaults(table)
        for enum in inspector.get_enums(schema="*"):  # type: ignore[attr-defined]
            key = (schema_key(enum["schema"], inspector.default_schema_name), enum["name"])
            db.enums[key] = list(enum["labels"])

    def fold_type(self, text: str) -> str:
        match = re.fullmatch(r"FLOAT(?:\((\d+)\))?", text)
        if match:
            precision = int(match.group(1) or 53)
            return "REAL" if precision <= 24 else "DOUBLE PRECISION"
        text = re.sub(r"^INT\b", "INTEGER", text)
        text = re.sub(r"^DECIMAL\b", "NUMERIC", text)
        return text

    def defaults_equal_in_database(
        self, connection: Connection, column: sa.Column[Any], meta_sql: str, conn_sql: str
    ) -> bool:
        """Ask PostgreSQL whether two spellings of a default give the same value.

        Only when the texts differ after normalization, inside a savepoint so a default
        that cannot be evaluated outside its table (or at all) just counts as changed.
        """
        try:
            type_sql = column.type.compile(dialect=connection.dialect)
        except sa.exc.CompileError:
            return False
        query = (
            f"SELECT CAST(({meta_sql}) AS {type_sql}) "
            f"IS NOT DISTINCT FROM CAST(({conn_sql}) AS {type_sql})"
        )
        savepoint = connection.begin_nested()
        try:
            same = connection.exec_driver_sql(query.replace("%", "%%")).scalar()
        except sa.exc.DBAPIError:
            savepoint.rollback()
            return False
        savepoint.commit()
        return bool(same)

    def autoincrement_change(
        self, pair: ColumnPair, change: ColumnChange, wanted: bool, dialect: Dialect
    ) -> str | None:
        """A SERIAL's ``nextval`` default the models no longer want is dropped.

        E.g. once ``id`` joins a composite primary key; its sequence stays, and the
        downgrade sets the default back.
        """
        meta = pair.meta
        if (
            pair.conn.info.get("serial_sequence")
            and not wanted
            and meta.server_default is None
            and meta.default is None
            and change.server_default is NOT_CHANGED
        ):
            change.server_default = None
        return None

    def alter_column_extras(
        self, op: AlterColumnOp, conn: sa.Column[Any], dialect: Dialect
    ) -> Iterator[MigrateOperation]:
        """A SERIAL's sequence is ``AS integer``; ALTER COLUMN TYPE bigint leaves it so.

        Widening the column alone would still stop ids at 2**31 - 1, the very limit
        the change is usually made for, so the sequence follows the column's type.
        """
        sequence = conn.info.get("serial_sequence")
        if op.type_ is None or not sequence:
            return
        new = _integer_sql(op.type_, dialect)
        old = _integer_sql(conn.type, dialect)
        if new is not None and old is not None and new != old:
            yield AlterSequenceTypeOp(sequence, new, old)


class AlterSequenceTypeOp(ExecuteSQLOp):
    """``ALTER SEQUENCE ... AS <type>``, undone by the same statement with the old type."""

    def __init__(self, sequence: str, type_sql: str, previous_sql: str):
        super().__init__(f"ALTER SEQUENCE {sequence} AS {type_sql}")
        self.sequence = sequence
        self.type_sql = type_sql
        self.previous_sql = previous_sql

    def reverse(self) -> AlterSequenceTypeOp:
        return AlterSequenceTypeOp(self.sequence, self.previous_sql, self.type_sql)


def _integer_sql(type_: Any, dialect: Dialect) -> str | None:
    try:
        sql = str(type_.compile(dialect=dialect)).upper()
    except sa.exc.CompileError:
        return None
    return sql if sql in _SEQUENCE_TYPES else None


def _forget_serial_defaults(table: sa.Table) -> None:
    """SERIAL columns reflect ``DEFAULT nextval('t_id_seq'::regclass)``; models never say so.

    Left in place, a dropped table's downgrade would recreate it with a default naming
    a sequence that no longer exists.
    """
    for column in table.columns:
        default = column.server_default
        if not isinstance(default, sa.DefaultClause):
            continue
        text = str(getattr(default.arg, "text", default.arg))
        if text.startswith("nextval("):
            column.server_default = None
            column.autoincrement = True
            found = re.match(r"nextval\('((?:[^']|'')+)'", text)
            if found:  # kept so a type change can resize the sequence with the column
                column.info["serial_sequence"] = found.group(1).replace("''", "'")
