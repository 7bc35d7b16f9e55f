"""Disposable databases: a fresh, empty database of a given kind, dropped afterwards.

`migrate squash` builds the schema at both ends of a range in scratch databases, and the
pytest plugin gives every test its own. SQLite gets a file in a temporary directory;
PostgreSQL and MySQL/MariaDB get a new database on the server the URL names, created with
that URL's credentials (which need the right to create databases) and dropped at the end.
"""

from __future__ import annotations

import configparser
import copy
import io
import logging
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import database_for_backend
from migrate_cli.runtime.environment import CONFINEMENT, run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.steps import Step
from migrate_cli.script import ScriptDirectory

#: Without a URL, scratch databases are SQLite files: nothing to install, no server to reach.
NO_URL_DRIVER = "sqlite"

log = logging.getLogger(__name__)


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
    if parsed is None:
        parsed = sa.URL.create(NO_URL_DRIVER)
    backend = parsed.get_backend_name()
    database = database_for_backend(backend)
    if database.file_databases:
        with _file_database(prefix, directory, parsed) as engine:
            yield engine
        return
    if not database.has_server_databases:
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
            database.create_scratch_database(conn, quoted)
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
                database.drop_scratch_database(conn, quoted)
        finally:
            admin.dispose()


@contextmanager
def _file_database(prefix: str, directory: Path | None, parsed: sa.URL) -> Iterator[sa.Engine]:
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}_", dir=directory))
    url = sa.URL.create(parsed.drivername, database=str(folder / "scratch.db"))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def config_for_connection(
    config: Config,
    connection: sa.Connection,
    purpose: str = "a scratch database",
    **attributes: Any,
) -> Config:
    """A copy of ``config`` whose env.py runs on ``connection`` only (its output kept quiet).

    ``config.attributes["connection"]`` (what the generated env.py and Alembic's cookbook
    env.py use) and ``sqlalchemy.url`` both name the scratch database, and the URL is pinned:
    an env.py that sets it from the application (Flask-Migrate's does) leaves it unchanged,
    so the engine it builds from the config reaches the scratch database. While env.py runs,
    the run is confined to that database (see `Confinement`). ``purpose`` names it in errors.
    """
    clone = copy.copy(config)
    clone._file_config = parser = copy.deepcopy(config.file_config)
    clone.attributes = {
        **attributes,
        "connection": connection,
        CONFINEMENT: Confinement(connection, purpose),
    }
    clone.stdout = io.StringIO()
    clone.json_output = False
    url = connection.engine.url.render_as_string(hide_password=False)
    clone.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    parser.__class__ = _UrlPinned  # after the URL is set: from now on it is not replaced
    cast(_UrlPinned, parser).pinned = (clone.config_ini_section, "sqlalchemy.url")
    return clone


class _UrlPinned(configparser.ConfigParser):
    """The config of a scratch run: setting its ``sqlalchemy.url`` is ignored."""

    pinned: tuple[str, str]

    def set(self, section: str, option: str, value: str | None = None) -> None:
        if (section, self.optionxform(option)) == self.pinned:
            log.debug("kept %s = the scratch database; env.py's value is ignored", option)
            return
        super().set(section, option, value)


class Confinement:
    """What keeps a scratch run (squash, the pytest plugin) on its scratch database.

    - ``guard()``, entered while env.py runs: any new database connection the process opens
      that is not to the scratch database is refused before it is made (SQLAlchemy's
      ``do_connect``), so env.py cannot reach the database the project is configured for,
      whatever URL it builds.
    - ``configure_arguments()``, called by ``context.configure()``: the run always uses the
      scratch connection. A connection or URL env.py passes is accepted only when it is the
      same database (then replaced by the scratch connection), otherwise refused, which
      also catches a connection env.py's application had opened before the run.
    """

    def __init__(self, connection: sa.Connection, purpose: str) -> None:
        self.connection = connection
        self.purpose = purpose
        engine = connection.engine
        self._target = _connect_target(
            engine.dialect, *engine.dialect.create_connect_args(engine.url)
        )

    @contextmanager
    def guard(self) -> Iterator[None]:
        sa.event.listen(sa.Engine, "do_connect", self._refuse_other)
        try:
            yield
        finally:
            sa.event.remove(sa.Engine, "do_connect", self._refuse_other)

    def _refuse_other(
        self, dialect: sa.Dialect, record: Any, cargs: list[Any], cparams: dict[str, Any]
    ) -> None:
        target = _connect_target(dialect, cargs, cparams)
        if target != self._target:
            raise CommandError(
                f"env.py tried to connect to {_describe(dialect.name, target)} while it ran on "
                f"{self.purpose}; migrate refused, so nothing reached that database. Make "
                "env.py build its engine from config's sqlalchemy.url, or use "
                "config.attributes['connection'] when it is set (the generated env.py does)"
            )

    def configure_arguments(
        self, connection: Any, url: str | sa.URL | None
    ) -> tuple[sa.Connection, None, None]:
        """The (connection, url, dialect_name) context.configure() uses: the scratch one."""
        if connection is not None and connection is not self.connection:
            engine = getattr(connection, "engine", connection)
            if not isinstance(engine, sa.Engine) or not self._same(engine.url):
                raise CommandError(self._other("a connection to another database"))
        if url is not None and not self._same(url):
            raise CommandError(self._other(f"url={_hidden(url)}"))
        return self.connection, None, None

    def _same(self, url: str | sa.URL) -> bool:
        try:
            parsed = sa.make_url(url)
        except sa.exc.ArgumentError:
            return False
        return parsed.render_as_string(
            hide_password=False
        ) == self.connection.engine.url.render_as_string(hide_password=False)

    def _other(self, what: str) -> str:
        return (
            f"env.py passed {what} to context.configure() while it ran on {self.purpose}; "
            "migrate refused, so nothing ran on it. Make env.py use "
            "config.attributes['connection'] when it is set (the generated env.py does), or "
            "build its engine from config's sqlalchemy.url"
        )


_TARGET_KEYS = ("host", "port", "unix_socket", "dbname", "database", "db", "user")


def _connect_target(dialect: Any, cargs: Any, cparams: Any) -> tuple[Any, ...]:
    """What a DBAPI connect call reaches: the dialect, positional arguments (SQLite's file)
    and the keyword arguments naming the server, database and user."""
    return (
        type(dialect).__name__,  # not .name: MySQL's becomes "mariadb" once connected
        tuple(str(a) for a in cargs),
        tuple((k, str(cparams[k])) for k in _TARGET_KEYS if cparams.get(k) is not None),
    )


def _describe(name: str, target: tuple[Any, ...]) -> str:
    _, cargs, params = target
    shown = ", ".join([*cargs, *(f"{k}={v}" for k, v in params)])
    return f"a {name} database ({shown})" if shown else f"a {name} database"


def _hidden(url: str | sa.URL) -> str:
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(an unparsable URL)"


def require_env_on(config: Config, engine: sa.Engine, what: str) -> None:
    """Run env.py once with nothing to do and check it connected to ``engine``: commands run
    for squash or tests must never reach the database the project is configured for."""
    seen: list[str] = []

    def where(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        if context.connection is not None:
            seen.append(str(context.connection.engine.url))
        return []

    run_env(config, ScriptDirectory.from_config(config), where, lock=False)
    if not seen or any(url != str(engine.url) for url in seen):
        raise CommandError(
            f"env.py did not run on {what}; make env.py use config.attributes['connection'] "
            "when it is set (the generated env.py does), so nothing reaches your database"
        )
