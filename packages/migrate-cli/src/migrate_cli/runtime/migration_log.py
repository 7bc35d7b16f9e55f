"""The migration log: one row for every migration, stamp and baseline a database has seen.

The version table only says where a database is. This recorder, beside it,
says how it got there: which revision ran, which way, the checksum of its
script, when, for how long, by whom, from where, with which tool version, and
how it ended. Rows are written on the migration's own connection, in the same
transaction as the version-table change, so the two never disagree:

- one transaction for the whole run: the rows wait in memory and go in as
  one batched INSERT just before the run's transaction commits;
- one transaction per migration: one INSERT in each migration's transaction;
- no transactional DDL (MySQL, MariaDB): a migration's row is `running` before
  its script starts and is completed in the migration's transaction, when it
  records the version change. It costs no commit of its own: the script's first
  DDL statement commits the transaction implicitly *before* it executes (even
  when it then fails), so from the first change that cannot be rolled back a
  run killed half-way leaves a visible `running` row. The run's first migration
  inserts every migration's row in one statement, the later ones `pending`
  (never shown, never an attempt), and each migration's last statement marks
  the next one's `running` (`planned_log`).

In the last two, a linear step (one version row replaced by one) writes its
row in the statement that moves the version row, where the database has one
(`step_record.StepRecorder` asks the database's strategy): on PostgreSQL the
INSERT rides on the UPDATE in a data-modifying CTE (`WITH moved AS (UPDATE
... RETURNING) INSERT ... SELECT ... FROM moved`), on MySQL/MariaDB one
multi-table UPDATE sets the version row, completes the `running` row and marks
the next migration's `running`. A step then costs the database its DDL and
that one statement, as Alembic's DDL and version UPDATE, instead of three (four
on MariaDB). Merges, branch points, stamps and the held writes of a
one-transaction run keep the separate statements.

Offline (`--sql`) the same INSERTs are written into the script.
"""

from __future__ import annotations

import getpass
import logging
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from migrate_cli._version import __version__
from migrate_cli.runtime.databases import database_for, database_for_backend
from migrate_cli.runtime.heads import HeadChange
from migrate_cli.runtime.lineage import ancestors
from migrate_cli.runtime.script_source import read_script_source, source_checksum
from migrate_cli.runtime.transactions import describe_error

log = logging.getLogger(__name__)

DEFAULT_LOG_TABLE = "migrate_log"

#: Outcomes a row can have. `pending`: a step a run on MySQL/MariaDB has planned and not
#: started (`planned_log`); readers skip it, it is never an attempt.
RUNNING, APPLIED, FAILED, PENDING = "running", "applied", "failed", "pending"
#: Directions: scripts run (upgrade, downgrade), heads moved by hand (stamp, unstamp), and
#: revisions applied before the log existed, vouched for by `migrate verify --baseline`.
UPGRADE, DOWNGRADE, STAMP, UNSTAMP, BASELINE = (
    "upgrade",
    "downgrade",
    "stamp",
    "unstamp",
    "baseline",
)
_ERROR_LENGTH = 500
#: What completing a `running` row sets.
COMPLETED = ("outcome", "finished_at", "duration_seconds", "error")


class LogTimestamp(sa.types.TypeDecorator[datetime]):
    """A DateTime that keeps microseconds on every database: the type each database's
    strategy gives (MySQL's DATETIME needs `fsp=6`). Unlike `with_variant`, it names no
    database here, and loads a database's SQLAlchemy dialect only where it runs."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        return dialect.type_descriptor(database_for(dialect).log_timestamp())


def build_log_table(name: str = DEFAULT_LOG_TABLE, schema: str | None = None) -> sa.Table:
    """The log table's definition (created on first use, in the version table's schema)."""
    timestamp = LogTimestamp()
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("revision", sa.String(32), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("checksum", sa.String(64)),
        sa.Column("started_at", timestamp, nullable=False),
        sa.Column("finished_at", timestamp),
        sa.Column("duration_seconds", sa.Float),
        sa.Column("db_user", sa.String(128)),
        sa.Column("host", sa.String(255)),
        sa.Column("os_user", sa.String(128)),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("error", sa.String(_ERROR_LENGTH)),
        sa.PrimaryKeyConstraint("id", name=f"{name}_pkc"),
        schema=schema,
    )


def script_checksum(path: str | Path | None) -> str | None:
    """sha256 of a script's source with CRLF/CR line endings made LF (a checkout on Windows
    must not look edited); None when there is no file to read."""
    data = read_script_source(path)
    return source_checksum(data) if data is not None else None


def _step_checksum(step: Any) -> str | None:
    """The checksum `import_scripts` took as it read the script for the run (the source
    that was imported), else the file's as it is now."""
    checksum = getattr(step, "checksum", None)
    return checksum if checksum is not None else script_checksum(step.path)


