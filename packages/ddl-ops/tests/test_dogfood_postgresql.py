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


def test_offline_script_creates_a_shared_enum_type_once(pg_sql) -> None:  # type: ignore[no-untyped-def]
    status = sa.Enum("a", "b", name="status")
    pg_sql.ops.create_table("t", sa.Column("s", status))
    pg_sql.ops.create_table("u", sa.Column("s", sa.Enum("a", "b", name="status")))
    pg_sql.ops.drop_enum_type("status")
    pg_sql.ops.add_column("u", sa.Column("s2", status))
    creates = [s for s in pg_sql.statements if s.startswith("CREATE TYPE")]
    assert creates == ["CREATE TYPE status AS ENUM ('a', 'b')"] * 2
    assert pg_sql.statements.index("DROP TYPE status") < len(pg_sql.statements) - 2
