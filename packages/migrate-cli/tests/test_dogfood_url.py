"""A database URL that cannot work is reported against sqlalchemy.url, not as env.py's crash.

Found by running `migrate upgrade head` right after `migrate init`, before
editing the URL (as the tutorial's first-time reader will): the error was
`env.py failed: NoSuchModuleError: Can't load plugin: sqlalchemy.dialects:driver`,
naming neither the setting nor the file to fix.
"""

from __future__ import annotations

import configparser
import importlib.util
from pathlib import Path
from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Any


def set_url(project: Project, url: str | None, section: str = "migrate") -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(project.ini, encoding="utf-8")
    if url is None:
        parser.remove_option(section, "sqlalchemy.url")
    else:
        parser.set(section, "sqlalchemy.url", url)
    with project.ini.open("w", encoding="utf-8") as handle:
        parser.write(handle)


def last_error(result: Any) -> str:
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("ERROR: ")
    return line


@pytest.mark.parametrize("args", [("upgrade", "head"), ("current",), ("upgrade", "head", "--sql")])
def test_the_url_init_wrote_is_reported_as_not_set(
    project: Project, migrate: Migrate, args: tuple[str, ...]
) -> None:
    set_url(project, "driver://user:pass@localhost/dbname")
    project.write_revision("a1", None)

    result = migrate(*args)

    assert result.exit_code == 1
    line = last_error(result)
    assert f"sqlalchemy.url in {project.ini} [migrate]" in line
    assert "the example `migrate init` wrote" in line and ":pass@" not in line


@pytest.mark.parametrize("url", ["not a url", "postgresql+psycopg://app:s3cret@db:notaport/app"])
def test_an_unparsable_url_names_the_setting(project: Project, migrate: Migrate, url: str) -> None:
    set_url(project, url)

    line = last_error(migrate("upgrade", "head"))

    assert f"sqlalchemy.url in {project.ini} [migrate] is not a usable database URL" in line
    assert "s3cret" not in line


def test_an_unknown_driver_names_the_setting(project: Project, migrate: Migrate) -> None:
    set_url(project, "postgresql+nosuchdriver://app:s3cret@db/app")

    line = last_error(migrate("current"))

    assert f"sqlalchemy.url in {project.ini} [migrate] is not a usable database URL" in line
    assert "nosuchdriver" in line and "s3cret" not in line


def test_a_driver_that_is_not_installed_names_the_setting(
    project: Project, migrate: Migrate
) -> None:
    if importlib.util.find_spec("MySQLdb") is not None:
        pytest.skip("mysqlclient is installed, so its driver is not missing")
    set_url(project, "mysql+mysqldb://app:s3cret@db/app")

    line = last_error(migrate("current"))

    assert f"sqlalchemy.url in {project.ini} [migrate] names driver 'mysqldb'" in line
    assert "not installed" in line and "s3cret" not in line


def test_another_failing_import_in_env_py_is_not_blamed_on_the_url(
    project: Project, migrate: Migrate
) -> None:
    env = project.script_dir / "env.py"
    env.write_text("import no_such_models_package\n" + env.read_text(encoding="utf-8"))

    line = last_error(migrate("current"))

    assert "No module named 'no_such_models_package'" in line
    assert "sqlalchemy.url" not in line


@pytest.mark.parametrize("url", [None, ""])
def test_a_missing_url_says_where_to_set_it(
    project: Project, migrate: Migrate, url: str | None
) -> None:
    set_url(project, url)

    line = last_error(migrate("upgrade", "head"))

    assert f"no database URL: set sqlalchemy.url in {project.ini} [migrate]" in line


def test_multidb_placeholder_names_the_database_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from migrate_cli.cli import get_cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    runner = CliRunner()
    assert runner.invoke(get_cli(), ["-q", "init", "-t", "multidb", "migrations"]).exit_code == 0

    result = runner.invoke(get_cli(), ["upgrade", "heads"])

    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    ini = tmp_path / "migrate.ini"
    assert f"sqlalchemy.url in {ini} [engine1]" in line and "`migrate init` wrote" in line


def test_a_working_url_in_env_py_is_not_second_guessed(project: Project, migrate: Migrate) -> None:
    """env.py may take the URL from elsewhere; a placeholder it ignores is no error."""
    set_url(project, "driver://user:pass@localhost/dbname")
    env = project.script_dir / "env.py"
    env.write_text(
        env.read_text(encoding="utf-8").replace(
            "config = context.config\n",
            "config = context.config\n"
            f"config.set_main_option('sqlalchemy.url', 'sqlite:///{project.db_path.as_posix()}')\n",
        ),
        encoding="utf-8",
    )
    project.write_revision("a1", None)

    assert migrate("upgrade", "head").exit_code == 0


def test_pyproject_only_without_url_says_to_add_migrate_ini(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from migrate_cli.cli import get_cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    runner = CliRunner()
    assert runner.invoke(get_cli(), ["-q", "init", "-t", "pyproject", "migrations"]).exit_code == 0
    (tmp_path / "migrate.ini").unlink()  # [tool.migrate] alone is enough for the scripts

    assert runner.invoke(get_cli(), ["heads"]).exit_code == 0
    result = runner.invoke(get_cli(), ["current"])

    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("ERROR: no database URL: set sqlalchemy.url in the [migrate] section")
    assert "migrate.ini" in line
