"""PlannedLog: a run's log rows inserted before its first step, so a step needs no row of its own.

Where DDL is not transactional (MySQL, MariaDB) each migration's `running` row must be
committed before its first DDL statement: it is the crash trace, what `migrate verify`
reports when a run is killed half-way. Inserted by the step itself, it costs every step
one more statement than Alembic's DDL and version UPDATE. Instead, where the database's
strategy offers `version_move_with_log_handover`, the run's first migration inserts one
row per planned migration in one statement (`insert_log_rows`): its own `running`, the
others `pending`, a step planned and not started that no reader shows (`read_rows` and
`verify` skip it). Each linear step's last statement then moves the version row,
completes its row and marks the next migration's row `running` from now, so that row is
committed with this step, before the next step's first DDL: as strong a trace as the
step's own INSERT was. A migration whose row is still `pending` when it starts (after a
merge, a branch point or a stamp, which keep the separate statements, or after the
handover found a row missing) marks it `running` with one UPDATE, the cost of the INSERT
it replaces; if its row is gone, it inserts one as before.

Rows of steps that never start are deleted: by a run that fails or stops between two
migrations (`discard`), by a run that re-plans, and, after a run killed outright, by the
next run before it inserts its own (it holds the migration lock). The one difference a
reader can see: a run killed after a step committed and before the next one's first DDL
statement leaves that next migration's row `running`, although it changed nothing (its
own INSERT would have been rolled back); `verify` reports it as for any killed run, and
running the migration again completes the log.

A run of one migration plans nothing: there is no next row to hand over to.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import DatabaseStrategy
from migrate_cli.runtime.migration_log import PENDING, RUNNING, LogEntry, MigrationLog
from migrate_cli.runtime.steps import Step

#: What marking a row `running` sets: the handover's `next_<column>` parameters.
STARTED = ("outcome", "started_at")


@dataclass
class Handover:
    """The next migration's row, to be marked `running` by this step's last statement."""

    row_id: int
    started_at: datetime
    started: float = field(default_factory=time.monotonic)

    def params(self) -> dict[str, Any]:
        return {"next_id": self.row_id, "next_outcome": RUNNING, "next_started_at": self.started_at}


class PlannedLog:
    """The planned rows of one run (one per MigrationContext, re-planned with the run)."""

    def __init__(self, history: MigrationLog, database: DatabaseStrategy) -> None:
        self.history = history
        self.database = database
        table = history.table
        self._id = table.primary_key.columns[0]
        self._migrations: list[Step] = []
        #: The migration that comes right after each one in the plan (nothing in between).
        self._successor: dict[int, Step] = {}
        #: Each planned migration's row, once inserted (keyed by id(step)).
        self._rows: dict[int, int] = {}
        #: Rows marked `running` by the step before, with when (keyed by row id).
        self._handed: dict[int, Handover] = {}
        #: Rows whose step has started; every other row is deleted if the run ends early.
        self._begun: set[int] = set()
        #: Rows of an earlier plan of this run, deleted with the new plan's insert.
        self._stale: list[int] = []
        self._start = (
            table.update()
            .where(self._id == sa.bindparam("row_id"), table.c.outcome == PENDING)
            .values(outcome=RUNNING, started_at=sa.bindparam("set_started_at"))
        )
        self._clear = table.delete().where(
            sa.or_(table.c.outcome == PENDING, self._id.in_(sa.bindparam("stale", expanding=True)))
        )
        self._drop = table.delete().where(
            self._id.in_(sa.bindparam("ids", expanding=True)),
            table.c.outcome.in_([PENDING, RUNNING]),
        )

    def plan(self, steps: Sequence[Step]) -> None:
        """The run's steps (again, when it re-plans: the rows not started yet go)."""
        self._stale = self.unstarted()
        self._rows, self._handed, self._begun = {}, {}, set()
        self._migrations = [step for step in steps if step.is_migration]
        self._successor = {
            id(step): after
            for step, after in zip(steps, steps[1:])
            if step.is_migration and after.is_migration
        }

    def begin(self, step: Step, connection: sa.Connection) -> LogEntry | None:
        """The entry of a migration whose row is now `running`; None when this step has no
        planned row (the caller inserts its `running` row, as without a plan)."""
        if not self._rows:
            return self._insert(step, connection)
        row_id = self._rows.get(id(step))
        if row_id is None or row_id in self._begun:
            return None
        self._begun.add(row_id)
        handover = self._handed.pop(row_id, None)
        if handover is not None:
            entry = self.history.entry(step, handover.started_at, handover.started)
        else:
            entry = self.history.entry(step)
            params = {"row_id": row_id, "set_started_at": entry.started_at}
            if connection.execute(self._start, params).rowcount != 1:
                return None  # the row is gone (deleted by hand): a new `running` row instead
        entry.row_id = row_id
        return entry

    def successor(self, step: Step) -> int | None:
        """The row of the migration right after `step`, while it is still `pending`."""
        after = self._successor.get(id(step))
        row_id = self._rows.get(id(after)) if after is not None else None
        if row_id is None or row_id in self._begun or row_id in self._handed:
            return None
        return row_id

    def handed_over(self, handover: Handover) -> None:
        """`handover`'s row is `running` now (in the transaction of the step before it)."""
        self._handed[handover.row_id] = handover

    def unstarted(self) -> list[int]:
        """The rows whose step has not started: `pending`, or `running` from a handover."""
        return [row_id for row_id in self._rows.values() if row_id not in self._begun]

    def discard(self, connection: sa.Connection) -> None:
        """Delete the rows of steps that will not start (the run failed or stopped), in
        the transaction in progress, else in one of their own."""
        ids = self.unstarted()
        self._rows, self._handed, self._begun = {}, {}, set()
        if not ids:
            return
        if connection.in_transaction():
            connection.execute(self._drop, {"ids": ids})
        else:
            with connection.begin():
                connection.execute(self._drop, {"ids": ids})

    def _insert(self, first: Step, connection: sa.Connection) -> LogEntry | None:
        """The run's first migration: delete the rows earlier runs left `pending` (and an
        earlier plan's), then insert one row per planned migration, its own `running`."""
        if len(self._migrations) < 2 or self._migrations[0] is not first:
            if self._stale:  # re-planned down to one migration: no new rows, the old ones go
                connection.execute(self._drop, {"ids": self._stale})
                self._stale = []
            return None
        entry = self.history.entry(first)
        rows = [self.history.unfinished_row(entry, connection, RUNNING)]
        for step in self._migrations[1:]:
            planned = self.history.entry(step, entry.started_at, entry.started)
            rows.append(self.history.unfinished_row(planned, connection, PENDING))
        connection.execute(self._clear, {"stale": self._stale})
        self._stale = []
        ids = self.database.insert_log_rows(connection, self.history.table, rows)
        if len(ids) != len(rows):
            raise CommandError(
                f"{self.history.display_name}: inserted {len(rows)} rows but the database "
                f"gave {len(ids)} ids back; nothing was migrated"
            )
        self._rows = {id(step): row_id for step, row_id in zip(self._migrations, ids)}
        self._begun.add(ids[0])
        entry.row_id = ids[0]
        return entry
