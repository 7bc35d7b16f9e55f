"""The databases integration tests run against, defined in one place.

Each logical name (``--db postgresql``) maps to a default URL for the local
services; ``MIGRATE_TEST_<NAME>_URL`` overrides it, so CI, a laptop and a
developer running several suites side by side can point at different servers
or databases without touching a test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

DEFAULT_URLS: dict[str, str] = {
    "sqlite": "sqlite:///{tmp}/test.db",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4",
    "mysql": "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4",
}

HOW_TO_START: dict[str, str] = {
    "postgresql": (
        "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
    ),
    "mariadb": (
        "start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`"
    ),
    "mysql": "start a MySQL server",
}


def on_ci() -> bool:
    """CI turns an unreachable database into a failure, never a skip."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def env_var(name: str) -> str:
    return f"MIGRATE_TEST_{name.upper()}_URL"


def url_for(name: str, tmp: Path | None = None) -> URL:
    """The URL for a logical database name, honouring the environment override."""
    if name not in DEFAULT_URLS:
        raise ValueError(f"unknown database {name!r}; choose from {', '.join(DEFAULT_URLS)}")
    raw = os.environ.get(env_var(name)) or DEFAULT_URLS[name]
    if "{tmp}" in raw:
        if tmp is None:
            raise ValueError("a temporary directory is needed for the SQLite URL")
        raw = raw.format(tmp=tmp.as_posix())
    return make_url(raw)


def unreachable_message(name: str, url: URL, error: Exception) -> str:
    shown = url.render_as_string(hide_password=True)
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    hint = HOW_TO_START.get(name, "")
    return (
        f"{name} database at {shown} is unreachable ({first_line}); "
        f"{hint + ', or ' if hint else ''}set {env_var(name)} to a reachable URL"
    )


@dataclass(frozen=True)
class LiveDatabase:
    """A clean database for one test: its logical name, URL and engine."""

    name: str
    url: URL
    engine: Engine

    @property
    def url_string(self) -> str:
        """The URL with its password, for handing to subprocesses and config files."""
        return self.url.render_as_string(hide_password=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def other_schema(self) -> str | None:
        """A second schema tests may use for schema-qualified names (None on SQLite)."""
        if self.name == "sqlite":
            return None
        return f"{self.url.database}_schema" if self.name != "postgresql" else "test_schema"


def reset_database(db: LiveDatabase) -> None:
    """Drop everything a previous test left, so each test starts from an empty schema."""
    if db.name == "sqlite":
        _empty_sqlite(db.engine)
        return
    with db.engine.begin() as conn:
        if db.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{db.other_schema}" CASCADE')
            conn.exec_driver_sql(f'CREATE SCHEMA "{db.other_schema}"')
        else:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{db.other_schema}`")
            conn.exec_driver_sql(f"CREATE DATABASE `{db.other_schema}`")
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            inspector = sa.inspect(conn)
            for view in inspector.get_view_names():
                _drop_mysql(conn, "VIEW", view)
            for table in inspector.get_table_names():
                _drop_mysql(conn, "TABLE", table)
            if conn.dialect.supports_sequences:  # MariaDB keeps sequences apart from tables
                for sequence in inspector.get_sequence_names():
                    _drop_mysql(conn, "SEQUENCE", sequence)
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")


def _empty_sqlite(engine: sa.Engine) -> None:
    """Each test gets a fresh file, but a test that resets midway needs it emptied."""
    with engine.connect() as conn:
        enforced = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        rows = conn.exec_driver_sql(
            "SELECT type, name FROM sqlite_master"
            " WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        ).all()
        for kind, name in rows:
            quoted = conn.dialect.identifier_preparer.quote(name)
            conn.exec_driver_sql(f"DROP {kind.upper()} IF EXISTS {quoted}")
        conn.commit()
        conn.exec_driver_sql(f"PRAGMA foreign_keys = {int(bool(enforced))}")


def _drop_mysql(conn: sa.Connection, kind: str, name: str) -> None:
    """DROP one object whatever its name holds: backticks are doubled, and `%` is sent as is
    (no_parameters stops pymysql reading it as a placeholder)."""
    quoted = "`" + name.replace("`", "``") + "`"
    conn.exec_driver_sql(
        f"DROP {kind} IF EXISTS {quoted}", execution_options={"no_parameters": True}
    )


def open_database(name: str, tmp: Path) -> Iterator[LiveDatabase]:
    """Connect, clean, yield, dispose. Raises ConnectionError when unreachable."""
    url = url_for(name, tmp)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.OperationalError as error:
        engine.dispose()
        raise ConnectionError(unreachable_message(name, url, error)) from error
    db = LiveDatabase(name=name, url=url, engine=engine)
    try:
        reset_database(db)
        yield db
    finally:
        engine.dispose()
