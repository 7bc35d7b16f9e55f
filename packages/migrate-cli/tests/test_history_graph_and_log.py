"""`migrate graph` (ascii lanes, mermaid, dot) and `migrate log`, run as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from migrate_cli.history.graph import Node, render_ascii

Project = Any  # conftest fixtures
Migrate = Callable[..., Any]


@pytest.fixture
def branched(project: Project) -> Project:
    """a1 -> b2, then a labelled branch c3 -> e5 and d4 side by side, merged by f6;
    g7 depends on c3."""
    project.write_revision("a1", None, "create account table")
    project.write_revision("b2", "a1", "add email to account")
    project.write_revision("c3", "b2", "create invoice table", branch_labels="billing")
    project.write_revision("d4", "b2", "index account email")
    project.write_revision("e5", "c3", "invoice totals")
    project.write_revision("f6", ("d4", "e5"), "merge billing into main")
    project.write_revision("g7", "f6", "audit log", depends_on="c3")
    return project


def test_ascii_graph_draws_lanes_for_branches_and_merges(
    branched: Project, migrate: Migrate
) -> None:
    result = migrate("graph")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "*  g7 (head) [depends on c3] audit log",
        "*  f6 merge billing into main",
        "|\\",
        "* |  d4 index account email",
        "| *  e5 invoice totals",
        "| *  c3 (label: billing) create invoice table",
        "|/",
        "*  b2 add email to account",
        "*  a1 create account table",
    ]


def test_ascii_graph_marks_the_current_revisions(branched: Project, migrate: Migrate) -> None:
    assert migrate("upgrade", "d4").exit_code == 0
    lines = migrate("graph", "--current").stdout.splitlines()
    assert "o |  d4 (current) index account email" in lines
    document = migrate("--json", "graph", "--current").json()
    assert document["current"] == ["d4"] and document["heads"] == ["g7"]


def test_a_long_linear_history_fits_80_columns() -> None:
    nodes = [
        Node(f"{n:012x}", (f"{n - 1:012x}",) if n else (), message="word " * 40, is_head=n == 49)
        for n in reversed(range(50))
    ]
    lines = render_ascii(nodes)
    assert len(lines) == 50
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].startswith("*  000000000031 (head) word word")
    assert lines[0].endswith("…")


def test_three_branches_close_one_column_at_a_time() -> None:
    nodes = [
        Node("x", ("a",), is_head=True),
        Node("y", ("a",), is_head=True),
        Node("z", ("a",), is_head=True),
        Node("a", ()),
    ]
    assert render_ascii(nodes) == [
        "*  x (head)",
        "| *  y (head)",
        "| | *  z (head)",
        "|/ /",
        "|/",
        "*  a",
    ]


def test_mermaid_shows_dependencies_dashed_and_heads(branched: Project, migrate: Migrate) -> None:
    lines = migrate("graph", "--format", "mermaid").stdout.splitlines()
    assert lines[0] == "flowchart BT"
    assert '    r_c3["c3 (label: billing)<br/>create invoice table"]' in lines
    assert "    r_d4 --> r_f6" in lines and "    r_e5 --> r_f6" in lines
    assert "    r_c3 -.-> r_g7" in lines
    assert "    class r_g7 head" in lines


def test_dot_output_is_accepted_by_graphviz(branched: Project, migrate: Migrate) -> None:
    source = migrate("graph", "--format", "dot").stdout
    assert '"c3" -> "g7" [style=dashed];' in source
    dot = shutil.which("dot")
    if dot is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz `dot` is not installed (CI=true: apt-get install -y graphviz)")
        pytest.skip("Graphviz `dot` is not installed; apt-get install -y graphviz to run this")
    rendered = subprocess.run(
        [dot, "-Tsvg"], input=source, capture_output=True, text=True, check=False
    )
    assert rendered.returncode == 0, rendered.stderr
    assert "<svg" in rendered.stdout and "audit log" in rendered.stdout


def test_log_lists_what_ran_newest_first(branched: Project, migrate: Migrate) -> None:
    empty = migrate("log")
    assert empty.exit_code == 0 and "no migration log in this database yet" in empty.stdout
    assert migrate("upgrade", "e5").exit_code == 0
    assert migrate("downgrade", "-1").exit_code == 0
    lines = migrate("log").stdout.splitlines()
    assert [line.split()[2:5] for line in lines] == [
        ["downgrade", "e5", "applied"],
        ["upgrade", "e5", "applied"],
        ["upgrade", "c3", "applied"],
        ["upgrade", "b2", "applied"],
        ["upgrade", "a1", "applied"],
    ]
    assert lines[0].endswith("migrate 0.1.0")
    assert len(migrate("log", "-n", "2").stdout.splitlines()) == 2
    only = migrate("log", "--revision", "c3").stdout.splitlines()
    assert [line.split()[2:4] for line in only] == [["upgrade", "c3"]]
    rows = migrate("--json", "log", "-r", "e5").json()
    assert [(r["direction"], r["revision"], r["outcome"]) for r in rows] == [
        ("downgrade", "e5", "applied"),
        ("upgrade", "e5", "applied"),
    ]
    assert rows[0]["started_at"].endswith("Z") and rows[0]["checksum"]
    assert migrate("log", "-n", "0").exit_code == 1


def test_log_says_when_it_is_turned_off(branched: Project, migrate: Migrate) -> None:
    branched.set_option("migration_log", "false")
    assert migrate("upgrade", "a1").exit_code == 0
    result = migrate("log")
    assert result.exit_code == 0
    assert "the migration log is turned off (migration_log = false)" in result.stdout
    assert "no migration log in this database yet" not in result.stdout


def test_separate_trees_are_kept_apart() -> None:
    nodes = [Node("b2", ("b1",), is_head=True), Node("b1", ()), Node("a1", (), is_head=True)]
    assert render_ascii(nodes) == ["*  b2 (head)", "*  b1", "", "*  a1 (head)"]
