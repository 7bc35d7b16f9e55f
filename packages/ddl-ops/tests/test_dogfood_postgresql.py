"""PostgreSQL SQL text: findings of dogfooding, each pinned by a test."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg


@pytest.fixture
def pg_sql(record):  # type: ignore[no-untyped-def]
    return record("postgresql")


def test_type_change_to_a_named_enum_creates_the_type_first(pg_sql) -> None:  # type: ignore[no-untyped-def]
    pg_sql.ops.alter_column(
        "t", "c", type_=sa.Enum("a", "b", name="kind", schema="s"), postgresql_using="c::s.kind"
    )
    pg_sql.ops.alter_column("t", "d", type_=pg.ENUM("x", name="given", create_type=False))
    assert pg_sql.statements == [
        "CREATE TYPE s.kind AS ENUM ('a', 'b')",
        "ALTER TABLE t ALTER COLUMN c TYPE s.kind USING c::s.kind",
        "ALTER TABLE t ALTER COLUMN d TYPE given",
    ]
