"""`from migrate_cli import context` in env.py: the EnvironmentContext of the run in progress.

Every name here forwards to the context bound (through a ContextVar) by the
command that is running env.py; outside a run they raise a clear error.
Names follow Alembic's, so an Alembic env.py ports by changing its imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

import sqlalchemy as sa

from migrate_cli.runtime.environment import EnvironmentContext, current_environment
from migrate_cli.runtime.migration import MigrationContext

__all__ = [
    "begin_transaction",
    "configure",
    "execute",
    "get_bind",
    "get_context",
    "get_fleet_target",
    "get_head_revision",
    "get_head_revisions",
    "get_revision_argument",
    "get_starting_revision_argument",
    "get_tag_argument",
    "get_x_argument",
    "is_offline_mode",
    "is_transactional_ddl",
    "requires_connection",
    "run_migrations",
    "static_output",
]


def __getattr__(name: str) -> Any:
    """`context.config` and `context.script` read the current run's."""
    if name in ("config", "script"):
        return getattr(current_environment(), name)
    raise AttributeError(f"module 'migrate_cli.context' has no attribute {name!r}")


def environment() -> EnvironmentContext:
    return current_environment()


def configure(
    connection: sa.Connection | None = None,
    url: str | sa.URL | None = None,
    dialect_name: str | None = None,
    dialect_opts: Mapping[str, Any] | None = None,
    **options: Any,
) -> None:
    current_environment().configure(
        connection=connection,
        url=url,
        dialect_name=dialect_name,
        dialect_opts=dialect_opts,
        **options,
    )


def is_offline_mode() -> bool:
    return current_environment().is_offline_mode()


def is_transactional_ddl() -> bool:
    return current_environment().is_transactional_ddl()


def requires_connection() -> bool:
    return current_environment().requires_connection()


def begin_transaction() -> AbstractContextManager[Any]:
    return current_environment().begin_transaction()


def run_migrations(**kw: Any) -> None:
    current_environment().run_migrations(**kw)


def get_x_argument(as_dictionary: bool = False) -> list[str] | dict[str, str]:
    return current_environment().get_x_argument(as_dictionary=as_dictionary)


def get_context() -> MigrationContext:
    return current_environment().get_context()


def get_bind() -> sa.Connection | None:
    return current_environment().get_bind()


def get_revision_argument() -> str | None:
    return current_environment().get_revision_argument()


def get_starting_revision_argument() -> str | None:
    return current_environment().get_starting_revision_argument()


def get_tag_argument() -> str | None:
    return current_environment().get_tag_argument()


def get_head_revision() -> str | None:
    return current_environment().get_head_revision()


def get_head_revisions() -> tuple[str, ...]:
    return current_environment().get_head_revisions()


def execute(sql: Any, execution_options: dict[str, Any] | None = None) -> Any:
    return current_environment().execute(sql, execution_options=execution_options)


def static_output(text: str) -> None:
    current_environment().static_output(text)


class RunTarget(Protocol):
    """What env.py may read of a fleet's target (`migrate_cli.fleet.FleetTarget` is one)."""

    @property
    def url(self) -> str: ...
    @property
    def schema(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def label(self) -> str: ...


def get_fleet_target() -> RunTarget | None:
    """Under `migrate fleet`, the target this run is for (a FleetTarget: url, schema, name);
    None for an ordinary single-database run."""
    target: RunTarget | None = current_environment().config.attributes.get("fleet_target")
    return target
