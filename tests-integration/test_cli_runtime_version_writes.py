"""When the version table is written: once per one-transaction run only where DDL is
transactional; after every step wherever a step's DDL commits on its own (MariaDB/MySQL).
Written after every step, a linear step moves its version row and writes its log row in
one statement where the database has one (PostgreSQL, MariaDB/MySQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase, reset_database
from liveproject import LiveProject

from migrate_cli import command
from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import DatabaseStrategy, database_for


def writes(statement: str, table: str) -> list[str]:
    """What `statement` does to `table`: INSERT, UPDATE and DELETE, in that order. One
    statement can write two tables: PostgreSQL's `WITH moved AS (UPDATE migrate_version
    ...) INSERT INTO migrate_log ...`, MariaDB's `UPDATE migrate_version JOIN migrate_log
    ... SET ...`."""
    text = " ".join(statement.split())
    name = rf"\b{table}\b"
    found = []
    if re.search(rf"\bINSERT INTO (\S+\.)?{name}", text):
        found.append("INSERT")
    if any(re.search(name, targets) for targets in re.findall(r"\bUPDATE (.+?) SET\b", text)):
        found.append("UPDATE")
    if re.search(rf"\bDELETE FROM (\S+\.)?{name}", text):
        found.append("DELETE")
    return found


@pytest.fixture
def project(tmp_path: Path, db: LiveDatabase) -> LiveProject:
    project = LiveProject(tmp_path, db)
    project.add_table("a1", None, "account")
    project.add_table("b2", "a1", "invoice")
    project.add_table("n2", "a1", "network")
    project.add("m3", ("b2", "n2"), message="merge")
    project.add_table("d4", "m3", "payment")
    return project


@pytest.fixture
def version_writes() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.extend(writes(statement, "migrate_version"))

    sa.event.listen(sa.Engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(sa.Engine, "before_cursor_execute", record)


@pytest.fixture
def commits() -> Iterator[list[str]]:
    """Commits the runs ask for (the implicit ones MySQL/MariaDB make before DDL are not)."""
    seen: list[str] = []

    def record(conn: Any) -> None:
        seen.append("COMMIT")

    sa.event.listen(sa.Engine, "commit", record)
    yield seen
    sa.event.remove(sa.Engine, "commit", record)


@pytest.fixture
def log_writes() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.extend(writes(statement, "migrate_log"))

    sa.event.listen(sa.Engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(sa.Engine, "before_cursor_execute", record)


PER_STEP = ["INSERT", "UPDATE", "INSERT", "UPDATE", "DELETE", "UPDATE"]


def test_one_transaction_run_writes_once_only_with_transactional_ddl(
    project: LiveProject, db: LiveDatabase, version_writes: list[str]
) -> None:
    command.upgrade(project.config(), "head")
    assert project.heads() == ("d4",)
    if db.engine.dialect.name in ("mysql", "mariadb"):
        assert version_writes == PER_STEP  # each step's DDL has committed: record it at once
    else:
        assert version_writes == ["INSERT"]


def test_transaction_per_migration_records_every_step(
    project: LiveProject, version_writes: list[str]
) -> None:
    command.upgrade(project.config("per_migration"), "head")
    assert project.heads() == ("d4",)
    assert version_writes == PER_STEP


def test_a_failure_keeps_the_table_true_to_what_was_committed(
    project: LiveProject, db: LiveDatabase
) -> None:
    project.add("e5", "d4", 'op.execute("SELECT * FROM no_such_table")')
    with pytest.raises(Exception, match="e5"):
        command.upgrade(project.config(), "head")
    if db.engine.dialect.name in ("mysql", "mariadb"):
        assert project.heads() == ("d4",)  # a1..d4 committed with their DDL
        assert "payment" in project.tables()
    else:
        assert project.heads() == ()  # the whole run rolled back
        assert "account" not in project.tables()


@pytest.mark.parametrize("x", [(), ("per_migration",)], ids=["one-transaction", "per-migration"])
def test_the_migration_log_costs_no_commit(
    project: LiveProject,
    db: LiveDatabase,
    commits: list[str],
    log_writes: list[str],
    x: tuple[str, ...],
) -> None:
    """The log rides on the transactions the run commits anyway. On MySQL/MariaDB the first
    migration's transaction deletes the `pending` rows of killed runs and inserts one row
    per migration (its own `running`, the others `pending`; its first DDL statement commits
    them); each migration then completes its row and marks the next one `running` in one
    UPDATE, with the version change."""
    command.upgrade(project.config(*x, configure_options={"migration_log": False}), "head")
    command.downgrade(project.config(*x, configure_options={"migration_log": False}), "base")
    del commits[:]
    command.upgrade(project.config(*x, configure_options={"migration_log": False}), "head")
    without_log = len(commits)
    command.downgrade(project.config(*x, configure_options={"migration_log": False}), "base")
    del commits[:], log_writes[:]
    command.upgrade(project.config(*x), "head")
    assert len(commits) == without_log
    assert project.heads() == ("d4",)
    if db.engine.dialect.name in ("mysql", "mariadb"):
        assert log_writes == ["DELETE", "INSERT"] + ["UPDATE"] * 5
    elif x:
        assert log_writes == ["INSERT"] * 5
    else:
        assert log_writes == ["INSERT"]  # one batch before the run's one commit


# -- one statement for a linear step's version row and log row --------------------------

#: Where `on_version_apply` was called: the end of a step, before its commit.
STEP_DONE = "-- step done"
#: What differs between two runs of the same steps: the times, and on PostgreSQL the ids
#: of the doubled case (its sequence gave two to the rows the failed statement inserted).
UNREPEATABLE = ("id", "started_at", "finished_at", "duration_seconds")
#: Statements a linear step sends with one transaction per migration: its DDL and the
#: combined write, as Alembic's DDL and UPDATE (on MariaDB/MySQL the combined write also
#: marks the next migration's row `running`, its crash trace). SQLite has no combined
#: statement: BEGIN IMMEDIATE, the heads re-read under its lock (two statements), the DDL,
#: the UPDATE and the INSERT.
PER_LINEAR_STEP = {"postgresql": 2, "mysql": 2, "mariadb": 2, "sqlite": 6}
#: What the separate statements cost on top: the UPDATE (and, on MariaDB/MySQL, the
#: `running` row each step inserted on its own before its script).
SEPARATELY = {"postgresql": 1, "mysql": 2, "mariadb": 2, "sqlite": 0}
MYSQL = ("mysql", "mariadb")


def separately(monkeypatch: pytest.MonkeyPatch, db: LiveDatabase) -> None:
    """Write the version row and the log row with separate statements, as before (and as
    on a database whose strategy has no combined statement: the default's). With no
    handover, nothing is planned: each migration inserts its own `running` row."""
    strategy = type(database_for(db.engine.dialect))
    hooks = ("version_move_with_log_insert", "version_move_with_log_completion")
    for hook in (*hooks, "version_move_with_log_handover", "log_handover"):
        monkeypatch.setattr(strategy, hook, getattr(DatabaseStrategy, hook))


def upgrade_by_step(project: LiveProject, *x: str, **options: Any) -> list[list[str]]:
    """`upgrade head`, and the statements each step sent after the first (the first also
    creates the tables and asks the database user): the window between two steps'
    `on_version_apply`, which sees no commit."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    def step_done(**kw: Any) -> None:
        sent.append(STEP_DONE)

    options["on_version_apply"] = step_done
    sa.event.listen(sa.Engine, "before_cursor_execute", record)
    try:
        command.upgrade(project.config(*x, configure_options=options), "head")
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", record)
    windows: list[list[str]] = [[]]
    for statement in sent:
        if statement == STEP_DONE:
            windows.append([])
        else:
            windows[-1].append(statement)
    return windows[1:-1]


def log_rows(db: LiveDatabase) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM migrate_log ORDER BY id"))
        return [dict(row._mapping) for row in rows]


def version_rows(db: LiveDatabase) -> list[str]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT version_num FROM migrate_version"))
        return sorted(row[0] for row in rows)


def repeatable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows without what differs between two runs of the same steps, in id order."""
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    return [{k: v for k, v in row.items() if k not in UNREPEATABLE} for row in rows]


@pytest.fixture
def linear(tmp_path: Path, db: LiveDatabase) -> LiveProject:
    project = LiveProject(tmp_path, db)
    for rev, down, table in [
        ("a1", None, "account"),
        ("b2", "a1", "invoice"),
        ("c3", "b2", "payment"),
        ("d4", "c3", "refund"),
        ("e5", "d4", "ledger"),
    ]:
        project.add_table(rev, down, table)
    return project


def test_a_linear_step_moves_its_version_row_and_logs_in_one_statement(
    linear: LiveProject, db: LiveDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: DDL + `WITH ... UPDATE migrate_version ... INSERT INTO migrate_log`
    (was DDL, UPDATE, INSERT); MariaDB: DDL + `UPDATE migrate_version JOIN migrate_log
    JOIN migrate_log` (was the `running` INSERT, DDL, UPDATE, UPDATE). The same rows
    either way; SQLite unchanged."""
    separately(monkeypatch, db)
    before = upgrade_by_step(linear, "per_migration")
    rows_before, versions_before = log_rows(db), version_rows(db)
    monkeypatch.undo()
    reset_database(db)
    after = upgrade_by_step(linear, "per_migration")
    rows_after = log_rows(db)

    combined = db.dialect != "sqlite"
    assert len(after) == len(before) == 4  # b2 .. e5, each replacing one version row
    expected = PER_LINEAR_STEP[db.dialect]
    assert [len(step) for step in after] == [expected] * 4, after
    assert [len(step) for step in before] == [expected + SEPARATELY[db.dialect]] * 4, before
    for step in after:
        version = [w for statement in step for w in writes(statement, "migrate_version")]
        log = [w for statement in step for w in writes(statement, "migrate_log")]
        assert version == ["UPDATE"]
        assert log == (["UPDATE"] if db.dialect in MYSQL else ["INSERT"])
        if combined:  # the last statement writes both
            assert writes(step[-1], "migrate_version") and writes(step[-1], "migrate_log")

    assert version_rows(db) == versions_before == ["e5"]
    assert repeatable(rows_after) == repeatable(rows_before)
    assert [row["id"] for row in rows_after] == [row["id"] for row in rows_before]
    assert [(r["revision"], r["outcome"]) for r in rows_after] == [
        (rev, "applied") for rev in ("a1", "b2", "c3", "d4", "e5")
    ]
    for row in rows_after:
        assert row["finished_at"] >= row["started_at"]
        assert row["duration_seconds"] is not None and row["duration_seconds"] >= 0
    if combined:  # the timestamps keep their microseconds through its parameters
        assert any(row["finished_at"].microsecond for row in rows_after)


# b2 creates its table, then another connection (a process not holding the lock) changes
# b2's version row underneath the run: moves it away, or (no primary key) doubles it.
UNDERNEATH = """\
op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True))
url = op.get_bind().engine.url.render_as_string(hide_password=False)
other = sa.create_engine(url, poolclass=sa.pool.NullPool)
with other.begin() as conn:
    conn.execute(sa.text({sql!r}))
other.dispose()
"""
MOVED = "UPDATE migrate_version SET version_num = 'zz' WHERE version_num = 'a1'"
DOUBLED = "INSERT INTO migrate_version (version_num) VALUES ('a1')"


@pytest.mark.backends("postgresql", "mariadb", "mysql")
@pytest.mark.parametrize(
    ("sql", "options", "found", "versions"),
    [
        (MOVED, {}, 0, ["zz"]),
        (DOUBLED, {"version_table_pk": False}, 2, ["a1", "a1"]),
    ],
    ids=["moved", "doubled"],
)
def test_a_version_row_changed_underneath_gives_the_same_error_and_rows(
    tmp_path: Path,
    db: LiveDatabase,
    monkeypatch: pytest.MonkeyPatch,
    sql: str,
    options: dict[str, Any],
    found: int,
    versions: list[str],
) -> None:
    """The combined statement finds the row gone (or doubled) as the UPDATE did: the same
    one-line error, nothing of b2 recorded as applied, the log and version table as
    before (MariaDB: b2's committed `running` row becomes `failed`; the statement that
    would have marked c3's row `running` wrote nothing, and c3's `pending` row is gone)."""
    project = LiveProject(tmp_path, db)
    project.add_table("a1", None, "account")
    project.add("b2", "a1", UNDERNEATH.format(sql=sql))
    project.add_table("c3", "b2", "payment")

    def run() -> tuple[str, list[dict[str, Any]], list[str], bool]:
        """The error, the log and version rows, and whether a combined statement was sent."""
        both: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if writes(statement, "migrate_version") and writes(statement, "migrate_log"):
                both.append(statement)
                if db.dialect in MYSQL:  # b2's: it also marks c3's row `running`
                    assert statement.count("migrate_log AS") == 2, statement

        sa.event.listen(sa.Engine, "before_cursor_execute", record)
        try:
            with pytest.raises(CommandError) as failure:
                config = project.config("per_migration", configure_options=options)
                command.upgrade(config, "head")
        finally:
            sa.event.remove(sa.Engine, "before_cursor_execute", record)
        return str(failure.value), log_rows(db), version_rows(db), bool(both)

    separately(monkeypatch, db)
    error_before, rows_before, versions_before, combined_before = run()
    monkeypatch.undo()
    reset_database(db)
    error, rows, after, combined = run()

    assert combined and not combined_before
    assert error == error_before
    assert "\n" not in error
    assert (
        "version table migrate_version changed while migrating: expected one row for 'a1', "
        f"found {found}; another process may be migrating"
    ) in error
    assert after == versions_before == versions
    assert repeatable(rows) == repeatable(rows_before)
    assert [(r["revision"], r["outcome"]) for r in rows] == [("a1", "applied"), ("b2", "failed")]
    assert "changed while migrating" in rows[-1]["error"]
    assert ("invoice" in project.tables()) == (db.dialect != "postgresql")
    assert "payment" not in project.tables()


@pytest.mark.backends("postgresql", "mariadb", "mysql")
def test_the_combined_statement_names_the_tables_in_their_schema(
    linear: LiveProject, db: LiveDatabase
) -> None:
    """Built from the run's tables: another schema, another log table name."""
    schema = db.other_schema
    options = {"version_table_schema": schema, "migration_log_table": "deploy_history"}
    steps = upgrade_by_step(linear, "per_migration", **options)
    assert all(
        writes(step[-1], "migrate_version") and writes(step[-1], "deploy_history") for step in steps
    )
    unquoted = [step[-1].replace('"', "").replace("`", "") for step in steps]
    assert all(f"{schema}.migrate_version" in statement for statement in unquoted)
    assert all(f"{schema}.deploy_history" in statement for statement in unquoted)
    assert linear.heads(version_table_schema=schema) == ("e5",)
    with db.engine.connect() as conn:
        columns = [sa.column(name) for name in ("id", "revision", "outcome")]
        table = sa.table("deploy_history", *columns, schema=schema)
        query = sa.select(table.c.revision, table.c.outcome).order_by(table.c.id)
        rows = conn.execute(query).all()
    assert [tuple(row) for row in rows] == [
        (rev, "applied") for rev in ("a1", "b2", "c3", "d4", "e5")
    ]


@pytest.mark.backends("mariadb", "mysql")
def test_an_error_after_the_handover_leaves_the_rows_it_left_before(
    linear: LiveProject, db: LiveDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`on_version_apply` raises after b2's statement (which completed b2's row and marked
    c3's `running`): b2's transaction rolls back, so b2's committed `running` row stays
    `running` (its DDL ran, its version row did not move), exactly as with the separate
    statements, and no `pending` or `running` row is left for c3, d4 or e5."""

    def after_b2(step: Any, **kw: Any) -> None:
        if step.revision_id == "b2":
            raise RuntimeError("callback broke")

    def run() -> tuple[list[dict[str, Any]], list[str]]:
        options = {"on_version_apply": after_b2}
        with pytest.raises(CommandError, match="callback broke"):
            command.upgrade(linear.config("per_migration", configure_options=options), "head")
        return log_rows(db), version_rows(db)

    separately(monkeypatch, db)
    rows_before, versions_before = run()
    monkeypatch.undo()
    reset_database(db)
    rows, versions = run()
    assert versions == versions_before == ["a1"]
    assert repeatable(rows) == repeatable(rows_before)
    assert [(r["revision"], r["outcome"]) for r in rows] == [("a1", "applied"), ("b2", "running")]
