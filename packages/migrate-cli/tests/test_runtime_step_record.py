"""StepRecorder: which steps write their version row and log row in one statement.

SQLite has no such statement, so a stand-in strategy offers one that says what it was
asked and answers as told; the real statements are tested on PostgreSQL and MariaDB
(tests-integration/test_cli_runtime_version_writes.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
import sqlalchemy as sa

from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import DatabaseStrategy, VersionLogWrite
from migrate_cli.runtime.heads import HeadChange
from migrate_cli.runtime.migration_log import (
    COMPLETED,
    DisabledLog,
    MigrationLog,
    build_log_table,
)
from migrate_cli.runtime.step_record import StepRecorder
from migrate_cli.runtime.steps import RevisionStep, StampStep
from migrate_cli.runtime.version_table import VersionTable, build_version_table


class Asked(VersionLogWrite):
    """Writes nothing; keeps the parameters and answers `found`."""

    def __init__(self, found: int | None) -> None:
        super().__init__(sa.text("SELECT 1"))
        self.found = found
        self.params: list[dict[str, Any]] = []

    def execute(self, connection: sa.Connection, params: Mapping[str, Any]) -> int | None:
        self.params.append(dict(params))
        return self.found


class Combining(DatabaseStrategy):
    def __init__(self, found: int | None = 1) -> None:
        self.inserting = Asked(found)
        self.completing = Asked(found)
        self.built: list[tuple[str, Sequence[str]]] = []

    def version_move_with_log_insert(
        self, version: sa.Column[Any], log: sa.Table, columns: Sequence[str]
    ) -> VersionLogWrite:
        self.built.append(("insert", tuple(columns)))
        return self.inserting

    def version_move_with_log_completion(
        self, version: sa.Column[Any], log: sa.Table, completed: Sequence[str]
    ) -> VersionLogWrite:
        self.built.append(("completion", tuple(completed)))
        return self.completing


@pytest.fixture
def connection() -> Iterator[sa.Connection]:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        yield conn


def recorder(
    connection: sa.Connection, strategy: DatabaseStrategy, log: type[MigrationLog] = MigrationLog
) -> StepRecorder:
    version = VersionTable(build_version_table())
    version.create(connection)
    version.record(connection, HeadChange((), ("a1",)))
    history = log(build_log_table())
    history.create(connection, ("a1",))
    return StepRecorder(version, history, strategy)


def state(connection: sa.Connection, record: StepRecorder) -> tuple[Any, ...]:
    """The version rows, and the log rows (revision, outcome) oldest first (a1's is the
    `baseline` row of a database migrated before the log)."""
    versions = record.version.read_heads(connection)
    rows = record.history.read_rows(connection, newest_first=False)
    return versions, [(row["revision"], row["outcome"]) for row in rows]


STEP = RevisionStep("b2", True, None, ("a1",))
LINEAR = HeadChange(("a1",), ("b2",))


def test_a_linear_step_sends_one_statement_with_the_version_and_the_log_row(
    connection: sa.Connection,
) -> None:
    strategy = Combining()
    record = recorder(connection, strategy)
    entry = record.history.begin_step(STEP, connection, mark_running=False)
    record.record(connection, entry, STEP, LINEAR, ("b2",), defer=False)
    [params] = strategy.inserting.params
    assert params["old"] == "a1" and params["new"] == "b2"
    assert set(params) == {"old", "new", *record.history.row_columns}
    assert (params["revision"], params["direction"], params["outcome"]) == (
        "b2",
        "upgrade",
        "applied",
    )
    assert state(connection, record) == (("a1",), [("a1", "applied")])  # it wrote, not us
    assert strategy.built == [("insert", record.history.row_columns)]
    record.record(connection, entry, STEP, LINEAR, ("b2",), defer=False)
    assert strategy.built == [("insert", record.history.row_columns)]  # built once per run


def test_a_running_row_is_completed_in_the_same_statement(connection: sa.Connection) -> None:
    strategy = Combining()
    record = recorder(connection, strategy)
    entry = record.history.begin_step(STEP, connection, mark_running=True)
    assert entry.row_id is not None
    record.record(connection, entry, STEP, LINEAR, ("b2",), defer=False)
    assert not strategy.inserting.params
    [params] = strategy.completing.params
    assert params["row_id"] == entry.row_id
    assert set(params) == {"old", "new", "row_id", *(f"set_{name}" for name in COMPLETED)}
    assert params["set_outcome"] == "applied" and params["set_error"] is None


def test_nothing_written_falls_back_to_the_separate_statements(
    connection: sa.Connection,
) -> None:
    record = recorder(connection, Combining(found=None))
    entry = record.history.begin_step(STEP, connection, mark_running=True)
    record.record(connection, entry, STEP, LINEAR, ("b2",), defer=False)
    assert state(connection, record) == (("b2",), [("a1", "applied"), ("b2", "applied")])


@pytest.mark.parametrize("found", [0, 2])
def test_a_row_count_other_than_one_is_the_version_tables_error(
    connection: sa.Connection, found: int
) -> None:
    record = recorder(connection, Combining(found=found))
    entry = record.history.begin_step(STEP, connection, mark_running=False)
    with pytest.raises(CommandError) as raised:
        record.record(connection, entry, STEP, LINEAR, ("b2",), defer=False)
    assert str(raised.value) == str(record.version.changed_error("a1", found))
    assert f"expected one row for 'a1', found {found};" in str(raised.value)


MERGE = HeadChange(("a1", "n1"), ("m2",))
BRANCH = HeadChange((), ("n1",))


@pytest.mark.parametrize(
    ("step", "change", "defer", "hold", "log"),
    [
        (RevisionStep("m2", True, None, ("a1", "n1")), MERGE, False, False, MigrationLog),
        (RevisionStep("n1", True, None, ()), BRANCH, False, False, MigrationLog),
        (StampStep(("b2",), from_heads=("a1",)), LINEAR, False, False, MigrationLog),
        (STEP, LINEAR, True, False, MigrationLog),
        (STEP, LINEAR, False, True, MigrationLog),
        (STEP, LINEAR, False, False, DisabledLog),
    ],
    ids=["merge", "branch-point", "stamp", "deferred-log", "held-versions", "log-off"],
)
def test_every_other_step_keeps_the_separate_statements(
    connection: sa.Connection,
    step: Any,
    change: HeadChange,
    defer: bool,
    hold: bool,
    log: type[MigrationLog],
) -> None:
    strategy = Combining()
    record = recorder(connection, strategy, log)
    if change is MERGE:
        record.version.record(connection, BRANCH)
    if hold:
        record.hold_versions(connection, ("a1",))
    entry = record.history.begin_step(step, connection, mark_running=False)
    record.record(connection, entry, step, change, ("after",), defer=defer)
    assert not strategy.inserting.params and not strategy.completing.params
    if hold:
        assert record.held is not None and record.held.heads == ("after",)
    else:
        assert set(record.version.read_heads(connection)) == set(change.added) | (
            {"a1"} if change is BRANCH else set()
        )
