"""MySQL and MariaDB (through the dialect chain) in a migration run: a named lock
(GET_LOCK), which survives the commits of transaction_per_migration; no transactional DDL;
a run's log rows inserted up front in one statement; a linear step's version UPDATE, the
completion of its `running` log row and the start of the next step's row in one
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

    def version_move_with_log_handover(
        self,
        version: sa.Column[Any],
        log: sa.Table,
        completed: Sequence[str],
        started: Sequence[str],
    ) -> VersionLogWrite:
        """`UPDATE version JOIN log AS done ON done.id = :row_id JOIN log AS next ON next.id
        = :next_id SET ... WHERE version_num = :old`: the log table twice, under two
        aliases, one row each, so the row count says how many version rows there were
        whatever happened to the log rows (a `CASE` on `id IN (:row_id, :next_id)` would
        match 1 + 2 = 3 rows for a version row doubled underneath and a log row gone, the
        same as for success). The `started` columns of the next row take `next_<column>`."""
        key = log.primary_key.columns[0].name
        done, upcoming = log.alias("migrate_done_row"), log.alias("migrate_next_row")
        values: dict[Any, Any] = {version: sa.bindparam("new")}
        values.update({done.c[name]: sa.bindparam(f"set_{name}") for name in completed})
        values.update({upcoming.c[name]: sa.bindparam(f"next_{name}") for name in started})
        # `next.id <> done.id`, always true, ties the second alias to the first for
        # SQLAlchemy's linter, which otherwise warns of a cartesian product.
        joined = version.table.join(done, done.c[key] == sa.bindparam("row_id")).join(
            upcoming,
            sa.and_(upcoming.c[key] == sa.bindparam("next_id"), upcoming.c[key] != done.c[key]),
        )
        statement = sa.update(joined).where(version == sa.bindparam("old")).values(values)
        return _MovedAndHandedOver(statement)

    def log_handover(
        self, log: sa.Table, completed: Sequence[str], started: Sequence[str]
    ) -> VersionLogWrite:
        """`UPDATE log JOIN log AS next ON next.id = :next_id SET ... WHERE log.id =
        :row_id`: both rows or neither."""
        key = log.primary_key.columns[0].name
        upcoming = log.alias("migrate_next_row")
        values: dict[Any, Any] = {log.c[name]: sa.bindparam(f"set_{name}") for name in completed}
        values.update({upcoming.c[name]: sa.bindparam(f"next_{name}") for name in started})
        statement = (
            sa.update(log.join(upcoming, upcoming.c[key] == sa.bindparam("next_id")))
            .where(log.c[key] == sa.bindparam("row_id"))
            .values(values)
        )
        return _HandedOver(statement)

    def insert_log_rows(
        self, connection: sa.Connection, log: sa.Table, rows: Sequence[Mapping[str, Any]]
    ) -> list[int]:
        """One multi-row INSERT (SQLAlchemy's insertmanyvalues, or the driver's executemany,
        which pymysql, mysqlclient and mariadb-connector send as one statement). MariaDB
        10.5+ gives the ids with RETURNING. Elsewhere one SELECT reads them back: the run
        holds the migration lock and has deleted every earlier `pending` row, so its rows are
        the newest `running`/`pending` ones. (Computing them from LAST_INSERT_ID() would
        assume consecutive ids, which `innodb_autoinc_lock_mode=2`, MySQL 8's default,
        and Galera's `auto_increment_increment` do not promise.) Ids grow in the rows'
        order within a statement, so sorted they are the rows' ids in order."""
        id_column = log.primary_key.columns[0]
        if connection.dialect.insert_executemany_returning:
            result = connection.execute(log.insert().returning(id_column), list(rows))
            return sorted(int(row[0]) for row in result)
        connection.execute(log.insert(), list(rows))
        outcomes = {row["outcome"] for row in rows}
        newest = (
            sa.select(id_column)
            .where(log.c.outcome.in_(sorted(outcomes)))
            .order_by(id_column.desc())
            .limit(len(rows))
        )
        return sorted(int(found) for found in connection.execute(newest).scalars())

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


class _MovedAndHandedOver(VersionLogWrite):
    def execute(self, connection: sa.Connection, params: Mapping[str, Any]) -> int | None:
        """As `_MovedAndCompleted`, with two log rows: the version rows matched plus one
        for each log row (each joined once, by its own alias), or 0 when any of the three
        is missing."""
        matched = connection.execute(self.statement, params).rowcount
        return matched - 2 if matched else None


class _HandedOver(VersionLogWrite):
    def execute(self, connection: sa.Connection, params: Mapping[str, Any]) -> int | None:
        """The two log rows matched (2), or neither (0: nothing was written)."""
        return 1 if connection.execute(self.statement, params).rowcount else None


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
