"""Offline scripts fed to the databases' own clients: findings of dogfooding, each pinned.

Each test writes a script with `Operations.for_dialect(engine.dialect, ...)`, runs it with
sqlite3, psql or mariadb, and compares what the database then holds with what the same
operations do live.
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase, reset_database

from ddl_ops import Operations


def _client_command(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return ["sqlite3", "-bail", str(url.database)], env
    if backend == "postgresql":
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        return [
            "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", url.host or "127.0.0.1",
            "-p", str(url.port or 5432), "-U", url.username or "postgres", "-d", str(url.database),
        ], env  # fmt: skip
    if url.password:
        env["MYSQL_PWD"] = str(url.password)
    return [
        "mariadb", "-h", url.host or "127.0.0.1", "-P", str(url.port or 3306),
        "-u", url.username or "root", str(url.database),
    ], env  # fmt: skip


def run_script(url: sa.URL, script: str) -> None:
    command, env = _client_command(url)
    if shutil.which(command[0]) is None:
        pytest.skip(f"requires the {command[0]} command-line client")
    done = subprocess.run(
        command, input=script, text=True, capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 0 and "ERROR" not in done.stderr.upper(), (
        f"{command[0]} failed:\n{done.stderr}\n--- script ---\n{script}"
    )


def offline_and_live(
    db: LiveDatabase, tmp_path: Path, steps: Callable[[Operations], None], query: str
) -> tuple[list[Any], list[Any]]:
    """The rows `query` returns after `steps` ran as an offline script, and after they ran live."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")  # initialize the dialect: server version, MariaDB flag
    buf = io.StringIO()
    steps(Operations.for_dialect(db.engine.dialect, buf))
    if db.name == "sqlite":
        url = sa.make_url(f"sqlite:///{tmp_path / 'offline.db'}")
    else:
        url = db.url
    run_script(url, buf.getvalue())
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        from_script = conn.exec_driver_sql(query).all()
    engine.dispose()
    reset_database(db)
    with db.engine.begin() as conn:
        steps(Operations.for_connection(conn))
    with db.engine.connect() as conn:
        live = conn.exec_driver_sql(query).all()
    return from_script, live


def _tally(ops: Operations) -> sa.Table:
    return ops.create_table(
        "tally",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("n", sa.Integer),
    )


def test_a_statement_ending_in_a_line_comment_is_still_terminated(
    db: LiveDatabase, tmp_path: Path
) -> None:
    def steps(ops: Operations) -> None:
        ops.bulk_insert(_tally(ops), [{"id": 1, "n": 0}, {"id": 2, "n": 0}])
        ops.execute("UPDATE tally SET n = n + 1 -- count the first pass")
        ops.execute("UPDATE tally SET n = n + 10\n-- and the second")

    from_script, live = offline_and_live(db, tmp_path, steps, "SELECT id, n FROM tally ORDER BY id")
    assert from_script == live == [(1, 11), (2, 11)]


def test_bulk_insert_writes_json_and_binary_values_the_database_reads_back(
    db: LiveDatabase, tmp_path: Path
) -> None:
    blobs = [b"\x00\x01'\\\xff", b"plain", b""]
    documents: list[Any] = [{"k": [1, "it's 100%"], "n": None}, None, ["a:b"]]

    def steps(ops: Operations) -> None:
        table = ops.create_table(
            "attachment",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("body", sa.LargeBinary),
            sa.Column("meta", sa.JSON),
        )
        rows = [
            {"id": i, "body": body, "meta": meta}
            for i, (body, meta) in enumerate(zip(blobs, documents, strict=True))
        ]
        ops.bulk_insert(table, rows)
        untyped = sa.table("attachment", sa.column("id"), sa.column("body"))
        ops.bulk_insert(untyped, [{"id": 9, "body": b"\xfe\x00"}])

    query = "SELECT id, body, meta FROM attachment ORDER BY id"
    from_script, live = offline_and_live(db, tmp_path, steps, query)
    assert from_script == live
    assert [bytes(row[1]) for row in live] == [*blobs, b"\xfe\x00"]


def _stock_as_declared() -> sa.Table:
    """The `stock` table as a model declares it: a column-level CHECK, AUTOINCREMENT."""
    return sa.Table(
        "stock",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("qty", sa.Integer, sa.CheckConstraint("qty >= 0", name="ck_stock_qty")),
        sa.Column("label", sa.String(20)),
        sqlite_autoincrement=True,
    )


@pytest.mark.backends("sqlite")
def test_offline_rebuild_from_copy_from_keeps_column_level_checks(
    db: LiveDatabase, tmp_path: Path
) -> None:
    stock = _stock_as_declared()
    with db.engine.begin() as conn:
        stock.create(conn)
        conn.execute(stock.insert(), [{"qty": 1, "label": "a"}, {"qty": 5, "label": "b"}])
    buf = io.StringIO()
    ops = Operations.for_dialect("sqlite", buf)
    with ops.batch_alter_table("stock", copy_from=stock) as batch:
        batch.alter_column("label", nullable=False, existing_type=sa.String(20))
    run_script(db.url, buf.getvalue())
    with db.engine.begin() as conn:
        checks = sa.inspect(conn).get_check_constraints("stock")
        assert [(c["name"], c["sqltext"]) for c in checks] == [("ck_stock_qty", "qty >= 0")]
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql("INSERT INTO stock (qty, label) VALUES (-1, 'c')")
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, qty, label FROM stock ORDER BY id").all()
    assert rows == [(1, 1, "a"), (2, 5, "b")]


