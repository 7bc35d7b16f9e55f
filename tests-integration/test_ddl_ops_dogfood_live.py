"""Operations on live databases with rows in the tables: findings of dogfooding, each pinned.

Each test fills a table first, runs the operation, then reads the catalog and the rows back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase

from ddl_ops import OperationNotSupported, Operations


@pytest.fixture
def conn(db: LiveDatabase) -> Iterator[sa.Connection]:
    with db.engine.begin() as connection:
        yield connection


@pytest.mark.backends("postgresql")
def test_type_change_with_a_new_default_replaces_a_default_of_the_old_type(
    conn: sa.Connection,
) -> None:
    ops = Operations.for_connection(conn)
    account = ops.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("level", sa.String(10), server_default="0"),
    )
    ops.bulk_insert(account, [{"id": 1, "level": "12"}, {"id": 2, "level": "7"}])
    ops.alter_column(
        "account",
        "level",
        type_=sa.Integer,
        postgresql_using="level::integer",
        server_default=sa.text("1"),
    )
    ops.alter_column("account", "id", type_=sa.BigInteger, server_default=None)
    conn.exec_driver_sql("INSERT INTO account (id) VALUES (3)")
    columns = {c["name"]: c for c in sa.inspect(conn).get_columns("account")}
    assert isinstance(columns["level"]["type"], sa.Integer)
    assert columns["level"]["default"] == "1"
    assert isinstance(columns["id"]["type"], sa.BigInteger) and columns["id"]["default"] is None
    rows = conn.exec_driver_sql("SELECT id, level FROM account ORDER BY id").all()
    assert rows == [(1, 12), (2, 7), (3, 1)]


@pytest.mark.backends("postgresql")
def test_type_change_to_a_named_enum_creates_the_enum_type(conn: sa.Connection) -> None:
    ops = Operations.for_connection(conn)
    account = ops.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(10)),
        sa.Column("plan", sa.String(10)),
    )
    ops.bulk_insert(account, [{"id": 1, "status": "new", "plan": "free"}, {"id": 2}])
    status = sa.Enum("new", "old", name="account_status")
    ops.alter_column("account", "status", type_=status, postgresql_using="status::account_status")
    ops.alter_column("account", "plan", type_=status, postgresql_using="NULL")  # type exists now
    enums = sa.inspect(conn).get_enums()  # type: ignore[attr-defined]
    assert [(e["name"], e["labels"]) for e in enums] == [("account_status", ["new", "old"])]
    rows = conn.exec_driver_sql("SELECT id, status::text, plan FROM account ORDER BY id").all()
    assert rows == [(1, "new", None), (2, None, None)]
    with pytest.raises(sa.exc.DataError):
        conn.exec_driver_sql("UPDATE account SET status = 'gone'")


@pytest.mark.backends("sqlite")
def test_sqlite_add_column_with_a_non_constant_default_points_to_batch_mode(
    conn: sa.Connection,
) -> None:
    ops = Operations.for_connection(conn)
    ops.create_table("visit", sa.Column("id", sa.Integer, primary_key=True))
    conn.exec_driver_sql("INSERT INTO visit (id) VALUES (1), (2)")
    seen = sa.Column("seen", sa.DateTime, server_default=sa.func.current_timestamp())
    with pytest.raises(OperationNotSupported, match=r"batch_alter_table\('visit'\)"):
        ops.add_column("visit", seen)
    assert [c["name"] for c in sa.inspect(conn).get_columns("visit")] == ["id"]
    with ops.batch_alter_table("visit") as batch:
        batch.add_column(seen)
    rows = conn.exec_driver_sql("SELECT id, seen IS NOT NULL FROM visit ORDER BY id").all()
    assert rows == [(1, 1), (2, 1)]


@pytest.mark.backends("mariadb")
def test_named_column_level_checks_on_mariadb(conn: sa.Connection) -> None:
    # MariaDB has no CONSTRAINT name CHECK inside a column definition, only at table level
    ops = Operations.for_connection(conn)
    item = ops.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("qty", sa.Integer, sa.CheckConstraint("qty >= 0", name="ck_qty")),
        sa.Column("price", sa.Integer, sa.CheckConstraint("price > 0")),
    )
    ops.bulk_insert(item, [{"id": 1, "qty": 1, "price": 2}])
    ops.add_column(
        "item", sa.Column("rank", sa.Integer, sa.CheckConstraint("`rank` < 10", name="ck_rank"))
    )
    checks = {c["name"] for c in sa.inspect(conn).get_check_constraints("item")}
    assert {"ck_qty", "ck_rank"} <= checks
    for bad in ("qty = -1", "`rank` = 10", "price = 0"):
        with pytest.raises(sa.exc.OperationalError, match="CONSTRAINT"):
            conn.exec_driver_sql(f"UPDATE item SET {bad}")
    assert conn.exec_driver_sql("SELECT id, qty, price, `rank` FROM item").all() == [
        (1, 1, 2, None)
    ]


@pytest.mark.backends("mariadb")
def test_mariadb_add_column_whose_unique_key_fails_leaves_no_column(conn: sa.Connection) -> None:
    # MariaDB commits each DDL statement: a separate ADD UNIQUE failing after ADD COLUMN
    # would leave the column behind, and re-running the migration would then fail too
    ops = Operations.for_connection(conn)
    ops.create_table("team", sa.Column("id", sa.Integer, primary_key=True))
    ops.bulk_insert(sa.table("team", sa.column("id")), [{"id": 1}, {"id": 2}])
    code = sa.Column("code", sa.String(10), nullable=False, server_default="x", unique=True)
    with pytest.raises(sa.exc.IntegrityError):
        ops.add_column("team", code)
    assert [c["name"] for c in sa.inspect(conn).get_columns("team")] == ["id"]
    parent = sa.Column("parent_id", sa.Integer, sa.ForeignKey("team.id"), index=True)
    ops.add_column("team", parent)
    ops.add_column("team", sa.Column("label", sa.String(10), unique=True, index=True))
    inspector = sa.inspect(conn)
    assert [fk["referred_table"] for fk in inspector.get_foreign_keys("team")] == ["team"]
    indexes = {(i["name"], bool(i["unique"])) for i in inspector.get_indexes("team")}
    assert {("ix_team_parent_id", False), ("ix_team_label", True)} <= indexes
