"""SQLite's PRAGMA foreign_keys=ON during a run: off while migrating, checked, then back on.

SQLite ignores the pragma inside a transaction, and with it on, a batch
rebuild's DROP TABLE runs the ON DELETE rules of every table referencing the
rebuilt one. So the runner switches it off before its transaction begins, runs
`PRAGMA foreign_key_check` before committing (a violation fails the run, which
rolls back), and switches it back on once the transaction has ended.
"""

from __future__ import annotations

import sqlalchemy as sa

from migrate_cli.errors import CommandError


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
