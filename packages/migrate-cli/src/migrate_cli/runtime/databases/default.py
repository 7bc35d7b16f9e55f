"""DatabaseStrategy: what a migration run does differently on one database, and the default.

The runner asks the strategy of its connection's database (looked up along ddl-ops'
dialect chain: mariadb, then mysql, then default) and never compares dialect names.
The default is right for a database with no migration lock of its own: no lock,
transactional DDL as ddl-ops' DialectImpl says, nothing special around transactions,
and a step's version row and log row written by separate statements.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import sqlalchemy as sa

from migrate_cli.errors import CommandError

if TYPE_CHECKING:  # ddl_ops is imported when the first run asks for its DialectImpl
    from ddl_ops import DialectImpl

log = logging.getLogger("migrate_cli.runtime.locking")

DEFAULT_LOCK_TIMEOUT = 600.0
POLL_SECONDS = 0.05
_REPORT_SECONDS = 5.0


class ForeignKeyGuard(Protocol):
    """Switches a connection's foreign key enforcement off for the transactions of a run."""

    def suspend(self) -> None: ...
    def check(self, rolled_back: str) -> None: ...
    def restore(self) -> None: ...


class VersionLogWrite:
    """One statement that moves a version row and writes its step's log row.

    A linear step records its version change (an UPDATE) and its log row (an INSERT, or
    the UPDATE completing its `running` row): two round trips, each costing more than
    all of the step's own Python work. Where the database can do both in one statement,
    its strategy builds it once per run (`version_move_with_log_insert`,
    `version_move_with_log_completion`) and each step executes it with parameters: `old`
    and `new` (the version row), then the log row's columns under their own names (an
    insert) or `row_id` and `set_<column>` (a completion).
    """

    def __init__(self, statement: sa.Executable) -> None:
        self.statement = statement

    def execute(self, connection: sa.Connection, params: Mapping[str, Any]) -> int | None:
        """Run it: how many version rows it found for `old` (1, unless they changed
        underneath the run; the caller then raises the version table's error), or None
        when it wrote nothing and cannot say how many there were (the caller then runs the
        separate statements, whose row counts can)."""
        raise NotImplementedError


