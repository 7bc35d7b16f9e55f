"""One renderer per operation type, registered explicitly (`renderers.register`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa

from ddl_ops import (
    AddColumnOp,
    AddEnumValueOp,
    AlterColumnOp,
    BulkInsertOp,
    CreateCheckConstraintOp,
    CreateEnumTypeOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropEnumTypeOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    MigrateOperation,
    RenameTableOp,
)
from migrate_autogen.naming import column_checks
from migrate_autogen.render.items import (
    index_dialect_kwargs,
    index_elements,
    render_column,
    render_constraint,
    server_default,
    unchecked,
)
from migrate_autogen.render.render_run import Call, RenderRun
from migrate_autogen.render.types import render_type
from migrate_autogen.render.values import literal, name, sql_text
from migrate_autogen.script import IrreversibleOperation

Renderer = Callable[[Any, RenderRun], list[Call]]
_UNSET = inspect.signature(AlterColumnOp).parameters["server_default"].default


class RendererRegistry:
    """Renderers by operation class; a subclass falls back to its nearest registered base."""

    def __init__(self) -> None:
        self._by_type: dict[type, Renderer] = {}

    def register(self, op_type: type) -> Callable[[Renderer], Renderer]:
        def decorate(fn: Renderer) -> Renderer:
            self._by_type[op_type] = fn
            return fn

        return decorate

    def find(self, op: MigrateOperation) -> Renderer:
        for cls in type(op).__mro__:
            if cls in self._by_type:
                return self._by_type[cls]
        raise TypeError(
            f"no renderer for {type(op).__name__}; register one with "
            "migrate_autogen.renderers.register(OpClass)"
        )


renderers = RendererRegistry()


def _schema(kwargs: list[tuple[str, str]], schema: str | None, key: str = "schema") -> None:
    if schema is not None:
        kwargs.append((key, literal(schema)))


@renderers.register(CreateTableOp)
def _create_table(op: CreateTableOp, rctx: RenderRun) -> list[Call]:
    args = [literal(op.table_name)]
    table = _table_of_create(op)
    for column in table.columns:
        args.append(render_column(column, rctx))
    constraints = [*table.constraints, *column_checks(table)]
    for constraint in sorted(constraints, key=_constraint_order):
        if _implicit(constraint):
            continue
        rendered = render_constraint(constraint, rctx)
        if rendered is not None:
            args.append(rendered)
    indexes = sorted(table.indexes, key=lambda i: str(i.name or ""))
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    if op.comment:
        kwargs.append(("comment", literal(op.comment)))
    odd: dict[str, Any] = {}
    for key, value in sorted(op.table_kw.items()):
        if key in ("schema", "comment"):
            continue
        if key.isidentifier():
            kwargs.append((key, literal(value)))
        else:
            odd[key] = value  # MySQL reflects options such as "mysql_default charset"
    if odd:
        args.append(f"**{odd!r}")
    calls = [Call("create_table", args, kwargs, batchable=False)]
    for index in indexes:
        # from the model's Index itself: an op's stand-in table would clash with
        # expressions bound to the model's columns (Index("ix", Item.created.desc()))
        calls.append(_index_from_model(index, op.table_name, op.schema, rctx))
    for call in calls[1:]:
        call.batchable = False
    return calls


def _table_of_create(op: CreateTableOp) -> sa.Table:
    """The Table the op's columns belong to; copies would lose naming-convention names."""
    for item in op.columns:
        if isinstance(item, sa.Column) and isinstance(item.table, sa.Table):
            return item.table
    return op.to_table()


def _constraint_order(constraint: sa.Constraint) -> int:
    order = (sa.PrimaryKeyConstraint, sa.ForeignKeyConstraint, sa.UniqueConstraint)
    for position, kind in enumerate(order):
        if isinstance(constraint, kind):
            return position
    return len(order)


def _implicit(constraint: sa.Constraint) -> bool:
    if isinstance(constraint, sa.PrimaryKeyConstraint):
        return not constraint.columns
    return bool(getattr(constraint, "_type_bound", False))


