"""`history -r` with relative ends inside a branch, as branches.md writes them.

Found with a labelled branch: `-r -1:networking@head` worked, but
`-r networking@-1:networking@head` asked for "an applied revision to count
down from" although its END names one.
"""

from __future__ import annotations

from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Any


@pytest.fixture
def labelled(project: Project) -> Project:
    project.write_revision("a1", None, "main one")
    project.write_revision("n1", None, "net one", branch_labels="networking")
    project.write_revision("n2", "n1", "net two")
    project.write_revision("n3", "n2", "net three")
    return project


def revisions(migrate: Migrate, rev_range: str) -> list[str]:
    result = migrate("--json", "history", "-r", rev_range)
    assert result.exit_code == 0, result.stderr
    return [entry["revision"] for entry in result.json()]


def test_label_relative_start_counts_down_from_the_end(labelled: Project, migrate: Migrate) -> None:
    assert revisions(migrate, "-1:networking@head") == ["n3", "n2"]
    assert revisions(migrate, "networking@-1:networking@head") == ["n3", "n2"]
    assert revisions(migrate, "networking@-2:networking@head") == ["n3", "n2", "n1"]


def test_label_relative_end_counts_up_from_the_start(labelled: Project, migrate: Migrate) -> None:
    assert revisions(migrate, "n1:+1") == ["n2", "n1"]
    assert revisions(migrate, "n1:networking@+1") == ["n2", "n1"]


def test_relative_at_both_ends_is_refused(labelled: Project, migrate: Migrate) -> None:
    result = migrate("history", "-r", "networking@-1:networking@+1")

    assert result.exit_code == 1
    assert "relative at both ends" in result.stderr
