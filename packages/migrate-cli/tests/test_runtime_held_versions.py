"""A one-transaction run writes the version table once; every other run writes it per step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from migrate_cli import command
from migrate_cli.testing import MigrationProject as Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add_table("a1", None, "account")
    project.add_table("b2", "a1", "invoice")
    project.add_table("n2", "a1", "network")
    project.add("m3", ("b2", "n2"), message="merge")
    project.add_table("d4", "m3", "payment")
    return project


@pytest.fixture
def version_writes() -> Iterator[list[str]]:
    """Every statement that changes migrate_version, on any engine, while the test runs."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.split()
        if words[0] in ("INSERT", "UPDATE", "DELETE") and "migrate_version" in statement:
            seen.append(words[0])

    sa.event.listen(sa.Engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(sa.Engine, "before_cursor_execute", record)


def test_one_transaction_run_writes_the_net_change_once(
    project: Project, version_writes: list[str]
) -> None:
    command.upgrade(project.config(), "b2")
    assert project.heads() == ("b2",)
    assert version_writes == ["INSERT"]
    version_writes.clear()
    command.upgrade(project.config(), "head")  # n2, the merge m3, d4: b2 -> d4 in one UPDATE
    assert project.heads() == ("d4",)
    assert version_writes == ["UPDATE"]


def test_per_migration_run_records_each_step_before_the_next(
    project: Project, version_writes: list[str]
) -> None:
    command.upgrade(project.config("per_migration"), "head")
    assert project.heads() == ("d4",)
    # a1 inserted; b2 and n2 (a second head); the merge takes one row away; d4
    assert version_writes == ["INSERT", "UPDATE", "INSERT", "UPDATE", "DELETE", "UPDATE"]


def test_downgrade_in_one_transaction_writes_once(
    project: Project, version_writes: list[str]
) -> None:
    command.upgrade(project.config(), "head")
    version_writes.clear()
    command.downgrade(project.config(), "a1")
    assert project.heads() == ("a1",)
    assert version_writes == ["UPDATE"]


def test_autocommit_block_commits_the_steps_before_it(tmp_path: Path) -> None:
    project = Project(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add_table("a1", None, "account")
    project.add(
        "b2",
        "a1",
        "with op.autocommit_block():\n"
        '    rows = op.get_bind().exec_driver_sql("SELECT version_num FROM migrate_version")\n'
        '    assert [r[0] for r in rows] == ["a1"], "a1 not recorded before the commit"',
    )
    project.add_table("c3", "b2", "invoice")
    command.upgrade(project.config(), "head")
    assert project.heads() == ("c3",)


def test_a_script_asking_for_the_heads_sees_the_steps_before_it(tmp_path: Path) -> None:
    project = Project(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add_table("a1", None, "account")
    project.add(
        "b2",
        "a1",
        "from migrate_cli import context\n"
        'assert context.get_context().get_current_heads() == ("a1",)',
    )
    command.upgrade(project.config(), "head")
    assert project.heads() == ("b2",)


def test_a_failed_one_transaction_run_leaves_the_table_as_it_was(project: Project) -> None:
    command.upgrade(project.config(), "a1")
    project.add("e5", "d4", 'op.execute("SELECT * FROM no_such_table")')
    with pytest.raises(Exception, match="e5"):
        command.upgrade(project.config(), "head")
    assert project.heads() == ("a1",)
    assert "payment" not in project.tables()
