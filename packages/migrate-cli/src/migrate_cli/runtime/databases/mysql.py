"""MySQL and MariaDB (through the dialect chain) in a migration run: a named lock
(GET_LOCK), which survives the commits of transaction_per_migration; no transactional DDL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import sqlalchemy as sa

from migrate_cli.runtime.databases.default import DatabaseStrategy, LockWaiter, release_lock


def mysql_lock_name(name: str, database: str | None) -> str:
    """GET_LOCK names are server-wide (64 characters at most): qualify by database."""
    full = f"{database}:{name}" if database else name
    if len(full) <= 64:
        return full
    return "migrate:" + hashlib.sha256(full.encode()).hexdigest()[:48]


class MySQLStrategy(DatabaseStrategy):
    name = "mysql"
    knows_its_user = True
    create_if_not_exists = True
    utc_now_sql = "UTC_TIMESTAMP()"

    def log_timestamp(self) -> sa.types.TypeEngine[Any]:
        """DATETIME keeps whole seconds unless asked for `fsp=6`. SQLAlchemy's MySQL
        dialect (and every MySQL driver module with it) is imported here, on MySQL only:
        every run builds the log table, and the import would cost other databases'
        start-up."""
        from sqlalchemy.dialects import mysql

        return mysql.DATETIME(fsp=6)

    has_server_databases = True

    def lock(
        self, connection: sa.Connection, name: str, *, transaction_scoped: bool, timeout: float
    ) -> AbstractContextManager[None]:
        database = connection.exec_driver_sql("SELECT DATABASE()").scalar()
        return _named_lock(connection, mysql_lock_name(name, database), timeout)

    def as_declared(self, metadata: sa.MetaData, connection: sa.Connection) -> None:
        """Reflection gives every table the database's default character set, collation
        and engine as options. A script that never named them gets the defaults of the
        database it runs on; pinning the scratch database's (say utf8mb4) into a squash
        would give a utf8mb3 database tables whose foreign keys it refuses (errno 150).
        Options equal to the scratch database's defaults are left out; others stay."""
        defaults = connection.exec_driver_sql(
            "SELECT @@character_set_database, @@collation_database, @@default_storage_engine"
        ).one()
        charset, collation, engine = (str(value).lower() for value in defaults)
        implied = {"default charset": charset, "charset": charset, "collate": collation}
        implied["engine"] = engine
        for table in metadata.tables.values():
            for key in [key for key in table.kwargs if "_" in key]:
                option = key.split("_", 1)[1]
                if implied.get(option) == str(table.kwargs[key]).lower():
                    del table.kwargs[key]


@contextmanager
def _named_lock(connection: sa.Connection, name: str, timeout: float) -> Iterator[None]:
    get_lock = sa.text("SELECT GET_LOCK(:name, 1)")
    waiter = LockWaiter(name, timeout)
    while connection.execute(get_lock, {"name": name}).scalar() != 1:
        waiter.check()
    try:
        yield
    finally:
        release_lock(connection, sa.text("SELECT RELEASE_LOCK(:name)"), {"name": name})
