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


FAILS_HALF_WAY = 'op.create_table("t2", sa.Column("id", sa.Integer))\n    raise RuntimeError("x")'
BREAKAGES = {
    "import error": {"upgrade": "pass", "downgrade": "pass", "extra": "import no_such_x\n"},
    "syntax error": {"upgrade": "pass", "downgrade": "pass", "extra": "def broken(:\n  pass\n"},
    "fails half-way": {
        "upgrade": FAILS_HALF_WAY,
        "downgrade": 'op.drop_table("t1")\n    raise RuntimeError("x")',
        "extra": "",
    },
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
@pytest.mark.parametrize(
    "args", [("upgrade", "head"), ("upgrade", "a1:head"), ("downgrade", "b2:base")]
)
def test_a_broken_revision_writes_no_sql_to_stdout(
    project: Project, migrate: Migrate, breakage: str, args: tuple[str, ...]
) -> None:
    """`upgrade head --sql | psql` must never receive `BEGIN;` and half the DDL."""
    spec = BREAKAGES[breakage]
    project.write_revision("a1", None, upgrade='op.create_table("t1", sa.Column("id", sa.Integer))')
    path = project.write_revision("b2", "a1", upgrade=spec["upgrade"], downgrade=spec["downgrade"])
    path.write_text(path.read_text(encoding="utf-8") + spec["extra"], encoding="utf-8")

    result = migrate(*args, "--sql")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("ERROR: ")
    assert "b2" in result.stderr


def test_a_stamp_of_an_unknown_revision_writes_no_sql(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None)

    result = migrate("stamp", "zzzz", "--sql")

    assert (result.exit_code, result.stdout) == (1, "")
    assert "zzzz" in result.stderr


def test_a_good_script_is_still_written_whole(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, upgrade='op.create_table("t1", sa.Column("id", sa.Integer))')

    result = migrate("upgrade", "head", "--sql")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("BEGIN;")
    assert "CREATE TABLE t1" in result.stdout
    assert result.stdout.rstrip().endswith("COMMIT;")
