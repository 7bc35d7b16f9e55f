"""Autogenerate compare for 300 tables vs bare MetaData.reflect() and vs Alembic.

Targets, on each database, printed as "ours / reference = ratio (target)":
compare_metadata() within 1.3x of SQLAlchemy's bare MetaData.reflect() of the
same schema, and faster than Alembic's compare_metadata() on the same
connection (the schema matches the model, so both find nothing).

Databases come from MIGRATE_TEST_<NAME>_URL with tests-integration/dbtesting.py's
defaults; an unreachable server is skipped with a message. The chosen databases
are EMPTIED. BENCH_QUICK=1 uses 60 tables and 2 rounds. Exits 1 over a target.

    python benchmarks/bench_autogen.py [sqlite postgresql mariadb]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests-integration"))

from dbtesting import LiveDatabase, open_database

from migrate_autogen import compare_metadata

QUICK = os.environ.get("BENCH_QUICK") == "1"
TABLES = 60 if QUICK else 300
ROUNDS = 2 if QUICK else 5
TARGET = 1.3
VS_ALEMBIC = 1.0


def model() -> sa.MetaData:
    m = sa.MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
        }
    )
    for i in range(TABLES):
        columns: list[sa.SchemaItem] = [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(50), nullable=False, server_default="x"),
            sa.Column("amount", sa.Numeric(10, 2), server_default="0"),
            sa.Column("active", sa.Boolean, server_default=sa.true()),
            sa.Column("created", sa.DateTime, server_default=sa.func.now()),
            sa.Column("code", sa.String(20), unique=True),
            sa.Column("note", sa.Text, comment="notes"),
            sa.Index(f"ix_t{i:03d}_name_created", "name", "created"),
        ]
        if i:
            columns.append(sa.Column("prev_id", sa.ForeignKey(f"t{i - 1:03d}.id")))
        sa.Table(f"t{i:03d}", m, *columns)
    return m


def best_of_interleaved(*fns: Callable[[], object]) -> list[float]:
    """Best time of each function over ROUNDS, alternating them so load spikes hit both."""
    best = [float("inf")] * len(fns)
    for _ in range(ROUNDS):
        for position, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[position] = min(best[position], time.perf_counter() - start)
    return best


def alembic_compare(conn: sa.Connection, metadata: sa.MetaData) -> Callable[[], object] | None:
    """Alembic's compare_metadata on the same connection, or None when it is not installed."""
    try:
        from alembic.autogenerate import compare_metadata as alembic_compare_metadata
        from alembic.migration import MigrationContext as AlembicContext
    except ImportError:
        return None

    def run() -> object:
        context = AlembicContext.configure(conn, opts={"compare_type": True})
        diffs = alembic_compare_metadata(context, metadata)
        if diffs:
            raise SystemExit(f"Alembic found {len(diffs)} differences in a matching schema")
        return diffs

    return run


def bench(db: LiveDatabase) -> list[str]:
    metadata = model()
    with db.engine.begin() as conn:
        metadata.create_all(conn)
    with db.engine.connect() as conn:

        def reflect() -> None:
            sa.MetaData().reflect(conn)

        def autogenerate() -> None:
            ops = compare_metadata(conn, metadata)
            if ops:
                raise SystemExit(f"{db.name}: expected no changes, got {len(ops)} operations")

        reference = alembic_compare(conn, metadata)
        runs = [reflect, autogenerate] + ([reference] if reference else [])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for run in runs:  # warm caches on every path
                run()
            times = best_of_interleaved(*runs)
    reflected, autogen = times[0], times[1]
    missed = []
    checks = [("reflect()", reflected, TARGET)]
    if reference:
        checks.append(("Alembic compare_metadata()", times[2], VS_ALEMBIC))
    else:
        print(f"{db.name:<11} Alembic not installed: no comparison with it")
    for label, reference_time, target in checks:
        ratio = autogen / reference_time
        held = ratio <= target if target != VS_ALEMBIC else ratio < target
        sign, verdict = ("<" if target == VS_ALEMBIC else "<="), ("ok" if held else "OVER TARGET")
        print(
            f"{db.name:<11} {TABLES} tables: compare_metadata() / {label:<27} = "
            f"{autogen * 1000:7.1f} ms / {reference_time * 1000:7.1f} ms = {ratio:4.2f}x "
            f"({sign} {target}x)  {verdict}"
        )
        if not held:
            missed.append(f"{db.name} vs {label}")
    return missed


def main(names: list[str]) -> int:
    print(f"autogenerate vs MetaData.reflect() and Alembic, best of {ROUNDS}")
    missed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            try:
                opened = open_database(name, Path(tmp))
                db = next(opened)
            except ConnectionError as error:
                print(f"{name:<11} skipped: {error}")
                continue
            try:
                missed += bench(db)
            finally:
                opened.close()
    if missed:
        print(f"OVER TARGET: {'; '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["sqlite", "postgresql", "mariadb"]))
