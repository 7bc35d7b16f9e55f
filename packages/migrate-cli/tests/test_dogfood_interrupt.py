"""Ctrl-C on the command line: one ERROR line and exit status 130, not Click's "Aborted!"."""

from __future__ import annotations

from typing import Any

Project = Any  # conftest fixtures
Migrate = Any


def test_ctrl_c_outside_a_migration_exits_130_with_advice(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1", None)
    env = project.script_dir / "env.py"
    env.write_text("raise KeyboardInterrupt\n" + env.read_text(encoding="utf-8"), encoding="utf-8")

    result = migrate("--json", "upgrade", "head")

    assert result.exit_code == 130
    assert "Aborted!" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "ERROR: interrupted (Ctrl-C); run `migrate current` to see where the database is"
    )
    assert "interrupted" in result.json()["error"]


def test_ctrl_c_in_a_migration_names_it_on_sqlite(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, upgrade='op.create_table("t", sa.Column("id", sa.Integer))')
    project.write_revision("b2", "a1", upgrade="raise KeyboardInterrupt")

    result = migrate("upgrade", "head")

    assert result.exit_code == 130
    last = result.stderr.splitlines()[-1]
    assert last.startswith("ERROR: upgrade b2 (") and "was interrupted (Ctrl-C)" in last
    assert "the whole run was rolled back; the database is still at no revision" in last
    assert migrate("current").stdout == ""
