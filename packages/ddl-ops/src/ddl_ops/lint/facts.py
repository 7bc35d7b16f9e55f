"""Facts about the database a migration will run on: does a table exist, does it hold rows.

Rules about locks and full-table work only matter for tables that hold rows. Without a
database, lint assumes every table the migration did not create itself may hold rows;
given a connection, it asks. A fact nobody can answer is None ("unknown").
"""

from __future__ import annotations

from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ddl_ops.dialects.registry import get_dialect_impl


class Facts(Protocol):
    """What lint may ask about the target database; None means "cannot tell"."""

    def table_exists(self, table: str, schema: str | None) -> bool | None: ...

    def table_has_rows(self, table: str, schema: str | None) -> bool | None: ...


class NoFacts:
    """No database at hand: every answer is unknown."""

    def table_exists(self, table: str, schema: str | None) -> bool | None:
        return None

    def table_has_rows(self, table: str, schema: str | None) -> bool | None:
        return None


class ConnectionFacts:
    """Answers read from a live connection (read-only: one SELECT ... LIMIT 1 per table).

    Answers are cached, so a history that touches a table many times asks once.
    """

    def __init__(self, connection: Connection):
        self.connection = connection
        self._exists: dict[tuple[str | None, str], bool] = {}
        self._rows: dict[tuple[str | None, str], bool | None] = {}

    def table_exists(self, table: str, schema: str | None) -> bool | None:
        key = (schema, table)
        if key not in self._exists:
            self._exists[key] = sa.inspect(self.connection).has_table(table, schema=schema)
        return self._exists[key]

    def table_has_rows(self, table: str, schema: str | None) -> bool | None:
        key = (schema, table)
        if key not in self._rows:
            if not self.table_exists(table, schema):
                self._rows[key] = False
            else:
                self._rows[key] = self._any_row(table, schema)
        return self._rows[key]

    def _any_row(self, table: str, schema: str | None) -> bool | None:
        """One row or none; unknown when the SELECT is refused (no privilege, say).

        Inside a savepoint where the database aborts a transaction on error (PostgreSQL),
        so the caller's transaction (env.py's, during `migrate lint`) goes on.
        """
        query = sa.select(sa.literal(1)).select_from(sa.table(table, schema=schema)).limit(1)
        guarded = (
            self.connection.in_transaction()
            and get_dialect_impl(self.connection.dialect).savepoint_guards_reads
        )
        try:
            if guarded:
                with self.connection.begin_nested():
                    return self.connection.execute(query).first() is not None
            return self.connection.execute(query).first() is not None
        except sa.exc.DBAPIError:
            return None
