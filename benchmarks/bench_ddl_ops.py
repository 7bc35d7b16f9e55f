"""Benchmark ddl-ops: how fast operations become SQL, offline and live.

Run standalone: ``.venv/bin/python benchmarks/bench_ddl_ops.py``. Figures:
- offline: statements written per second for a typical mix of operations, per dialect
  (a 2,000-migration history rendered with --sql should take seconds, not minutes);
- live: the same mix executed on an in-memory SQLite database;
- overhead: the cost of going through the facade versus compiling the DDL directly.
Target: the facade costs at most 3x compiling the same DDL with bare SQLAlchemy (the
absolute rates depend on the machine; the ratio is what ddl-ops controls).
"""

from __future__ import annotations

import io
import sys
import time

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex

from ddl_ops import Operations

DIALECTS = ("sqlite", "postgresql", "mysql", "mariadb", "mssql", "oracle")
ROUNDS = 200
MAX_OVERHEAD_RATIO = 3.0


def typical_migration(ops: Operations, n: int) -> int:
    """One migration's worth of operations; returns how many were issued."""
    table = f"table_{n}"
    ops.create_table(
        table,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, server_default="x"),
        sa.Column("parent_id", sa.Integer),
        sa.Column("amount", sa.Numeric(10, 2)),
    )
    ops.add_column(table, sa.Column("note", sa.String(200), comment="free text"))
    ops.create_index(f"ix_{table}_name", table, ["name"])
    ops.bulk_insert(
        sa.table(table, sa.column("id", sa.Integer), sa.column("name", sa.String)),
        [{"id": i, "name": f"row {i}"} for i in range(5)],
    )
    ops.alter_column(
        table, "note", new_column_name="notes", existing_type=sa.String(200), existing_nullable=True
    )
    ops.drop_index(f"ix_{table}_name", table)
    ops.drop_column(table, "amount")
    return 7


def bench_offline(dialect: str) -> tuple[float, int]:
    buf = io.StringIO()
    ops = Operations.for_dialect(dialect, buf)
    start = time.perf_counter()
    count = sum(typical_migration(ops, n) for n in range(ROUNDS))
    return time.perf_counter() - start, count


def bench_live_sqlite() -> tuple[float, int]:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        start = time.perf_counter()
        count = sum(typical_migration(ops, n) for n in range(ROUNDS))
        return time.perf_counter() - start, count


def bench_overhead() -> tuple[float, float]:
    """Facade create_index versus compiling SQLAlchemy's CreateIndex by hand."""
    dialect = Operations.for_dialect("postgresql", io.StringIO()).dialect
    n = 2_000
    ops = Operations.for_dialect("postgresql", io.StringIO())
    start = time.perf_counter()
    for i in range(n):
        ops.create_index(f"ix_{i}", "t", ["a", "b"])
    facade = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(n):
        table = sa.Table("t", sa.MetaData(), sa.Column("a"), sa.Column("b"))
        str(CreateIndex(sa.Index(f"ix_{i}", table.c.a, table.c.b)).compile(dialect=dialect))
    direct = time.perf_counter() - start
    return facade / n * 1e6, direct / n * 1e6


def main() -> int:
    print(f"offline: {ROUNDS} migrations of 7 operations each")
    for dialect in DIALECTS:
        seconds, count = bench_offline(dialect)
        rate = count / seconds
        print(f"  {dialect:<11} {count:>5} ops in {seconds:6.3f}s  {rate:>8,.0f} ops/s")
    seconds, count = bench_live_sqlite()
    print(f"live sqlite (in memory): {count} ops in {seconds:.3f}s  {count / seconds:,.0f} ops/s")
    facade_us, direct_us = bench_overhead()
    ratio = facade_us / direct_us
    print(
        f"create_index: facade {facade_us:.0f} us/op, bare SQLAlchemy {direct_us:.0f} us/op "
        f"(x{ratio:.2f}, target <= x{MAX_OVERHEAD_RATIO:.0f})"
    )
    return 0 if ratio <= MAX_OVERHEAD_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
