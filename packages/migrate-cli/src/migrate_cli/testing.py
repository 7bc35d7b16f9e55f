"""Helpers for testing migration environments and code built on migrate-cli.

A :class:`MigrationProject` writes a migration environment (``env.py`` plus
revision files) to a directory and hands out :class:`~migrate_cli.Config`
objects pointing at it, so a test can drive it through the functions in
:mod:`migrate_cli.command` and then look at the database. This module needs
no test framework; subclass :class:`MigrationProject` to share an engine your
fixtures already manage.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TypeAlias

import sqlalchemy as sa

from migrate_cli.config import Config
from migrate_cli.runtime.migration import MigrationContext

__all__ = ["ENV_PY", "MigrationProject", "script_source"]

Revisions: TypeAlias = "str | tuple[str, ...] | None"

ENV_PY = """
from sqlalchemy import create_engine, pool

from migrate_cli import context

config = context.config
options = dict(config.attributes.get("configure_options", {}))
if "per_migration" in context.get_x_argument(as_dictionary=True):
    options["transaction_per_migration"] = True


def run_migrations(**configure):
    context.configure(**configure, **options)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
elif config.attributes.get("connection") is not None:
    run_migrations(connection=config.attributes["connection"])
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        run_migrations(connection=connection)
"""
"""An ``env.py`` for tests, online and offline.

It runs on ``config.attributes["connection"]`` when given (the caller's own
connection and transaction), else on a fresh connection to ``sqlalchemy.url``.
``config.attributes["configure_options"]`` is passed to ``context.configure``,
and ``-x per_migration`` turns on ``transaction_per_migration``.
"""


def script_source(
    rev: str,
    down: Revisions,
    upgrade: str = "",
    downgrade: str = "",
    message: str = "",
    depends_on: Revisions = None,
    branch_labels: Revisions = None,
) -> str:
    """The text of a revision file; ``upgrade`` and ``downgrade`` are function bodies."""
    header = (
        f'"""{message or "revision " + rev}"""\n'
        "import sqlalchemy as sa\nfrom ddl_ops import op\n\n"
        f"revision = {rev!r}\ndown_revision = {down!r}\n"
        f"branch_labels = {branch_labels!r}\ndepends_on = {depends_on!r}\n\n\n"
    )
    body = textwrap.indent(upgrade or "pass", "    ")
    undo = textwrap.indent(downgrade or "pass", "    ")
    return f"{header}def upgrade():\n{body}\n\n\ndef downgrade():\n{undo}\n"


class MigrationProject:
    """A migration environment written under ``root``, and Configs pointing it at ``url``.

    Everything a command prints goes to :attr:`output`, shared by every Config
    this project hands out.
    """

    def __init__(self, root: Path, url: str, env_py: str = ENV_PY) -> None:
        self.url = url
        self.env_dir = root / "env"
        (self.env_dir / "versions").mkdir(parents=True)
        (self.env_dir / "env.py").write_text(env_py)
        self.output = io.StringIO()

    @property
    def engine(self) -> sa.Engine:
        """What :meth:`heads` and :meth:`tables` read through; override to share a pooled engine."""
        return sa.create_engine(self.url, poolclass=sa.pool.NullPool)

    def config(self, *x: str, **attributes: object) -> Config:
        """A Config for one command: ``x`` are ``-x`` arguments, ``attributes`` reach env.py."""
        config = Config(stdout=self.output, attributes=dict(attributes))
        config.set_main_option("script_location", str(self.env_dir))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        config.cmd_opts.x = list(x)
        return config

    def add(
        self,
        rev: str,
        down: Revisions,
        upgrade: str = "",
        downgrade: str = "",
        message: str = "",
        depends_on: Revisions = None,
        branch_labels: Revisions = None,
    ) -> Path:
        """Write revision ``rev`` (see :func:`script_source`) and return its path."""
        path = self.env_dir / "versions" / f"{rev}.py"
        path.write_text(
            script_source(rev, down, upgrade, downgrade, message, depends_on, branch_labels)
        )
        return path

    def add_table(self, rev: str, down: Revisions, table: str) -> Path:
        """Write a revision that creates ``table`` (one integer primary key) and drops it again."""
        return self.add(
            rev,
            down,
            f'op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True))',
            f'op.drop_table("{table}")',
            message=f"create {table}",
        )

    def heads(self, **configure: object) -> tuple[str, ...]:
        """The revisions the database's version table records; ``configure`` as for env.py."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn, opts=configure).get_current_heads()

    def tables(self, schema: str | None = None) -> set[str]:
        """The names of the tables in the database (or in ``schema``)."""
        with self.engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names(schema=schema))
