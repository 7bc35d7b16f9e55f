"""The SQL every dialect gets unless its own module overrides an operation.

Written in the ANSI/PostgreSQL style ("ALTER TABLE t ALTER COLUMN c TYPE x"),
using SQLAlchemy's DDL constructs wherever one exists.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.base import SchemaEventTarget

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.registry import get_dialect_impl
from ddl_ops.dialects.render import (
    RenderedDDL,
    column_spec,
    default_sql,
    quote,
    stand_in_column,
    table_name,
    type_sql,
)
from ddl_ops.errors import (
    MissingInformation,
    OfflineModeError,
    OperationNotSupported,
    UnnamedConstraint,
)
from ddl_ops.execution import OfflineSQLContext, SQLContext
from ddl_ops.ops import (
    AddColumnOp,
    AddConstraintOp,
    AddEnumValueOp,
    AlterColumnOp,
    BulkInsertOp,
    CreateEnumTypeOp,
    CreateExcludeConstraintOp,
    CreateIndexOp,
    CreateTableCommentOp,
    CreateTableOp,
    DropColumnOp,
    DropConstraintOp,
    DropEnumTypeOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    RenameTableOp,
)
from ddl_ops.ops.base import UNSET
from ddl_ops.ops.stubs import add_referent_stubs
from ddl_ops.registry import register_sql


class DefaultImpl(DialectImpl):
    """Any database without a module of its own."""

    name = "default"


def alter_table_with(op_table: str, schema: str | None, render_clause: Any) -> RenderedDDL:
    """ALTER TABLE <table> <clause>, the clause rendered by `render_clause(compiler)`."""
    return RenderedDDL(
        lambda c: f"ALTER TABLE {table_name(c, op_table, schema)} {render_clause(c)}"
    )


def attach_column(
    column: sa.Column[Any], table: str, schema: str | None, ctx: SQLContext, share: bool = True
) -> sa.Column[Any]:
    """The column on a stand-in table (a copy if it already belongs to one).

    SQLAlchemy renders a column only once it is on a Table. A plain column (see
    `is_plain_column`) joins the context's shared stand-in for that table name: building a
    Table costs about as much as the rest of an add_column. Anything that brings a key,
    index, check or foreign key gets a table of its own, named by the naming convention,
    so what is emitted beside the column comes from that column alone. `share=False` is for
    a dialect that rewrites the whole table before rendering.
    """
    if column.table is not None:
        column = column._copy()
    plain = share and is_plain_column(column)
    if plain:
        shared = ctx.stand_in_table(table, schema)
        if shared is not None and column.key not in shared.c:
            shared.append_column(column)
            return column
    own = sa.Table(table, ctx.metadata(), column, schema=schema)
    if plain:
        ctx.keep_stand_in(own)
    else:
        add_referent_stubs(own)
    return column


def is_plain_column(column: sa.Column[Any]) -> bool:
    """No key, index, constraint, foreign key, generated value or type that adds a constraint
    on attach (Enum, Boolean): nothing that would put anything on its table besides itself."""
    return not (
        column.primary_key
        or column.foreign_keys
        or column.constraints
        or column.index
        or column.unique
        or column.computed is not None
        or column.identity is not None
        or isinstance(column.type, SchemaEventTarget)
    )


def comments_are_separate(ctx: SQLContext) -> bool:
    """True where comments need COMMENT ON statements rather than inline COMMENT clauses."""
    return bool(ctx.impl.supports_comments and ctx.dialect.supports_comments) and not bool(
        ctx.dialect.inline_comments
    )


def comments_supported(ctx: SQLContext) -> bool:
    return bool(ctx.impl.supports_comments and ctx.dialect.supports_comments)


# -- columns -------------------------------------------------------------------------------


ADD_COLUMN_KEYWORD = "ADD COLUMN"


def add_column_statement(
    ctx: SQLContext, column: sa.Column[Any], keyword: str = ADD_COLUMN_KEYWORD
) -> RenderedDDL:
    assert column.table is not None
    table = column.table
    return RenderedDDL(
        lambda c: (
            f"ALTER TABLE {table_name(c, table.name, table.schema)} "
            f"{keyword} {column_spec(c, column)}"
        )
    )


def column_sequences(columns: Any) -> list[sa.Sequence]:
    """The `sa.Sequence`s the columns are given as defaults, in column order, once each."""
    found: dict[tuple[str | None, str], sa.Sequence] = {}
    for column in columns:
        default = column.default
        if isinstance(default, sa.Sequence) and not default.optional:
            found.setdefault((default.schema, default.name), default)
    return list(found.values())


def create_column_sequences(ctx: SQLContext, columns: Any) -> None:
    """CREATE SEQUENCE for each column `Sequence`, as `metadata.create_all()` does.

    A table or column declared with ``sa.Sequence("x")`` needs that sequence to insert rows;
    Alembic leaves it out. Live, a sequence that exists already is left alone (it may be
    shared, or made by an earlier run of a downgraded migration); offline it is written once.
    """
    if not ctx.dialect.supports_sequences:
        return
    for sequence in column_sequences(columns):
        key = (sequence.schema, sequence.name)
        if isinstance(ctx, OfflineSQLContext):
            if key in ctx.sequences_created:
                continue
            ctx.sequences_created.add(key)
        elif ctx.dialect.has_sequence(ctx.connection, sequence.name, schema=sequence.schema):
            continue
        ctx.execute(sa_schema.CreateSequence(sequence))


def emit_column_extras(ctx: SQLContext, column: sa.Column[Any]) -> None:
    """What CREATE TABLE would have said about a column beyond its definition."""
    table = column.table
    for fk in column.foreign_keys:
        ctx.execute(sa_schema.AddConstraint(fk.constraint))  # type: ignore[arg-type]
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and getattr(
            constraint, "_column_flag", False
        ):
            ctx.execute(sa_schema.AddConstraint(constraint))
    for index in table.indexes:
        ctx.execute(sa_schema.CreateIndex(index))
    if column.comment and comments_are_separate(ctx):
        ctx.execute(sa_schema.SetColumnComment(column))


@register_sql(AddColumnOp)
def add_column(op: AddColumnOp, ctx: SQLContext) -> None:
    column = attach_column(op.column, op.table_name, op.schema, ctx)
    create_column_sequences(ctx, [column])
    ctx.execute(add_column_statement(ctx, column))
    emit_column_extras(ctx, column)


@register_sql(DropColumnOp)
def drop_column(op: DropColumnOp, ctx: SQLContext) -> None:
    ctx.execute(
        alter_table_with(
            op.table_name, op.schema, lambda c: f"DROP COLUMN {quote(c, op.column_name)}"
        )
    )


def target_type(op: AlterColumnOp) -> Any:
    return op.type_ if op.type_ is not None else op.existing_type


@register_sql(AlterColumnOp)
def alter_column(op: AlterColumnOp, ctx: SQLContext) -> None:
    table, schema, name = op.table_name, op.schema, op.column_name
    assert table is not None

    def alter(render: Any) -> None:
        ctx.execute(
            alter_table_with(table, schema, lambda c: f"ALTER COLUMN {quote(c, name)} {render(c)}")
        )

    if op.type_ is not None:
        alter(lambda c: f"TYPE {type_sql(c, op.type_)}")
    if op.nullable is not None:
        alter(lambda c: "DROP NOT NULL" if op.nullable else "SET NOT NULL")
    if op.server_default is not UNSET:
        if op.server_default is None:
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


def set_column_comment(ctx: SQLContext, op: AlterColumnOp) -> None:
    if not comments_supported(ctx):
        return
    column = stand_in_column(
        op.column_name,
        target_type(op),
        op.table_name,
        op.schema,
        comment=op.comment,
    )
    if op.comment is None:
        ctx.execute(sa_schema.DropColumnComment(column))
    else:
        ctx.execute(sa_schema.SetColumnComment(column))


# -- tables --------------------------------------------------------------------------------


def emit_create_table(ctx: SQLContext, table: sa.Table) -> None:
    create_column_sequences(ctx, table.columns)
    ctx.execute(sa_schema.CreateTable(table))
    if comments_are_separate(ctx):
        if table.comment:
            ctx.execute(sa_schema.SetTableComment(table))
        for column in table.columns:
            if column.comment:
                ctx.execute(sa_schema.SetColumnComment(column))
    for index in sorted(table.indexes, key=lambda i: str(i.name or "")):
        ctx.execute(sa_schema.CreateIndex(index))


@register_sql(CreateTableOp)
def create_table(op: CreateTableOp, ctx: SQLContext) -> None:
    emit_create_table(ctx, op.table_for_create(ctx.metadata()))


@register_sql(DropTableOp)
def drop_table(op: DropTableOp, ctx: SQLContext) -> None:
    table = sa.Table(op.table_name, sa.MetaData(), schema=op.schema)
    ctx.execute(sa_schema.DropTable(table, if_exists=op.if_exists))


@register_sql(RenameTableOp)
def rename_table(op: RenameTableOp, ctx: SQLContext) -> None:
    ctx.execute(
        alter_table_with(
            op.old_table_name, op.schema, lambda c: f"RENAME TO {quote(c, op.new_table_name)}"
        )
    )


# -- indexes and constraints ---------------------------------------------------------------


@register_sql(CreateIndexOp)
def create_index(op: CreateIndexOp, ctx: SQLContext) -> None:
    # A named index on column names shares a stand-in table (see SQLContext.stand_in_table);
    # expressions are rebound onto a table of their own.
    shared = op.index_name is not None and all(isinstance(c, str) for c in op.columns)
    table = ctx.stand_in_table(op.table_name, op.schema, "indexes") if shared else None
    index = op.to_index(ctx.metadata(), table)
    if shared and table is None and index.table is not None:
        ctx.keep_stand_in(index.table, "indexes")
    ctx.execute(sa_schema.CreateIndex(index, if_not_exists=op.if_not_exists))


@register_sql(DropIndexOp)
def drop_index(op: DropIndexOp, ctx: SQLContext) -> None:
    if op.table_name is None and ctx.impl.drop_index_names_table:
        raise MissingInformation(
            f"{ctx.impl.name} drops an index through its table: pass the table, as in "
            f"op.drop_index({op.index_name!r}, table_name='...')"
        )
    ctx.execute(sa_schema.DropIndex(op.to_index(), if_exists=op.if_exists))


@register_sql(AddConstraintOp)
def add_constraint(op: AddConstraintOp, ctx: SQLContext) -> None:
    if not ctx.impl.supports_alter_constraints:
        raise OperationNotSupported(
            f"{ctx.impl.name} cannot add a {op.constraint_type} constraint to an existing "
            f"table ({op.table_name}); use op.batch_alter_table({op.table_name!r}) instead"
        )
    ctx.execute(sa_schema.AddConstraint(op.to_constraint(ctx.metadata())))


def refuse_unnamed_drop(op: DropConstraintOp, ctx: SQLContext) -> None:
    """DROP CONSTRAINT needs a name; without one SQLAlchemy fails with a bare AssertionError.

    SQLite's batch mode can drop an unnamed primary key (the table is rebuilt), so there
    the "use batch" advice below still applies.
    """
    if op.constraint_name is not None:
        return
    if op.constraint_type == "primary" and not ctx.impl.supports_alter_constraints:
        return
    raise UnnamedConstraint(op.table_name, op.constraint_type, ctx.impl.dialect.name)


@register_sql(DropConstraintOp)
def drop_constraint(op: DropConstraintOp, ctx: SQLContext) -> None:
    refuse_unnamed_drop(op, ctx)
    if not ctx.impl.supports_alter_constraints:
        raise OperationNotSupported(
            f"{ctx.impl.name} cannot drop constraint {op.constraint_name} from an existing "
            f"table ({op.table_name}); use op.batch_alter_table({op.table_name!r}) instead"
        )
    constraint = op.to_constraint()
    if_exists = " IF EXISTS" if op.if_exists else ""
    ctx.execute(
        alter_table_with(
            op.table_name,
            op.schema,
            lambda c: f"DROP CONSTRAINT{if_exists} {c.preparer.format_constraint(constraint)}",
        )
    )


# -- comments ------------------------------------------------------------------------------


def stand_in_table(op: Any, comment: str | None) -> sa.Table:
    return sa.Table(op.table_name, sa.MetaData(), schema=op.schema, comment=comment)


@register_sql(CreateTableCommentOp)
def create_table_comment(op: CreateTableCommentOp, ctx: SQLContext) -> None:
    if comments_supported(ctx):
        ctx.execute(sa_schema.SetTableComment(stand_in_table(op, op.comment)))


@register_sql(DropTableCommentOp)
def drop_table_comment(op: DropTableCommentOp, ctx: SQLContext) -> None:
    if comments_supported(ctx):
        ctx.execute(sa_schema.DropTableComment(stand_in_table(op, None)))


# -- enum types ----------------------------------------------------------------------------


def _no_enum_types(op: Any, ctx: SQLContext) -> None:
    raise OperationNotSupported(
        f"{ctx.impl.name} has no named enum types (enum {op.name!r}); enum types are a "
        "PostgreSQL feature: guard this step with a dialect check, or use sa.Enum columns"
    )


register_sql(CreateEnumTypeOp)(_no_enum_types)
register_sql(AddEnumValueOp)(_no_enum_types)
register_sql(DropEnumTypeOp)(_no_enum_types)


# -- data ----------------------------------------------------------------------------------


@register_sql(ExecuteSQLOp)
def execute_sql(op: ExecuteSQLOp, ctx: SQLContext) -> Any:
    statement = op.sqltext
    if op.execution_options and not isinstance(statement, str):
        statement = statement.execution_options(**op.execution_options)
    return ctx.execute(statement)


def literal_row(table: Any, row: dict[str, Any], dialect: Dialect) -> dict[str, Any]:
    """Row values as typed literals; an untyped column takes the type of its Python value.

    Columns the row leaves out get their Python-side `default=` as a live insert would:
    compiled with literal values, SQLAlchemy would write NULL for them.
    """
    values = {}
    for key, value in row.items():
        column = table.c.get(key) if hasattr(table.c, "get") else None
        values[key] = literal_value(column.type if column is not None else None, value, dialect)
    for column in table.c:
        default = getattr(column, "default", None)
        if column.key not in row and default is not None and not default.is_sequence:
            values[column.key] = literal_value(
                column.type, python_default(table, column, default), dialect
            )
    return values


def python_default(table: Any, column: Any, default: Any) -> Any:
    """The value (or SQL expression) a column's `default=` gives a row inserted without it."""
    if not default.is_callable:
        return default.arg
    try:
        return default.arg(None)
    except Exception as error:
        raise OfflineModeError(
            f"the default of {table.name}.{column.key} needs a live insert ({error}); "
            "give the column's value in each bulk_insert row in offline mode"
        ) from error


