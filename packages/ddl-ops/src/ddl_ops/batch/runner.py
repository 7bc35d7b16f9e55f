"""Where a rebuild's statements go: the small Protocol the rebuild code depends on."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.engine import Connection, Dialect


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
