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
    connection: sa.Connection,
    strategy: DatabaseStrategy,
    log: type[MigrationLog] = MigrationLog,
    primary_key: bool = True,
) -> StepRecorder:
    version = VersionTable(build_version_table(primary_key=primary_key))
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


# -- planned rows: the next migration's row marked `running` by the step before ----------


class HandingOver(DatabaseStrategy):
    """A stand-in for MySQL/MariaDB's handover: on SQLite it runs what the one statement
    does as separate statements, keeps the parameters, and answers as the real one would
    (None when a row is missing, else the version rows found)."""

    def __init__(self, log_only: bool = True) -> None:
        self.asked: list[dict[str, Any]] = []
        self.asked_log_only: list[dict[str, Any]] = []
        self.log_only = log_only

    def version_move_with_log_handover(
        self,
        version: sa.Column[Any],
        log: sa.Table,
        completed: Sequence[str],
        started: Sequence[str],
    ) -> VersionLogWrite:
        return self._write(version, log, completed, started, self.asked)

    def log_handover(
        self, log: sa.Table, completed: Sequence[str], started: Sequence[str]
    ) -> VersionLogWrite | None:
        if not self.log_only:
            return None
        return self._write(None, log, completed, started, self.asked_log_only)

    def _write(
        self,
        version: sa.Column[Any] | None,
        log: sa.Table,
        completed: Sequence[str],
        started: Sequence[str],
        asked: list[dict[str, Any]],
    ) -> VersionLogWrite:
        class Write(VersionLogWrite):
            def execute(self, connection: sa.Connection, params: Mapping[str, Any]) -> int | None:
                asked.append(dict(params))
                found = 1
                if version is not None:
                    found = connection.execute(
                        sa.select(sa.func.count()).where(version == params["old"])
                    ).scalar_one()
                rows = connection.execute(
                    sa.select(sa.func.count()).where(
                        log.c.id.in_([params["row_id"], params["next_id"]])
                    )
                ).scalar_one()
                if not found or rows != 2:
                    return None
                if version is not None:
                    connection.execute(
                        version.table.update().where(version == params["old"]),
                        {"version_num": params["new"]},
                    )
                done = {name: params[f"set_{name}"] for name in completed}
                connection.execute(log.update().where(log.c.id == params["row_id"]), done)
                upcoming = {name: params[f"next_{name}"] for name in started}
                connection.execute(log.update().where(log.c.id == params["next_id"]), upcoming)
                return int(found)

        return Write(sa.text("SELECT 1"))


def step(revision: str, down: str | None) -> RevisionStep:
    return RevisionStep(revision, True, None, (down,) if down else ())


B2, C3, D4 = step("b2", "a1"), step("c3", "b2"), step("d4", "c3")


def raw(connection: sa.Connection, record: StepRecorder) -> list[tuple[str, str]]:
    """Every log row, `pending` ones included (read_rows leaves them out)."""
    table = record.history.table
    query = sa.select(table.c.revision, table.c.outcome).order_by(table.c.id)
    return [(row.revision, row.outcome) for row in connection.execute(query)]


