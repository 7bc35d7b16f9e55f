"""`migrate verify` run as a user would, on SQLite: each problem it must catch, and no others."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Callable[..., Any]


@pytest.fixture
def applied(project: Project, migrate: Migrate) -> Project:
    """a1 -> b2 -> c3, all applied with the log on."""
    project.write_revision("a1", None, "create account", upgrade="op.execute('SELECT 1')")
    project.write_revision("b2", "a1", "add email")
    project.write_revision("c3", "b2", "add phone")
    assert migrate("upgrade", "head").exit_code == 0
    return project


def sql(project: Project, statement: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(project.db_path) as connection:
        return connection.execute(statement, params).fetchall()


def test_a_clean_history_verifies(applied: Project, migrate: Migrate) -> None:
    result = migrate("verify")
    assert result.exit_code == 0, result.stderr
    assert "OK: 3 applied revision(s), 3 checked" in result.stdout
    document = migrate("--json", "verify").json()
    assert document["ok"] is True and document["problems"] == []
    assert document["applied"] == ["a1", "b2", "c3"]


def test_editing_an_applied_script_is_caught_with_its_path(
    applied: Project, migrate: Migrate
) -> None:
    path = applied.versions / "b2_add_email.py"
    path.write_text(path.read_text().replace("pass", "op.add_column('t', sa.Column('x'))", 1))
    result = migrate("verify")
    assert result.exit_code == 1
    assert f"checksum-mismatch: b2: {path} changed since b2 was applied" in result.stdout
    assert str(path) in result.stderr  # the one-line error names the file too
    document = migrate("--json", "verify").json()
    assert [(p["kind"], p["revision"], p["path"]) for p in document["problems"]] == [
        ("checksum-mismatch", "b2", str(path))
    ]
    accepted = migrate("verify", "--accept", "b2")
    assert accepted.exit_code == 0, accepted.stderr
    assert "recorded a baseline checksum for b2" in accepted.stdout
    assert migrate("verify").exit_code == 0


def test_line_endings_alone_are_not_an_edit(applied: Project, migrate: Migrate) -> None:
    path = applied.versions / "c3_add_phone.py"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert migrate("verify").exit_code == 0


def test_a_missing_script_of_an_applied_revision(applied: Project, migrate: Migrate) -> None:
    (applied.versions / "c3_add_phone.py").unlink()
    result = migrate("verify")
    assert result.exit_code == 1
    assert "missing-script: c3: the version table records c3 but no script defines it" in (
        result.stdout
    )


def test_a_revision_inserted_below_applied_ones_is_out_of_order(
    applied: Project, migrate: Migrate
) -> None:
    # A teammate's revision x slid in under b2 after b2 had run here: x never ran.
    applied.write_revision("x9", "a1", "late branch")
    path = applied.versions / "b2_add_email.py"
    path.write_text(path.read_text().replace("down_revision = 'a1'", "down_revision = 'x9'"))
    result = migrate("--json", "verify")
    assert result.exit_code == 1
    kinds = {(p["kind"], p["revision"]) for p in result.json()["problems"]}
    assert ("out-of-order", "x9") in kinds
    text = migrate("verify").stdout
    assert "out-of-order: x9: x9 (" in text and "is below applied revision b2" in text
    assert migrate("verify", "--accept", "x9", "--accept", "b2").exit_code == 0


def test_a_branch_merged_and_applied_normally_is_not_out_of_order(
    applied: Project, migrate: Migrate
) -> None:
    applied.write_revision("d4", "a1", "side branch")
    applied.write_revision("m5", ("c3", "d4"), "merge")
    assert migrate("upgrade", "head").exit_code == 0
    result = migrate("verify")
    assert result.exit_code == 0, result.stdout
    assert "5 applied revision(s), 5 checked" in result.stdout


def test_a_database_migrated_before_the_log_needs_a_baseline_only_for_checksums(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1", None, "one")
    project.write_revision("b2", "a1", "two")
    project.set_option("migration_log", "false")
    assert migrate("upgrade", "b2").exit_code == 0
    assert "migrate_log" not in {r[0] for r in sql(project, "SELECT name FROM sqlite_master")}
    project.set_option("migration_log", "true")
    project.write_revision("c3", "b2", "three")
    assert migrate("upgrade", "head").exit_code == 0
    first = migrate("verify")
    assert first.exit_code == 0, first.stdout
    assert "note: 2 applied revision(s) have no checksum on record" in first.stdout
    baseline = migrate("verify", "--baseline")
    assert baseline.exit_code == 0
    assert "recorded a baseline checksum for a1" in baseline.stdout
    rows = sql(project, "SELECT revision, direction, checksum IS NULL FROM migrate_log")
    assert rows == [
        ("b2", "baseline", 1),  # the marker the log starts with: b2 and below came before it
        ("c3", "upgrade", 0),
        ("a1", "baseline", 0),
        ("b2", "baseline", 0),
    ]
    after = migrate("--json", "verify").json()
    assert after["ok"] and after["unchecked"] == []


def test_a_version_row_below_another_is_not_a_head(applied: Project, migrate: Migrate) -> None:
    sql(applied, "INSERT INTO migrate_version (version_num) VALUES ('a1')")
    result = migrate("verify")
    assert result.exit_code == 1
    assert "not-a-head: a1: the version table records a1, which is below another" in (result.stdout)


def test_a_row_left_running_is_reported_until_the_revision_runs_again(
    applied: Project, migrate: Migrate
) -> None:
    applied.write_revision("d4", "c3", "interrupted one")
    sql(
        applied,
        "INSERT INTO migrate_log (revision, direction, outcome, started_at, tool_version, host)"
        " VALUES ('d4', 'upgrade', 'running', '2026-01-02 03:04:05', '0.1.0', 'build-7')",
    )
    result = migrate("verify")
    assert result.exit_code == 1
    assert "running: d4: upgrade d4 started 2026-01-02 03:04:05 UTC by build-7" in result.stdout
    assert migrate("upgrade", "head").exit_code == 0
    assert migrate("verify").exit_code == 0


def test_pending_rows_are_no_attempt_for_verify_or_log(applied: Project, migrate: Migrate) -> None:
    """A MySQL/MariaDB run killed half-way leaves the rows it planned for the migrations it
    never started `pending`: not an attempt, whatever revision they name (one not applied,
    one whose last real row is `applied`, one no script defines)."""
    applied.write_revision("d4", "c3", "planned, never started")
    for revision in ("d4", "c3", "gone9"):
        sql(
            applied,
            "INSERT INTO migrate_log (revision, direction, outcome, started_at, tool_version)"
            " VALUES (?, 'upgrade', 'pending', '2026-01-02 03:04:05', '0.1.0')",
            revision,
        )
    result = migrate("verify")
    assert result.exit_code == 0, result.stdout
    assert "OK: 3 applied revision(s), 3 checked" in result.stdout
    shown = migrate("--json", "log").json()
    assert [row["outcome"] for row in shown] == ["applied"] * 3
    assert "pending" not in migrate("log").stdout
    assert [row["revision"] for row in migrate("--json", "log", "-n", "1").json()] == ["c3"]
    # Nor does one hide a `running` row before it: that attempt is still the last one.
    for outcome in ("running", "pending"):
        sql(
            applied,
            "INSERT INTO migrate_log (revision, direction, outcome, started_at, tool_version)"
            " VALUES ('d4', 'upgrade', ?, '2026-01-02 03:04:05', '0.1.0')",
            outcome,
        )
    result = migrate("verify")
    assert result.exit_code == 1
    assert "running: d4: upgrade d4 started 2026-01-02 03:04:05 UTC" in result.stdout


def test_verify_on_a_database_without_a_log(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, "one")
    result = migrate("verify")
    assert result.exit_code == 0
    assert "OK: 0 applied revision(s)" in result.stdout