class utc_now(FunctionElement[datetime]):
    """The database's current time in UTC, for offline scripts (the run time is unknown)."""

    type = sa.DateTime()
    inherit_cache = True


@compiles(utc_now)
def _utc_now(element: Any, compiler: Any, **kw: Any) -> str:
    return database_for(compiler.dialect).utc_now_sql


@cache
def _machine() -> tuple[str | None, str | None]:
    """(host, operating-system user) of this process, asked once."""
    try:
        user: str | None = getpass.getuser()
    except Exception:  # no login name (some containers): not worth failing a migration for
        user = None
    return socket.gethostname() or None, user


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class LogEntry:
    """One step in progress: what will become its row."""

    revision: str
    direction: str
    checksum: str | None
    started_at: datetime
    started: float
    #: The id of its `running` row, where DDL is not transactional (committed by the script's
    #: first DDL statement, or with the migration before it: `planned_log`).
    row_id: int | None = None


class MigrationLog:
    """Writes and reads the log rows; one per MigrationContext (one run)."""

    enabled = True

    def __init__(self, table: sa.Table, script_directory: Any = None) -> None:
        self.table = table
        self.script = script_directory
        self._pending: list[dict[str, Any]] = []
        self._failure: tuple[LogEntry, str] | None = None
        self._db_user: str | None = None
        self._db_user_known = False
        self._start_heads: tuple[str, ...] = ()
        # Built once per run and executed with parameters, so SQLAlchemy compiles each once
        # (a fresh UPDATE with literal values costs ~0.13 ms per migration to build and key).
        self._insert = table.insert()
        #: The columns a row sets (all but the id the database gives it).
        self.row_columns = tuple(c.name for c in table.columns if not c.primary_key)
        self._complete = (
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values({name: sa.bindparam(f"set_{name}") for name in COMPLETED})
        )

    @property
    def display_name(self) -> str:
        return f"{self.table.schema}.{self.table.name}" if self.table.schema else self.table.name

    # -- the table ------------------------------------------------------------------------------

    def exists(self, connection: sa.Connection) -> bool:
        return sa.inspect(connection).has_table(self.table.name, schema=self.table.schema)

    def create(self, connection: sa.Connection, heads: Sequence[str] = ()) -> None:
        """Create the table if missing; on a database migrated before the log existed, its
        first rows are `baseline` markers (no checksum) for the heads it already had, so
        `migrate verify` can tell revisions applied before the log from ones skipped since."""
        self._start_heads = tuple(heads)
        if self.exists(connection):
            return
        self.table.create(connection, checkfirst=True)
        if heads:
            rows = []
            for revision in heads:
                marker = LogEntry(revision, BASELINE, None, _utcnow(), 0)
                rows.append(self._row(marker, connection, APPLIED, finished=True))
            connection.execute(self.table.insert(), rows)

    def read_rows(
        self,
        connection: sa.Connection,
        limit: int | None = None,
        revisions: Sequence[str] = (),
        newest_first: bool = True,
    ) -> list[dict[str, Any]]:
        """The rows as dicts, newest first (by id, the order they were written); never a
        `pending` row (a planned step that has not started: not an attempt)."""
        if not self.exists(connection):
            return []
        c = self.table.c
        query = sa.select(self.table).where(c.outcome != PENDING)
        query = query.order_by(c.id.desc() if newest_first else c.id)
        if revisions:
            query = query.where(c.revision.in_(list(revisions)))
        if limit is not None:
            query = query.limit(limit)
        return [dict(row._mapping) for row in connection.execute(query)]

    # -- live runs ------------------------------------------------------------------------------

    def begin_step(self, step: Any, connection: sa.Connection, mark_running: bool) -> LogEntry:
        """Note a step's start; with `mark_running`, insert its `running` row now, in the
        migration's transaction: the script's first DDL statement commits it before executing
        (MySQL/MariaDB commit implicitly before DDL), so it needs no commit of its own."""
        entry = self.entry(step)
        if mark_running and step.is_migration:
            row = self.unfinished_row(entry, connection, RUNNING)
            result = connection.execute(self._insert, row)
            key = result.inserted_primary_key
            entry.row_id = int(key[0]) if key is not None else None
        return entry

    def finish_step(
        self,
        connection: sa.Connection,
        entry: LogEntry,
        step: Any,
        change: HeadChange,
        defer: bool,
    ) -> None:
        """Record a step that succeeded, on the transaction that records its version change."""
        rows = self._rows_for(entry, step, change, connection)
        if entry.row_id is not None:
            first, rows = rows[0], rows[1:]
            connection.execute(self._complete, self.completion(entry.row_id, first))
        if not rows:
            return
        if defer:
            self._pending.extend(rows)
        else:
            connection.execute(self._insert, rows[0] if len(rows) == 1 else rows)

    def entry(
        self, step: Any, started_at: datetime | None = None, started: float | None = None
    ) -> LogEntry:
        """A step's entry, started now, or at `started_at` (`started` on the monotonic clock)
        where an earlier statement marked its row `running` (`planned_log`)."""
        return LogEntry(
            step.revision_id,
            step.direction,
            _step_checksum(step),
            _utcnow() if started_at is None else started_at,
            time.monotonic() if started is None else started,
        )

    def unfinished_row(
        self, entry: LogEntry, connection: sa.Connection, outcome: str
    ) -> dict[str, Any]:
        """The row of a step that has not finished: `running`, or `pending` (planned)."""
        return self._row(entry, connection, outcome, finished=False)

    def applied_row(self, entry: LogEntry, connection: sa.Connection) -> dict[str, Any]:
        """The `applied` row of a migration that has just finished (StepRecorder writes it
        with the version change)."""
        return self._row(entry, connection, APPLIED, finished=True)

    def record_now(
        self, connection: sa.Connection, step: Any, change: HeadChange, heads: Sequence[str]
    ) -> None:
        """Log a step that already happened (MigrationContext.stamp), creating the table."""
        self.create(connection, heads)
        self.finish_step(connection, self.begin_step(step, connection, False), step, change, False)

    def flush(self, connection: sa.Connection) -> None:
        """Insert the rows a one-transaction run held back, as one batch, before it commits."""
        if self._pending:
            rows, self._pending = self._pending, []
            connection.execute(self._insert, rows)

    def note_failure(self, entry: LogEntry | None, error: BaseException) -> None:
        """Remember a failed step; `write_failure` records it once its transaction is gone."""
        if entry is not None:
            if isinstance(error, KeyboardInterrupt):
                text = "interrupted (Ctrl-C)"
            else:
                text = describe_error(error.__cause__ or error)
            self._failure = (entry, text[:_ERROR_LENGTH])

    def write_failure(self, connection: sa.Connection) -> None:
        """After the rollback: a `failed` row (or the `running` row marked failed), in its own
        short transaction (a dropped connection is replaced by the pool). Best effort: if it
        cannot be written, or the process is killed, the `running` row stays behind, which
        is what `migrate verify` reports."""
        if self._failure is None:
            return
        entry, text = self._failure
        self._failure = None
        self._pending = []
        try:
            if connection.in_transaction():
                connection.rollback()
            with connection.begin():
                self.create(connection, self._start_heads)  # a rollback may have dropped it
                row = self._row(entry, connection, FAILED, finished=True)
                row["error"] = text
                updated = 0
                if entry.row_id is not None:
                    completion = self.completion(entry.row_id, row)
                    updated = connection.execute(self._complete, completion).rowcount
                if not updated:  # no `running` row, or it was rolled back: no DDL committed it
                    connection.execute(self._insert, row)
        except Exception as error:  # the migration's own error is the one to report
            log.warning(
                "could not record the failure of %s %s in %s: %s",
                entry.direction,
                entry.revision,
                self.display_name,
                describe_error(error),
            )

    # -- offline --------------------------------------------------------------------------------

    def write_create(self, emit: Callable[[Any], None], dialect_name: str) -> None:
        """CREATE TABLE (IF NOT EXISTS where the database has it) at the top of a --sql script."""
        if_not_exists = database_for_backend(dialect_name).create_if_not_exists
        emit(sa.schema.CreateTable(self.table, if_not_exists=if_not_exists))

    def write_step(
        self, emit: Callable[[Any], None], step: Any, change: HeadChange, dialect_name: str
    ) -> None:
        """The INSERTs for one step of a --sql script: the database's clock and user (the
        script runs later, elsewhere), no duration."""
        entry = LogEntry(step.revision_id, step.direction, _step_checksum(step), _utcnow(), 0)
        user = sa.func.current_user() if database_for_backend(dialect_name).knows_its_user else None
        for row in self._rows_for(entry, step, change, None):
            row.update(started_at=utc_now(), finished_at=utc_now(), duration_seconds=None)
            row.update(host=None, os_user=None, db_user=user)
            emit(self.table.insert().values(row).inline())  # no RETURNING id

    # -- rows -----------------------------------------------------------------------------------

    def _rows_for(
        self, entry: LogEntry, step: Any, change: HeadChange, connection: sa.Connection | None
    ) -> list[dict[str, Any]]:
        """One row for a script; for a stamp, one per head it added (`stamp`) and one per
        head it took away without implying it (`unstamp`)."""
        if step.is_migration:
            return [self._row(entry, connection, APPLIED, finished=True)]
        rows = []
        for revision in change.added:
            stamped = LogEntry(revision, STAMP, self._checksum_of(revision), entry.started_at, 0)
            rows.append(self._row(stamped, connection, APPLIED, finished=True))
        kept = self._ancestors(change.added)
        for revision in change.removed:
            if revision not in kept:
                unstamped = LogEntry(revision, UNSTAMP, None, entry.started_at, 0)
                rows.append(self._row(unstamped, connection, APPLIED, finished=True))
        return rows

    def baseline_row(self, connection: sa.Connection, revision: str) -> dict[str, Any]:
        """A `baseline` row vouching for `revision` with its script's checksum as it is now."""
        entry = LogEntry(revision, BASELINE, self._checksum_of(revision), _utcnow(), 0)
        return self._row(entry, connection, APPLIED, finished=True)

    def _row(
        self, entry: LogEntry, connection: sa.Connection | None, outcome: str, finished: bool
    ) -> dict[str, Any]:
        host, os_user = _machine()
        now = _utcnow() if finished else None
        return {
            "revision": entry.revision,
            "direction": entry.direction,
            "outcome": outcome,
            "checksum": entry.checksum,
            "started_at": entry.started_at,
            "finished_at": now,
            "duration_seconds": (
                round(time.monotonic() - entry.started, 6) if finished and entry.started else None
            ),
            "db_user": self._user(connection),
            "host": host,
            "os_user": os_user,
            "tool_version": __version__,
            "error": None,
        }

    @staticmethod
    def completion(row_id: int, row: dict[str, Any]) -> dict[str, Any]:
        """Parameters of `_complete` (and of a strategy's `version_move_with_log_completion`):
        the `running` row `row_id` takes `row`'s outcome."""
        completion = {f"set_{name}": row[name] for name in COMPLETED}
        completion["row_id"] = row_id
        return completion

    def _user(self, connection: sa.Connection | None) -> str | None:
        """The database user, asked once per run where the database can say."""
        if connection is None:
            return None
        if not self._db_user_known:
            self._db_user_known = True
            if database_for(connection.dialect).knows_its_user:
                self._db_user = connection.execute(sa.select(sa.func.current_user())).scalar()
            else:
                self._db_user = connection.engine.url.username
        return self._db_user

    def _checksum_of(self, revision: str) -> str | None:
        scripts = getattr(self.script, "scripts", None) or {}
        script = scripts.get(revision)
        return script_checksum(getattr(script, "path", None)) if script is not None else None

    def _ancestors(self, revisions: Sequence[str]) -> set[str]:
        revision_map = getattr(self.script, "revision_map", None)
        if revision_map is None or not revisions:
            return set()
        return ancestors(revision_map, revisions) | set(revisions)