@pytest.fixture
def sent(connection: sa.Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(" ".join(statement.split()))

    sa.event.listen(connection, "before_cursor_execute", record)
    yield statements
    sa.event.remove(connection, "before_cursor_execute", record)


def run_linear(
    connection: sa.Connection, record: StepRecorder, steps: Sequence[RevisionStep]
) -> None:
    for one in steps:
        entry = record.begin(one, connection, mark_running=True)
        down = one.down_revisions[0]
        record.record(connection, entry, one, HeadChange((down,), (one.revision_id,)), (), False)


def test_the_first_step_inserts_every_planned_row_and_each_step_hands_over(
    connection: sa.Connection, sent: list[str]
) -> None:
    strategy = HandingOver()
    record = recorder(connection, strategy)
    record.plan([B2, C3, D4])
    del sent[:]
    first = record.begin(B2, connection, mark_running=True)
    assert raw(connection, record)[1:] == [("b2", "running"), ("c3", "pending"), ("d4", "pending")]
    assert state(connection, record)[1] == [("a1", "applied"), ("b2", "running")]  # no pending
    assert first.row_id is not None
    ids = [first.row_id, first.row_id + 1, first.row_id + 2]

    record.record(connection, first, B2, LINEAR, ("b2",), defer=False)
    [asked] = strategy.asked
    assert (asked["row_id"], asked["next_id"], asked["next_outcome"]) == (ids[0], ids[1], "running")
    assert asked["set_outcome"] == "applied"
    assert asked["next_started_at"] == asked["set_finished_at"]
    assert raw(connection, record)[1:] == [("b2", "applied"), ("c3", "running"), ("d4", "pending")]

    del sent[:]
    second = record.begin(C3, connection, mark_running=True)
    assert sent == []  # marked `running` by b2's statement: nothing to send before the DDL
    assert second.row_id == ids[1] and second.started_at == asked["next_started_at"]
    record.record(connection, second, C3, HeadChange(("b2",), ("c3",)), ("c3",), defer=False)
    third = record.begin(D4, connection, mark_running=True)
    record.record(connection, third, D4, HeadChange(("c3",), ("d4",)), ("d4",), defer=False)
    assert [a["next_id"] for a in strategy.asked] == ids[1:]
    assert raw(connection, record)[1:] == [(r, "applied") for r in ("b2", "c3", "d4")]
    assert record.version.read_heads(connection) == ("d4",)
    record.finish_run(connection)
    assert raw(connection, record)[1:] == [(r, "applied") for r in ("b2", "c3", "d4")]


def test_a_step_with_separate_version_statements_hands_over_in_its_log_statement(
    connection: sa.Connection, sent: list[str]
) -> None:
    """A branch point (or a merge, or the first step's INSERT) writes its version rows with
    separate statements, then completes its row and marks the next one `running` in one."""
    strategy = HandingOver()
    record = recorder(connection, strategy)
    branch = RevisionStep("n1", True, None, ())
    record.plan([branch, B2])
    entry = record.begin(branch, connection, mark_running=True)
    record.record(connection, entry, branch, BRANCH, ("a1", "n1"), defer=False)
    assert not strategy.asked
    [asked] = strategy.asked_log_only
    assert (asked["row_id"], asked["next_id"]) == (entry.row_id, (entry.row_id or 0) + 1)
    assert raw(connection, record)[1:] == [("n1", "applied"), ("b2", "running")]
    del sent[:]
    entry = record.begin(B2, connection, mark_running=True)
    assert sent == []


@pytest.mark.parametrize("gone", [False, True], ids=["no-log-handover", "row-gone"])
def test_a_step_whose_row_was_not_handed_over_marks_it_running_itself(
    connection: sa.Connection, sent: list[str], gone: bool
) -> None:
    """Where no statement marked the next migration's row (the strategy has no log-only
    handover, or it found a row missing), that migration marks its own row `running` with
    one UPDATE before its script: the cost of the INSERT it used to send."""
    strategy = HandingOver(log_only=gone)
    record = recorder(connection, strategy)
    branch = RevisionStep("n1", True, None, ())
    record.plan([branch, B2, C3])
    entry = record.begin(branch, connection, mark_running=True)
    assert entry.row_id is not None
    if gone:
        table = record.history.table
        connection.execute(table.delete().where(table.c.id == entry.row_id))
    record.record(connection, entry, branch, BRANCH, ("a1", "n1"), defer=False)
    assert len(strategy.asked_log_only) == gone
    applied = [] if gone else [("n1", "applied")]
    assert raw(connection, record)[1:] == [*applied, ("b2", "pending"), ("c3", "pending")]
    del sent[:]
    entry = record.begin(B2, connection, mark_running=True)
    assert len(sent) == 1 and sent[0].startswith("UPDATE migrate_log SET outcome=")
    assert raw(connection, record)[1:] == [*applied, ("b2", "running"), ("c3", "pending")]
    record.record(connection, entry, B2, LINEAR, ("b2", "n1"), defer=False)
    assert raw(connection, record)[1:] == [*applied, ("b2", "applied"), ("c3", "running")]


def test_a_handover_that_finds_a_row_missing_falls_back_to_the_separate_statements(
    connection: sa.Connection,
) -> None:
    strategy = HandingOver()
    record = recorder(connection, strategy)
    record.plan([B2, C3, D4])
    first = record.begin(B2, connection, mark_running=True)
    assert first.row_id is not None
    table = record.history.table
    connection.execute(table.delete().where(table.c.id == first.row_id + 1))  # c3's, by hand
    record.record(connection, first, B2, LINEAR, ("b2",), defer=False)
    assert len(strategy.asked) == 1  # asked, wrote nothing
    assert record.version.read_heads(connection) == ("b2",)  # the separate statements
    entry = record.begin(C3, connection, mark_running=True)
    assert entry.row_id is not None and entry.row_id > first.row_id + 2  # a new `running` row
    assert raw(connection, record)[1:] == [("b2", "applied"), ("d4", "pending"), ("c3", "running")]


@pytest.mark.parametrize(("change", "found"), [("moved", 0), ("doubled", 2)])
def test_a_version_row_changed_underneath_is_the_same_error_and_hands_nothing_over(
    connection: sa.Connection, change: str, found: int
) -> None:
    strategy = HandingOver()
    record = recorder(connection, strategy, primary_key=False)
    version = record.version.table
    if change == "moved":
        connection.execute(version.update(), {"version_num": "zz"})
    else:
        connection.execute(version.insert(), {"version_num": "a1"})
    record.plan([B2, C3])
    first = record.begin(B2, connection, mark_running=True)
    with pytest.raises(CommandError) as raised:
        record.record(connection, first, B2, LINEAR, ("b2",), defer=False)
    assert str(raised.value) == str(record.version.changed_error("a1", found))
    assert len(strategy.asked) == 1
    assert record.planned.successor(B2) is not None  # c3's row was not handed over


def test_a_failed_or_stopped_run_deletes_the_rows_of_steps_it_never_started(
    connection: sa.Connection,
) -> None:
    """c3's row, marked `running` by b2's statement, and d4's `pending` one go; b2 stays."""
    record = recorder(connection, HandingOver())
    record.plan([B2, C3, D4])
    run_linear(connection, record, [B2])
    assert raw(connection, record)[1:] == [("b2", "applied"), ("c3", "running"), ("d4", "pending")]
    record.finish_run(connection)  # stopped between two migrations
    assert raw(connection, record)[1:] == [("b2", "applied")]
    connection.commit()  # what a failure rolls back is the failed step's transaction

    record.plan([C3, D4])
    entry = record.begin(C3, connection, mark_running=True)
    record.history.note_failure(entry, RuntimeError("boom"))
    record.write_failure(connection)
    assert raw(connection, record)[1:] == [("b2", "applied"), ("c3", "failed")]


def test_the_next_run_deletes_the_rows_a_killed_run_left_pending(
    connection: sa.Connection,
) -> None:
    record = recorder(connection, HandingOver())
    record.plan([B2, C3, D4])
    run_linear(connection, record, [B2])  # then killed: c3 `running`, d4 `pending`
    again = StepRecorder(record.version, record.history, record.database)
    again.plan([C3, D4])
    run_linear(connection, again, [C3, D4])
    assert raw(connection, record)[1:] == [
        ("b2", "applied"),
        ("c3", "running"),  # the killed run's crash trace stays
        ("c3", "applied"),
        ("d4", "applied"),
    ]


def test_re_planning_replaces_the_rows_not_started(connection: sa.Connection) -> None:
    record = recorder(connection, HandingOver())
    record.plan([B2, C3, D4])
    run_linear(connection, record, [B2])
    record.plan([C3])  # another run got in between: one migration left, nothing planned
    run_linear(connection, record, [C3])
    assert raw(connection, record)[1:] == [("b2", "applied"), ("c3", "applied")]


@pytest.mark.parametrize(
    ("strategy", "log", "steps"),
    [
        (HandingOver(), MigrationLog, [B2]),
        (HandingOver(), DisabledLog, [B2, C3]),
        (Combining(), MigrationLog, [B2, C3]),
    ],
    ids=["one-migration", "log-off", "no-handover"],
)
def test_nothing_is_planned_without_a_next_row_a_log_or_a_handover(
    connection: sa.Connection,
    strategy: DatabaseStrategy,
    log: type[MigrationLog],
    steps: list[RevisionStep],
) -> None:
    record = recorder(connection, strategy, log)
    record.plan(steps)
    entry = record.begin(steps[0], connection, mark_running=True)
    assert record.planned.unstarted() == []
    if log is MigrationLog:
        assert raw(connection, record)[1:] == [("b2", "running")]  # inserted on its own
        assert entry.row_id is not None
    else:
        assert entry.row_id is None


def test_without_mark_running_nothing_is_planned(connection: sa.Connection) -> None:
    """A run whose DDL is transactional (or in the caller's transaction) inserts no row
    before a step: nothing to plan."""
    record = recorder(connection, HandingOver())
    record.plan([B2, C3])
    entry = record.begin(B2, connection, mark_running=False)
    assert entry.row_id is None and raw(connection, record)[1:] == []
