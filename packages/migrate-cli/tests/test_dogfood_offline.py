"""A bad --sql range writes no SQL at all: a DBA's `> upgrade.sql` must not get half a script.

Found running `migrate upgrade zz:head --sql > upgrade.sql`: the file got
`BEGIN;` (written by env.py's begin_transaction) before the error.
"""

from __future__ import annotations

from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Any


@pytest.mark.parametrize(
    "args",
    [
        ("upgrade", "zz:head"),
        ("upgrade", "a1:zz"),
        ("upgrade", "b2:+5"),
        ("downgrade", "zz:base"),
        ("downgrade", "b2:zz"),
        ("stamp", "zz:a1"),
        ("stamp", "a1:zz"),
    ],
)
def test_bad_offline_range_writes_nothing(
    project: Project, migrate: Migrate, args: tuple[str, ...]
) -> None:
    project.write_revision("a1", None)
    project.write_revision("b2", "a1")

    result = migrate(*args, "--sql")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("ERROR: ")


def test_good_offline_range_still_writes_the_script(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None)
    project.write_revision("b2", "a1")

    result = migrate("upgrade", "a1:b2", "--sql")

    assert result.exit_code == 0
    assert "UPDATE migrate_version SET version_num='b2'" in result.stdout
