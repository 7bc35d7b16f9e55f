"""A team moving from Alembic brings its revision files: they are read and run as they are.

Found by copying an Alembic project's versions/ into a migrate environment:
history and heads worked (headers are read without importing), but upgrade
failed with "No module named 'alembic'" and no hint of the one-line fix.
"""

from __future__ import annotations

from typing import Any

Project = Any  # conftest fixtures
Migrate = Any

ALEMBIC_SCRIPT = '''"""{message}

Revision ID: {rev}
Revises: {down_doc}
Create Date: 2024-03-01 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = {rev!r}
down_revision: Union[str, None] = {down!r}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    {upgrade}


def downgrade() -> None:
    {downgrade}
'''


def copy_alembic_history(project: Project) -> None:
    for rev, down, message, upgrade, downgrade in [
        (
            "1975ea83b712",
            None,
            "create account table",
            'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))',
            'op.drop_table("account")',
        ),
        (
            "ae1027a6acf",
            "1975ea83b712",
            "Add a column",
            'op.add_column("account", sa.Column("name", sa.String(50)))',
            'op.drop_column("account", "name")',
        ),
    ]:
        (project.versions / f"{rev}_{message.replace(' ', '_').lower()}.py").write_text(
            ALEMBIC_SCRIPT.format(
                rev=rev,
                down=down,
                down_doc=down or "",
                message=message,
                upgrade=upgrade,
                downgrade=downgrade,
            ),
            encoding="utf-8",
        )


def test_alembic_files_are_read_without_importing(project: Project, migrate: Migrate) -> None:
    copy_alembic_history(project)

    result = migrate("history")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "1975ea83b712 -> ae1027a6acf (head), Add a column",
        "<base> -> 1975ea83b712, create account table",
    ]


def test_an_alembic_file_runs_as_it_is(project: Project, migrate: Migrate) -> None:
    """`from alembic import op` is migrate's op during a run (issue 11)."""
    copy_alembic_history(project)

    result = migrate("upgrade", "head")

    assert result.exit_code == 0, result.stderr
    assert migrate("current").stdout == "ae1027a6acf (head)\n"


def test_after_the_change_the_alembic_history_runs(project: Project, migrate: Migrate) -> None:
    copy_alembic_history(project)
    for path in project.versions.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("from alembic import op", "from ddl_ops import op"))

    assert migrate("upgrade", "head").exit_code == 0
    assert migrate("current").stdout == "ae1027a6acf (head)\n"


def test_an_alembic_env_py_runs_as_it_is(project: Project, migrate: Migrate) -> None:
    env = project.script_dir / "env.py"
    text = env.read_text(encoding="utf-8")
    env.write_text(text.replace("from migrate_cli import context", "from alembic import context"))

    result = migrate("current")

    assert result.exit_code == 0, result.stderr


def test_a_local_alembic_directory_does_not_shadow_the_names(
    project: Project, migrate: Migrate, monkeypatch: Any
) -> None:
    """Alembic's own layout keeps the environment in ./alembic, which `prepend_sys_path = .`
    turns into a namespace package: during a run `alembic` is still migrate's."""
    import sys

    monkeypatch.setattr(sys, "path", [str(project.root), *sys.path])
    (project.root / "alembic").mkdir()
    copy_alembic_history(project)

    result = migrate("upgrade", "head")

    assert result.exit_code == 0, result.stderr
    assert migrate("current").stdout == "ae1027a6acf (head)\n"
