"""A database-wide lock held while a run reads the heads and applies migrations.

Concurrent `migrate upgrade head` runs (several app instances starting at
once) must apply each migration exactly once. Each run takes the lock, then
reads the heads, so the second run sees the first run's work and has
nothing left to do. How each database locks is its strategy's business
(`migrate_cli.runtime.databases`): PostgreSQL a session advisory lock,
MySQL/MariaDB a named lock (both survive the commits of
transaction_per_migration), SQLite the write lock of BEGIN IMMEDIATE taken by
every transaction the runner opens.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import sqlalchemy as sa

from migrate_cli.runtime.databases import database_for
from migrate_cli.runtime.databases.default import DEFAULT_LOCK_TIMEOUT
from migrate_cli.runtime.databases.sqlite import sqlite_begin_immediate

__all__ = ["DEFAULT_LOCK_TIMEOUT", "database_lock", "lock_name", "sqlite_begin_immediate"]


def lock_name(version_table: str, schema: str | None) -> str:
    """One lock per version table, so multidb setups with several tables do not block each other."""
    return f"migrate:{schema + '.' if schema else ''}{version_table}"


def database_lock(
    connection: sa.Connection,
    name: str,
    *,
    transaction_scoped: bool = False,
    timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> AbstractContextManager[None]:
    """Hold the database's migration lock for the duration of the block.

    `transaction_scoped` says the run is inside a caller's transaction (PostgreSQL
    then takes a lock the caller's commit or rollback releases).
    """
    return database_for(connection.dialect).lock(
        connection, name, transaction_scoped=transaction_scoped, timeout=timeout
    )
