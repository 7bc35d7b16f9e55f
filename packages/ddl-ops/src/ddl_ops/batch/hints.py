"""Fill in the ``existing_*`` hints of alter_column from the known table definition.

MySQL/MariaDB and SQL Server restate a whole column to change any part of it, so a plain
alter_column needs the column's current type and nullability. Inside a batch the table is
known (reflected, or ``copy_from`` offline), so users need not repeat what the database says.
"""

from __future__ import annotations

import copy
from typing import TypeGuard, cast

from ddl_ops.batch.model import TableModel
from ddl_ops.dialects.base import DialectImpl
from ddl_ops.ops import AlterColumnOp, DropConstraintOp, MigrateOperation


def needs_column_hints(impl: DialectImpl) -> bool:
    return impl.alter_column_restates_column


def needs_table_for(op: MigrateOperation) -> TypeGuard[DropConstraintOp]:
    """An unnamed primary key drop needs the table's definition to find the key's name."""
    return isinstance(op, DropConstraintOp) and op.constraint_name is None


def with_existing_hints(op: MigrateOperation, model: TableModel | None) -> MigrateOperation:
    """A copy of ``op`` with what the table definition can tell filled in.

    An AlterColumnOp gets missing existing_* hints; ``drop_constraint(None, "primary")`` gets
    the primary key's name.
    """
    if needs_table_for(op) and model is not None and model.primary_key is not None:
        named = copy.copy(op)
        named.constraint_name = cast(str, model.primary_key.name)  # an unnamed key stays None
        return named
    if not isinstance(op, AlterColumnOp) or model is None or op.column_name not in model.columns:
        return op
    column = model.columns[op.column_name]
    filled = copy.copy(op)
    if filled.existing_type is None:
        filled.existing_type = column.type
    if filled.existing_nullable is None:
        filled.existing_nullable = column.nullable
    if filled.existing_server_default is None and column.server_default is not None:
        filled.existing_server_default = column.server_default
    if filled.existing_comment is None and column.comment is not None:
        filled.existing_comment = column.comment
    if filled.existing_autoincrement is None and column.autoincrement is True:
        filled.existing_autoincrement = True
    return filled
