"""Schema-migration operations and their SQL per dialect, live or offline.

`Operations.for_connection(conn)` executes; `Operations.for_dialect(name, output)`
writes SQL text; `ddl_ops.op` is the per-run proxy migration scripts import.
"""

from typing import TYPE_CHECKING, Any

from ddl_ops._version import __version__
from ddl_ops.batch.errors import BatchError
from ddl_ops.dialects import (
    dialect_chain_for_name,
    first_on_chain,
    get_dialect_impl,
    register_dialect_impl,
)
from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.sqlite_checks import check_constraints as sqlite_check_constraints
from ddl_ops.errors import (
    DDLOpsError,
    MissingInformation,
    NoOperationsBound,
    OfflineModeError,
    OperationNotSupported,
    UnnamedConstraint,
)
from ddl_ops.execution import LiveSQLContext, OfflineSQLContext, SQLContext, TransactionControl
from ddl_ops.operations import Operations, register_operation
from ddl_ops.ops import (
    UNSET,
    AddColumnOp,
    AddConstraintOp,
    AddEnumValueOp,
    AlterColumnOp,
    BulkInsertOp,
    CreateCheckConstraintOp,
    CreateEnumTypeOp,
    CreateExcludeConstraintOp,
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
from ddl_ops.proxy import op, use_operations
from ddl_ops.registry import register_sql

if TYPE_CHECKING:
    from ddl_ops.batch.block import batch_alter_table
    from ddl_ops.batch.operations import BatchOperations

__all__ = [
    "batch_alter_table",
    "UNSET",
    "AddColumnOp",
    "AddConstraintOp",
    "AddEnumValueOp",
    "AlterColumnOp",
    "BatchError",
    "BatchOperations",
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
    "DDLOpsError",
    "DialectImpl",
    "DropColumnOp",
    "DropConstraintOp",
    "DropEnumTypeOp",
    "DropIndexOp",
    "DropTableCommentOp",
    "DropTableOp",
    "ExecuteSQLOp",
    "LiveSQLContext",
    "MigrateOperation",
    "MissingInformation",
    "NoOperationsBound",
    "OfflineModeError",
    "OfflineSQLContext",
    "OperationNotSupported",
    "Operations",
    "RenameTableOp",
    "SQLContext",
    "TransactionControl",
    "UnnamedConstraint",
    "__version__",
    "dialect_chain_for_name",
    "first_on_chain",
    "get_dialect_impl",
    "op",
    "register_dialect_impl",
    "register_operation",
    "register_sql",
    "sqlite_check_constraints",
    "use_operations",
]


def __getattr__(name: str) -> Any:
    """Batch mode loads on first use (see `ddl_ops.batch`)."""
    if name in ("BatchOperations", "batch_alter_table"):
        from ddl_ops import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
