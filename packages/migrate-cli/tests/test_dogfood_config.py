"""Config mistakes a team makes when it keeps several environments in one ini file."""

from __future__ import annotations

from typing import Any

Project = Any  # conftest fixtures
Migrate = Any


def test_unknown_section_names_the_sections_that_exist(project: Project, migrate: Migrate) -> None:
    project.set_option("script_location", "%(here)s/migrations", section="staging")

    result = migrate("-n", "stagin", "heads")

    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"ERROR: no section [stagin] in {project.ini}")
    assert "migrate, staging" in line and "-n/--name" in line


def test_known_section_without_script_location_says_so(project: Project, migrate: Migrate) -> None:
    project.set_option("sqlalchemy.url", "sqlite://", section="staging")

    result = migrate("-n", "staging", "heads")

    assert result.exit_code == 1
    assert f"no script_location in {project.ini} [staging]" in result.stderr
