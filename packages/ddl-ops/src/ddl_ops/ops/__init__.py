"""Operation objects: plain data describing one schema change each."""

from ddl_ops.ops.base import UNSET, MigrateOperation
from ddl_ops.ops.columns import AddColumnOp, AlterColumnOp, DropColumnOp
from ddl_ops.ops.comments import CreateTableCommentOp, DropTableCommentOp
from ddl_ops.ops.constraints import (
    AddConstraintOp,
    CreateCheckConstraintOp,
    CreateExcludeConstraintOp,
    CreateForeignKeyOp,
    CreatePrimaryKeyOp,
    CreateUniqueConstraintOp,
    DropConstraintOp,
    constraint_op_for,
)
from ddl_ops.ops.enums import AddEnumValueOp, CreateEnumTypeOp, DropEnumTypeOp
from ddl_ops.ops.indexes import CreateIndexOp, DropIndexOp
from ddl_ops.ops.misc import BulkInsertOp, ExecuteSQLOp
from ddl_ops.ops.tables import CreateTableOp, DropTableOp, RenameTableOp

__all__ = [
    "UNSET",
    "AddColumnOp",
    "AddConstraintOp",
    "AddEnumValueOp",
    "AlterColumnOp",
    "BulkInsertOp",
    "CreateCheckConstraintOp",
    "CreateEnumTypeOp",
    "CreateExcludeConstraintOp",
    "CreateForeignKeyOp",
    "CreateIndexOp",
    "CreatePrimaryKeyOp",
    "CreateTableCommentOp",
    "CreateTableOp",
    "CreateUniqueConstraintOp",
    "DropColumnOp",
    "DropConstraintOp",
    "DropEnumTypeOp",
    "DropIndexOp",
    "DropTableCommentOp",
    "DropTableOp",
    "ExecuteSQLOp",
    "MigrateOperation",
    "RenameTableOp",
    "constraint_op_for",
]
