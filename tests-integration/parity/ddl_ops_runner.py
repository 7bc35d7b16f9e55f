"""Run one generated case through Alembic, through ddl-ops live, and through ddl-ops offline.

Each run gets its own fresh database of the same kind: the ``db`` fixture's for Alembic,
``<name>_b`` for ours live and ``<name>_c`` for the offline script, which the database's own
command-line client (``sqlite3``, ``psql -v ON_ERROR_STOP=1``, ``mariadb``) executes.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations as AlembicOperations
from parity.schema_snapshot import Snapshot, snapshot_schema

from ddl_ops import Operations

CLIENTS = {"sqlite": "sqlite3", "postgresql": "psql", "mysql": "mariadb", "mariadb": "mariadb"}


@dataclass
class Outcome:
    """What a run left: the schema, or the error that stopped it."""

    snapshot: Snapshot | None = None
    error: str | None = None
    script: str | None = None  # the offline SQL, when there is one


def first_line(error: BaseException) -> str:
    orig = getattr(error, "orig", None)
    text = str(orig if orig is not None else error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"


def run_code(code: str, op: Any) -> None:
    exec(compile(code, "<parity case>", "exec"), {"op": op, "sa": sa})


def reset(engine: sa.Engine) -> None:
    """Empty the database: a new public schema on PostgreSQL, a new database on MariaDB."""
    name = engine.dialect.name
    if name == "sqlite":
        database = engine.url.database
        engine.dispose()
        if database and os.path.exists(database):
            os.remove(database)
        return
    if name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        return
    database = engine.url.database
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{database}`")
        conn.exec_driver_sql(f"CREATE DATABASE `{database}`")
        conn.exec_driver_sql(f"USE `{database}`")


def sibling_engine(url: sa.URL, suffix: str, tmp: Path) -> sa.Engine:
    """An engine on a second database of the same kind, created if missing."""
    if url.get_backend_name() == "sqlite":
        return sa.create_engine(
            f"sqlite:///{tmp / f'parity_{suffix}.db'}", poolclass=sa.pool.NullPool
        )
    name = f"{url.database}_{suffix}"
    admin = sa.create_engine(url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if url.get_backend_name() == "postgresql":
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        else:
            conn.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS `{name}`")
    admin.dispose()
    return sa.create_engine(url.set(database=name), poolclass=sa.pool.NullPool)


def run_live(engine: sa.Engine, code: str, make_op: Callable[[sa.Connection], Any]) -> Outcome:
    reset(engine)
    try:
        with engine.connect() as conn:
            conn.begin()  # not `with`: an autocommit block may commit and begin again
            run_code(code, make_op(conn))
            conn.commit()
    except Exception as error:
        return Outcome(error=first_line(error))
    with engine.connect() as conn:
        return Outcome(snapshot=snapshot_schema(conn))


def alembic_op(conn: sa.Connection) -> AlembicOperations:
    return AlembicOperations(MigrationContext.configure(conn))


def ours_op(conn: sa.Connection) -> Operations:
    return Operations.for_connection(conn)


def offline_script(dialect: sa.Dialect, code: str) -> str:
    buf = io.StringIO()
    ops = Operations.for_dialect(dialect, buf)
    if ops.impl.transactional_ddl:
        buf.write(f"{ops.impl.begin_statement};\n\n")
    run_code(code, ops)
    if ops.impl.transactional_ddl:
        buf.write(f"{ops.impl.commit_statement};\n")
    return buf.getvalue()


def client_command(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    backend = url.get_backend_name()
    client = CLIENTS[backend]
    if shutil.which(client) is None:
        raise FileNotFoundError(f"the {client} command-line client is not on PATH")
    env = dict(os.environ)
    if backend == "sqlite":
        return [client, "-bail", str(url.database)], env
    if backend == "postgresql":
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        return [
            client, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", url.host or "127.0.0.1",
            "-p", str(url.port or 5432), "-U", url.username or "postgres", "-d", str(url.database),
        ], env  # fmt: skip
    if url.password:
        env["MYSQL_PWD"] = str(url.password)
    return [
        client, "-h", url.host or "127.0.0.1", "-P", str(url.port or 3306),
        "-u", url.username or "root", str(url.database),
    ], env  # fmt: skip


def run_offline(engine: sa.Engine, dialect: sa.Dialect, code: str) -> Outcome:
    """Write the case as SQL text, run it in the database's client, reflect the result."""
    try:
        script = offline_script(dialect, code)
    except Exception as error:
        return Outcome(error=f"writing SQL: {first_line(error)}")
    reset(engine)
    command, env = client_command(engine.url)
    done = subprocess.run(
        command, input=script, text=True, capture_output=True, env=env, timeout=120
    )
    if done.returncode != 0 or "ERROR" in done.stderr.upper():
        message = done.stderr.strip().splitlines()
        return Outcome(error=f"client: {message[0] if message else done.returncode}", script=script)
    with engine.connect() as conn:
        return Outcome(snapshot=snapshot_schema(conn), script=script)
