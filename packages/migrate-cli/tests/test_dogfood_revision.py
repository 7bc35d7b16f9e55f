"""`revision` and `merge` with several version locations, and branch-label checks.

Found following docs/migrate-cli/branches.md ("Separate directories per
line"): a new base without --version-path was told its *parents* live in
different locations; `merge heads` across two locations was told to pass
--version-path, which merge did not accept; and a bad --branch-label was
reported as a bad revision id, advising --rev-id.
"""

from __future__ import annotations

from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Any


@pytest.fixture
def two_locations(project: Project, migrate: Migrate) -> Project:
    (project.root / "networking" / "versions").mkdir(parents=True)
    project.set_option(
        "version_locations", "%(here)s/migrations/versions %(here)s/networking/versions"
    )
    assert (
        migrate(
            "revision", "-m", "first", "--rev-id", "a1", "--version-path", "migrations/versions"
        ).exit_code
        == 0
    )
    return project


def test_new_base_without_version_path_asks_for_one(
    two_locations: Project, migrate: Migrate
) -> None:
    result = migrate("revision", "-m", "net", "--head", "base", "--branch-label", "networking")

    assert result.exit_code == 1
    assert "several version locations" in result.stderr and "new base revision" in result.stderr
    assert "parents" not in result.stderr


def test_merge_across_version_locations_takes_version_path(
    two_locations: Project, migrate: Migrate
) -> None:
    migrate(
        "revision",
        "-m",
        "net",
        "--head",
        "base",
        "--branch-label",
        "networking",
        "--rev-id",
        "n1",
        "--version-path",
        "networking/versions",
    )

    refused = migrate("merge", "heads", "-m", "join", "--rev-id", "m1")
    assert refused.exit_code == 1 and "--version-path" in refused.stderr

    result = migrate(
        "--json",
        "merge",
        "heads",
        "-m",
        "join",
        "--rev-id",
        "m1",
        "--version-path",
        "networking/versions",
    )

    assert result.exit_code == 0, result.stderr
    [merged] = result.json()
    assert merged["down_revisions"] == ["a1", "n1"]
    assert merged["path"].startswith(str(two_locations.root / "networking" / "versions"))


def test_merge_api_takes_version_path(two_locations: Project, migrate: Migrate) -> None:
    from migrate_cli import command

    migrate(
        "revision",
        "-m",
        "net",
        "--head",
        "base",
        "--rev-id",
        "n1",
        "--version-path",
        "networking/versions",
    )
    config = two_locations.config()
    config.cmd_opts.quiet = True

    merged = command.merge(config, "heads", rev_id="m1", version_path="migrations/versions")

    assert merged.path.parent == two_locations.versions


@pytest.mark.parametrize("label", ["a b", "x@y", "net:1"])
def test_bad_branch_label_is_reported_as_a_label(
    project: Project, migrate: Migrate, label: str
) -> None:
    result = migrate("revision", "-m", "x", "--branch-label", label)

    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"ERROR: branch label {label!r} contains")
    assert "--branch-label" in line and "--rev-id" not in line
    assert not list(project.versions.glob("*.py"))
