"""Which dialect a run uses: a live Connection's, or (offline) a URL's or a dialect name's.

What `context.configure()` accepts, checked here so a wrong argument (an Engine,
an async connection, nothing at all) fails with what to pass instead.
"""

from __future__ import annotations

import sys
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from migrate_cli.errors import CommandError


def run_dialect(
    connection: sa.Connection | None,
    url: str | sa.URL | None,
    dialect_name: str | None,
    dialect: Dialect | None,
    dialect_opts: dict[str, Any] | None,
) -> Dialect:
    """The dialect of `connection`, else of `url`, else of `dialect_name`, else `dialect`."""
    if connection is not None:
        if isinstance(connection, sa.Engine):
            raise CommandError(
                "context.configure(connection=...) needs a Connection, not an Engine: "
                "use `with engine.connect() as connection:`"
            )
        if _is_async(connection):
            raise CommandError(
                f"context.configure(connection=...) needs a synchronous Connection, not "
                f"an {type(connection).__name__}: call the command inside "
                "`await async_connection.run_sync(fn)` and hand fn's connection over "
                "(config.attributes['connection'] = connection)"
            )
        return connection.dialect
    if url is not None:
        return sa.make_url(url).get_dialect()(**(dialect_opts or {}))
    if dialect_name is not None:
        return sa.make_url(f"{dialect_name}://").get_dialect()(**(dialect_opts or {}))
    if dialect is None:
        raise CommandError(
            "context.configure() needs connection=, url= or dialect_name=; set "
            "sqlalchemy.url in the config file or pass a connection"
        )
    return dialect


def _is_async(connection: object) -> bool:
    """An asyncio Connection or Engine, which the synchronous runtime cannot drive.

    Asked of sys.modules: nobody can hold an AsyncConnection without having
    imported sqlalchemy.ext.asyncio, and importing it here (it pulls in the
    ORM) was a fifth of every command's start-up.
    """
    asyncio_support = sys.modules.get("sqlalchemy.ext.asyncio")
    if asyncio_support is None:
        return False
    async_types = (asyncio_support.AsyncConnection, asyncio_support.AsyncEngine)
    return isinstance(connection, async_types)