class DisabledLog(MigrationLog):
    """`migration_log = false`: every write is skipped (reads find no table)."""

    enabled = False

    def create(self, connection: sa.Connection, heads: Sequence[str] = ()) -> None:
        return None

    def begin_step(self, step: Any, connection: sa.Connection, mark_running: bool) -> LogEntry:
        return LogEntry(step.revision_id, step.direction, None, _utcnow(), 0)

    def finish_step(self, *args: Any, **kw: Any) -> None:
        return None

    def record_now(self, *args: Any, **kw: Any) -> None:
        return None

    def flush(self, connection: sa.Connection) -> None:
        return None

    def note_failure(self, entry: LogEntry | None, error: BaseException) -> None:
        return None

    def write_create(self, emit: Callable[[Any], None], dialect_name: str) -> None:
        return None

    def write_step(self, *args: Any, **kw: Any) -> None:
        return None


def migration_log_for(opts: dict[str, Any], config: Any, schema: str | None) -> MigrationLog:
    """The run's log from context.configure() options, else the config file, else on.

    `migration_log=False` (or `migration_log = false` in the config) turns it off;
    `migration_log_table` names the table.
    """
    enabled = opts.get("migration_log")
    if enabled is None:
        getter = getattr(config, "get_bool_option", None)
        enabled = getter("migration_log", True) if getter is not None else True
    name = opts.get("migration_log_table")
    if name is None and config is not None and hasattr(config, "get_main_option"):
        name = config.get_main_option("migration_log_table")
    table = build_log_table(name or DEFAULT_LOG_TABLE, schema)
    cls = MigrationLog if enabled else DisabledLog
    return cls(table, opts.get("script"))