@pytest.mark.backends("sqlite")
def test_offline_rebuild_keeps_the_autoincrement_high_water_mark(
    db: LiveDatabase, tmp_path: Path
) -> None:
    stock = _stock_as_declared()
    with db.engine.begin() as conn:
        stock.create(conn)
        conn.execute(stock.insert(), [{"qty": n, "label": str(n)} for n in range(1, 6)])
        conn.execute(stock.delete().where(stock.c.id > 2))  # ids 3..5 were handed out
    buf = io.StringIO()
    ops = Operations.for_dialect("sqlite", buf)
    with ops.batch_alter_table("stock", copy_from=stock) as batch:
        batch.alter_column("label", nullable=False, existing_type=sa.String(20))
    run_script(db.url, buf.getvalue())
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO stock (qty, label) VALUES (9, 'new')")
        rows = conn.exec_driver_sql("SELECT id, label FROM stock ORDER BY id").all()
        sequence = conn.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all()
    assert rows == [(1, "1"), (2, "2"), (6, "new")]
    assert sequence == [("stock", 6)]


def test_bulk_insert_applies_python_side_column_defaults_offline(
    db: LiveDatabase, tmp_path: Path
) -> None:
    def steps(ops: Operations) -> None:
        table = ops.create_table(
            "member",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("active", sa.Boolean, default=True),
            sa.Column("tier", sa.String(10), default=lambda: "basic"),
            sa.Column("joined", sa.Date, default=sa.func.current_date()),
        )
        ops.bulk_insert(table, [{"id": 1}, {"id": 2, "active": False, "tier": "gold"}])

    query = "SELECT id, active, tier, joined IS NOT NULL FROM member ORDER BY id"
    from_script, live = offline_and_live(db, tmp_path, steps, query)
    assert from_script == live
    assert [tuple(row[:3]) for row in live] == [(1, True, "basic"), (2, False, "gold")]
    assert all(row[3] for row in live)


@pytest.mark.backends("postgresql")
def test_an_enum_type_shared_by_several_tables_is_created_once_offline(
    db: LiveDatabase, tmp_path: Path
) -> None:
    def steps(ops: Operations) -> None:
        ops.create_enum_type("mood", ["sad", "ok"])
        status = sa.Enum("open", "done", name="status")
        ops.create_table(
            "task",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("status", status),
            sa.Column("mood", sa.Enum("sad", "ok", name="mood")),
        )
        ops.create_table(
            "bug", sa.Column("id", sa.Integer, primary_key=True), sa.Column("status", status)
        )
        ops.add_column("bug", sa.Column("status2", sa.Enum("open", "done", name="status")))
        ops.drop_table("task")
        ops.drop_enum_type("mood")
        ops.add_column("bug", sa.Column("mood", sa.Enum("meh", name="mood")))

    query = (
        "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
        "FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1"
    )
    from_script, live = offline_and_live(db, tmp_path, steps, query)
    assert from_script == live == [("mood", "meh"), ("status", "open,done")]


def test_bulk_insert_of_time_zone_aware_datetimes_matches_live(
    db: LiveDatabase, tmp_path: Path
) -> None:
    at = datetime.datetime(
        2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )

    def steps(ops: Operations) -> None:
        table = ops.create_table(
            "event",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("at", sa.DateTime(timezone=True)),
        )
        ops.bulk_insert(table, [{"id": 1, "at": at}])

    from_script, live = offline_and_live(db, tmp_path, steps, "SELECT id, at FROM event")
    assert from_script == live and len(live) == 1


@pytest.mark.backends("sqlite")
def test_offline_rebuild_stops_before_dropping_a_table_with_triggers(
    db: LiveDatabase, tmp_path: Path
) -> None:
    stock = _stock_as_declared()
    with db.engine.begin() as conn:
        stock.create(conn)
        conn.execute(stock.insert(), [{"qty": 1, "label": "a"}])
        conn.exec_driver_sql("CREATE TABLE audit (msg TEXT)")
        conn.exec_driver_sql(
            "CREATE TRIGGER trg_stock AFTER INSERT ON stock "
            "BEGIN INSERT INTO audit VALUES (NEW.label); END"
        )

    def script() -> str:
        buf = io.StringIO()
        ops = Operations.for_dialect("sqlite", buf)
        with ops.batch_alter_table("stock", copy_from=stock) as batch:
            batch.alter_column("label", nullable=False, existing_type=sa.String(20))
        return buf.getvalue()

    command, env = _client_command(db.url)
    done = subprocess.run(command, input=script(), text=True, capture_output=True, env=env)
    assert done.returncode != 0
    assert "rebuilding stock would drop its triggers" in done.stderr
    with db.engine.begin() as conn:
        assert conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()
        assert conn.exec_driver_sql("SELECT label FROM stock").all() == [("a",)]
        conn.exec_driver_sql("DROP TRIGGER trg_stock")
    run_script(db.url, script())  # without triggers the same script runs
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT label FROM stock").all() == [("a",)]
