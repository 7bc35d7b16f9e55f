"""Batch mode as SQL text: findings of dogfooding, each pinned by a test."""

from __future__ import annotations

import io

import sqlalchemy as sa

from ddl_ops import Operations


def test_copy_from_column_level_checks_reach_the_new_table() -> None:
    stock = sa.Table(
        "stock",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("qty", sa.Integer, sa.CheckConstraint("qty >= 0", name="ck_qty")),
        sa.Column("n", sa.Integer, sa.CheckConstraint("n <> 0")),
    )
    for dialect in ("sqlite", "postgresql", "mariadb"):
        buf = io.StringIO()
        ops = Operations.for_dialect(dialect, buf)
        with ops.batch_alter_table("stock", copy_from=stock, recreate="always") as batch:
            batch.alter_column("qty", nullable=False, existing_type=sa.Integer)
        assert "CONSTRAINT ck_qty CHECK (qty >= 0)" in buf.getvalue(), dialect
        assert "CHECK (n <> 0)" in buf.getvalue(), dialect


def test_postgresql_rebuild_creates_only_the_enum_types_of_new_or_retyped_columns() -> None:
    account = sa.Table(
        "account",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan", sa.Enum("free", "pro", name="plan")),
        sa.Column("status", sa.String(10)),
    )
    buf = io.StringIO()
    ops = Operations.for_dialect("postgresql", buf)
    with ops.batch_alter_table("account", copy_from=account, recreate="always") as batch:
        batch.alter_column("status", type_=sa.Enum("a", name="status"), postgresql_using="NULL")
        batch.add_column(sa.Column("mood", sa.Enum("ok", name="mood")))
    script = buf.getvalue()
    assert "CREATE TYPE plan" not in script
    assert script.index("CREATE TYPE status AS ENUM ('a')") < script.index("CREATE TABLE")
    assert script.index("CREATE TYPE mood AS ENUM ('ok')") < script.index("CREATE TABLE")
