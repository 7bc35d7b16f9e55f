"""Autogenerate time for 300 tables vs SQLAlchemy's bare MetaData.reflect() of the same schema.

Target: compare_metadata within 1.5x of reflect(). Databases come from
MIGRATE_TEST_<NAME>_URL with tests-integration/dbtesting.py's defaults; an
unreachable server is skipped with a message. The chosen databases are EMPTIED.

    python benchmarks/bench_autogen.py [sqlite postgresql mariadb]
"""

from __future__ import annotations

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

TABLES = 300
ROUNDS = 5
TARGET = 1.5


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


def bench(db: LiveDatabase) -> None:
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

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reflect()  # warm caches on both paths
            autogenerate()
            reflected, autogen = best_of_interleaved(reflect, autogenerate)
    ratio = autogen / reflected
    verdict = "within target" if ratio <= TARGET else "OVER TARGET"
    print(
        f"{db.name:<11} {TABLES} tables: reflect() {reflected * 1000:8.1f} ms   "
        f"compare_metadata() {autogen * 1000:8.1f} ms   ratio {ratio:4.2f}x "
        f"(target <= {TARGET}x: {verdict})"
    )


def main(names: list[str]) -> int:
    print(f"autogenerate vs MetaData.reflect(), best of {ROUNDS}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            try:
                opened = open_database(name, Path(tmp))
                db = next(opened)
            except ConnectionError as error:
                print(f"{name:<11} skipped: {error}")
                continue
            try:
                bench(db)
            finally:
                opened.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["sqlite", "postgresql", "mariadb"]))
