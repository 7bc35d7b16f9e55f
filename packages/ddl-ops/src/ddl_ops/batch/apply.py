"""Apply recorded batch operations to a :class:`TableModel` (the new table's definition)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement, TextClause

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import ForeignKeySpec, IndexSpec, TableModel
from ddl_ops.batch.steps import BatchStep
from ddl_ops.dialects.registry import rebuild_strategy
from ddl_ops.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
)


def apply_step(model: TableModel, step: BatchStep, dialect: Dialect) -> None:
    """Edit ``model`` as ``step`` asks; raise BatchError naming the table when it cannot."""
    op: Any = step.op
    if isinstance(op, AddColumnOp):
        model.add_column(
            op.column, insert_before=step.insert_before, insert_after=step.insert_after
        )
    elif isinstance(op, AlterColumnOp):
        model.alter_column(
            op.column_name,
            nullable=op.nullable,
            type_=op.type_,
            server_default=op.server_default,
            new_name=op.new_column_name,
            comment=op.comment,
            autoincrement=op.autoincrement,
        )
        new_name = op.new_column_name or op.column_name
        if op.postgresql_using and rebuild_strategy(dialect).copies_with_using:
            model.columns[new_name].copy_expression = op.postgresql_using
        if step.insert_before is not None or step.insert_after is not None:
            model.move_column(new_name, before=step.insert_before, after=step.insert_after)
    elif isinstance(op, DropColumnOp):
        model.drop_column(op.column_name)
    elif isinstance(op, CreateIndexOp):
        if op.if_not_exists and any(ix.name == op.index_name for ix in model.indexes):
            return
        model.add_index(
            IndexSpec(
                op.index_name,
                list(op.columns),
                unique=bool(op.unique),
                dialect_kwargs=dict(op.dialect_kw),
            )
        )
    elif isinstance(op, DropIndexOp):
        if op.if_exists and all(ix.name != op.index_name for ix in model.indexes):
            return
        model.drop_index(op.index_name)
    elif isinstance(op, CreatePrimaryKeyOp):
        model.add_primary_key(op.constraint_name, op.columns)
    elif isinstance(op, CreateUniqueConstraintOp):
        model.add_unique(op.constraint_name, op.columns, **op.dialect_kw)
    elif isinstance(op, CreateCheckConstraintOp):
        model.add_check(op.constraint_name, sql_text(op.condition, dialect))
    elif isinstance(op, CreateForeignKeyOp):
        model.add_foreign_key(
            ForeignKeySpec(
                name=op.constraint_name,
                columns=list(op.local_cols),
                referred_table=op.referent_table,
                referred_columns=list(op.remote_cols),
                referred_schema=op.referent_schema,
                ondelete=op.ondelete,
                onupdate=op.onupdate,
                deferrable=op.deferrable,
                initially=op.initially,
                match=op.match,
            )
        )
    elif isinstance(op, DropConstraintOp):
        if op.if_exists and op.constraint_name not in model.constraint_names():
            return
        model.drop_constraint(op.constraint_name, op.constraint_type)
    elif isinstance(op, CreateTableCommentOp):
        model.comment = op.comment
    elif isinstance(op, DropTableCommentOp):
        model.comment = None
    else:
        raise BatchError(f"batch mode cannot apply {type(op).__name__} to {model.display_name!r}")


def sql_text(condition: Any, dialect: Dialect) -> str:
    """A CHECK condition as SQL text, with any bound values written inline."""
    if isinstance(condition, str):
        return condition
    if isinstance(condition, TextClause):
        return condition.text
    if isinstance(condition, ClauseElement):
        return str(condition.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    raise BatchError(f"a CHECK condition must be SQL text or an expression, not {condition!r}")


def reset_sources(model: TableModel) -> TableModel:
    """After a rebuild the new table is the existing one: every column is its own source."""
    rebuilt = model.copy()
    for column in rebuilt.columns.values():
        column.source = column.name
        column.type_changed = False
        column.type_before = None
        column.copy_expression = None
        column.fill_value = None
    return rebuilt
