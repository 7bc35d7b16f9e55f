"""The schema differences of `migrate squash`, measured on scratch databases.

Two scratch databases are used whatever the number of segments: one is upgraded step by
step through the range and reflected at the end of each schema segment; the other follows
it, and at the start of each schema segment is compared, through the project's env.py (its
compare and render options), with that segment's reflected end.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

import sqlalchemy as sa

from migrate_cli.commands.database import upgrade
from migrate_cli.commands.revision import rendered_operations
from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.autogenerate import compare_options, render_options
from migrate_cli.runtime.databases import database_for
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.scratch import config_for_connection, disposable_database, require_env_on
from migrate_cli.script import ScriptDirectory

__all__ = ["Boundary", "schema_differences"]

#: A schema segment's two ends, each as the revisions a database there is at (none: base).
Boundary = tuple[tuple[str, ...], tuple[str, ...]]


def schema_differences(
    config: Config, boundaries: Sequence[Boundary], url: str | None, prefix: str
) -> list[dict[str, str]]:
    """Per boundary, the rendered upgrade and downgrade bodies and the imports (template
    arguments ``upgrades``, ``downgrades``, ``imports``) taking its start schema to its end."""
    with ExitStack() as stack:
        stack.enter_context(_scratch_runs_quiet())
        end = stack.enter_context(_scratch_at(config, boundaries[0][1], url, f"{prefix}_end"))
        version_table = _version_table_name(end.config)
        ends = [_reflected(end, version_table)]
        for _start, targets in boundaries[1:]:
            end.advance(targets)
            ends.append(_reflected(end, version_table))
        start = stack.enter_context(_scratch_at(config, boundaries[0][0], url, f"{prefix}_start"))
        found = []
        for index, ((targets, _end), end_schema) in enumerate(zip(boundaries, ends)):
            if index:
                start.advance(targets)
            produced, render = _compare(start, end_schema)
            found.append(
                rendered_operations(
                    {
                        "upgrades": list(produced.upgrade_ops),
                        "downgrades": list(produced.downgrade_ops),
                    },
                    render,
                )
            )
    return found


def _reflected(scratch: _Scratch, version_table: str) -> sa.MetaData:
    """The scratch database's schema as the scripts declared it (the server's defaults out)."""
    schema = sa.MetaData()
    schema.reflect(scratch.connection, only=lambda name, _meta: name != version_table)
    database_for(scratch.connection.dialect).as_declared(schema, scratch.connection)
    return schema


def _compare(start: _Scratch, end_schema: sa.MetaData) -> tuple[Any, dict[str, Any]]:
    from migrate_autogen import produce_migrations  # heavy: only when squashing

    found: dict[str, Any] = {}

    def compare(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
        assert context.connection is not None  # online: run_env connected
        if context.opts.get("include_schemas"):
            raise CommandError(
                "squash compares the default schema only, and env.py sets "
                "include_schemas=True (other schemas' tables would be dropped); "
                "turn it off for this run, e.g. with an -x argument env.py reads"
            )
        options = compare_options(context)
        # Both sides are reflected from one server, so types and server defaults compare
        # exactly: a squash missing a changed default (Alembic's compare_server_default is
        # off by default) would give databases another schema than the history does. An
        # env.py's own comparer (a callable) is kept.
        for name in ("compare_type", "compare_server_default"):
            if not callable(options.get(name)):
                options[name] = True
        found["produced"] = produce_migrations(context.connection, end_schema, **options)
        found["render"] = render_options(context)
        return []

    run_env(start.config, ScriptDirectory.from_config(start.config), compare, lock=False)
    return found["produced"], found["render"]


@contextmanager
def _scratch_runs_quiet() -> Iterator[None]:
    """No "Running upgrade ..." lines from the scratch databases: a user reading them would
    think the real database moved. env.py reconfigures logging from the ini file on every
    run, so per-logger levels would not hold; INFO is disabled process-wide meanwhile."""
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(previous)


class _Scratch:
    def __init__(self, connection: sa.Connection, config: Config) -> None:
        self.connection = connection
        self.config = config

    def advance(self, targets: Sequence[str]) -> None:
        """Upgrade to ``targets`` through env.py, confined to this scratch database."""
        for target in targets:
            upgrade(self.config, target)
        if self.connection.in_transaction():
            self.connection.commit()


@contextmanager
def _scratch_at(
    config: Config, targets: Sequence[str], url: str | None, prefix: str
) -> Iterator[_Scratch]:
    """A scratch database upgraded to ``targets`` (none: left empty) through env.py."""
    with (
        disposable_database(url, prefix=prefix) as engine,
        engine.connect() as connection,
    ):
        clone = config_for_connection(config, connection, "a scratch database of `migrate squash`")
        require_env_on(clone, engine, "a scratch database of `migrate squash`")
        scratch = _Scratch(connection, clone)
        scratch.advance(targets)
        yield scratch


def _version_table_name(config: Config) -> str:
    names: list[str] = []

    def capture(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
        names.append(context.version.table.name)
        return []

    run_env(config, ScriptDirectory.from_config(config), capture, lock=False)
    return names[0] if names else "migrate_version"
