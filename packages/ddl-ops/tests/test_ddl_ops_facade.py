"""The facade, the op proxy and the registries: how other packages drive ddl-ops."""

from __future__ import annotations

import io
import threading

import pytest
import sqlalchemy as sa

import ddl_ops
from ddl_ops import (
    MigrateOperation,
    NoOperationsBound,
    OfflineModeError,
    Operations,
    get_dialect_impl,
    op,
    register_operation,
    register_sql,
    use_operations,
)


def test_live_operations_create_and_fill_a_table() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        table = ops.create_table(
            "t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20))
        )
        ops.bulk_insert(table, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
        ops.add_column("t", sa.Column("x", sa.Integer, server_default="7"))
        rows = conn.execute(sa.text("SELECT id, name, x FROM t ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "a", 7), (2, "b", 7)]


def test_offline_operations_write_terminated_statements() -> None:
    buf = io.StringIO()
    ops = Operations.for_dialect("postgresql", buf)
    ops.add_column("t", sa.Column("x", sa.Integer))
    ops.drop_column("t", "x")
    assert buf.getvalue() == (
        "ALTER TABLE t ADD COLUMN x INTEGER;\n\nALTER TABLE t DROP COLUMN x;\n\n"
    )
    assert ops.is_offline


def test_get_bind_offline_is_a_clear_error() -> None:
    ops = Operations.for_dialect("sqlite", io.StringIO())
    with pytest.raises(OfflineModeError, match="offline"):
        ops.get_bind()


def test_op_proxy_needs_binding() -> None:
    with pytest.raises(NoOperationsBound, match="migrate tool"):
        op.add_column("t", sa.Column("x", sa.Integer))


def test_op_proxy_is_bound_per_thread() -> None:
    seen: dict[str, str] = {}

    def run(name: str) -> None:
        buf = io.StringIO()
        with use_operations(Operations.for_dialect("postgresql", buf)):
            barrier.wait()
            op.drop_table(name)
            barrier.wait()
        seen[name] = buf.getvalue()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"a": "DROP TABLE a;\n\n", "b": "DROP TABLE b;\n\n"}


def test_dialect_impls_know_transactional_ddl() -> None:
    expected = {
        "sqlite": False,
        "postgresql": True,
        "mssql": True,
        "mysql": False,
        "mariadb": False,
        "oracle": False,
    }
    assert {name: get_dialect_impl(name).transactional_ddl for name in expected} == expected
    assert get_dialect_impl("mariadb").dialect_chain == ("mariadb", "mysql", "default")


class CreateViewOp(MigrateOperation):
    def __init__(self, view_name: str, select: str) -> None:
        self.view_name = view_name
        self.select = select


def test_user_operation_registered_with_its_sql() -> None:
    register_operation("create_view_for_test", CreateViewOp)

    @register_sql(CreateViewOp)
    def create_view(operation: CreateViewOp, ctx: ddl_ops.SQLContext) -> None:
        ctx.execute(f"CREATE VIEW {operation.view_name} AS {operation.select}")

    buf = io.StringIO()
    ops = Operations.for_dialect("sqlite", buf)
    ops.create_view_for_test("v", "SELECT 1")
    assert buf.getvalue() == "CREATE VIEW v AS SELECT 1;\n\n"
    with pytest.raises(AttributeError, match="register_operation"):
        ops.no_such_operation()


def test_offline_from_a_driver_dialect_writes_single_percent_signs() -> None:
    engine = sa.create_engine("postgresql+psycopg://user@localhost/db")
    table = sa.Table("t", sa.MetaData(), sa.Column("a", sa.String(5), server_default="5%"))
    assert "DEFAULT '5%%'" in str(sa.schema.CreateTable(table).compile(dialect=engine.dialect))
    buf = io.StringIO()
    Operations.for_dialect(engine.dialect, buf).add_column(
        "t", sa.Column("a", sa.String(5), server_default="5%")
    )
    assert buf.getvalue() == "ALTER TABLE t ADD COLUMN a VARCHAR(5) DEFAULT '5%';\n\n"
    live_sql = str(sa.schema.CreateTable(table).compile(dialect=engine.dialect))
    assert "DEFAULT '5%%'" in live_sql, "the engine's own dialect must still double '%'"


def test_autocommit_block_live_leaves_and_resumes_the_transaction() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        ops = Operations.for_connection(conn)
        conn.begin()
        ops.execute("CREATE TABLE t (a INTEGER)")
        ops.execute(sa.text("INSERT INTO t VALUES (1)"))
        before = conn.get_execution_options().get("isolation_level")
        with ops.autocommit_block():
            assert conn.get_execution_options()["isolation_level"] == "AUTOCOMMIT"
            ops.execute(sa.text("INSERT INTO t VALUES (2)"))
        assert conn.in_transaction()
        assert conn.get_execution_options().get("isolation_level", before) in (
            before,
            conn.default_isolation_level,
        )
        ops.execute(sa.text("INSERT INTO t VALUES (3)"))
        conn.rollback()
        assert conn.execute(sa.text("SELECT a FROM t ORDER BY a")).scalars().all() == [1, 2]


def test_autocommit_block_hands_the_transaction_to_the_runner() -> None:
    calls: list[str] = []

    class Runner:
        def __init__(self, conn: sa.Connection) -> None:
            self.conn = conn

        def leave(self) -> None:
            calls.append("leave")
            self.conn.commit()

        def resume(self) -> None:
            calls.append("resume")
            self.conn.begin()

    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        ops = Operations.for_connection(conn, transaction_control=Runner(conn))
        conn.begin()
        with ops.autocommit_block():
            calls.append("block")
        assert conn.in_transaction()
    assert calls == ["leave", "block", "resume"]


def test_run_async_is_refused_offline_and_without_an_async_connection() -> None:
    async def nothing(conn: object) -> None:
        return None

    with pytest.raises(OfflineModeError, match="run_async"):
        Operations.for_dialect("postgresql", io.StringIO()).run_async(nothing)
    with (
        sa.create_engine("sqlite://").connect() as conn,
        pytest.raises(ddl_ops.DDLOpsError, match="AsyncConnection|asyncio"),
    ):
        Operations.for_connection(conn).run_async(nothing)


def test_op_proxy_is_bound_per_asyncio_task() -> None:
    import asyncio

    async def run(name: str) -> str:
        buf = io.StringIO()
        with use_operations(Operations.for_dialect("sqlite", buf)):
            await asyncio.sleep(0)
            op.drop_table(name)
            await asyncio.sleep(0)
        return buf.getvalue()

    async def both() -> list[str]:
        return list(await asyncio.gather(run("a"), run("b")))

    assert asyncio.run(both()) == ["DROP TABLE a;\n\n", "DROP TABLE b;\n\n"]


def test_sql_lookup_prefers_the_dialect_then_the_class_hierarchy() -> None:
    from ddl_ops import DropColumnOp

    class SoftDropColumnOp(DropColumnOp):
        """A drop that inherits its SQL from DropColumnOp unless given its own."""

    buf = io.StringIO()
    ops = Operations.for_dialect("mariadb", buf)
    ops.invoke(SoftDropColumnOp("t", "c"))
    assert buf.getvalue() == "ALTER TABLE t DROP COLUMN c;\n\n"

    @register_sql(SoftDropColumnOp, dialect="mysql")
    def soft_drop(operation: SoftDropColumnOp, ctx: ddl_ops.SQLContext) -> None:
        ctx.execute(f"UPDATE {operation.table_name} SET {operation.column_name} = NULL")

    buf.truncate(0)
    buf.seek(0)
    ops.invoke(SoftDropColumnOp("t", "c"))  # MariaDB falls back to the MySQL function
    Operations.for_dialect("postgresql", buf).invoke(SoftDropColumnOp("t", "c"))
    assert buf.getvalue() == "UPDATE t SET c = NULL;\n\nALTER TABLE t DROP COLUMN c;\n\n"


def test_unregistered_operation_and_clashing_names_are_clear_errors() -> None:
    class Orphan(MigrateOperation):
        pass

    with pytest.raises(ddl_ops.OperationNotSupported, match="no SQL is registered for Orphan"):
        Operations.for_dialect("sqlite", io.StringIO()).invoke(Orphan())
    with pytest.raises(ddl_ops.DDLOpsError, match="already has a method"):
        register_operation("add_column", Orphan)


def test_unknown_dialect_name_is_a_clear_error() -> None:
    with pytest.raises(ddl_ops.DDLOpsError, match="unknown database dialect 'postgress'"):
        Operations.for_dialect("postgress", io.StringIO())


def test_autocommit_block_inside_engine_begin_is_a_clear_error() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with pytest.raises(ddl_ops.DDLOpsError, match=r"engine\.begin\(\)"), ops.autocommit_block():
            pass
        ops.execute("SELECT 1")  # the transaction is untouched and still usable


def test_for_connection_wants_a_connection() -> None:
    with pytest.raises(ddl_ops.DDLOpsError, match="not Engine"):
        Operations.for_connection(sa.create_engine("sqlite://"))  # type: ignore[arg-type]


def test_drop_constraint_without_a_name_says_what_is_missing() -> None:
    """Found running CTFd's downgrades: `op.drop_constraint(None, "challenges", ...)` failed
    with a bare AssertionError from SQLAlchemy's compiler."""
    import io

    import pytest

    from ddl_ops import MissingInformation, Operations

    ops = Operations.for_dialect("postgresql", output=io.StringIO())
    with pytest.raises(MissingInformation, match="'challenges': the foreign key to drop"):
        ops.drop_constraint(None, "challenges", type_="foreignkey")  # type: ignore[arg-type]
