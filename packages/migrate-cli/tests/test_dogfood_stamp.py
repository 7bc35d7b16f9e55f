"""`stamp` on one branch, and `stamp --purge --sql` for a DBA to repair a version table.

Found recovering databases by hand: `stamp networking@base` emptied the whole
version table (the other branches' heads too), and `stamp --purge --sql`
wrote an UPDATE of the starting revision instead of emptying the table, so
the script left an unknown revision in place, the case --purge exists for.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Any


@pytest.fixture
def two_branches(project: Project) -> Project:
    project.write_revision("a1", None, "main one")
    project.write_revision("a2", "a1", "main two")
    project.write_revision("n1", None, "net one", branch_labels="networking")
    project.write_revision("n2", "n1", "net two")
    return project


def recorded(project: Project) -> list[str]:
    with sqlite3.connect(project.db_path) as connection:
        rows = connection.execute("SELECT version_num FROM migrate_version").fetchall()
    return sorted(row[0] for row in rows)


def test_stamp_label_at_base_removes_that_branch_only(
    two_branches: Project, migrate: Migrate
) -> None:
    assert migrate("stamp", "heads").exit_code == 0
    assert recorded(two_branches) == ["a2", "n2"]

    result = migrate("stamp", "networking@base")

    assert result.exit_code == 0, result.stderr
    assert recorded(two_branches) == ["a2"]


def test_stamp_label_at_base_with_another_target(two_branches: Project, migrate: Migrate) -> None:
    migrate("stamp", "heads")

    assert migrate("stamp", "networking@base", "a1").exit_code == 0

    assert recorded(two_branches) == ["a1"]


def test_stamp_base_still_empties_the_table(two_branches: Project, migrate: Migrate) -> None:
    migrate("stamp", "heads")

    assert migrate("stamp", "base").exit_code == 0

    assert recorded(two_branches) == []


def run_script(project: Project, sql: str) -> None:
    with sqlite3.connect(project.db_path, isolation_level=None) as connection:
        connection.executescript(sql)


def test_offline_purge_empties_the_table_whatever_it_holds(
    two_branches: Project, migrate: Migrate
) -> None:
    migrate("stamp", "a2")
    with sqlite3.connect(two_branches.db_path) as connection:
        connection.execute("UPDATE migrate_version SET version_num = 'gone99'")
    assert recorded(two_branches) == ["gone99"]

    for args in (("a1:a2",), ("a2",)):
        result = migrate("stamp", "--purge", "--sql", *args)
        assert result.exit_code == 0, result.stderr
        assert "DELETE FROM migrate_version;" in result.stdout
        assert "CREATE TABLE migrate_version" not in result.stdout
        run_script(two_branches, result.stdout)
        assert recorded(two_branches) == ["a2"], args


def test_stamp_refuses_targets_on_one_line(two_branches: Project, migrate: Migrate) -> None:
    migrate("stamp", "n2")

    result = migrate("stamp", "a1", "a2")

    assert result.exit_code == 1
    assert "stamp targets overlap: a1 is below a2" in result.stderr
    assert recorded(two_branches) == ["n2"]
    assert migrate("stamp", "a2", "n1").exit_code == 0
    assert recorded(two_branches) == ["a2", "n1"]
