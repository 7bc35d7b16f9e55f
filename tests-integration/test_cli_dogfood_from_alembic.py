"""A database Alembic has been migrating is not migrated again from base by mistake.

Found moving a project from Alembic: with env.py not yet told to use
`alembic_version`, `migrate upgrade head` saw no version table of its own and
ran every migration from the first one against the already-migrated schema,
stopping only when one collided with an existing table (after committing the
ones before it on MariaDB).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from dbtesting import LiveDatabase
from liveproject import LiveProject

from migrate_cli import command
from migrate_cli.cli import get_cli
from migrate_cli.errors import CommandError

Project = LiveProject


@pytest.fixture
def alembic_database(tmp_path: Path, db: LiveDatabase) -> Project:
    """Two revisions Alembic applied: the tables exist and alembic_version records b2."""
    project = Project(tmp_path, db)
    project.add("a1", None, 'op.execute("INSERT INTO audit VALUES (1)")', message="data fix")
    project.add_table("b2", "a1", "account")
    project.add_table("c3", "b2", "invoice")
    with db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE audit (id INTEGER)")
        connection.exec_driver_sql("CREATE TABLE account (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.exec_driver_sql("INSERT INTO alembic_version VALUES ('b2')")
    return project


def audit_rows(project: Project) -> int:
    with project.engine.connect() as connection:
        return connection.execute(sa.text("SELECT COUNT(*) FROM audit")).scalar_one()


def test_upgrade_refuses_to_start_from_base_beside_alembic_version(
    alembic_database: Project,
) -> None:
    with pytest.raises(CommandError) as raised:
        command.upgrade(alembic_database.config(), "head")

    message = str(raised.value)
    assert "alembic_version" in message and "version_table='alembic_version'" in message
    assert "ensure-version" in message
    assert audit_rows(alembic_database) == 0  # the data migration did not run again
    assert "migrate_version" not in alembic_database.tables()
    assert "invoice" not in alembic_database.tables()


def test_with_alembic_version_configured_it_carries_on(alembic_database: Project) -> None:
    options = {"version_table": "alembic_version"}

    command.upgrade(alembic_database.config(configure_options=options), "head")

    assert alembic_database.heads(**options) == ("c3",)
    assert "invoice" in alembic_database.tables() and audit_rows(alembic_database) == 0


def test_ensure_version_says_the_new_table_is_meant(alembic_database: Project) -> None:
    """Another tool's alembic_version in the same database: create ours, then migrate."""
    command.ensure_version(alembic_database.config())
    alembic_database.add("b2", "a1", message="nothing to create")  # account exists already
    alembic_database.add("c3", "b2", message="nothing either")

    command.upgrade(alembic_database.config(), "head")

    assert alembic_database.heads() == ("c3",) and audit_rows(alembic_database) == 1


def alembic_ini(project: Project) -> Path:
    ini = project.env_dir.parent / "migrate.ini"
    ini.write_text(
        f"[migrate]\nscript_location = {project.env_dir}\n"
        f"sqlalchemy.url = {project.url.replace('%', '%%')}\n"
    )
    return ini


def run_cli(project: Project, *args: str) -> Result:
    return CliRunner().invoke(get_cli(), ["-c", str(alembic_ini(project)), *args])


def assert_explains_alembic_version(message: str) -> None:
    """The same advice `upgrade head` gives (one message, written once)."""
    assert "has no migrate_version table but has Alembic's alembic_version" in message
    assert "pass version_table='alembic_version' to context.configure() in env.py" in message
    assert "`migrate ensure-version`" in message


def test_current_does_not_report_base_beside_alembic_version(alembic_database: Project) -> None:
    """It printed nothing and exited 0: "no revision", for a database Alembic migrated."""
    with pytest.raises(CommandError) as raised:
        command.current(alembic_database.config())

    assert_explains_alembic_version(str(raised.value))
    assert "its revision cannot be shown" in str(raised.value)
    assert "migrate_version" not in alembic_database.tables()


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["text", "json"])
@pytest.mark.parametrize(
    "command_args",
    [("current",), ("current", "--verbose"), ("check",), ("downgrade", "base")],
    ids=" ".join,
)
def test_the_command_line_says_so_with_exit_1(
    alembic_database: Project, json_flag: tuple[str, ...], command_args: tuple[str, ...]
) -> None:
    result = run_cli(alembic_database, *json_flag, *command_args)

    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ")]
    assert len(errors) == 1
    assert_explains_alembic_version(errors[0])
    if json_flag:
        assert json.loads(result.stdout) == {"error": errors[0].removeprefix("ERROR: ")}
    else:
        assert result.stdout == ""


def test_current_with_alembic_version_configured_shows_alembics_revision(
    alembic_database: Project,
) -> None:
    config = alembic_database.config(configure_options={"version_table": "alembic_version"})

    command.current(config)

    assert alembic_database.output.getvalue().split()[0] == "b2"


def test_current_after_ensure_version_reads_the_new_table(alembic_database: Project) -> None:
    """Another tool's alembic_version: once ours exists, `current` answers from it."""
    command.ensure_version(alembic_database.config())

    command.current(alembic_database.config())

    assert alembic_database.output.getvalue().strip() == ""
