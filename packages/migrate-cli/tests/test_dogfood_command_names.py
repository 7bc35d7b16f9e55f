"""Alembic's command names with underscores (`ensure_version`, `list_templates`) work too.

Found running a team's deploy script, ported by replacing `alembic` with
`migrate`: `migrate ensure_version` was "No such command".
"""

from __future__ import annotations

from typing import Any

Project = Any  # conftest fixtures
Migrate = Any


def test_underscore_names_run_the_dashed_commands(project: Project, migrate: Migrate) -> None:
    created = migrate("--json", "ensure_version")
    assert created.exit_code == 0, created.stderr
    assert created.json() == {"version_table": "migrate_version", "created": True}

    listed = migrate("--json", "list_templates")
    assert listed.exit_code == 0
    assert "generic" in {t["name"] for t in listed.json()["templates"]}


def test_unknown_command_is_still_a_usage_error(project: Project, migrate: Migrate) -> None:
    result = migrate("ensure_versions")

    assert result.exit_code == 2
    assert "No such command" in result.stderr
