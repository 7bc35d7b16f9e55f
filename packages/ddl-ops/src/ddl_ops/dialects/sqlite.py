"""SQLite: transactional DDL; no ALTER COLUMN or ALTER of constraints (batch mode does those).

What SQLite can do in place: ADD COLUMN (foreign keys written inline), DROP COLUMN
(3.35+), RENAME COLUMN (3.25+), RENAME TO, and indexes. Everything else raises
OperationNotSupported naming `batch_alter_table`, rather than failing at the server.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.compiler import DDLCompiler

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.default import alter_table_with, attach_column
from ddl_ops.dialects.default import drop_column as default_drop_column
from ddl_ops.dialects.render import RenderedDDL, column_spec, quote, table_name
from ddl_ops.dialects.sqlite_rebuild import SQLiteRebuild
from ddl_ops.errors import OperationNotSupported
from ddl_ops.execution import SQLContext
from ddl_ops.ops import AddColumnOp, AlterColumnOp, DropColumnOp
from ddl_ops.ops.base import UNSET
from ddl_ops.registry import register_sql


class SQLiteImpl(DialectImpl):
    """`transactional_ddl` is False: SQLite could, but Python's sqlite3 driver commits
    DDL as it runs it (unless the application takes over BEGIN), so a runner must not
    count on rolling a failed migration back."""

    name = "sqlite"
    transactional_ddl = False
    supports_alter_column = False
    supports_alter_constraints = False
    supports_comments = False
    requires_batch_recreate = True
    sqlglot_dialect = "sqlite"
    add_not_null_column_needs_default = True
    # lint's reads run without a savepoint here, as they always have
    savepoint_guards_reads = False
    rebuild = SQLiteRebuild()


def _needs_batch(what: str, table: str) -> OperationNotSupported:
    return OperationNotSupported(
        f"SQLite cannot {what} (table {table}); "
        f"do it inside `with op.batch_alter_table({table!r}) as batch:`"
    )


def inline_references(compiler: DDLCompiler, column: sa.Column[Any]) -> str:
    """Column-level REFERENCES clauses, the only way SQLite adds a foreign key in place."""
    parts = []
    for fk in column.foreign_keys:
        constraint = fk.constraint
        assert constraint is not None
        target = fk.column
        name = ""
        if constraint.name is not None and type(constraint.name).__name__ != "_NoneName":
            name = f"CONSTRAINT {compiler.preparer.format_constraint(constraint)} "
        parts.append(
            f"{name}REFERENCES {table_name(compiler, target.table.name, target.table.schema)} "
            f"({quote(compiler, target.name)})"
            f"{compiler.define_constraint_cascades(constraint)}"
            f"{compiler.define_constraint_deferrability(constraint)}"
        )
    return "".join(" " + part for part in parts)


@register_sql(AddColumnOp, dialect="sqlite")
def add_column(op: AddColumnOp, ctx: SQLContext) -> None:
    column = attach_column(op.column, op.table_name, op.schema, ctx)
    if column.unique or column.primary_key:
        raise _needs_batch(
            f"add a {'PRIMARY KEY' if column.primary_key else 'UNIQUE'} column {column.name!r}",
            op.table_name,
        )
    statement = RenderedDDL(
        lambda c: (
            f"ALTER TABLE {table_name(c, op.table_name, op.schema)} "
            f"ADD COLUMN {column_spec(c, column)}{inline_references(c, column)}"
        )
    )
    try:
        ctx.execute(statement)
    except sa.exc.OperationalError as error:
        if "non-constant default" not in str(error.orig):
            raise
        # CURRENT_TIMESTAMP, datetime('now') and the like: only a rebuild can fill the rows
        raise _needs_batch(
            f"add column {column.name!r} with a non-constant default in place", op.table_name
        ) from error
    for index in column.table.indexes:
        ctx.execute(sa.schema.CreateIndex(index))


@register_sql(DropColumnOp, dialect="sqlite")
def drop_column(op: DropColumnOp, ctx: SQLContext) -> None:
    try:
        default_drop_column(op, ctx)
    except sa.exc.OperationalError as error:
        reason = str(error.orig)
        if "cannot drop" not in reason and "after drop column" not in reason:
            raise
        # a key, unique, index, view or trigger uses the column: a rebuild takes it along
        what = f"drop column {op.column_name!r} in place: {reason}"
        raise _needs_batch(what, op.table_name) from error


@register_sql(AlterColumnOp, dialect="sqlite")
def alter_column(op: AlterColumnOp, ctx: SQLContext) -> None:
    changes = [
        label
        for label, changed in (
            ("change a column's type", op.type_ is not None),
            ("change a column's nullability", op.nullable is not None),
            ("change a column's server default", op.server_default is not UNSET),
            ("change autoincrement", op.autoincrement is not None),
        )
        if changed
    ]
    if changes:
        raise _needs_batch(f"{' or '.join(changes)} ({op.column_name})", op.table_name)
    if op.new_column_name is not None:
        new = op.new_column_name
        ctx.execute(
            alter_table_with(
                op.table_name,
                op.schema,
                lambda c: f"RENAME COLUMN {quote(c, op.column_name)} TO {quote(c, new)}",
            )
        )
