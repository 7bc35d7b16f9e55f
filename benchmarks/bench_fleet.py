"""`migrate fleet upgrade head` over a fleet: wall time at -j 1 and at -j 4.

- PostgreSQL: 200 tenant schemas (`--schemas-query`) x 20 migrations, from
  base, at each -j in BENCH_FLEET_JOBS (default "1,4"); the speed-up is the
  figure to watch (near-linear until the server or the CPUs are the limit).
- MariaDB: 50 databases, and SQLite: 50 files (`--urls`), at the last -j.

Every tenant is created fresh (names start with BENCH_FLEET_PREFIX, by default
the benchmark database's own name and `_fleet_`, so runs sharing a server do not
collide) and dropped at the end. PostgreSQL comes from MIGRATE_BENCH_POSTGRESQL_URL (else
MIGRATE_TEST_POSTGRESQL_URL, else the local default), MariaDB likewise; an
unreachable server is skipped with a message. Sizes: BENCH_FLEET_TENANTS,
BENCH_FLEET_DATABASES, BENCH_FLEET_MIGRATIONS. Prints figures; exits 0.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from migrate_cli.fleet.runner import FleetOptions, default_jobs, run_fleet
from migrate_cli.testing import MigrationProject

TENANTS = int(os.environ.get("BENCH_FLEET_TENANTS", "200"))
DATABASES = int(os.environ.get("BENCH_FLEET_DATABASES", "50"))
MIGRATIONS = int(os.environ.get("BENCH_FLEET_MIGRATIONS", "20"))
JOBS = [int(j) for j in os.environ.get("BENCH_FLEET_JOBS", "1,4").split(",")]


def tenant_prefix() -> str:
    """Names of the tenants: unique to this run's database (MariaDB databases are global)."""
    if "BENCH_FLEET_PREFIX" in os.environ:
        return os.environ["BENCH_FLEET_PREFIX"]
    for name in ("POSTGRESQL", "MARIADB"):
        url = os.environ.get(f"MIGRATE_BENCH_{name}_URL") or os.environ.get(
            f"MIGRATE_TEST_{name}_URL"
        )
        if url and sa.make_url(url).database:
            return f"{sa.make_url(url).database}_fleet_"
    return "h17_bench_"


PREFIX = tenant_prefix()


def server_url(name: str, default: str) -> str | None:
    url = (
        os.environ.get(f"MIGRATE_BENCH_{name}_URL")
        or os.environ.get(f"MIGRATE_TEST_{name}_URL")
        or default
    )
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect():
            return url
    except sa.exc.OperationalError as error:
        print(f"{name.lower()}: skipped, unreachable ({str(error).splitlines()[0]})")
        return None
    finally:
        engine.dispose()


def write_project(root: Path) -> MigrationProject:
    project = MigrationProject(root, "sqlite:///unused.db")
    down = None
    for number in range(1, MIGRATIONS + 1):
        rev = f"b{number:03d}"
        body = f'op.create_table("t{rev}", sa.Column("id", sa.Integer, primary_key=True))\n'
        body += f'op.execute("INSERT INTO t{rev} (id) VALUES ({number})")'
        project.add(rev, down, body, f'op.drop_table("t{rev}")')
        down = rev
    return project


def timed_run(project: MigrationProject, url: str, jobs: int, **source: str) -> float:
    config = project.config()
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        options = FleetOptions(
            command="upgrade",
            revision="head",
            jobs=jobs,
            max_per_server=max(jobs, 8),
            quiet=True,
            state=str(Path(tmp) / "state.jsonl"),
            **source,  # type: ignore[arg-type]
        )
        started = time.perf_counter()
        status = run_fleet(config, options, stream=out, out=out)
        elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"the fleet run failed (exit {status}):\n{out.getvalue()[-2000:]}")
    return elapsed


def on_server(url: str, statements: Callable[[int], list[str]], count: int) -> None:
    """One transaction per tenant: dropping 200 schemas of 20 tables at once would exceed
    PostgreSQL's lock table (max_locks_per_transaction)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            for number in range(count):
                with conn.begin():
                    for statement in statements(number):
                        conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def report(label: str, targets: int, jobs: int, seconds: float, base: float | None) -> None:
    speedup = f"  speed-up x{base / seconds:.2f}" if base else ""
    print(
        f"{label}: {targets} targets x {MIGRATIONS} migrations, -j {jobs}: {seconds:.1f} s "
        f"({seconds / targets * 1000:.0f} ms per target){speedup}"
    )


def bench_postgresql(project: MigrationProject) -> None:
    url = server_url("POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    if url is None:
        return

    def drop(n: int) -> list[str]:
        return [f"DROP SCHEMA IF EXISTS {PREFIX}{n:04d} CASCADE"]

    query = f"SELECT nspname FROM pg_namespace WHERE nspname LIKE '{PREFIX}%' ORDER BY nspname"
    base: float | None = None
    try:
        for jobs in JOBS:
            on_server(url, lambda n: [*drop(n), f"CREATE SCHEMA {PREFIX}{n:04d}"], TENANTS)
            seconds = timed_run(project, url, jobs, schemas_query=query)
            report("postgresql schemas", TENANTS, jobs, seconds, base)
            base = base or seconds
    finally:
        on_server(url, drop, TENANTS)


def bench_mariadb(project: MigrationProject, tmp: Path) -> None:
    url = server_url("MARIADB", "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4")
    if url is None:
        return
    names = [f"{PREFIX}{n:04d}" for n in range(DATABASES)]
    urls = tmp / "mariadb-urls.txt"
    base_url = sa.make_url(url)
    lines = [base_url.set(database=n).render_as_string(hide_password=False) for n in names]
    urls.write_text("\n".join(lines) + "\n")
    try:
        on_server(url, lambda n: [f"CREATE DATABASE {names[n]}"], DATABASES)
        seconds = timed_run(project, url, JOBS[-1], urls_file=str(urls))
        report("mariadb databases", DATABASES, JOBS[-1], seconds, None)
    finally:
        on_server(url, lambda n: [f"DROP DATABASE IF EXISTS {names[n]}"], DATABASES)


def bench_sqlite(project: MigrationProject, tmp: Path) -> None:
    urls = tmp / "sqlite-urls.txt"
    urls.write_text("".join(f"sqlite:///{tmp}/{PREFIX}{n:04d}.db\n" for n in range(DATABASES)))
    seconds = timed_run(project, "sqlite:///unused.db", JOBS[-1], urls_file=str(urls))
    report("sqlite files", DATABASES, JOBS[-1], seconds, None)


def main() -> None:
    print(f"CPUs available: {default_jobs()}; machine load: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(Path(tmp) / "project")
        bench_postgresql(project)
        bench_mariadb(project, Path(tmp))
        bench_sqlite(project, Path(tmp))


if __name__ == "__main__":
    main()
