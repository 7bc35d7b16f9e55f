"""revgraph's errors reach the terminal with the `migrate` command that fixes them.

revgraph speaks in library terms; the command line swaps its advice for a command,
from one table keyed by error class (migrate_cli.revision_hints.HINTS).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from migrate_cli.revision_hints import HINTS, describe
from revgraph import MultipleHeads, Revision, RevisionError, RevisionMap, UnknownRevision

Project = Any  # conftest fixtures
Migrate = Any


def error_line(result: Any) -> str:
    assert result.exit_code == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_unknown_revision_points_at_history(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1a1", None)

    line = error_line(migrate("upgrade", "zzzz"))

    assert line == (
        "ERROR: no revision, prefix or branch label matches 'zzzz'; "
        "run `migrate history` to list revisions (the database is at base)"
    )


def test_several_heads_points_at_merge(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1a1", None)
    project.write_revision("b1b1", "a1a1")
    project.write_revision("c1c1", "a1a1")

    line = error_line(migrate("upgrade", "head"))

    assert "there are several heads (b1b1, c1c1)" in line
    assert "or merge them with `migrate merge heads`" in line
    assert "down_revision" not in line  # revgraph's library advice is replaced, not repeated


def test_show_of_an_unknown_revision_points_at_history(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1a1", None)

    line = error_line(migrate("show", "zzzz"))

    assert line.endswith("run `migrate history` to list revisions")
    assert "RevisionMap" not in line


def test_overlapping_database_heads_point_at_stamp_purge(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1a1", None)
    project.write_revision("b1b1", "a1a1")
    assert migrate("stamp", "b1b1").exit_code == 0
    with sqlite3.connect(project.db_path) as conn:
        conn.execute("INSERT INTO migrate_version (version_num) VALUES ('a1a1')")

    line = error_line(migrate("upgrade", "head"))

    assert "current revisions overlap: a1a1 already lies below b1b1" in line
    assert "`migrate stamp --purge REVISION...`" in line


@pytest.mark.parametrize("error_type", list(HINTS))
def test_every_hint_is_a_migrate_command(error_type: type[RevisionError]) -> None:
    text = HINTS[error_type](MultipleHeads(["b1", "c1"], "head"))
    assert "`migrate " in text


def test_an_error_without_a_hint_keeps_revgraph_advice() -> None:
    revision_map = RevisionMap([Revision("a1", None), Revision("b1", "a1")])
    with pytest.raises(RevisionError) as raised:
        revision_map.iterate_range("b1", "a1")
    assert describe(raised.value) == str(raised.value)


def test_subclasses_find_their_hint_through_the_mro() -> None:
    class NotFound(UnknownRevision):
        pass

    assert describe(NotFound("qq")).endswith("run `migrate history` to list revisions")
