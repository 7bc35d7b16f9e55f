"""The heads snapshot: `upgrade head` at head and `current` without building the graph.

Each test compares what the commands do with the snapshot against what they do
without it (the file deleted, so the graph is read), and checks that any change
to the revision files is seen.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from migrate_cli.script import directory
from revgraph import RevisionMap

Project = Any  # conftest fixtures
Migrate = Any


@pytest.fixture
def graph_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many revision graphs the script directory builds (one entry per build)."""
    builds: list[int] = []

    class CountedMap(RevisionMap):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            builds.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(directory, "RevisionMap", CountedMap)
    return builds


def snapshot_file(project: Project) -> Path:
    return project.versions / "__pycache__" / "migrate-heads.json"


def recorded(project: Project) -> list[str]:
    with sqlite3.connect(project.db_path) as connection:
        rows = connection.execute("SELECT version_num FROM migrate_version").fetchall()
    return sorted(row[0] for row in rows)


def current_outputs(migrate: Migrate) -> tuple[str, str, Any]:
    return (
        migrate("current").stdout,
        migrate("current", "--verbose").stdout,
        migrate("--json", "current").json(),
    )


def test_at_head_runs_use_the_snapshot_and_show_the_same(
    project: Project, migrate: Migrate, graph_builds: list[int]
) -> None:
    project.write_revision("a1", None, "first")
    project.write_revision("b2", "a1", "second", branch_labels="core")
    assert migrate("upgrade", "head").exit_code == 0
    assert snapshot_file(project).is_file()

    graph_builds.clear()
    assert migrate("upgrade", "head").exit_code == 0
    assert migrate("upgrade", "heads").exit_code == 0
    with_snapshot = current_outputs(migrate)
    assert migrate("current", "--check-heads").exit_code == 0
    assert graph_builds == []

    snapshot_file(project).unlink()
    from_graph = current_outputs(migrate)
    assert graph_builds == [1]
    assert with_snapshot == from_graph
    assert from_graph[0] == "b2 (core) (head)\n"
    assert from_graph[2]["current"][0]["is_current"] is True


def test_a_new_revision_is_seen_and_applied(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, "first")
    migrate("upgrade", "head")
    project.write_revision("b2", "a1", "second")

    assert migrate("upgrade", "head").exit_code == 0
    assert recorded(project) == ["b2"]


def test_an_edit_in_place_with_the_same_size_is_seen(project: Project, migrate: Migrate) -> None:
    path = project.write_revision("a1", None, "first")
    migrate("upgrade", "head")
    assert "    first" in migrate("current", "--verbose").stdout
    before = path.stat()
    path.write_text(path.read_text().replace("first", "FIRST"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert path.stat().st_size == before.st_size

    assert "    FIRST" in migrate("current", "--verbose").stdout


def test_a_database_behind_or_off_the_heads_reads_the_graph(
    project: Project, migrate: Migrate, graph_builds: list[int]
) -> None:
    project.write_revision("a1", None, "first")
    project.write_revision("b2", "a1", "second")
    migrate("upgrade", "head")
    migrate("downgrade", "a1")
    graph_builds.clear()

    result = migrate("current", "--check-heads")
    assert result.exit_code == 1
    assert "not at the head(s) b2" in result.stderr
    assert graph_builds == [1]
    assert migrate("upgrade", "head").exit_code == 0
    assert recorded(project) == ["b2"]


def test_branched_heads(project: Project, migrate: Migrate, graph_builds: list[int]) -> None:
    project.write_revision("a1", None, "first")
    project.write_revision("b2", "a1", "left")
    project.write_revision("c3", "a1", "right")
    assert migrate("upgrade", "heads").exit_code == 0
    graph_builds.clear()

    assert migrate("upgrade", "heads").exit_code == 0
    assert graph_builds == []
    # `head` with two heads is the graph's error, snapshot or not.
    result = migrate("upgrade", "head")
    assert result.exit_code == 1
    assert "heads" in result.stderr
    snapshot_file(project).unlink()
    assert migrate("upgrade", "head").stderr == result.stderr


def test_a_head_only_depended_on_is_left_to_the_graph(
    project: Project, migrate: Migrate, graph_builds: list[int]
) -> None:
    project.write_revision("a1", None, "first")
    project.write_revision("lib1", None, "library", branch_labels="lib")
    project.write_revision("b2", "a1", "uses the library", depends_on="lib1")
    assert migrate("upgrade", "heads").exit_code == 0
    assert recorded(project) == ["b2"]
    graph_builds.clear()

    assert migrate("upgrade", "heads").exit_code == 0
    assert recorded(project) == ["b2"]
    assert graph_builds == [1]


def test_a_computed_header_is_never_snapshotted(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, "first")
    path = project.write_revision("b2", "a1", "second")
    computed = "_parent = ['a1']\ndown_revision = _parent[0]"
    path.write_text(path.read_text().replace("down_revision = 'a1'", computed))
    assert migrate("upgrade", "head").exit_code == 0
    assert recorded(project) == ["b2"]
    assert not snapshot_file(project).exists()


def test_a_damaged_snapshot_only_costs_speed(
    project: Project, migrate: Migrate, graph_builds: list[int]
) -> None:
    project.write_revision("a1", None, "first")
    migrate("upgrade", "head")
    snapshot_file(project).write_text('{"fingerprint": 1, "heads": ')
    graph_builds.clear()

    assert migrate("current").stdout == "a1 (head)\n"
    assert graph_builds == [1]
    assert migrate("current").stdout == "a1 (head)\n"  # written again, and used
    assert graph_builds == [1]
