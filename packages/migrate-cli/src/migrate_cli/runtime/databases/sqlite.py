"""SQLite in a migration run: BEGIN IMMEDIATE as the lock, and foreign keys kept out of the way.

SQLite has no session lock, so the migration lock is the write lock of BEGIN
IMMEDIATE, taken by every transaction the runner opens; heads are re-read in each.
Its DDL is transactional for the runner, which opens those transactions itself,
so the pysqlite driver's autocommit of DDL (why ddl-ops' SQLiteImpl says no) does
not apply.

PRAGMA foreign_keys=ON during a run: off while migrating, checked, then back on.
SQLite ignores the pragma inside a transaction, and with it on, a batch
rebuild's DROP TABLE runs the ON DELETE rules of every table referencing the
rebuilt one. So the runner switches it off before its transaction begins, runs
`PRAGMA foreign_key_check` before committing (a violation fails the run, which
rolls back), and switches it back on once the transaction has ended.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import sqlalchemy as sa

from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases.default import (
    DEFAULT_LOCK_TIMEOUT,
    POLL_SECONDS,
    DatabaseStrategy,
    LockWaiter,
)

if TYPE_CHECKING:
    from ddl_ops import DialectImpl


class SQLiteStrategy(DatabaseStrategy):
    name = "sqlite"
    write_lock_per_transaction = True
    file_databases = True
    create_if_not_exists = True

    def transactional_ddl(self, impl: DialectImpl) -> bool:
        return True  # the runner opens its transactions with BEGIN IMMEDIATE itself

    def begin_write(self, connection: sa.Connection, timeout: float) -> None:
        sqlite_begin_immediate(connection, timeout)

    def foreign_keys(self, connection: sa.Connection) -> SqliteForeignKeys:
        return SqliteForeignKeys(connection)


def sqlite_begin_immediate(
    connection: sa.Connection, timeout: float = DEFAULT_LOCK_TIMEOUT
) -> None:
    """Start the driver transaction with BEGIN IMMEDIATE, taking SQLite's write lock now.

    The pysqlite driver would otherwise run DDL outside any transaction and
    take the write lock only at the first INSERT, which is too late for both
    rollback and mutual exclusion. Does nothing if the driver is already in a
    transaction or exposes no `in_transaction` flag.
    """
    raw = connection.connection.driver_connection
    if getattr(raw, "in_transaction", True):
        return
    waiter = LockWaiter("SQLite write lock", timeout)
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa.exc.OperationalError as error:
            if "locked" not in str(error.orig).lower():
                raise
            waiter.check()
            time.sleep(POLL_SECONDS)


def _driver_in_transaction(connection: sa.Connection) -> bool:
    """Whether SQLite itself has a transaction open (unknown drivers count as yes)."""
    raw = connection.connection.driver_connection
    return bool(getattr(raw, "in_transaction", True))


def _pragma(connection: sa.Connection, statement: str) -> list[tuple[object, ...]]:
    """Run a pragma on the DBAPI connection, leaving SQLAlchemy's transaction state alone."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(statement)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
    finally:
        cursor.close()


class SqliteForeignKeys:
    """Suspends a connection's foreign key enforcement for the transactions of one run."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        #: True while enforcement is off because this run switched it off.
        self.suspended = False

    def suspend(self) -> None:
        """Switch enforcement off if it is on; only possible outside a transaction."""
        if self.suspended or _driver_in_transaction(self.connection):
            return
        if not _pragma(self.connection, "PRAGMA foreign_keys")[0][0]:
            return
        _pragma(self.connection, "PRAGMA foreign_keys=OFF")
        self.suspended = not _pragma(self.connection, "PRAGMA foreign_keys")[0][0]

    def check(self, rolled_back: str) -> None:
        """Fail, before the commit, when rows violate a foreign key while it was off."""
        if not self.suspended:
            return
        problems = _pragma(self.connection, "PRAGMA foreign_key_check")
        if not problems:
            return
        table, rowid, parent = problems[0][0], problems[0][1], problems[0][2]
        tables = sorted({str(row[0]) for row in problems})
        raise CommandError(
            f"foreign key check failed: table {table!r} row {rowid} refers to a missing row of "
            f"{parent!r} ({len(problems)} violation(s) in {', '.join(map(repr, tables))}); "
            f"{rolled_back}; fix the migration's data changes (foreign keys are off while "
            "migrations run, so ON DELETE rules do not fire)"
        )

    def restore(self) -> None:
        """Switch enforcement back on once SQLite's transaction has ended."""
        if not self.suspended or _driver_in_transaction(self.connection):
            return
        _pragma(self.connection, "PRAGMA foreign_keys=ON")
        self.suspended = False
