"""MySQL and MariaDB (through the dialect chain) in a migration run: a named lock
(GET_LOCK), which survives the commits of transaction_per_migration; no transactional DDL;
a linear step's version UPDATE and the completion of its `running` log row in one
multi-table UPDATE."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import sqlalchemy as sa

from migrate_cli.runtime.databases.default import (
    DatabaseStrategy,
    LockWaiter,
    VersionLogWrite,
    release_lock,
)


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

    def version_move_with_log_completion(
        self, version: sa.Column[Any], log: sa.Table, completed: Sequence[str]
    ) -> VersionLogWrite:
        """`UPDATE version JOIN log ON log.id = :row_id SET ... WHERE version_num = :old`:
        the JOIN form of `UPDATE version, log ... WHERE ... AND log.id = :row_id` (the
        same statement to MySQL; SQLAlchemy's linter warns of a cartesian product for the
        other). No row is written unless both tables have theirs."""
        log_id = log.primary_key.columns[0]
        values: dict[Any, Any] = {version: sa.bindparam("new")}
        values.update({log.c[name]: sa.bindparam(f"set_{name}") for name in completed})
        statement = (
            sa.update(version.table.join(log, log_id == sa.bindparam("row_id")))
            .where(version == sa.bindparam("old"))
            .values(values)
        )
        return _MovedAndCompleted(statement)

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


class _MovedAndCompleted(VersionLogWrite):
    def execute(self, connection: sa.Connection, params: Mapping[str, Any]) -> int | None:
        """The row count of a multi-table UPDATE is the rows it matched in each table
        (SQLAlchemy's MySQL dialects connect with CLIENT_FOUND_ROWS, whatever the driver:
        pymysql, mysqlclient, mariadb-connector, ...): the version rows plus the log row.
        It is 0 when either table has no row to match, and then nothing was written: the
        separate statements run instead and say which (a version row gone underneath is
        the version table's error; a log row gone is completed by no one, as before).
        Without FOUND_ROWS the count is of rows changed, the same here: every matched
        row changes (`old` != `new`, `running` != `applied`)."""
        matched = connection.execute(self.statement, params).rowcount
        return matched - 1 if matched else None


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
