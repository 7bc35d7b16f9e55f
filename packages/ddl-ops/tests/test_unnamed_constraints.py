"""drop_constraint(None, ...) is a one-line error naming the table and the fix, never an
AssertionError from SQLAlchemy's compiler; where no name is needed, it still works."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from ddl_ops import DDLOpsError, MissingInformation, Operations, UnnamedConstraint
from ddl_ops.errors import OperationNotSupported

DIALECTS = ["postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle"]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("type_", ["foreignkey", "unique", "check", None])
def test_an_unnamed_drop_names_the_table_and_the_fix(dialect: str, type_: str | None) -> None:
    output = io.StringIO()
    ops = Operations.for_dialect(dialect, output=output)

    with pytest.raises(UnnamedConstraint) as raised:
        ops.drop_constraint(None, "customer", type_=type_)  # type: ignore[arg-type]

    message = str(raised.value)
    assert isinstance(raised.value, MissingInformation) and isinstance(raised.value, DDLOpsError)
    assert "\n" not in message
    assert message.startswith("drop_constraint on table 'customer': ")
    assert "has no name (None)" in message
    assert "naming_convention" in message and "in place of None" in message
    assert raised.value.table_name == "customer" and raised.value.constraint_type == type_
    assert output.getvalue() == ""  # nothing half-written


@pytest.mark.parametrize("dialect", ["postgresql", "mssql", "oracle"])
def test_an_unnamed_primary_key_drop_needs_a_name_where_sql_names_it(dialect: str) -> None:
    ops = Operations.for_dialect(dialect, output=io.StringIO())
    with pytest.raises(UnnamedConstraint, match="the primary key to drop has no name"):
        ops.drop_constraint(None, "customer", type_="primary")  # type: ignore[arg-type]


@pytest.mark.parametrize("dialect", ["mysql", "mariadb"])
def test_mysql_drops_a_primary_key_without_its_name(dialect: str) -> None:
    output = io.StringIO()
    Operations.for_dialect(dialect, output=output).drop_constraint(
        None,  # type: ignore[arg-type]
        "customer",
        type_="primary",
    )
    assert "ALTER TABLE customer DROP PRIMARY KEY" in output.getvalue()


def test_sqlite_still_points_an_unnamed_primary_key_drop_at_batch_mode() -> None:
    ops = Operations.for_dialect("sqlite", output=io.StringIO())
    with pytest.raises(OperationNotSupported, match="batch_alter_table"):
        ops.drop_constraint(None, "customer", type_="primary")  # type: ignore[arg-type]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "mssql", "oracle"])
def test_unnamed_creates_are_left_to_the_database_to_name(dialect: str) -> None:
    output = io.StringIO()
    ops = Operations.for_dialect(dialect, output=output)
    ops.create_foreign_key(None, "customer", "account", ["account_id"], ["id"])  # type: ignore[arg-type]
    ops.create_unique_constraint(None, "customer", ["email"])  # type: ignore[arg-type]
    sql = output.getvalue()
    assert "ADD FOREIGN KEY(account_id) REFERENCES account (id)" in sql
    assert "ADD UNIQUE (email)" in sql


def test_live_sqlite_batch_rebuild_drops_an_unnamed_primary_key() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE customer (id INTEGER PRIMARY KEY, email VARCHAR(50))")
        with Operations.for_connection(conn).batch_alter_table("customer") as batch:
            batch.drop_constraint(None, type_="primary")  # type: ignore[arg-type]
        assert sa.inspect(conn).get_pk_constraint("customer")["constrained_columns"] == []


def test_live_sqlite_batch_refuses_an_unnamed_foreign_key_drop_by_table() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE account (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(
            "CREATE TABLE customer (id INTEGER PRIMARY KEY, "
            "account_id INTEGER REFERENCES account (id))"
        )
        with (
            pytest.raises(DDLOpsError, match="'customer'.*name"),
            Operations.for_connection(conn).batch_alter_table("customer") as batch,
        ):
            batch.drop_constraint(None, type_="foreignkey")  # type: ignore[arg-type]
