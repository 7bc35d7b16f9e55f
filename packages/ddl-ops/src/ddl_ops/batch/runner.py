"""Send the rebuild's statements through an Operations facade (live or offline alike)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.engine import Connection, Dialect

if TYPE_CHECKING:
    from ddl_ops.operations import Operations


class StatementRunner(Protocol):
    """Where the rebuild's statements go: a live connection, or SQL text when offline."""

    @property
    def dialect(self) -> Dialect: ...

    @property
    def connection(self) -> Connection | None:
        """The live connection, or None in offline mode."""

    @property
    def transactional_ddl(self) -> bool:
        """True when DDL can be rolled back (SQLite, PostgreSQL), so a savepoint protects it."""

    def run(self, statement: Any) -> None: ...

    def rename_table(self, old_name: str, new_name: str, schema: str | None) -> None: ...


class OperationsRunner:
    """A :class:`~ddl_ops.batch.recreate.StatementRunner` over an Operations object."""

    def __init__(self, operations: Operations):
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
        self.operations.execute(statement)

    def rename_table(self, old_name: str, new_name: str, schema: str | None) -> None:
        self.operations.rename_table(old_name, new_name, schema=schema)
