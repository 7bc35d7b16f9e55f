"""Disposable databases: a fresh, empty database of a given kind, dropped afterwards.

`migrate squash` builds the schema at both ends of a range in scratch databases, and the
pytest plugin gives every test its own. SQLite gets a file in a temporary directory;
PostgreSQL and MySQL/MariaDB get a new database on the server the URL names, created with
that URL's credentials (which need the right to create databases) and dropped at the end.
"""

from __future__ import annotations

import copy
import io
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.script import ScriptDirectory

SERVER_DIALECTS = ("postgresql", "mysql", "mariadb")


def scratch_name(prefix: str) -> str:
    """A database name unlikely to collide with anyone's: the prefix and 8 random hex digits."""
    return f"{prefix}_{secrets.token_hex(4)}"


@contextmanager
def disposable_database(
    url: str | sa.URL | None, prefix: str = "migrate_scratch", directory: Path | None = None
) -> Iterator[sa.Engine]:
    """An engine on a new empty database like ``url``'s (SQLite file when ``url`` is None).

    The database is dropped, and the engine disposed, when the block ends, even on error.
    """
    try:
        parsed = sa.make_url(url) if url is not None else None
    except sa.exc.ArgumentError:
        raise CommandError(
            "the URL for scratch databases cannot be parsed; give a SQLAlchemy URL such as "
            "postgresql+psycopg://user@host/postgres"
        ) from None
    backend = parsed.get_backend_name() if parsed is not None else "sqlite"
    if parsed is None or backend == "sqlite":
        with _sqlite_file(prefix, directory, parsed) as engine:
            yield engine
        return
    if backend not in SERVER_DIALECTS:
        raise CommandError(
            f"no disposable databases on {backend}: use a SQLite, PostgreSQL or MySQL/MariaDB URL"
        )
    name = scratch_name(prefix)
    try:
        admin = sa.create_engine(parsed, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    except (sa.exc.NoSuchModuleError, ImportError) as error:
        raise CommandError(
            f"cannot open {parsed.render_as_string(hide_password=True)} for scratch databases "
            f"({error}); install its driver or give another URL"
        ) from None
    quoted = admin.dialect.identifier_preparer.quote(name)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
    except sa.exc.DBAPIError as error:
        admin.dispose()
        first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise CommandError(
            f"cannot create a scratch database on {parsed.render_as_string(hide_password=True)}"
            f" ({first}); grant the right to create databases, or give another server's URL"
        ) from None
    engine = sa.create_engine(parsed.set(database=name), poolclass=sa.pool.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()
        try:
            with admin.connect() as conn:
                if backend == "postgresql" and (conn.dialect.server_version_info or ()) >= (13,):
                    # FORCE: a connection a failed test left open must not keep it alive.
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
                else:
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}")
        finally:
            admin.dispose()


@contextmanager
def _sqlite_file(prefix: str, directory: Path | None, parsed: sa.URL | None) -> Iterator[sa.Engine]:
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}_", dir=directory))
    drivername = parsed.drivername if parsed is not None else "sqlite"
    url = sa.URL.create(drivername, database=str(folder / "scratch.db"))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def config_for_connection(config: Config, connection: sa.Connection, **attributes: Any) -> Config:
    """A copy of ``config`` whose env.py runs on ``connection`` (its output kept quiet).

    Both ``config.attributes["connection"]`` (which the generated env.py honours) and
    ``sqlalchemy.url`` point at the scratch database, so an env.py that builds its own
    engine from the URL reaches it too.
    """
    clone = copy.copy(config)
    clone._file_config = copy.deepcopy(config.file_config)
    clone.attributes = {**attributes, "connection": connection}
    clone.stdout = io.StringIO()
    clone.json_output = False
    url = connection.engine.url.render_as_string(hide_password=False)
    clone.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return clone


def require_env_on(config: Config, engine: sa.Engine, what: str) -> None:
    """Run env.py once with nothing to do and check it connected to ``engine``: commands run
    for squash or tests must never reach the database the project is configured for."""
    seen: list[str] = []

    def where(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
        if context.connection is not None:
            seen.append(str(context.connection.engine.url))
        return []

    run_env(config, ScriptDirectory.from_config(config), where, lock=False)
    if not seen or any(url != str(engine.url) for url in seen):
        raise CommandError(
            f"env.py did not run on {what}; make env.py use config.attributes['connection'] "
            "when it is set (the generated env.py does), so nothing reaches your database"
        )
