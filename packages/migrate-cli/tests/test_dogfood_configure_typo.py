"""A misspelt context.configure() option: the warning names the option it was meant to be.

Found by misspelling transaction_per_migration in env.py: the warning listed
all thirty known option names, leaving the user to spot the right one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_cli import command
from migrate_cli.testing import MigrationProject


def warnings_for(tmp_path: Path, caplog: pytest.LogCaptureFixture, **options: object) -> list[str]:
    project = MigrationProject(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add_table("a1", None, "account")
    command.upgrade(project.config(configure_options=options), "head")
    assert project.heads() == ("a1",)
    return [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]


def test_a_typo_gets_the_closest_option(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    [warning] = warnings_for(tmp_path, caplog, transaction_per_migratoin=True)

    assert "transaction_per_migratoin" in warning
    assert "(a typo of transaction_per_migration?)" in warning
    assert "alembic_module_prefix" not in warning and len(warning) < 300


def test_a_custom_option_is_not_given_a_far_fetched_suggestion(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    [warning] = warnings_for(tmp_path, caplog, tenant_schema="acme")

    assert "tenant_schema" in warning and "user_options" in warning
    assert "typo" not in warning and "alembic_module_prefix" not in warning
