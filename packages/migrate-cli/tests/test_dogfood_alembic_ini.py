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
