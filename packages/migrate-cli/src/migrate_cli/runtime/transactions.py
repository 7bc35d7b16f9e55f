"""Transactions: the transactions a run opens, and failures in one line.

What differs per database (BEGIN IMMEDIATE, foreign keys) is its strategy's
(`migrate_cli.runtime.databases`); this module only asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import sqlalchemy as sa
from sqlalchemy.engine import RootTransaction

from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import DatabaseStrategy, ForeignKeyGuard


def describe_error(error: BaseException) -> str:
    """The underlying database error's first line (no SQL echo, no parameters)."""
    if isinstance(error, sa.exc.DBAPIError) and error.orig is not None:
        text = str(error.orig).strip()
        kind = type(error.orig).__name__
    else:
        text = str(error).strip()
        kind = type(error).__name__
    first = text.splitlines()[0] if text else ""
    return f"{kind}: {first}" if first else kind


class RunTransactions:
    """The transactions of one run: which to open, and what waits for the outer one to end.

    Inside a caller's own transaction (a shared connection already in one)
    nothing is opened: the caller commits. Otherwise the outer `begin()` opens
    the transaction when DDL is transactional and migrations share one; the
    per-migration `begin(per_migration=True)` opens one per step when
    transaction_per_migration is set or DDL is not transactional (so the
    version table is committed right after each migration). Offline, the same
    decisions write BEGIN/COMMIT statements instead.

    It is also ddl_ops' TransactionControl: `op.autocommit_block()` calls
    `leave()` and `resume()` around its block.

    Where the database's strategy keeps foreign keys out of the way (SQLite with
    PRAGMA foreign_keys=ON), each transaction the run opens runs with them off
    and is checked before it commits.
    """

    def __init__(
        self,
        connection: sa.Connection | None,
        *,
        database: DatabaseStrategy,
        as_sql: bool,
        transactional_ddl: bool,
        per_migration: bool,
        lock_timeout: float,
        write_statement: Callable[[str], None],
        begin_statement: str = "BEGIN",
        commit_statement: str = "COMMIT",
    ) -> None:
        self.connection = connection
        self.database = database
        self.as_sql = as_sql
        self.transactional_ddl = transactional_ddl
        self.per_migration = per_migration
        self.lock_timeout = lock_timeout
        self.write_statement = write_statement
        self.begin_statement = begin_statement
        self.commit_statement = commit_statement
        #: True when the connection was already in the caller's transaction at configure().
        self.external = bool(connection is not None and connection.in_transaction())
        #: The transaction this run began (or the caller's, when `external`), while open.
        self.current: RootTransaction | None = None
        self._after_end: list[Callable[[], object]] = []
        self._offline_open = False
        self.foreign_keys: ForeignKeyGuard | None = None
        #: The migration in progress ("upgrade b2 (path)"), named when its transaction fails.
        self.running: str | None = None
        #: Called before leave() commits mid-run (the migration log writes its held rows).
        self.before_commit: Callable[[], None] | None = None
        if connection is not None and not (as_sql or self.external):
            self.foreign_keys = database.foreign_keys(connection)

    @property
    def whole_run(self) -> bool:
        """Whether every migration of the run commits (or rolls back) together."""
        return self.external or (self.transactional_ddl and not self.per_migration)

    @property
    def is_open(self) -> bool:
        """Whether a transaction this run began is in progress."""
        return self._open() is not None

    def _open(self) -> RootTransaction | None:
        """The transaction this run began, while it is still active."""
        current = self.current
        return current if current is not None and current.is_active else None

    def begin(self, per_migration: bool = False) -> AbstractContextManager[None]:
        if self.external:
            return nullcontext()
        now = per_migration == self.per_migration if self.transactional_ddl else per_migration
        if not now:
            return nullcontext()
        if self.as_sql:
            if not self.transactional_ddl or self._offline_open:
                return nullcontext()
            return self._offline()
        if self.current is not None:
            return nullcontext()
        return self._live()

    def suspend_foreign_keys(self) -> None:
        """Foreign keys off (SQLite) before a transaction of the run begins."""
        if self.foreign_keys is not None:
            self.foreign_keys.suspend()

    def restore_foreign_keys(self) -> None:
        """Foreign keys back on (SQLite), once no transaction of the run is open."""
        if self.foreign_keys is not None and self.current is None:
            self.foreign_keys.restore()

    def check_foreign_keys(self) -> None:
        """Refuse to commit rows that broke a foreign key while it was off (SQLite)."""
        if self.foreign_keys is not None and self.is_open:
            whole = self.transactional_ddl and not self.per_migration
            self.foreign_keys.check(
                "the whole run was rolled back"
                if whole
                else f"{self.running or 'the migration'} was rolled back"
            )

    def rollback_now(self) -> None:
        """Roll back ahead of the context's exit (before the lock is released)."""
        current = self._open()
        if current is not None:
            current.rollback()

    def after_end(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the transaction in progress has committed or rolled back."""
        self._after_end.append(callback)

    @contextmanager
    def between(self) -> Iterator[None]:
        """Run the block between two transactions: commit before it, begin again after it."""
        connection = self._connection()
        current = self._open()
        suspended = current is not None
        if current is not None:
            current.commit()
        elif connection.in_transaction():
            connection.commit()
        yield
        if connection.in_transaction():
            connection.commit()
        if suspended:
            self.current = connection.begin()

    # ddl_ops TransactionControl
    def leave(self) -> None:
        if self.external:
            raise CommandError(
                "op.autocommit_block() cannot run inside the caller's own transaction: pass a "
                "connection that is not in a transaction (config.attributes['connection'])"
            )
        current = self._open()
        if current is not None:
            self.check_foreign_keys()
            if self.before_commit is not None:
                self.before_commit()
            current.commit()

    def resume(self) -> None:
        if self.current is not None:
            self.current = self._connection().begin()
            self._begin_write()

    @contextmanager
    def _offline(self) -> Iterator[None]:
        self._offline_open = True
        self.write_statement(self.begin_statement)
        try:
            yield
        finally:
            self._offline_open = False
        self.write_statement(self.commit_statement)

    @contextmanager
    def _live(self) -> Iterator[None]:
        connection = self._connection()
        self.suspend_foreign_keys()
        self.current = (
            connection.get_transaction() if connection.in_transaction() else connection.begin()
        )
        try:
            self._begin_write()
            yield
            self.check_foreign_keys()
        except BaseException:
            self.rollback_now()
            raise
        else:
            current = self._open()
            if current is not None:
                current.commit()
        finally:
            self.current = None
            callbacks, self._after_end = self._after_end, []
            for callback in callbacks:
                callback()
            if callbacks and connection.in_transaction():
                connection.commit()  # the unlock autobegan one; leave the connection idle
            self.restore_foreign_keys()

    def _begin_write(self) -> None:
        """Take the write lock now where the database's lock is per transaction (SQLite)."""
        if self.transactional_ddl:
            self.database.begin_write(self._connection(), self.lock_timeout)

    def _connection(self) -> sa.Connection:
        if self.connection is None:
            raise CommandError(
                "env.py called context.configure() without connection= and not in --sql mode: "
                "connect (engine.connect()) and pass connection=; url= alone is for --sql"
            )
        return self.connection
