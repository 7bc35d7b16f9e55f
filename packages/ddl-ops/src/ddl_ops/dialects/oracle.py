"""Oracle: MODIFY for column changes, ADD without COLUMN; DDL commits implicitly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import schema as sa_schema

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.default import (
    add_column_statement,
    alter_table_with,
    attach_column,
    comments_supported,
    create_column_sequences,
    emit_column_extras,
    target_type,
)
from ddl_ops.dialects.render import (
    RenderedDDL,
    default_sql,
    quote,
    stand_in_column,
    table_name,
    type_sql,
)
from ddl_ops.execution import SQLContext
from ddl_ops.ops import AddColumnOp, AlterColumnOp
from ddl_ops.ops.base import UNSET
from ddl_ops.registry import register_sql


class OracleImpl(DialectImpl):
    name = "oracle"
    begin_statement = "SET TRANSACTION READ WRITE"
    binary_literal_format = "HEXTORAW('{}')"
    sqlglot_dialect = "oracle"


@register_sql(AddColumnOp, dialect="oracle")
def add_column(op: AddColumnOp, ctx: SQLContext) -> None:
    column = attach_column(op.column, op.table_name, op.schema, ctx)
    create_column_sequences(ctx, [column])
    ctx.execute(add_column_statement(ctx, column, keyword="ADD"))
    emit_column_extras(ctx, column)


@register_sql(AlterColumnOp, dialect="oracle")
def alter_column(op: AlterColumnOp, ctx: SQLContext) -> None:
    table, schema, name = op.table_name, op.schema, op.column_name

    def modify(render: Any) -> None:
        ctx.execute(
            alter_table_with(table, schema, lambda c: f"MODIFY {quote(c, name)} {render(c)}")
        )

    if op.type_ is not None:
        modify(lambda c: type_sql(c, op.type_))
    if op.server_default is not UNSET:
        if op.server_default is None:
            modify(lambda c: "DEFAULT NULL")
        else:
            modify(lambda c: f"DEFAULT {default_sql(c, op.server_default, target_type(op))}")
    if op.nullable is not None:
        modify(lambda c: "NULL" if op.nullable else "NOT NULL")
    if op.comment is not UNSET and comments_supported(ctx):
        column = stand_in_column(name, target_type(op), table, schema, comment=op.comment)
        if op.comment is None:
            ctx.execute(
                RenderedDDL(
                    lambda c: (
                        f"COMMENT ON COLUMN {table_name(c, table, schema)}.{quote(c, name)} IS ''"
                    )
                )
            )
        else:
            ctx.execute(sa_schema.SetColumnComment(column))
    if op.new_column_name is not None:
        new = op.new_column_name
        ctx.execute(
            alter_table_with(
                table, schema, lambda c: f"RENAME COLUMN {quote(c, name)} TO {quote(c, new)}"
            )
        )
