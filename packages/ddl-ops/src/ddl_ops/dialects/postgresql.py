"""PostgreSQL: transactional DDL, USING on type changes, enum types, EXCLUDE constraints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.default import (
    add_column_statement,
    alter_table_with,
    attach_column,
    create_column_sequences,
    emit_column_extras,
    emit_create_table,
    set_column_comment,
    target_type,
)
from ddl_ops.dialects.postgresql_rebuild import PostgresqlRebuild, native_enums
from ddl_ops.dialects.render import RenderedDDL, default_sql, quote, string_literal, type_sql
from ddl_ops.dialects.type_kinds import is_string, string_length
from ddl_ops.execution import OfflineSQLContext, SQLContext
from ddl_ops.ops import (
    AddColumnOp,
    AddEnumValueOp,
    AlterColumnOp,
    CreateEnumTypeOp,
    CreateExcludeConstraintOp,
    CreateTableOp,
    DropEnumTypeOp,
)
from ddl_ops.ops.base import UNSET
from ddl_ops.registry import register_sql


class PostgresqlImpl(DialectImpl):
    name = "postgresql"
    transactional_ddl = True
    supports_enum_types = True
    binary_literal_format = "'\\x{}'::bytea"
    rebuild = PostgresqlRebuild()
    sqlglot_dialect = "postgres"
    set_not_null_uses_check = True

    @classmethod
    def type_change_rewrite(cls, old: Any, new: Any) -> str | None:
        if _binary_compatible(old, new):
            return None
        return "every row is rewritten under an ACCESS EXCLUSIVE lock"


def _binary_compatible(old: Any, new: Any) -> bool:
    """Changes PostgreSQL makes without rewriting (or re-checking) the rows."""
    if is_string(old) and is_string(new):
        old_len, new_len = string_length(old), string_length(new)
        return new_len is None or (old_len is not None and new_len >= old_len)
    if isinstance(old, sa.Numeric) and isinstance(new, sa.Numeric):
        if isinstance(old, sa.Float) or isinstance(new, sa.Float):
            return False
        if new.precision is None:
            return True
        return (
            old.precision is not None
            and new.precision >= old.precision
            and (new.scale or 0) == (old.scale or 0)
        )
    return False


def enum_type_name(compiler: Any, name: str, schema: str | None) -> str:
    quoted = compiler.preparer.quote(name)
    return f"{compiler.preparer.quote_schema(schema)}.{quoted}" if schema else quoted


def create_enum_types(ctx: SQLContext, columns: Iterable[sa.Column[Any]]) -> None:
    """CREATE TYPE for each named enum the columns use; live, types that exist are left alone."""
    for type_ in native_enums(columns):
        enum_schema = type_.schema
        if isinstance(ctx, OfflineSQLContext):
            if (enum_schema, type_.name) in ctx.types_created:
                continue
        elif ctx.dialect.has_type(  # type: ignore[attr-defined]
            ctx.connection, type_.name, schema=enum_schema
        ):
            continue
        create_enum(ctx, type_.name, type_.enums, enum_schema)


def create_enum(ctx: SQLContext, name: str, values: Iterable[str], schema: str | None) -> None:
    ctx.execute(pg.CreateEnumType(pg.ENUM(*values, name=name, schema=schema)))
    if isinstance(ctx, OfflineSQLContext):
        ctx.types_created.add((schema, name))


@register_sql(CreateTableOp, dialect="postgresql")
def create_table(op: CreateTableOp, ctx: SQLContext) -> None:
    table = op.table_for_create(ctx.metadata())
    create_enum_types(ctx, table.columns)
    emit_create_table(ctx, table)


@register_sql(AddColumnOp, dialect="postgresql")
def add_column(op: AddColumnOp, ctx: SQLContext) -> None:
    column = attach_column(op.column, op.table_name, op.schema, ctx)
    create_column_sequences(ctx, [column])
    create_enum_types(ctx, [column])
    ctx.execute(add_column_statement(ctx, column))
    emit_column_extras(ctx, column)


@register_sql(AlterColumnOp, dialect="postgresql")
def alter_column(op: AlterColumnOp, ctx: SQLContext) -> None:
    table, schema, name = op.table_name, op.schema, op.column_name

    def alter(render: Any) -> None:
        ctx.execute(
            alter_table_with(table, schema, lambda c: f"ALTER COLUMN {quote(c, name)} {render(c)}")
        )

    # The old default is dropped before a type change that replaces it: PostgreSQL casts
    # the default along with the rows and refuses one it cannot cast ('0' to integer).
    default_dropped = op.type_ is not None and op.server_default is not UNSET
    if default_dropped:
        alter(lambda c: "DROP DEFAULT")
    if op.type_ is not None:
        create_enum_types(ctx, [sa.Column(name, op.type_)])
        using = f" USING {op.postgresql_using}" if op.postgresql_using else ""
        alter(lambda c: f"TYPE {type_sql(c, op.type_)}{using}")
    elif op.postgresql_using:
        raise ValueError(
            f"postgresql_using given for {table}.{name} without a new type_; USING applies "
            "only to a type change"
        )
    if op.nullable is not None:
        alter(lambda c: "DROP NOT NULL" if op.nullable else "SET NOT NULL")
    if op.server_default is not UNSET:
        if op.server_default is None:
            if not default_dropped:
                alter(lambda c: "DROP DEFAULT")
        else:
            alter(lambda c: f"SET DEFAULT {default_sql(c, op.server_default, target_type(op))}")
    if op.comment is not UNSET:
        set_column_comment(ctx, op)
    if op.new_column_name is not None:
        new = op.new_column_name
        ctx.execute(
            alter_table_with(
                table, schema, lambda c: f"RENAME COLUMN {quote(c, name)} TO {quote(c, new)}"
            )
        )


@register_sql(CreateExcludeConstraintOp, dialect="postgresql")
def create_exclude_constraint(op: CreateExcludeConstraintOp, ctx: SQLContext) -> None:
    ctx.execute(sa.schema.AddConstraint(op.to_constraint(ctx.metadata())))


@register_sql(CreateEnumTypeOp, dialect="postgresql")
def create_enum_type(op: CreateEnumTypeOp, ctx: SQLContext) -> None:
    create_enum(ctx, op.name, op.values, op.schema)


@register_sql(AddEnumValueOp, dialect="postgresql")
def add_enum_value(op: AddEnumValueOp, ctx: SQLContext) -> None:
    def render(c: Any) -> str:
        text = f"ALTER TYPE {enum_type_name(c, op.name, op.schema)} ADD VALUE "
        if op.if_not_exists:
            text += "IF NOT EXISTS "
        text += string_literal(c, op.value)
        if op.before is not None:
            text += f" BEFORE {string_literal(c, op.before)}"
        elif op.after is not None:
            text += f" AFTER {string_literal(c, op.after)}"
        return text

    ctx.execute(RenderedDDL(render))


@register_sql(DropEnumTypeOp, dialect="postgresql")
def drop_enum_type(op: DropEnumTypeOp, ctx: SQLContext) -> None:
    if_exists = "IF EXISTS " if op.if_exists else ""
    ctx.execute(
        RenderedDDL(lambda c: f"DROP TYPE {if_exists}{enum_type_name(c, op.name, op.schema)}")
    )
    if isinstance(ctx, OfflineSQLContext):
        ctx.types_created.discard((op.schema, op.name))
