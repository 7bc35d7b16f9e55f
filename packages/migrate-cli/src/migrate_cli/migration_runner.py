"""Drive a project's migrations against one database, step by step, for tests.

A MigrationRunner runs the project's own env.py (as `migrate` does) on a given engine:
each command gets a fresh connection through ``config.attributes["connection"]`` and
commits when done, so the test can look at the database in between with its own
connections. It is what the pytest plugin's `migrate_runner` fixture hands out.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa

from migrate_cli import command
from migrate_cli.config import Config
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.steps import Step
from migrate_cli.sample_rows import RowMaker, SampleRows, rows_missing
from migrate_cli.schema_snapshot import Snapshot, schema_snapshot
from migrate_cli.scratch import config_for_connection, require_env_on
from migrate_cli.script import ScriptDirectory

T = TypeVar("T")

__all__ = ["MigrationRunner"]


class MigrationRunner:
    """Upgrade, downgrade and stamp one database through the project's env.py."""

    def __init__(self, config: Config, engine: sa.Engine) -> None:
        self.config = config
        self.engine = engine
        self.output = io.StringIO()
        """Everything the commands printed and logged ("Running upgrade a1 -> b2", ...)."""
        self.rows = RowMaker()
        self._version_table: str | None = None
        self._log_table: str | None = None
        self._env_checked = False

    # -- the history -------------------------------------------------------------------------

    @property
    def script(self) -> ScriptDirectory:
        return ScriptDirectory.from_config(self.config)

    @property
    def history(self) -> list[str]:
        """Every revision id from base to the heads, in the order an upgrade applies them."""
        return [r.revision for r in self.script.revision_map.upgrade_plan((), "heads")]

    # -- commands ---------------------------------------------------------------------------

    def upgrade(self, target: str = "heads") -> None:
        self.run(command.upgrade, target)

    def downgrade(self, target: str) -> None:
        self.run(command.downgrade, target)

    def stamp(self, target: str) -> None:
        self.run(command.stamp, target)

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call a `migrate_cli.command` function on this database (committed afterwards)."""
        self._check_env()
        logger = logging.getLogger("migrate_cli")
        handler = logging.StreamHandler(self.output)
        handler.setLevel(logging.INFO)
        level = logger.level
        logger.addHandler(handler)
        if not logger.isEnabledFor(logging.INFO):
            logger.setLevel(logging.INFO)
        try:
            with self.engine.connect() as connection:
                config = config_for_connection(self.config, connection, "the test database")
                config.stdout = self.output
                result = fn(config, *args, **kwargs)
                if connection.in_transaction():
                    connection.commit()
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        return result

    # -- looking at the database ------------------------------------------------------------

    def _check_env(self) -> None:
        if not self._env_checked:
            with self.engine.connect() as connection:
                config = config_for_connection(self.config, connection, "the test database")
                require_env_on(config, self.engine, "the test database")
            self._env_checked = True

    def heads(self) -> tuple[str, ...]:
        """The revisions the version table records."""
        self._check_env()
        found: list[tuple[str, ...]] = []

        def read(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
            found.append(tuple(heads))
            self._version_table = context.version.table.name
            self._log_table = context.history.table.name
            return []

        with self.engine.connect() as connection:
            config = config_for_connection(self.config, connection, "the test database")
            run_env(config, ScriptDirectory.from_config(config), read, lock=False)
        return found[0] if found else ()

    @property
    def version_table(self) -> str:
        """The version table's name as env.py configures it."""
        if self._version_table is None:
            self.heads()
        return self._version_table or "migrate_version"

    @property
    def bookkeeping_tables(self) -> set[str]:
        """The version table and the migration log: the tool's tables, not the project's.

        The log is created by the first run and outlives a downgrade to base, so a
        schema comparison that kept it would blame the first revision for it.
        """
        names = {self.version_table}
        if self._log_table is not None:
            names.add(self._log_table)
        return names

    def schema(self) -> Snapshot:
        """The database's tables (the tool's own left out), by value."""
        with self.engine.connect() as connection:
            return schema_snapshot(connection, exclude=self.bookkeeping_tables)

    def insert_sample_rows(self) -> SampleRows:
        """One made-up row in every table (see migrate_cli.sample_rows)."""
        return self.rows.insert_into_every_table(self.engine, exclude=self.bookkeeping_tables)

    def rows_missing(self, inserted: SampleRows) -> list[str]:
        return rows_missing(self.engine, inserted.rows)

    def insert(self, table: str, **values: Any) -> None:
        """Insert one row with these values (the table is reflected)."""
        with self.engine.begin() as connection:
            reflected = sa.Table(table, sa.MetaData(), autoload_with=connection)
            connection.execute(reflected.insert().values(**values))