@renderers.register(DropTableOp)
def _drop_table(op: DropTableOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    return [Call("drop_table", [literal(op.table_name)], kwargs, batchable=False)]


@renderers.register(RenameTableOp)
def _rename_table(op: RenameTableOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    args = [literal(op.old_table_name), literal(op.new_table_name)]
    return [Call("rename_table", args, kwargs, batchable=False)]


@renderers.register(AddColumnOp)
def _add_column(op: AddColumnOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    # the CHECK a non-native Enum or Boolean makes comes as its own create_check_constraint
    args = [literal(op.table_name), render_column(op.column, rctx, type_checks=False)]
    return [Call("add_column", args, kwargs, table_arg=0)]


@renderers.register(DropColumnOp)
def _drop_column(op: DropColumnOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    return [Call("drop_column", [literal(op.table_name), literal(op.column_name)], kwargs, 0)]


@renderers.register(AlterColumnOp)
def _alter_column(op: AlterColumnOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    if op.existing_type is not None:
        kwargs.append(("existing_type", render_type(unchecked(op.existing_type), rctx)))
    if op.type_ is not None:
        kwargs.append(("type_", render_type(unchecked(op.type_), rctx)))
    if op.nullable is not None:
        kwargs.append(("nullable", repr(op.nullable)))
    if op.server_default is not _UNSET:
        kwargs.append(("server_default", server_default(op.server_default, rctx) or "None"))
    if op.new_column_name is not None:
        kwargs.append(("new_column_name", literal(op.new_column_name)))
    if op.comment is not _UNSET:
        kwargs.append(("comment", literal(op.comment)))
    if op.nullable is None and op.existing_nullable is not None:
        kwargs.append(("existing_nullable", repr(op.existing_nullable)))
    if op.existing_server_default is not None and op.server_default is _UNSET:
        kwargs.append(
            ("existing_server_default", server_default(op.existing_server_default, rctx) or "None")
        )
    if op.existing_comment is not None and op.comment is _UNSET:
        kwargs.append(("existing_comment", literal(op.existing_comment)))
    if op.autoincrement is not None:
        kwargs.append(("autoincrement", repr(op.autoincrement)))
    elif op.existing_autoincrement is not None:
        kwargs.append(("existing_autoincrement", repr(op.existing_autoincrement)))
    if op.postgresql_using:
        kwargs.append(("postgresql_using", literal(op.postgresql_using)))
    _schema(kwargs, op.schema)
    args = [literal(op.table_name), literal(op.column_name)]
    return [Call("alter_column", args, kwargs, table_arg=0)]


@renderers.register(CreateIndexOp)
def _create_index(op: CreateIndexOp, rctx: RenderRun) -> list[Call]:
    # from the op's own fields: its to_index() cannot take expressions bound to another
    # table, which the reverse of dropping a reflected index (published DESC) has
    args = [name(op.index_name, rctx), literal(op.table_name), index_elements(op.columns, rctx)]
    return [_index_call(args, bool(op.unique), op.schema, op.dialect_kw, rctx)]


def _index_from_model(
    index: sa.Index, table_name: str, schema: str | None, rctx: RenderRun
) -> Call:
    args = [name(index.name, rctx), literal(table_name), index_elements(index.expressions, rctx)]
    return _index_call(args, bool(index.unique), schema, index.dialect_kwargs, rctx)


def _index_call(
    args: list[str],
    unique: bool,
    schema: str | None,
    options: Mapping[str, Any],
    rctx: RenderRun,
) -> Call:
    kwargs: list[tuple[str, str]] = []
    if unique:
        kwargs.append(("unique", "True"))
    _schema(kwargs, schema)
    kwargs.extend(index_dialect_kwargs(options, rctx))
    return Call("create_index", args, kwargs, table_arg=1)


@renderers.register(DropIndexOp)
def _drop_index(op: DropIndexOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    if op.table_name is not None:
        kwargs.append(("table_name", literal(op.table_name)))
    _schema(kwargs, op.schema)
    return [Call("drop_index", [name(op.index_name, rctx)], kwargs, table_kwarg="table_name")]


@renderers.register(CreateUniqueConstraintOp)
@renderers.register(CreatePrimaryKeyOp)
def _create_column_list_constraint(
    op: CreateUniqueConstraintOp | CreatePrimaryKeyOp, rctx: RenderRun
) -> list[Call]:
    """UNIQUE and PRIMARY KEY render alike: name, table, column list."""
    method = (
        "create_unique_constraint"
        if isinstance(op, CreateUniqueConstraintOp)
        else "create_primary_key"
    )
    args = [name(op.constraint_name, rctx), literal(op.table_name), literal(list(op.columns))]
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    return [Call(method, args, kwargs, table_arg=1)]


@renderers.register(CreateCheckConstraintOp)
def _create_check(op: CreateCheckConstraintOp, rctx: RenderRun) -> list[Call]:
    condition = sql_text(op.condition, rctx, as_text=False)
    args = [name(op.constraint_name, rctx), literal(op.table_name), condition]
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    return [Call("create_check_constraint", args, kwargs, table_arg=1)]


@renderers.register(CreateForeignKeyOp)
def _create_fk(op: CreateForeignKeyOp, rctx: RenderRun) -> list[Call]:
    args = [
        name(op.constraint_name, rctx),
        literal(op.source_table),
        literal(op.referent_table),
        literal(list(op.local_cols)),
        literal(list(op.remote_cols)),
    ]
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.source_schema, "source_schema")
    _schema(kwargs, op.referent_schema, "referent_schema")
    for attr in ("onupdate", "ondelete", "deferrable", "initially", "match"):
        value = getattr(op, attr, None)
        if value is not None:
            kwargs.append((attr, literal(value)))
    return [Call("create_foreign_key", args, kwargs, table_arg=1, table_kwarg="source_schema")]


@renderers.register(DropConstraintOp)
def _drop_constraint(op: DropConstraintOp, rctx: RenderRun) -> list[Call]:
    args = [name(op.constraint_name, rctx), literal(op.table_name)]
    kwargs: list[tuple[str, str]] = []
    if op.type_ is not None:
        kwargs.append(("type_", literal(op.type_)))
    _schema(kwargs, op.schema)
    comments: list[str] = unnamed_drop_warning(op) if op.constraint_name is None else []
    return [Call("drop_constraint", args, kwargs, table_arg=1, comments=comments)]


def unnamed_drop_warning(op: DropConstraintOp) -> list[str]:
    """Comment lines above a drop that names no constraint: as written, it will fail.

    The models never named the constraint, so the database chose the name; only the
    user can look it up (or a naming convention can make names predictable).
    """
    kind = {"foreignkey": "foreign key", "primary": "primary key"}.get(
        op.type_ or "", f"{op.type_} constraint" if op.type_ else "constraint"
    )
    lines = [
        f"# WARNING: this {kind} on {op.table_name!r} has no name in the models, so the",
        "# drop_constraint() below fails as written (None is not a name). Put the name the",
        "# database gave it in place of None, or give the models' MetaData a naming_convention",
        "# (sa.MetaData(naming_convention={...})) so every constraint has a known name.",
    ]
    if op.type_ == "primary":
        lines.append("# (MySQL/MariaDB and SQLite batch mode can drop a primary key without one.)")
    return lines


@renderers.register(CreateTableCommentOp)
def _create_table_comment(op: CreateTableCommentOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    if op.existing_comment is not None:
        kwargs.append(("existing_comment", literal(op.existing_comment)))
    _schema(kwargs, op.schema)
    args = [literal(op.table_name), literal(op.comment)]
    return [Call("create_table_comment", args, kwargs, table_arg=0)]


@renderers.register(DropTableCommentOp)
def _drop_table_comment(op: DropTableCommentOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    if op.existing_comment is not None:
        kwargs.append(("existing_comment", literal(op.existing_comment)))
    _schema(kwargs, op.schema)
    return [Call("drop_table_comment", [literal(op.table_name)], kwargs, table_arg=0)]


@renderers.register(CreateEnumTypeOp)
def _create_enum(op: CreateEnumTypeOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    args = [literal(op.name), literal(list(op.values))]
    return [Call("create_enum_type", args, kwargs, batchable=False)]


@renderers.register(AddEnumValueOp)
def _add_enum_value(op: AddEnumValueOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    if op.before is not None:
        kwargs.append(("before", literal(op.before)))
    if op.after is not None:
        kwargs.append(("after", literal(op.after)))
    call = Call("add_enum_value", [literal(op.name), literal(op.value)], kwargs, batchable=False)
    call.comments.append("# PostgreSQL cannot remove an enum value: the downgrade leaves it")
    return [call]


@renderers.register(DropEnumTypeOp)
def _drop_enum(op: DropEnumTypeOp, rctx: RenderRun) -> list[Call]:
    kwargs: list[tuple[str, str]] = []
    _schema(kwargs, op.schema)
    return [Call("drop_enum_type", [literal(op.name)], kwargs, batchable=False)]


@renderers.register(ExecuteSQLOp)
def _execute(op: ExecuteSQLOp, rctx: RenderRun) -> list[Call]:
    statement = op.sqltext
    arg = literal(statement) if isinstance(statement, str) else sql_text(statement, rctx)
    return [Call("execute", [arg], batchable=False)]


@renderers.register(BulkInsertOp)
def _bulk_insert(op: BulkInsertOp, rctx: RenderRun) -> list[Call]:
    table = op.table
    columns = ", ".join(
        f"{rctx.sa}column({literal(c.name)}, {render_type(c.type, rctx)})" for c in table.columns
    )
    table_src = f"{rctx.sa}table({literal(table.name)}, {columns})"
    return [Call("bulk_insert", [table_src, repr(list(op.rows))], batchable=False)]


@renderers.register(IrreversibleOperation)
def _irreversible(op: IrreversibleOperation, rctx: RenderRun) -> list[Call]:
    return [
        Call("", [], comments=[f"# cannot be undone automatically: {op.reason}"], batchable=False)
    ]
