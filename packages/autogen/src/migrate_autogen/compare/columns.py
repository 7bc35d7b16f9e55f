"""Columns added and removed, and the one AlterColumnOp per changed column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ddl_ops import AddColumnOp, AlterColumnOp, DropColumnOp, MigrateOperation
from migrate_autogen.column_copies import default_arg, plain_column
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.pairs import NOT_CHANGED, ColumnChange, ColumnPair, TablePair
from migrate_autogen.registry import comparators
from migrate_autogen.sqltext import normalize_expression


@comparators.register("table", priority=10)
def compare_columns(ctx: CompareRun, pair: TablePair) -> Iterator[MigrateOperation]:
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
            yield from ctx.rules.alter_column_extras(op, conn_col, ctx.dialect)
    for name, column in conn_cols.items():
        if name not in meta_cols:
            yield DropColumnOp(
                pair.name, name, schema=pair.schema, existing_column=plain_column(column)
            )


def compare_one_column(ctx: CompareRun, pair: ColumnPair) -> AlterColumnOp | None:
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
    # ALTER ... MODIFY restating the whole column must say AUTO_INCREMENT again
    restated = ctx.rules.restates_auto_increment and conn.autoincrement is True
    existing_auto = True if restated else None
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


@comparators.register("column", priority=70)
def compare_autoincrement(ctx: CompareRun, pair: ColumnPair, change: ColumnChange) -> None:
    """A column that numbers new rows in one place and not in the other.

    The models' answer is SQLAlchemy's (`Table.autoincrement_column`: the single
    integer primary key, unless told otherwise), which is what ``create_all`` makes.
    What differs is the database's to say (`DialectRules.autoincrement_change`):
    AUTO_INCREMENT on MySQL, a SERIAL's default on PostgreSQL, the rowid on SQLite.
    """
    meta, conn = pair.meta, pair.conn
    if meta.identity is not None or conn.identity is not None or meta.computed is not None:
        return
    table = meta.table
    wanted = isinstance(table, sa.Table) and table.autoincrement_column is meta
    note = ctx.rules.autoincrement_change(pair, change, wanted, ctx.dialect)
    if note is not None:
        ctx.note(note)


@comparators.register("column", priority=10)
def compare_nullable(ctx: CompareRun, pair: ColumnPair, change: ColumnChange) -> None:
    if pair.meta.computed is not None or pair.conn.computed is not None:
        return
    if bool(pair.meta.nullable) != bool(pair.conn.nullable):
        change.nullable = bool(pair.meta.nullable)


@comparators.register("column", priority=50)
def compare_column_comment(ctx: CompareRun, pair: ColumnPair, change: ColumnChange) -> None:
    if not ctx.dialect.supports_comments:
        return
    if (pair.meta.comment or None) != (pair.conn.comment or None):
        change.comment = pair.meta.comment or None


@comparators.register("column", priority=60)
def compare_computed_and_identity(ctx: CompareRun, pair: ColumnPair, change: ColumnChange) -> None:
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
    if not ctx.rules.compares_identity:
        return
    if (pair.meta.identity is None) != (pair.conn.identity is None):
        ctx.note(f"identity of column {where} changed; autogenerate cannot alter this")


def _compiled(ctx: CompareRun, clause: Any) -> str:
    compiler = ctx.ddl_compiler.sql_compiler
    return ctx.as_stored(str(compiler.process(clause, include_table=False, literal_binds=True)))
