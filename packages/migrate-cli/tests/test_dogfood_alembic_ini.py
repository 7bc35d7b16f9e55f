"""An alembic.ini carried over: Alembic's `version_path_separator` is honoured.

Found pointing `migrate -c alembic.ini -n alembic` at a project with two
version locations joined by `os.pathsep`, as Alembic's
`version_path_separator = os` allows: the two paths were read as one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate_cli import Config
from migrate_cli.cli import get_cli

ALEMBIC_INI = """\
[alembic]
script_location = %(here)s/alembic
prepend_sys_path = .
version_path_separator = {separator}
version_locations = %(here)s/alembic/versions{joiner}%(here)s/plugin/versions
sqlalchemy.url = sqlite:///%(here)s/app.db
"""


@pytest.mark.parametrize(("separator", "joiner"), [("os", ":"), (";", ";"), ("space", " ")])
def test_version_path_separator_splits_version_locations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, separator: str, joiner: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))  # prepend_sys_path = . adds tmp_path
    runner = CliRunner()
    assert runner.invoke(get_cli(), ["-q", "init", "alembic"]).exit_code == 0
    (tmp_path / "migrate.ini").unlink()
    (tmp_path / "plugin" / "versions").mkdir(parents=True)
    ini = tmp_path / "alembic.ini"
    ini.write_text(ALEMBIC_INI.format(separator=separator, joiner=joiner), encoding="utf-8")

    result = runner.invoke(
        get_cli(),
        [
            "-c",
            str(ini),
            "-n",
            "alembic",
            "--json",
            "revision",
            "-m",
            "plugin base",
            "--head",
            "base",
            "--version-path",
            "plugin/versions",
        ],
    )

    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "plugin" / "versions").glob("*_plugin_base.py"))) == 1


def test_path_separator_wins_over_version_path_separator(tmp_path: Path) -> None:
    from migrate_cli import Config

    ini = tmp_path / "alembic.ini"
    ini.write_text("[alembic]\npath_separator = ;\nversion_path_separator = os\n")

    assert Config(ini, ini_section="alembic").path_separator() == ";"


def test_flask_migrate_layout_is_its_own_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flask-Migrate keeps alembic.ini (no script_location) inside the environment directory."""
    monkeypatch.chdir(tmp_path)
    env = tmp_path / "migrations"
    (env / "versions").mkdir(parents=True)
    (env / "env.py").write_text("")
    (env / "alembic.ini").write_text("[alembic]\n\n[loggers]\nkeys = root\n")
    (env / "versions" / "a1_first.py").write_text(
        '"""first"""\nrevision = "a1"\ndown_revision = None\n'
    )

    result = CliRunner().invoke(get_cli(), ["-c", "migrations/alembic.ini", "heads"])

    assert result.exit_code == 0, result.output
    assert result.stdout == "a1 (head)\n"


def _alembic_layout(root: Path) -> None:
    env = root / "alembic"
    (env / "versions").mkdir(parents=True)
    (env / "env.py").write_text("")
    (env / "versions" / "a1_first.py").write_text(
        '"""first"""\nrevision = "a1"\ndown_revision = None\n'
    )


def test_tool_alembic_in_pyproject_alone_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    _alembic_layout(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\n\n[tool.alembic]\nscript_location = "%(here)s/alembic"\n'
    )

    result = CliRunner().invoke(get_cli(), ["heads"])

    assert result.exit_code == 0, result.output
    assert result.stdout == "a1 (head)\n"


def test_explicit_alembic_ini_is_read_from_its_alembic_section(tmp_path: Path) -> None:
    from migrate_cli.config import locate_config

    _alembic_layout(tmp_path)
    ini = tmp_path / "settings.ini"
    ini.write_text("[alembic]\nscript_location = %(here)s/alembic\n")

    location = locate_config(str(ini), None, cwd=tmp_path)
    chosen = locate_config(str(ini), "other", cwd=tmp_path)

    assert (location.ini_section, chosen.ini_section) == ("alembic", "other")
    config = Config(location.ini, ini_section=location.ini_section)
    assert config.is_alembic_project
    assert config.get_main_option("script_location") == f"{tmp_path}/alembic"


def test_a_migrate_ini_wins_over_alembic_ini(tmp_path: Path) -> None:
    from migrate_cli.config import locate_config

    (tmp_path / "alembic.ini").write_text("[alembic]\n")
    (tmp_path / "migrate.ini").write_text("[migrate]\n")

    location = locate_config(None, None, cwd=tmp_path)

    assert location.ini == str(tmp_path / "migrate.ini")
    assert location.ini_section == "migrate"
