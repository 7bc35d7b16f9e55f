"""StepRecorder: what a step that succeeded leaves behind, its version change and log row.

Each extra statement is a round trip that costs more than all of a step's own
Python work. A linear step (one version row replaced by one) written at once
(not held for the run's one commit, not deferred to its batch) records both in
one statement where the database's strategy has one (`VersionLogWrite`):
PostgreSQL's data-modifying CTE, MySQL/MariaDB's multi-table UPDATE. Anything
else, and any database without such a statement, gets the separate
statements of `VersionTable.record` and `MigrationLog.finish_step`, with the
same row-count checks and the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import sqlalchemy as sa

from migrate_cli.runtime.databases import DatabaseStrategy, VersionLogWrite
from migrate_cli.runtime.heads import HeadChange
from migrate_cli.runtime.migration_log import COMPLETED, LogEntry, MigrationLog
from migrate_cli.runtime.steps import Step
from migrate_cli.runtime.version_table import HeldVersionWrites, VersionTable


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
        together = self._inserting if entry.row_id is None else self._completing
        if together is None:
            return False
        old, new = change.removed[0], change.added[0]
        row = self.history.applied_row(entry, connection)
        params = row if entry.row_id is None else self.history.completion(entry.row_id, row)
        found = together.execute(connection, {**params, "old": old, "new": new})
        if found is None:
            return False
        if found != 1:
            raise self.version.changed_error(old, found)
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
    def _completing(self) -> VersionLogWrite | None:
        if not self.history.enabled:
            return None
        return self.database.version_move_with_log_completion(
            self.version.column, self.history.table, COMPLETED
        )
