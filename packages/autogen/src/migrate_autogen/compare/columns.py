"""Columns added and removed, and the one AlterColumnOp per changed column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ddl_ops import AddColumnOp, AlterColumnOp, DropColumnOp, ExecuteSQLOp, MigrateOperation
from migrate_autogen.column_copies import default_arg, plain_column
from migrate_autogen.context import AutogenContext
from migrate_autogen.pairs import NOT_CHANGED, ColumnChange, ColumnPair, TablePair
from migrate_autogen.registry import comparators
from migrate_autogen.sqltext import normalize_expression


@comparators.register("table", priority=10)
def compare_columns(ctx: AutogenContext, pair: TablePair) -> Iterator[MigrateOperation]:
    meta_cols = {
        c.name: c
        for c in pair.meta.columns
        if ctx.include(c, c.name, "column", False, pair.conn.c.get(c.name))
    }
    conn_cols = {
        c.name: c
        for c in pair.conn.columns
        if ctx.include(c, c.name, "column", True, pair.meta.c.get(c.name))
    }
    for name, column in meta_cols.items():
        if name not in conn_cols:
            yield AddColumnOp(pair.name, plain_column(column), schema=pair.schema)
    for name, meta_col in meta_cols.items():
        conn_col = conn_cols.get(name)
        if conn_col is None:
            continue
        op = compare_one_column(ctx, ColumnPair(pair, conn_col, meta_col))
        if op is not None:
            yield op
            yield from _resize_serial_sequence(ctx, op, conn_col)
    for name, column in conn_cols.items():
        if name not in meta_cols:
            yield DropColumnOp(
                pair.name, name, schema=pair.schema, existing_column=plain_column(column)
            )


_SEQUENCE_TYPES = ("SMALLINT", "INTEGER", "BIGINT")


class AlterSequenceTypeOp(ExecuteSQLOp):
    """``ALTER SEQUENCE ... AS <type>``, undone by the same statement with the old type."""

    def __init__(self, sequence: str, type_sql: str, previous_sql: str):
        super().__init__(f"ALTER SEQUENCE {sequence} AS {type_sql}")
        self.sequence = sequence
        self.type_sql = type_sql
        self.previous_sql = previous_sql

    def reverse(self) -> AlterSequenceTypeOp:
        return AlterSequenceTypeOp(self.sequence, self.previous_sql, self.type_sql)


def _resize_serial_sequence(
    ctx: AutogenContext, op: AlterColumnOp, conn: sa.Column[Any]
) -> Iterator[MigrateOperation]:
    """A SERIAL's sequence is ``AS integer``; ALTER COLUMN TYPE bigint leaves it so.

    Widening the column alone would still stop ids at 2**31 - 1, the very limit
    the change is usually made for, so the sequence follows the column's type.
    """
    sequence = conn.info.get("serial_sequence")
    if ctx.dialect_name != "postgresql" or op.type_ is None or not sequence:
        return
    new = _integer_sql(ctx, op.type_)
    old = _integer_sql(ctx, conn.type)
    if new is not None and old is not None and new != old:
        yield AlterSequenceTypeOp(sequence, new, old)


def _integer_sql(ctx: AutogenContext, type_: Any) -> str | None:
    try:
        sql = str(type_.compile(dialect=ctx.dialect)).upper()
    except sa.exc.CompileError:
        return None
    return sql if sql in _SEQUENCE_TYPES else None


def compare_one_column(ctx: AutogenContext, pair: ColumnPair) -> AlterColumnOp | None:
    change = ColumnChange()
    for fn in ctx.comparators_for("column"):
        fn(ctx, pair, change)
    if not change.changed:
        return None
    kwargs: dict[str, Any] = {}
    if change.nullable is not None:
        kwargs["nullable"] = change.nullable
    if change.type_ is not None:
        kwargs["type_"] = change.type_
    if change.server_default is not NOT_CHANGED:
        kwargs["server_default"] = change.server_default
    if change.comment is not NOT_CHANGED:
        kwargs["comment"] = change.comment
    conn = pair.conn
    existing_auto = _auto_increment(ctx, conn)
    if change.autoincrement is not None:
        kwargs["autoincrement"] = change.autoincrement
        existing_auto = bool(existing_auto)  # False is said, so the downgrade undoes it
    existing_default = default_arg(conn)
    serial = conn.info.get("serial_sequence")
    if existing_default is None and serial and change.server_default is None:
        # dropping a SERIAL's default: the downgrade sets it back
        quoted = serial.replace("'", "''")
        existing_default = f"nextval('{quoted}'::regclass)"
    return AlterColumnOp(
        pair.table.name,
        pair.name,
        schema=pair.table.schema,
        existing_type=conn.type,
        existing_nullable=conn.nullable,
        existing_server_default=(
            sa.text(existing_default) if isinstance(existing_default, str) else existing_default
        ),
        existing_comment=conn.comment,
        existing_autoincrement=existing_auto,
        **kwargs,
    )


def _auto_increment(ctx: AutogenContext, conn: sa.Column[Any]) -> bool | None:
    """True for a MySQL AUTO_INCREMENT column, whose MODIFY must say so again.

    MySQL's ALTER TABLE ... MODIFY restates the whole column; left out, AUTO_INCREMENT
    is silently dropped and inserts stop getting ids.
    """
    if ctx.dialect_name in ("mysql", "mariadb") and conn.autoincrement is True:
        return True
    return None


@comparators.register("column", priority=70)
def compare_autoincrement(ctx: AutogenContext, pair: ColumnPair, change: ColumnChange) -> None:
    """A column that numbers new rows in one place and not in the other.

    The models' answer is SQLAlchemy's (`Table.autoincrement_column`: the single
    integer primary key, unless told otherwise), which is what ``create_all`` makes.
    MySQL/MariaDB: AUTO_INCREMENT gained or lost (a MODIFY that forgot it drops it
    silently, and inserts then fail for want of an id). PostgreSQL: a SERIAL's
    ``nextval`` default the models no longer want, e.g. once ``id`` joins a composite
    primary key, is dropped (its sequence stays; the downgrade sets the default back).
    """
    meta, conn = pair.meta, pair.conn
    if meta.identity is not None or conn.identity is not None or meta.computed is not None:
        return
    if ctx.dialect_name == "sqlite" and change.type_ is not None:
        _warn_rowid_alias_lost(ctx, pair, change)
    table = meta.table
    wanted = isinstance(table, sa.Table) and table.autoincrement_column is meta
    if ctx.dialect_name in ("mysql", "mariadb"):
        if wanted != (conn.autoincrement is True):
            change.autoincrement = wanted
    elif (
        ctx.dialect_name == "postgresql"
        and conn.info.get("serial_sequence")
        and not wanted
        and meta.server_default is None
        and meta.default is None
        and change.server_default is NOT_CHANGED
    ):
        change.server_default = None


def _warn_rowid_alias_lost(ctx: AutogenContext, pair: ColumnPair, change: ColumnChange) -> None:
    """SQLite numbers new rows only through ``INTEGER PRIMARY KEY`` (an alias of the rowid).

    That key already holds 64-bit values, so a model typed BIGINT asks for nothing
    it lacks, and ddl-ops' batch keeps the rowid rather than lose the numbering:
    the type change is dropped, or `check` would report it after every upgrade.
    Any other type (SMALLINT, NUMERIC, ...) is rendered as the models say, with a
    warning naming the variant that keeps the rowid.
    """
    conn_pk = [c.name for c in pair.table.conn.primary_key.columns]
    if conn_pk != [pair.name] or str(pair.conn.type).upper() != "INTEGER":
        return
    try:
        new_sql = str(change.type_.compile(dialect=ctx.dialect)).upper()
    except sa.exc.CompileError:
        return
    if new_sql == "BIGINT":
        change.type_ = None
    elif new_sql != "INTEGER":
        ctx.note(
            f"{pair.table.name}.{pair.name} becomes {new_sql} PRIMARY KEY: on SQLite only "
            "INTEGER PRIMARY KEY numbers new rows; to keep that, type it in the models as "
            "sa.BigInteger().with_variant(sa.Integer(), 'sqlite')"
        )


@comparators.register("column", priority=10)
def compare_nullable(ctx: AutogenContext, pair: ColumnPair, change: ColumnChange) -> None:
    if pair.meta.computed is not None or pair.conn.computed is not None:
        return
    if bool(pair.meta.nullable) != bool(pair.conn.nullable):
        change.nullable = bool(pair.meta.nullable)


@comparators.register("column", priority=50)
def compare_column_comment(ctx: AutogenContext, pair: ColumnPair, change: ColumnChange) -> None:
    if not ctx.dialect.supports_comments:
        return
    if (pair.meta.comment or None) != (pair.conn.comment or None):
        change.comment = pair.meta.comment or None


@comparators.register("column", priority=60)
def compare_computed_and_identity(
    ctx: AutogenContext, pair: ColumnPair, change: ColumnChange
) -> None:
    """No database can ALTER a generation expression in place: warn instead of guessing."""
    where = f"{pair.table.name}.{pair.name}"
    meta_c, conn_c = pair.meta.computed, pair.conn.computed
    if (meta_c is None) != (conn_c is None):
        state = (
            "computed in the models only" if meta_c is not None else "computed in the database only"
        )
        ctx.note(f"column {where} is {state}; autogenerate cannot alter this, write it by hand")
    elif meta_c is not None and conn_c is not None:
        meta_sql = _compiled(ctx, meta_c.sqltext)
        if normalize_expression(meta_sql) != normalize_expression(str(conn_c.sqltext)):
            ctx.note(
                f"computed column {where} changed expression ({conn_c.sqltext} -> {meta_sql}); "
                "autogenerate cannot alter this, write it by hand"
            )
    if ctx.dialect.name != "postgresql":
        return
    if (pair.meta.identity is None) != (pair.conn.identity is None):
        ctx.note(f"identity of column {where} changed; autogenerate cannot alter this")


def _compiled(ctx: AutogenContext, clause: Any) -> str:
    compiler = ctx.ddl_compiler.sql_compiler
    return ctx.as_stored(str(compiler.process(clause, include_table=False, literal_binds=True)))