def literal_value(type_: Any, value: Any, dialect: Dialect) -> Any:
    if isinstance(value, sa.ClauseElement):
        return value
    if type_ is None or type_._isnull:
        type_ = None
    if isinstance(value, (bytes, bytearray, memoryview)) and (
        type_ is None or isinstance(type_, (sa.LargeBinary, sa.BINARY, sa.VARBINARY))
    ):
        return binary_literal(dialect, bytes(value))
    if isinstance(type_, sa.JSON):
        return json_literal(dialect, type_, value)
    if (
        isinstance(value, datetime.datetime)
        and value.tzinfo is not None
        and get_dialect_impl(dialect).datetime_literals_drop_tzinfo
    ):
        value = value.replace(tzinfo=None)
    return sa.literal(value, type_)


def binary_literal(dialect: Dialect, value: bytes) -> sa.ColumnElement[Any]:
    """Bytes as a hex literal. SQLAlchemy would write them as text decoded from UTF-8, which
    fails on other bytes and puts NULs and backslashes into the script as they are."""
    pattern = get_dialect_impl(dialect).binary_literal_format
    return sa.literal_column(pattern.format(value.hex()), sa.LargeBinary())


def json_literal(dialect: Dialect, type_: sa.JSON, value: Any) -> sa.ColumnElement[Any]:
    """A JSON value as its serialized text, as the live insert sends it (SQLAlchemy has no
    literal form for JSON); None is JSON 'null' unless the type says `none_as_null`."""
    if value is None and type_.none_as_null:
        return sa.null()
    if value is sa.JSON.NULL:
        value = None
    serializer = getattr(dialect, "_json_serializer", None) or json.dumps
    return sa.literal(serializer(value), sa.String())


@register_sql(BulkInsertOp)
def bulk_insert(op: BulkInsertOp, ctx: SQLContext) -> None:
    if not op.rows:
        return
    insert = sa.insert(op.table)
    same_keys = all(row.keys() == op.rows[0].keys() for row in op.rows)
    if ctx.is_offline:
        rows = [literal_row(op.table, row, ctx.dialect) for row in op.rows]
        if op.multiinsert and same_keys and ctx.dialect.supports_multivalues_insert:
            ctx.execute(insert.values(rows))
        else:
            for row in rows:
                ctx.execute(insert.values(row))
    elif op.multiinsert and same_keys:
        ctx.execute(insert, op.rows)
    else:
        for row in op.rows:
            ctx.execute(insert, row)


@register_sql(CreateExcludeConstraintOp)
def create_exclude_constraint(op: CreateExcludeConstraintOp, ctx: SQLContext) -> None:
    raise OperationNotSupported(
        f"EXCLUDE constraints ({op.constraint_name} on {op.table_name}) exist only on "
        f"PostgreSQL, not on {ctx.impl.name}"
    )
