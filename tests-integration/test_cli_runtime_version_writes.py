"""When the version table is written: once per one-transaction run only where DDL is
transactional; after every step wherever a step's DDL commits on its own (MariaDB/MySQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from liveproject import LiveProject

from migrate_cli import command


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
        word = statement.split()[0].upper()
        if word in ("INSERT", "UPDATE", "DELETE") and "migrate_version" in statement:
            seen.append(word)

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
        word = statement.split()[0].upper()
        if word in ("INSERT", "UPDATE", "DELETE") and "migrate_log" in statement:
            seen.append(word)

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
    """The log rides on the transactions the run commits anyway. On MySQL/MariaDB each
    migration's `running` row is inserted in its own transaction (its first DDL statement
    commits it) and completed there, with the version change."""
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
        assert log_writes == ["INSERT", "UPDATE"] * 5  # running, then applied, per migration
    elif x:
        assert log_writes == ["INSERT"] * 5
    else:
        assert log_writes == ["INSERT"]  # one batch before the run's one commit