class DatabaseStrategy:
    """One database's rules for a run: its lock, its transactions, its foreign keys.

    Subclasses override what differs and register with `register_database`
    (`migrate_cli.runtime.databases`) under the name of ddl-ops' DialectImpl.
    """

    name: ClassVar[str] = "default"
    #: The migration lock is the write lock each transaction takes (see `begin_write`),
    #: not a session lock: heads are re-read in every transaction of the run.
    write_lock_per_transaction: ClassVar[bool] = False
    #: Tenants can be schemas of one database (`migrate fleet --schemas`).
    tenant_schemas: ClassVar[bool] = False
    #: `SELECT CURRENT_USER` answers (the migration log records who ran each step; elsewhere
    #: it records the URL's user name).
    knows_its_user: ClassVar[bool] = False
    #: `CREATE TABLE IF NOT EXISTS` is understood (a --sql script creates the log table).
    create_if_not_exists: ClassVar[bool] = False
    #: The current time in UTC as SQL, for the log rows of a --sql script.
    utc_now_sql: ClassVar[str] = "CURRENT_TIMESTAMP"
    #: A database is a file the URL names (SQLite): a scratch one is a temporary file, and
    #: fleet targets on different files share no server.
    file_databases: ClassVar[bool] = False
    #: The URL names a server holding many databases, so a scratch database can be
    #: created beside the URL's (`create_scratch_database`).
    has_server_databases: ClassVar[bool] = False

    def transactional_ddl(self, impl: DialectImpl) -> bool:
        """Whether a failed migration can be rolled back whole (ddl-ops' DialectImpl knows)."""
        return bool(impl.transactional_ddl)

    def lock(
        self, connection: sa.Connection, name: str, *, transaction_scoped: bool, timeout: float
    ) -> AbstractContextManager[None]:
        """Hold the migration lock `name` for the block; the default has none."""
        return nullcontext()

    def begin_write(self, connection: sa.Connection, timeout: float) -> None:
        """Start the driver's transaction holding the write lock; nothing to do by default."""

    def foreign_keys(self, connection: sa.Connection) -> ForeignKeyGuard | None:
        """What keeps foreign keys out of the way while a run migrates; None by default."""
        return None

    def current_schema(self, connection: sa.Connection) -> str | None:
        """The schema unqualified names resolve to (None: none), where `tenant_schemas`."""
        raise NotImplementedError(f"{self.name} has no tenant schemas")

    def log_timestamp(self) -> sa.types.TypeEngine[Any]:
        """The column type of the migration log's timestamps: one that keeps microseconds."""
        return sa.DateTime()

    def version_move_with_log_insert(
        self, version: sa.Column[Any], log: sa.Table, columns: Sequence[str]
    ) -> VersionLogWrite | None:
        """One statement moving the version row `old` to `new` (`version` is its column)
        and inserting the step's row into `log` (`columns` are the row's); None by default:
        the separate UPDATE and INSERT."""
        return None

    def version_move_with_log_completion(
        self, version: sa.Column[Any], log: sa.Table, completed: Sequence[str]
    ) -> VersionLogWrite | None:
        """One statement moving the version row and setting the `completed` columns of the
        `running` log row `row_id`; None by default: the separate UPDATEs."""
        return None

    def version_move_with_log_handover(
        self,
        version: sa.Column[Any],
        log: sa.Table,
        completed: Sequence[str],
        started: Sequence[str],
    ) -> VersionLogWrite | None:
        """One statement moving the version row, completing the `running` log row `row_id`
        as `version_move_with_log_completion` does, and setting the `started` columns of the
        next step's `pending` row `next_id` (to `next_<column>`: `running`, its start time):
        the next step's crash trace, committed with this step, so that step sends no
        statement of its own before its DDL. None by default: a run inserts no `pending`
        rows (`planned_log`)."""
        return None

    def log_handover(
        self, log: sa.Table, completed: Sequence[str], started: Sequence[str]
    ) -> VersionLogWrite | None:
        """`version_move_with_log_handover` without the version row, for a step whose version
        change takes separate statements (a merge, a branch point, the first step's INSERT):
        the same `row_id`, `set_<column>`, `next_id` and `next_<column>` parameters; it
        answers 1, or None when a row was missing and nothing was written. None by default."""
        return None

    def insert_log_rows(
        self, connection: sa.Connection, log: sa.Table, rows: Sequence[Mapping[str, Any]]
    ) -> list[int]:
        """Insert `rows` into `log` and give their ids, in the rows' order: a run's planned
        rows, where `version_move_with_log_handover` is offered. One INSERT per row here;
        a strategy offering the handover inserts them in one statement."""
        ids = []
        for row in rows:
            key = connection.execute(log.insert(), dict(row)).inserted_primary_key
            assert key is not None
            ids.append(int(key[0]))
        return ids

    def as_declared(self, metadata: sa.MetaData, connection: sa.Connection) -> None:
        """Turn a schema reflected from `connection` into what a model would declare.

        `migrate squash` renders a range's operations from a scratch database's reflected
        schema. What reflection adds of the server's own (defaults the scripts never
        wrote) must not be pinned into the squash, or a database set up differently
        would get a different schema than the original history gives it. Nothing to
        undo by default.
        """

    def schema_url(self, url: sa.URL, schema: str) -> sa.URL:
        """`url` with `schema` as the only schema unqualified names resolve to, where
        `tenant_schemas`: a fleet target's tenant."""
        raise NotImplementedError(f"{self.name} has no tenant schemas")

    def create_scratch_database(self, connection: sa.Connection, quoted_name: str) -> None:
        """Create the empty database `quoted_name` on the server (`has_server_databases`)."""
        connection.exec_driver_sql(f"CREATE DATABASE {quoted_name}")

    def drop_scratch_database(self, connection: sa.Connection, quoted_name: str) -> None:
        """Drop a scratch database made by `create_scratch_database`, if it is still there."""
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted_name}")


class LockWaiter:
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


def release_lock(connection: sa.Connection, stmt: sa.TextClause, params: dict[str, object]) -> None:
    """Release even after a failed migration; a lost connection has released it already."""
    try:
        connection.execute(stmt, params)
    except sa.exc.DBAPIError:
        log.warning("could not release the migration lock; closing the connection releases it")
