"""`run_async()` against a real async driver (psycopg's async mode on PostgreSQL).

Needs SQLAlchemy's asyncio support (`greenlet`); skipped where it is not installed.
"""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase

from ddl_ops import Operations, op, use_operations

pytest.importorskip("greenlet")


@pytest.mark.backends("postgresql")
def test_run_async_awaits_with_the_async_connection(db: LiveDatabase) -> None:
    from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

    async def count_rows(conn: AsyncConnection, table: str) -> int:
        assert isinstance(conn, AsyncConnection)
        result = await conn.execute(sa.text(f"SELECT count(*) FROM {table}"))
        return int(result.scalar_one())

    def upgrade(sync_conn: sa.Connection) -> int:
        with use_operations(Operations.for_connection(sync_conn)):
            table = op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
            op.bulk_insert(table, [{"id": 1}, {"id": 2}])
            return int(op.run_async(count_rows, "t"))

    async def main() -> int:
        engine = create_async_engine(db.url.set(drivername="postgresql+psycopg_async"))
        try:
            async with engine.begin() as conn:
                return await conn.run_sync(upgrade)
        finally:
            await engine.dispose()

    assert asyncio.run(main()) == 2
