"""`migrate upgrade head` of 1,000 small migrations, against running the same SQL directly.

For SQLite and PostgreSQL, three runs on a fresh database each:

- direct: the same 1,000 migrations written as offline SQL (`upgrade --sql`),
  executed statement by statement on the driver's cursor in one transaction.
  No Python migration machinery at all. The target is the runtime within 1.2x
  of this.
- floor: what any runner of Python migration scripts on SQLAlchemy pays at
  least. Each script is imported (from cached bytecode) and its share of the
  same offline SQL is executed through a SQLAlchemy Connection. Nothing else.
- runtime: `migrate upgrade head` through `migrate_cli.command` (env.py, the
  lock, the plan, ddl-ops operations, one version-table update per migration,
  one migration-log row per migration, inserted as one batch).
- no log: the same with `migration_log = false`, to show what the log costs.

"ours" is runtime minus floor per migration: the cost of this product's own
code, the number to watch when changing the runtime.

PostgreSQL comes from MIGRATE_BENCH_POSTGRESQL_URL (else
MIGRATE_TEST_POSTGRESQL_URL, else the local default); it is skipped with a
message when unreachable. Prints figures; exits 0.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from migrate_cli import Config, command

# Measure what users get: scripts imported from cached bytecode after the first
# run. Some sandboxes export PYTHONDONTWRITEBYTECODE, which would make every run
# recompile 1,000 scripts and measure the compiler instead of the runtime.
sys.dont_write_bytecode = False

MIGRATIONS = int(os.environ.get("BENCH_MIGRATIONS", "1000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "2"))
TARGET = 1.2

ENV_PY = """
from sqlalchemy import create_engine, pool

from migrate_cli import context

