"""Every Alembic template's project runs under `migrate` with no file changed.

The projects are made by the real Alembic's `alembic init -t <template>` (its
templates are the fixtures; nothing of them is copied into our source), so
these tests skip where Alembic is not installed. Only the database URL in
alembic.ini is edited, as a user would.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migrate_cli.cli import get_cli

pytest.importorskip("alembic")

FIRST = '''"""create account

Revision ID: a1
Revises:
Create Date: 2024-03-01 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "a1"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    )
    op.create_index(op.f("ix_account_name"), "account", ["name"])
    with op.batch_alter_table("account") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(100)))
    assert op.get_bind().dialect.name == op.get_context().dialect.name


def downgrade() -> None:
    op.drop_index(op.f("ix_account_name"), table_name="account")
    op.drop_table("account")
'''

MODELS = """
import sqlalchemy as sa

metadata = sa.MetaData()
account = sa.Table(
    "account",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, index=True),
    sa.Column("email", sa.String(100)),
    sa.Column("age", sa.Integer),
)
"""


def alembic_init(root: Path, template: str, url: str) -> Path:
    """`alembic init -t template alembic` in root, with sqlalchemy.url set; returns the env dir."""
    subprocess.run(
        [sys.executable, "-m", "alembic", "init", "-t", template, "alembic"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    ini = root / "alembic.ini"
    text = ini.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^sqlalchemy\.url = .*$", f"sqlalchemy.url = {url}", text, count=1)
    if template == "multidb":
        text = re.sub(
            r"(?m)^(\[engine(\d)\]\n)sqlalchemy\.url = .*$",
            lambda m: f"{m.group(1)}sqlalchemy.url = sqlite:///{root.as_posix()}/e{m.group(2)}.db",
            text,
        )
    ini.write_text(text, encoding="utf-8")
    return root / "alembic"


def migrate(root: Path, *args: str) -> Result:
    return CliRunner().invoke(get_cli(), list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """alembic.ini's fileConfig() reconfigures logging for the whole process: undo it."""
    manager = logging.Logger.manager
    named = [v for v in manager.loggerDict.values() if isinstance(v, logging.Logger)]
    loggers = [logging.getLogger(), *named]
    saved = [(lg, lg.disabled, lg.level, list(lg.handlers), lg.propagate) for lg in loggers]
    yield
    for logger, disabled, level, handlers, propagate in saved:
        logger.disabled, logger.level, logger.handlers, logger.propagate = (
            disabled,
            level,
            handlers,
            propagate,
        )


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))  # prepend_sys_path = . adds tmp_path
    return tmp_path


def tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select name from sqlite_master where type = 'table'")
        return {row[0] for row in rows}


def version(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("select version_num from alembic_version")]


@pytest.mark.parametrize(
    ("template", "driver"),
    [
        ("generic", "sqlite"),
        ("pyproject", "sqlite"),
        ("async", "sqlite+aiosqlite"),
        ("pyproject_async", "sqlite+aiosqlite"),
    ],
)
def test_single_database_templates(in_tmp: Path, template: str, driver: str) -> None:
    if "aiosqlite" in driver:
        pytest.importorskip("aiosqlite")
    env = alembic_init(in_tmp, template, f"{driver}:///{in_tmp.as_posix()}/app.db")
    (env / "versions" / "a1_create_account.py").write_text(FIRST, encoding="utf-8")
    db = in_tmp / "app.db"

    up = migrate(in_tmp, "upgrade", "head")

    assert up.exit_code == 0, up.output
    # alembic.ini's logging config names `alembic`: migrate's progress lines still show.
    assert "Running upgrade  -> a1, create account" in up.stderr
    assert tables(db) == {"alembic_version", "migrate_log", "account"}
    assert version(db) == ["a1"]
    assert migrate(in_tmp, "current").stdout == "a1 (head)\n"
    assert migrate(in_tmp, "heads").stdout == "a1 (head)\n"
    assert migrate(in_tmp, "history").stdout == "<base> -> a1 (head), create account\n"
    down = migrate(in_tmp, "downgrade", "base")
    assert down.exit_code == 0, down.output
    assert tables(db) == {"alembic_version", "migrate_log"}


def test_multidb_template(in_tmp: Path) -> None:
    env = alembic_init(in_tmp, "multidb", f"sqlite:///{in_tmp.as_posix()}/app.db")
    body = FIRST.replace("def upgrade() -> None:", "def upgrade(engine_name: str) -> None:")
    body = body.replace("def downgrade() -> None:", "def downgrade(engine_name: str) -> None:")
    (env / "versions" / "a1_create_account.py").write_text(body, encoding="utf-8")

    result = migrate(in_tmp, "upgrade", "head")

    assert result.exit_code == 0, result.output
    for name in ("e1.db", "e2.db"):
        assert tables(in_tmp / name) == {"alembic_version", "migrate_log", "account"}
        assert version(in_tmp / name) == ["a1"]


ENV_PROBE = """
import json as _json
_probe = {
    "section": config.config_ini_section,
    "url": config.get_main_option("sqlalchemy.url"),
    "loggers": (config.get_section("loggers") or {}).get("keys"),
    "attributes": sorted(config.attributes),
    "x": context.get_x_argument(as_dictionary=True),
    "cmd": getattr(config.cmd_opts, "cmd", None),
    "offline": context.is_offline_mode(),
}
with open("probe.json", "w") as _handle:
    _json.dump(_probe, _handle)
"""


def test_env_py_reads_the_config_as_in_alembic(in_tmp: Path) -> None:
    env = alembic_init(in_tmp, "generic", f"sqlite:///{in_tmp.as_posix()}/app.db")
    env_py = env / "env.py"
    env_py.write_text(
        env_py.read_text(encoding="utf-8").replace(
            "target_metadata = None", "target_metadata = None\n" + ENV_PROBE
        ),
        encoding="utf-8",
    )

    result = migrate(in_tmp, "-x", "tenant=acme", "-x", "dry", "current")

    assert result.exit_code == 0, result.output
    probe = json.loads((in_tmp / "probe.json").read_text())
    assert probe == {
        "section": "alembic",
        "url": f"sqlite:///{in_tmp.as_posix()}/app.db",
        "loggers": "root,sqlalchemy,alembic",
        "attributes": [],
        "x": {"tenant": "acme", "dry": ""},
        "cmd": "current",
        "offline": False,
    }


DIRECTIVES = """
def process_revision_directives(context, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []


def include_object(object, name, type_, reflected, compare_to):
    return not (type_ == "column" and name == "age")
"""


def test_autogenerate_writes_the_projects_own_script(in_tmp: Path) -> None:
    """The project's script.py.mako and its `from alembic import op`; Alembic can run it."""
    env = alembic_init(in_tmp, "generic", f"sqlite:///{in_tmp.as_posix()}/app.db")
    (env / "versions" / "a1_create_account.py").write_text(
        FIRST.replace('batch_op.add_column(sa.Column("email", sa.String(100)))', "pass"),
        encoding="utf-8",
    )
    (in_tmp / "models.py").write_text(MODELS, encoding="utf-8")
    env_py = env / "env.py"
    text = env_py.read_text(encoding="utf-8")
    text = text.replace("target_metadata = None", "from models import metadata as target_metadata")
    text = text.replace("target_metadata = None", "")
    text = text.replace(
        "connection=connection, target_metadata=target_metadata",
        "connection=connection, target_metadata=target_metadata, process_revision_directives="
        "process_revision_directives, include_object=include_object,",
    )
    text = text.replace("def run_migrations_offline", DIRECTIVES + "\n\ndef run_migrations_offline")
    env_py.write_text(text, encoding="utf-8")
    assert migrate(in_tmp, "upgrade", "head").exit_code == 0

    made = migrate(in_tmp, "revision", "--autogenerate", "-m", "add email", "--rev-id", "b2")

    assert made.exit_code == 0, made.output
    script = (env / "versions" / "b2_add_email.py").read_text(encoding="utf-8")
    assert "from alembic import op\n" in script
    assert "from typing import Sequence, Union" in script  # Alembic's template, not ours
    # SQLite: rendered as a batch block by default (docs: Differences from Alembic).
    assert "batch_op.add_column(sa.Column('email'" in script
    assert "'age'" not in script  # include_object left it out
    # The real Alembic runs what migrate wrote.
    alembic_up = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=in_tmp,
        capture_output=True,
        text=True,
        check=False,
    )
    assert alembic_up.returncode == 0, alembic_up.stderr
    assert version(in_tmp / "app.db") == ["b2"]
    # Nothing left to detect: the hook writes no file.
    again = migrate(in_tmp, "revision", "--autogenerate", "-m", "nothing")
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in (env / "versions").glob("*.py")) == [
        "a1_create_account.py",
        "b2_add_email.py",
    ]


def test_configure_accepts_every_alembic_option() -> None:
    """Each keyword of Alembic's configure() is implemented or refused, none ignored."""
    import inspect

    from alembic.runtime.environment import EnvironmentContext as AlembicEnvironment

    from migrate_cli.runtime.environment import (
        AUTOGENERATE_OPTIONS,
        RUNTIME_OPTIONS,
        UNSUPPORTED_OPTIONS,
    )

    parameters = inspect.signature(AlembicEnvironment.configure).parameters
    named = {n for n, p in parameters.items() if p.default is not p.empty}
    handled = {"connection", "url", "dialect_name", "dialect_opts"}
    missing = named - handled - RUNTIME_OPTIONS - AUTOGENERATE_OPTIONS - set(UNSUPPORTED_OPTIONS)
    assert not missing


def test_an_unsupported_configure_option_is_refused(in_tmp: Path) -> None:
    env = alembic_init(in_tmp, "generic", f"sqlite:///{in_tmp.as_posix()}/app.db")
    env_py = env / "env.py"
    env_py.write_text(
        env_py.read_text(encoding="utf-8").replace(
            "connection=connection, target_metadata=target_metadata",
            "connection=connection, target_metadata=target_metadata, "
            "autogenerate_plugins=['myplugin.*']",
        ),
        encoding="utf-8",
    )

    result = migrate(in_tmp, "current")

    assert result.exit_code == 1
    assert "context.configure(autogenerate_plugins=...)" in result.stderr
    assert not (in_tmp / "app.db").exists() or "alembic_version" not in tables(in_tmp / "app.db")


def test_alembic_reads_what_migrate_recorded(in_tmp: Path) -> None:
    env = alembic_init(in_tmp, "generic", f"sqlite:///{in_tmp.as_posix()}/app.db")
    (env / "versions" / "a1_create_account.py").write_text(FIRST, encoding="utf-8")
    assert migrate(in_tmp, "upgrade", "head").exit_code == 0

    current = subprocess.run(
        [sys.executable, "-m", "alembic", "current"],
        cwd=in_tmp,
        capture_output=True,
        text=True,
        check=False,
    )

    assert current.returncode == 0, current.stderr
    assert current.stdout.strip() == "a1 (head)"
