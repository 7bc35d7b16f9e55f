"""StepRecorder: what a step leaves behind, its version change and log row.

Each extra statement is a round trip that costs more than all of a step's own
Python work. A linear step (one version row replaced by one) written at once
(not held for the run's one commit, not deferred to its batch) records both in
one statement where the database's strategy has one (`VersionLogWrite`):
PostgreSQL's data-modifying CTE, MySQL/MariaDB's multi-table UPDATE. Anything
else, and any database without such a statement, gets the separate
statements of `VersionTable.record` and `MigrationLog.finish_step`, with the
same row-count checks and the same rows.

Where a migration's `running` row must be committed before its DDL (MySQL, MariaDB),
the run's rows are inserted up front (`planned_log`) and a linear step's statement also
marks the next migration's row `running`: the step's DDL and that one statement, as
Alembic's DDL and version UPDATE.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from functools import cached_property

import sqlalchemy as sa

from migrate_cli.runtime.databases import DatabaseStrategy, VersionLogWrite
from migrate_cli.runtime.heads import HeadChange
from migrate_cli.runtime.migration_log import COMPLETED, LogEntry, MigrationLog
from migrate_cli.runtime.planned_log import STARTED, Handover, PlannedLog
from migrate_cli.runtime.steps import Step
from migrate_cli.runtime.transactions import describe_error
from migrate_cli.runtime.version_table import HeldVersionWrites, VersionTable

log = logging.getLogger(__name__)


class StepRecorder:
    """Writes each step's version change and log row; one per MigrationContext (one run)."""

    def __init__(
        self, version: VersionTable, history: MigrationLog, database: DatabaseStrategy
    ) -> None:
        self.version = version
        self.history = history
        self.database = database
        #: Set while a one-transaction run holds its version writes back (HeldVersionWrites).
        self.held: HeldVersionWrites | None = None
        #: The log rows inserted before the first step, where the database hands over.
        self.planned = PlannedLog(history, database)

    def plan(self, steps: Sequence[Step]) -> None:
        """The steps the run will take (again when it re-plans)."""
        self.planned.plan(steps)

    def begin(self, step: Step, connection: sa.Connection, mark_running: bool) -> LogEntry:
        """A step's start; with `mark_running`, its `running` row is written now (inserted,
        or a planned row marked), unless the step before marked it already."""
        if mark_running and step.is_migration and self._handing_over is not None:
            entry = self.planned.begin(step, connection)
            if entry is not None:
                return entry
        return self.history.begin_step(step, connection, mark_running)

    def write_failure(self, connection: sa.Connection) -> None:
        """After a run failed and rolled back: its failed step's row, then the planned rows of
        steps that will not start go (best effort: a reader skips `pending` rows anyway,
        and the next run deletes them)."""
        self.history.write_failure(connection)
        try:
            if connection.in_transaction():
                connection.rollback()
            self.planned.discard(connection)
        except Exception as error:
            log.warning(
                "could not delete the planned rows of %s: %s",
                self.history.display_name,
                describe_error(error),
            )

    def finish_run(self, connection: sa.Connection) -> None:
        """The run's steps are done, or it stopped between two: write what is held back and
        delete the planned rows of steps it did not take."""
        self.flush(connection)
        self.planned.discard(connection)

    def hold_versions(self, connection: sa.Connection, heads: Sequence[str]) -> None:
        """From now on, keep the version rows for one write before the run commits."""
        self.held = HeldVersionWrites(self.version, connection, heads)

    def flush(self, connection: sa.Connection) -> None:
        """Write what is held back (version rows, then log rows) before a commit."""
        if self.held is not None:
            self.held.flush()
        self.history.flush(connection)

    def record(
        self,
        connection: sa.Connection,
        entry: LogEntry,
        step: Step,
        change: HeadChange,
        heads: Sequence[str],
        defer: bool,
    ) -> None:
        """Record a step that succeeded: `change` of the version rows (`heads` after it)
        and its log row; `defer`: the log row waits for the run's batch."""
        if self.held is not None:
            self.held.hold(heads)
        elif defer or not self._in_one_statement(connection, entry, step, change):
            self.version.record(connection, change)
            if not defer and self._hand_over(connection, entry, step):
                return
        else:
            return
        self.history.finish_step(connection, entry, step, change, defer=defer)

    def _in_one_statement(
        self, connection: sa.Connection, entry: LogEntry, step: Step, change: HeadChange
    ) -> bool:
        """Move the version row and write the log row in one statement, where this step and
        this database allow it; False when nothing was written (the separate statements
        are then due)."""
        if not (step.is_migration and len(change.removed) == len(change.added) == 1):
            return False
        upcoming = None if entry.row_id is None else self.planned.successor(step)
        if entry.row_id is None:
            together = self._inserting
        else:
            together = self._completing if upcoming is None else self._handing_over
        if together is None:
            return False
        old, new = change.removed[0], change.added[0]
        row = self.history.applied_row(entry, connection)
        params = row if entry.row_id is None else self.history.completion(entry.row_id, row)
        params = {**params, "old": old, "new": new}
        handover = None
        if upcoming is not None:  # the next migration's row: `running` from now
            handover = Handover(upcoming, row["finished_at"], time.monotonic())
            params.update(handover.params())
        found = together.execute(connection, params)
        if found is None:
            return False
        if found != 1:
            raise self.version.changed_error(old, found)
        if handover is not None:
            self.planned.handed_over(handover)
        return True

    def _hand_over(self, connection: sa.Connection, entry: LogEntry, step: Step) -> bool:
        """After the separate version statements: complete this step's row and mark the next
        migration's `running` in one statement; False when nothing was written (the row is
        then completed alone, and the next migration marks its own)."""
        upcoming = None if entry.row_id is None else self.planned.successor(step)
        if upcoming is None or entry.row_id is None or self._log_handing_over is None:
            return False
        row = self.history.applied_row(entry, connection)
        handover = Handover(upcoming, row["finished_at"], time.monotonic())
        params = {**self.history.completion(entry.row_id, row), **handover.params()}
        if self._log_handing_over.execute(connection, params) is None:
            return False
        self.planned.handed_over(handover)
        return True

    # Built on first use, once per run, so SQLAlchemy compiles each statement once.
    @cached_property
    def _inserting(self) -> VersionLogWrite | None:
        if not self.history.enabled:
            return None
        return self.database.version_move_with_log_insert(
            self.version.column, self.history.table, self.history.row_columns
        )

    @cached_property
    def _handing_over(self) -> VersionLogWrite | None:
        if not self.history.enabled:
            return None
        return self.database.version_move_with_log_handover(
            self.version.column, self.history.table, COMPLETED, STARTED
        )

    @cached_property
    def _log_handing_over(self) -> VersionLogWrite | None:
        if not self.history.enabled:
            return None
        return self.database.log_handover(self.history.table, COMPLETED, STARTED)

    @cached_property
    def _completing(self) -> VersionLogWrite | None:
        if not self.history.enabled:
            return None
        return self.database.version_move_with_log_completion(
            self.version.column, self.history.table, COMPLETED
        )
