"""What batch mode needs of the operations it runs inside: a Protocol batch owns.

`Operations` satisfies `OperationTarget`; batch never imports the facade, so the facade can
import batch (for ``op.batch_alter_table``) and the dependency stays one-way.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.engine import Connection, Dialect

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.execution import SQLContext
from ddl_ops.ops import ExecuteSQLOp, MigrateOperation, RenameTableOp


class OperationTarget(Protocol):
    """Runs operation objects against one database, live or offline (an `Operations`)."""

    @property
    def context(self) -> SQLContext: ...

    @property
    def impl(self) -> DialectImpl: ...

    @property
    def dialect(self) -> Dialect: ...

    @property
    def is_offline(self) -> bool: ...

    def get_bind(self) -> Connection: ...

    def invoke(self, operation: MigrateOperation) -> Any: ...


class OperationsRunner:
    """A :class:`~ddl_ops.batch.runner.StatementRunner` over an :class:`OperationTarget`."""

    def __init__(self, operations: OperationTarget):
        self.operations = operations

    @property
    def dialect(self) -> Dialect:
        return self.operations.dialect

    @property
    def transactional_ddl(self) -> bool:
        return bool(self.operations.impl.transactional_ddl)

    @property
    def connection(self) -> Connection | None:
        return None if self.operations.is_offline else self.operations.get_bind()

    def run(self, statement: Any) -> None:
        self.operations.invoke(ExecuteSQLOp(statement))

    def rename_table(self, old_name: str, new_name: str, schema: str | None) -> None:
        self.operations.invoke(RenameTableOp(old_name, new_name, schema=schema))
