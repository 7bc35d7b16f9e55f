"""A database-wide lock held while a run reads the heads and applies migrations.

Concurrent `migrate upgrade head` runs (several app instances starting at
once) must apply each migration exactly once. Each run takes the lock, then
reads the heads, so the second run sees the first run's work and has
nothing left to do. PostgreSQL uses a session advisory lock and MySQL/MariaDB
a named lock (both survive the commits of transaction_per_migration); SQLite
has no session lock, so its lock is the write lock of BEGIN IMMEDIATE, taken
by every transaction the runner opens (see `sqlite_begin_immediate`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from migrate_cli.errors import CommandError

log = logging.getLogger(__name__)

DEFAULT_LOCK_TIMEOUT = 600.0
_POLL_SECONDS = 0.05
_REPORT_SECONDS = 5.0


def lock_name(version_table: str, schema: str | None) -> str:
    """One lock per version table, so multidb setups with several tables do not block each other."""
    return f"migrate:{schema + '.' if schema else ''}{version_table}"


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def mysql_lock_name(name: str, database: str | None) -> str:
    """GET_LOCK names are server-wide (64 characters at most): qualify by database."""
    full = f"{database}:{name}" if database else name
    if len(full) <= 64:
        return full
    return "migrate:" + hashlib.sha256(full.encode()).hexdigest()[:48]


@contextmanager
def database_lock(
    connection: sa.Connection,
    name: str,
    *,
    transaction_scoped: bool = False,
    timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> Iterator[None]:
    """Hold the database's migration lock for the duration of the block.

    `transaction_scoped` says the run is inside a caller's transaction:
    PostgreSQL then takes a transaction-level advisory lock that the caller's
    commit or rollback releases, since a failed migration aborts that
    transaction and no unlock could run in it.
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        with _postgresql_lock(connection, advisory_key(name), transaction_scoped, timeout):
            yield
    elif dialect in ("mysql", "mariadb"):
        database = connection.exec_driver_sql("SELECT DATABASE()").scalar()
        with _mysql_lock(connection, mysql_lock_name(name, database), timeout):
            yield
    else:
        yield


class _Waiter:
    """Gives up after the timeout and says who is waiting, every few seconds, in the log."""

    def __init__(self, name: str, timeout: float) -> None:
        self.name = name
        self.timeout = timeout
        self.started = time.monotonic()
        self.last_report = self.started

    def check(self) -> None:
        now = time.monotonic()
        if now - self.started >= self.timeout:
            raise CommandError(
                f"could not take the migration lock {self.name!r} within {self.timeout:.0f} s: "
                "another `migrate` run is still migrating this database; wait for it to finish "
                "and retry"
            )
        if now - self.last_report >= _REPORT_SECONDS:
            self.last_report = now
            log.info(
                "Waiting for the migration lock %r held by another run (%.0f s)",
                self.name,
                now - self.started,
            )


@contextmanager
def _postgresql_lock(
    connection: sa.Connection, key: int, transaction_scoped: bool, timeout: float
) -> Iterator[None]:
    kind = "pg_try_advisory_xact_lock" if transaction_scoped else "pg_try_advisory_lock"
    try_lock = sa.text(f"SELECT {kind}(:key)")
    waiter = _Waiter(f"pg_advisory_lock({key})", timeout)
    while not connection.execute(try_lock, {"key": key}).scalar():
        waiter.check()
        time.sleep(_POLL_SECONDS)
    try:
        yield
    finally:
        if not transaction_scoped:
            _release(connection, sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})


@contextmanager
def _mysql_lock(connection: sa.Connection, name: str, timeout: float) -> Iterator[None]:
    get_lock = sa.text("SELECT GET_LOCK(:name, 1)")
    waiter = _Waiter(name, timeout)
    while connection.execute(get_lock, {"name": name}).scalar() != 1:
        waiter.check()
    try:
        yield
    finally:
        _release(connection, sa.text("SELECT RELEASE_LOCK(:name)"), {"name": name})


def _release(connection: sa.Connection, stmt: sa.TextClause, params: dict[str, object]) -> None:
    """Release even after a failed migration; a lost connection has released it already."""
    try:
        connection.execute(stmt, params)
    except sa.exc.DBAPIError:
        log.warning("could not release the migration lock; closing the connection releases it")


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
    waiter = _Waiter("SQLite write lock", timeout)
    while True:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except sa.exc.OperationalError as error:
            if "locked" not in str(error.orig).lower():
                raise
            waiter.check()
            time.sleep(_POLL_SECONDS)
