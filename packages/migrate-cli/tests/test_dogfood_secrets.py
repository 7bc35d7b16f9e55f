"""A database URL's password never reaches an error message.

Found with the common env.py line
`config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])` and a
URL-encoded password (`%40` for `@`): configparser refused the single `%`, and
its ValueError, quoting the whole URL, became the command's error line.
"""

from __future__ import annotations

from typing import Any

import pytest

from migrate_cli import Config
from migrate_cli.errors import CommandError

Project = Any  # conftest fixtures
Migrate = Any

URL = "postgresql+psycopg://app:s3cr%40t@db.internal/app"


def test_set_main_option_with_a_single_percent_names_the_option_not_the_value() -> None:
    config = Config()

    with pytest.raises(CommandError) as raised:
        config.set_main_option("sqlalchemy.url", URL)

    message = str(raised.value)
    assert "sqlalchemy.url" in message and "%%" in message
    assert "s3cr" not in message


def test_env_py_setting_an_encoded_url_does_not_print_it(
    project: Project, migrate: Migrate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", URL)
    env = project.script_dir / "env.py"
    text = env.read_text(encoding="utf-8")
    env.write_text(
        text.replace(
            "config = context.config\n",
            "config = context.config\nimport os\n"
            'config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])\n',
        ),
        encoding="utf-8",
    )

    result = migrate("current")

    assert result.exit_code == 1
    assert "s3cr" not in result.stderr + result.stdout
    assert "sqlalchemy.url" in result.stderr
