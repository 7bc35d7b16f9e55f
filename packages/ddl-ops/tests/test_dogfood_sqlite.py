"""SQLite operations: findings of dogfooding, each pinned by a test."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ddl_ops import OperationNotSupported, Operations


@pytest.mark.parametrize(
    "default",
    [sa.func.current_timestamp(), sa.text("CURRENT_DATE"), sa.text("(datetime('now'))")],
)
def test_add_column_with_a_non_constant_default_points_to_batch_mode(default) -> None:  # type: ignore[no-untyped-def]
    with sa.create_engine("sqlite://").begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")  # SQLite refuses only when rows exist
        ops = Operations.for_connection(conn)
        with pytest.raises(OperationNotSupported, match=r"non-constant default .*batch_alter"):
            ops.add_column("t", sa.Column("c", sa.DateTime, server_default=default))


def test_add_column_with_a_constant_default_stays_in_place() -> None:
    with sa.create_engine("sqlite://").begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        ops = Operations.for_connection(conn)
        ops.add_column("t", sa.Column("a", sa.Boolean, nullable=False, server_default=sa.false()))
        ops.add_column("t", sa.Column("b", sa.Integer, server_default=sa.text("2")))
        ops.add_column("t", sa.Column("d", sa.String(5), server_default="it's"))
        assert conn.exec_driver_sql("SELECT * FROM t").all() == [(1, 0, 2, "it's")]


@pytest.mark.parametrize(
    ("column", "reason"),
    [("id", "PRIMARY KEY"), ("a", "UNIQUE"), ("b", "index ix_t_b"), ("d", "view v")],
)
def test_drop_column_that_something_uses_points_to_batch_mode(column: str, reason: str) -> None:
    with sa.create_engine("sqlite://").begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, a UNIQUE, b, d)")
        conn.exec_driver_sql("CREATE INDEX ix_t_b ON t (b)")
        conn.exec_driver_sql("CREATE VIEW v AS SELECT d FROM t")
        conn.exec_driver_sql("INSERT INTO t VALUES (1, 2, 3, 4)")
        ops = Operations.for_connection(conn)
        with pytest.raises(OperationNotSupported, match=f"{reason}.*batch_alter_table"):
            ops.drop_column("t", column)
        assert conn.exec_driver_sql("SELECT * FROM t").all() == [(1, 2, 3, 4)]