config = context.config
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
"""


def write_project(root: Path, raw_sql: bool = False) -> Path:
    """1,000 migrations each creating a table: with op.create_table, or with op.execute(SQL)."""
    env = root / ("env_sql" if raw_sql else "env_ops")
    (env / "versions").mkdir(parents=True)
    (env / "env.py").write_text(ENV_PY)
    down = None
    for number in range(MIGRATIONS):
        rev = f"r{number:05d}"
        if raw_sql:
            body = (
                f'    op.execute("CREATE TABLE t{number} (id INTEGER NOT NULL, '
                f'name VARCHAR(50), PRIMARY KEY (id))")\n'
            )
        else:
            body = (
                f'    op.create_table("t{number}", sa.Column("id", sa.Integer, primary_key=True),'
                ' sa.Column("name", sa.String(50)))\n'
            )
        (env / "versions" / f"{rev}_step.py").write_text(
            f'"""create table t{number}"""\n'
            "import sqlalchemy as sa\nfrom ddl_ops import op\n\n"
            f"revision = {rev!r}\ndown_revision = {down!r}\n"
            "branch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n{body}\n\n"
            f'def downgrade():\n    op.drop_table("t{number}")\n'
        )
        down = rev
    return env


def config_for(env: Path, url: str, output: io.StringIO | None = None) -> Config:
    config = Config(stdout=output or io.StringIO())
    config.set_main_option("script_location", str(env))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def offline_sql(env: Path, url: str) -> list[list[str]]:
    """The offline SQL, split into statements and grouped per migration (preamble first)."""
    buffer = io.StringIO()
    command.upgrade(config_for(env, url, buffer), "head", sql=True)
    groups: list[list[str]] = [[]]
    for chunk in buffer.getvalue().split(";\n"):
        if "-- Running upgrade" in chunk:
            groups.append([])
        lines = [ln for ln in chunk.splitlines() if ln.strip() and not ln.startswith("--")]
        text = "\n".join(lines).strip()
        if text and text.upper() not in ("BEGIN", "COMMIT"):
            groups[-1].append(text)
    return groups


def run_direct(url: str, groups: list[list[str]], env: Path) -> float:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    started = time.perf_counter()
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        cursor = raw.cursor()  # type: ignore[union-attr]
        if engine.dialect.name == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        for group in groups:
            for statement in group:
                cursor.execute(statement)
        raw.commit()  # type: ignore[union-attr]
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def run_floor(url: str, groups: list[list[str]], env: Path) -> float:
    """Import each script, then run its statements through SQLAlchemy: the least a runner does."""
    scripts = sorted((env / "versions").glob("*.py"))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    started = time.perf_counter()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.connection.driver_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
        for statement in groups[0]:
            conn.exec_driver_sql(statement)
        for path, group in zip(scripts, groups[1:], strict=True):
            name = f"_bench_floor_{path.stem}"
            loader = importlib.machinery.SourceFileLoader(name, str(path))
            spec = importlib.util.spec_from_file_location(name, path, loader=loader)
            assert spec is not None
            loader.exec_module(importlib.util.module_from_spec(spec))
            for statement in group:
                conn.exec_driver_sql(statement)
        conn.commit()
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def run_runtime(url: str, groups: list[list[str]], env: Path, log: bool = True) -> float:
    config = config_for(env, url)
    config.set_main_option("migration_log", "true" if log else "false")
    started = time.perf_counter()
    command.upgrade(config, "head")
    return time.perf_counter() - started


def measure(name: str, url: str, reset: Callable[[], None], env: Path, label: str) -> None:
    groups = offline_sql(env, url)

    def run_without_log(url: str, groups: list[list[str]], env: Path) -> float:
        return run_runtime(url, groups, env, log=False)

    runs = {
        "direct": run_direct,
        "floor": run_floor,
        "runtime": run_runtime,
        "no log": run_without_log,
    }
    times: dict[str, list[float]] = {key: [] for key in runs}
    for _ in range(REPEATS):
        for key, run in runs.items():  # interleaved, so drift in the machine hits all three
            reset()
            times[key].append(run(url, groups, env))
    direct, floor, runtime, no_log = (min(times[key]) for key in runs)
    ratio = runtime / direct
    verdict = "ok" if ratio <= TARGET else f"ABOVE the {TARGET}x target"
    statements = sum(len(group) for group in groups)
    per_migration = {
        key: value / MIGRATIONS * 1000
        for key, value in (
            ("floor", floor - direct),
            ("ours", runtime - floor),
            ("log", runtime - no_log),
        )
    }
    print(
        f"{name:<11} {label:<16} {MIGRATIONS} migrations ({statements} statements): "
        f"direct {direct:.3f} s, floor {floor:.3f} s ({floor / direct:.2f}x), "
        f"runtime {runtime:.3f} s (median {statistics.median(times['runtime']):.3f} s) "
        f"-> {ratio:.2f}x of direct [{verdict}]; per migration: floor +{per_migration['floor']:.3f}"
        f" ms, ours +{per_migration['ours']:.3f} ms"
        f" (of which the log +{per_migration['log']:.3f} ms)"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        projects = {
            "op.create_table": write_project(root),
            "op.execute(SQL)": write_project(root, raw_sql=True),
        }
        db_file = root / "bench.db"
        sqlite_url = f"sqlite:///{db_file}"

        def reset_sqlite() -> None:
            db_file.unlink(missing_ok=True)

        for label, env in projects.items():
            measure("sqlite", sqlite_url, reset_sqlite, env, label)

        pg_url = (
            os.environ.get("MIGRATE_BENCH_POSTGRESQL_URL")
            or os.environ.get("MIGRATE_TEST_POSTGRESQL_URL")
            or "postgresql+psycopg://postgres@127.0.0.1:5432/test_bench"
        )
        engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)

        def reset_pg() -> None:
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")

        try:
            reset_pg()
        except sa.exc.OperationalError as error:
            first = str(error.orig).strip().splitlines()[0]
            print(f"postgresql  skipped: {first}")
        else:
            for label, env in projects.items():
                measure("postgresql", pg_url, reset_pg, env, label)
            reset_pg()
    return 0


if __name__ == "__main__":
    sys.exit(main())
