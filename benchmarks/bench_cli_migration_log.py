"""What the migration log adds to each migration of a one-transaction run, measured alone.

bench_cli_runtime.py measures whole runs with the log on and off; on a busy
machine the difference drowns in noise. This times only the log's own work
for 1,000 migrations, as the runtime does it: per migration, read and hash
the script and build its row (`begin_step` + `finish_step`); per run, one
batched INSERT (`flush`). Best of several repeats, on SQLite (in memory) and
PostgreSQL (MIGRATE_BENCH_POSTGRESQL_URL, else MIGRATE_TEST_POSTGRESQL_URL,
else the local default; skipped with a message when unreachable).
The budget is 0.25 ms per migration for all of migrate's own overhead.
Prints figures; exits 0.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from migrate_cli.runtime.heads import HeadChange
from migrate_cli.runtime.migration_log import MigrationLog, build_log_table
from migrate_cli.runtime.steps import RevisionStep

MIGRATIONS = int(os.environ.get("BENCH_MIGRATIONS", "1000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))


@dataclass
class FakeScript:
    """What a step needs of a Script: its file (a typical 40-line migration)."""

    path: Path
    doc: str = ""


def steps(root: Path) -> list[RevisionStep]:
    found = []
    for number in range(MIGRATIONS):
        path = root / f"r{number:05d}.py"
        path.write_text("op.add_column('t', sa.Column('x', sa.Integer))\n" * 40)
        found.append(RevisionStep(f"r{number:05d}", True, FakeScript(path)))
    return found


def measure(name: str, engine: sa.Engine, plan: list[RevisionStep]) -> None:
    best_rows = best_flush = float("inf")
    for _ in range(REPEATS):
        with engine.begin() as conn:
            history = MigrationLog(build_log_table("bench_migration_log"))
            history.table.drop(conn, checkfirst=True)
            history.create(conn)
            started = time.perf_counter()
            for step in plan:
                entry = history.begin_step(step, conn, mark_running=False)
                change = HeadChange((), (step.revision_id,))
                history.finish_step(conn, entry, step, change, defer=True)
            built = time.perf_counter()
            history.flush(conn)
            flushed = time.perf_counter()
            history.table.drop(conn)
        best_rows = min(best_rows, built - started)
        best_flush = min(best_flush, flushed - built)
    per = (best_rows + best_flush) / MIGRATIONS * 1000
    print(
        f"{name:<11} {MIGRATIONS} migrations: rows {best_rows * 1000:.1f} ms, batched insert "
        f"{best_flush * 1000:.1f} ms -> the log adds {per:.3f} ms per migration"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        plan = steps(Path(tmp))
        measure("sqlite", sa.create_engine("sqlite://"), plan)
        pg_url = (
            os.environ.get("MIGRATE_BENCH_POSTGRESQL_URL")
            or os.environ.get("MIGRATE_TEST_POSTGRESQL_URL")
            or "postgresql+psycopg://postgres@127.0.0.1:5432/test_bench"
        )
        engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect():
                pass
        except sa.exc.OperationalError as error:
            first = str(error.orig).strip().splitlines()[0]
            print(f"postgresql  skipped: {first}")
        else:
            measure("postgresql", engine, plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
