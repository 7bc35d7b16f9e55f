"""`show current`, `edit` and `history -r current:...` against what the database records.

Found after `migrate stamp` by hand and after deleting a revision file that a
database still recorded: `show current` printed wrong markers, and `show
current` and `edit` crashed with a KeyError traceback.
"""

from __future__ import annotations

import sqlite3
from typing import Any

Project = Any  # conftest fixtures
Migrate = Any


def linear(project: Project) -> None:
    project.write_revision("a1", None, "first")
    project.write_revision("b2", "a1", "second")
    project.write_revision("c3", "b2", "third")


def record(project: Project, revision: str) -> None:
    """What a database left behind by a deleted revision file looks like."""
    with sqlite3.connect(project.db_path) as connection:
        connection.execute("UPDATE migrate_version SET version_num = ?", (revision,))


def test_show_current_marks_a_revision_below_the_head_correctly(
    project: Project, migrate: Migrate
) -> None:
    linear(project)
    migrate("upgrade", "b2")

    result = migrate("show", "current")

    assert result.exit_code == 0
    first_line = result.stdout.splitlines()[0]
    assert first_line == "Rev: b2 (current)"
    document = migrate("--json", "show", "current").json()
    assert [(r["revision"], r["is_head"], r["is_current"]) for r in document] == [
        ("b2", False, True)
    ]


def test_show_current_with_an_unknown_recorded_revision_is_one_line(
    project: Project, migrate: Migrate
) -> None:
    linear(project)
    migrate("upgrade", "head")
    record(project, "gone42")

    result = migrate("show", "current")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("ERROR: ")
    assert "gone42" in result.stderr and "stamp --purge" in result.stderr


def test_edit_current_with_an_unknown_recorded_revision_is_one_line(
    project: Project, migrate: Migrate, monkeypatch: Any
) -> None:
    linear(project)
    migrate("upgrade", "head")
    record(project, "gone42")
    monkeypatch.setenv("EDITOR", "true")

    result = migrate("edit")

    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("ERROR: ")
    assert "gone42" in result.stderr and "stamp --purge" in result.stderr


def test_history_from_an_unknown_current_revision_names_it(
    project: Project, migrate: Migrate
) -> None:
    linear(project)
    migrate("upgrade", "head")
    record(project, "gone42")

    for rev_range in ("current:", "-1:current"):
        result = migrate("history", "-r", rev_range)
        assert result.exit_code == 1, rev_range
        assert "gone42" in result.stderr and "no script defines" in result.stderr, rev_range
