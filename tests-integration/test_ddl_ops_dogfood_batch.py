# ruff: noqa: SIM117  (nesting shows which block is expected to raise or to run the batch)
"""Batch mode as a production schema uses it: findings of dogfooding, each pinned by a test.

Every test builds a table with rows, runs a batch, and checks the result by reading the
catalog and the rows back.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase

from ddl_ops import Operations
from ddl_ops.batch import BatchError


def _sql_of(conn: sa.Connection, kind: str, name: str) -> str:
    return str(
        conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", (kind, name)
        ).scalar_one()
    )


def _event_table(conn: sa.Connection) -> None:
    """A table with a column named `date` next to uses of SQLite's date() function."""
    conn.exec_driver_sql(
        "CREATE TABLE event (id INTEGER PRIMARY KEY, date TEXT, "
        "created TEXT NOT NULL CHECK (created IS date(created)), note TEXT)"
    )
    conn.exec_driver_sql("CREATE INDEX ix_event_created_day ON event (date(created))")
    conn.exec_driver_sql("INSERT INTO event VALUES (1, 'x', '2024-01-31', 'a')")


@pytest.mark.backends("sqlite")
def test_dropping_a_column_named_like_a_function_keeps_what_calls_the_function(
    db: LiveDatabase,
) -> None:
    with db.engine.begin() as conn:
        _event_table(conn)
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("event") as batch:
            batch.drop_column("date")
            batch.alter_column("note", nullable=False)
    with db.engine.begin() as conn:
        assert "CHECK (created IS date(created))" in _sql_of(conn, "table", "event")
        assert "(date(created))" in _sql_of(conn, "index", "ix_event_created_day")
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql("INSERT INTO event VALUES (2, 'not a date', 'b')")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT * FROM event").all() == [(1, "2024-01-31", "a")]


@pytest.mark.backends("sqlite")
def test_renaming_a_column_named_like_a_function_leaves_the_function_calls(
    db: LiveDatabase,
) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE event (id INTEGER PRIMARY KEY, "
            "date TEXT NOT NULL CHECK (date IS date(date)), note TEXT)"
        )
        conn.exec_driver_sql("CREATE INDEX ix_event_month ON event (strftime('%m', date))")
        conn.exec_driver_sql("INSERT INTO event VALUES (1, '2024-01-31', 'a')")
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("event") as batch:
            batch.alter_column("date", new_column_name="day")
            batch.alter_column("note", nullable=False)
    with db.engine.begin() as conn:
        assert "IS date(day)" in _sql_of(conn, "table", "event")
        assert "strftime('%m', " in _sql_of(conn, "index", "ix_event_month")
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql("INSERT INTO event VALUES (2, 'not a date', 'b')")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id, day, note FROM event").all() == [
            (1, "2024-01-31", "a")
        ]


@pytest.mark.backends("sqlite")
def test_live_rebuild_from_copy_from_keeps_the_autoincrement_high_water_mark(
    db: LiveDatabase,
) -> None:
    stock = sa.Table(
        "stock",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(20)),
        sqlite_autoincrement=True,
    )
    with db.engine.begin() as conn:
        stock.create(conn)
        conn.execute(stock.insert(), [{"label": str(n)} for n in range(1, 6)])
        conn.execute(stock.delete().where(stock.c.id > 2))
    with db.engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with ops.batch_alter_table("stock", copy_from=stock) as batch:
            batch.alter_column("label", nullable=False, existing_type=sa.String(20))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO stock (label) VALUES ('new')")
        rows = conn.exec_driver_sql("SELECT id, label FROM stock ORDER BY id").all()
    assert rows == [(1, "1"), (2, "2"), (6, "new")]


@pytest.mark.backends("sqlite")
def test_rebuild_keeps_unique_constraints_that_reflection_misses(db: LiveDatabase) -> None:
    # SQLAlchemy's SQLite reflection finds no UNIQUE constraint on a column whose name holds
    # a double quote; the rebuild must not drop it
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            'CREATE TABLE tag (id INTEGER PRIMARY KEY, "say ""hi""" TEXT, n INTEGER, '
            'CONSTRAINT uq_tag_say UNIQUE ("say ""hi""", n))'
        )
        conn.exec_driver_sql("INSERT INTO tag VALUES (1, 'a', 1), (2, 'a', 2)")
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("tag") as batch:
            batch.alter_column("n", nullable=False, existing_type=sa.Integer)
    with db.engine.begin() as conn:
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql("INSERT INTO tag VALUES (3, 'a', 1)")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT * FROM tag").all() == [(1, "a", 1), (2, "a", 2)]


@pytest.mark.backends("postgresql", "mariadb")
def test_rebuild_of_a_table_whose_name_holds_a_percent_sign(db: LiveDatabase) -> None:
    name = "stock 100%"
    stock = sa.Table(
        name,
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("qty", sa.Integer),
        sa.CheckConstraint("qty >= 0", name="ck_stock_qty"),
        sa.UniqueConstraint("label", name="uq_stock_label"),
    )
    with db.engine.begin() as conn:
        stock.create(conn)
        conn.execute(stock.insert(), [{"label": f"l{n}", "qty": n} for n in range(1, 4)])
        conn.execute(stock.delete().where(stock.c.id == 3))
    try:
        with db.engine.begin() as conn:
            ops = Operations.for_connection(conn)
            with ops.batch_alter_table(name, recreate="always") as batch:
                batch.alter_column("label", new_column_name="title", type_=sa.String(40))
        with db.engine.begin() as conn:
            conn.execute(sa.insert(sa.table(name, sa.column("title"))).values(title="new"))
            rows = conn.execute(sa.text(f"SELECT id, title, qty FROM {_q(db, name)} ORDER BY id"))
            assert rows.all() == [(1, "l1", 1), (2, "l2", 2), (4, "new", None)]
            with pytest.raises(sa.exc.IntegrityError):
                conn.execute(sa.insert(sa.table(name, sa.column("title"))).values(title="l1"))
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {_q(db, name)}"))


def _q(db: LiveDatabase, name: str) -> str:
    """`name` quoted for sa.text() (which doubles "%" itself where the driver needs it)."""
    return '"' + name + '"' if db.name == "postgresql" else "`" + name + "`"


@pytest.mark.backends("postgresql")
def test_postgresql_rebuild_creates_the_enum_types_new_columns_need(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TYPE plan AS ENUM ('free', 'pro')")
        conn.exec_driver_sql(
            "CREATE TABLE account (id SERIAL PRIMARY KEY, status VARCHAR(10), plan plan)"
        )
        conn.exec_driver_sql("INSERT INTO account (status, plan) VALUES ('a', 'free'), ('b', NULL)")
    with db.engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with ops.batch_alter_table("account", recreate="always") as batch:
            batch.alter_column(
                "status",
                type_=sa.Enum("a", "b", name="account_status"),
                postgresql_using="status::account_status",
            )
            batch.add_column(
                sa.Column("mood", sa.Enum("sad", "ok", name="mood"), server_default="ok")
            )
    with db.engine.begin() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, status::text, plan::text, mood::text FROM account ORDER BY id"
        ).all()
        assert rows == [(1, "a", "free", "ok"), (2, "b", None, "ok")]
        enums = {e["name"]: e["labels"] for e in sa.inspect(conn).get_enums()}  # type: ignore[attr-defined]
        assert enums == {
            "account_status": ["a", "b"],
            "mood": ["sad", "ok"],
            "plan": ["free", "pro"],
        }


@pytest.mark.backends("sqlite")
def test_rebuild_that_would_leave_a_trigger_naming_a_dropped_column_is_refused(
    db: LiveDatabase,
) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, legacy TEXT)")
        conn.exec_driver_sql("CREATE TABLE audit (msg TEXT)")
        conn.exec_driver_sql(
            "CREATE TRIGGER trg_item AFTER UPDATE OF name ON item "
            "BEGIN INSERT INTO audit VALUES (OLD.legacy); END"
        )
        conn.exec_driver_sql("INSERT INTO item VALUES (1, 'a', 'x')")
    with db.engine.begin() as conn:
        with pytest.raises(BatchError, match="trigger.*no such column: OLD.legacy.*unchanged"):
            with Operations.for_connection(conn).batch_alter_table("item") as batch:
                batch.drop_column("legacy")
                batch.alter_column("name", nullable=False)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE item SET name = 'b'")  # the trigger still works
        assert conn.exec_driver_sql("SELECT * FROM item").all() == [(1, "b", "x")]
        assert conn.exec_driver_sql("SELECT msg FROM audit").all() == [("x",)]


@pytest.mark.backends("postgresql")
def test_postgresql_rebuild_keeps_the_order_referencing_foreign_keys_act_in(
    db: LiveDatabase,
) -> None:
    # PostgreSQL runs foreign key actions in the order the constraints were created: here the
    # cascade on pid must run before fk_child_code (NO ACTION) checks the deleted code
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE)")
        conn.exec_driver_sql(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, "
            "pid INTEGER CONSTRAINT fk_child_parent REFERENCES parent (id) ON DELETE CASCADE, "
            "pcode TEXT CONSTRAINT fk_child_code REFERENCES parent (code))"
        )
        conn.exec_driver_sql("INSERT INTO parent VALUES (1, 'a'), (2, 'b')")
        conn.exec_driver_sql("INSERT INTO child VALUES (1, 1, 'a'), (2, 2, 'b')")
    for rebuilt in ("parent", "child"):  # the keys as seen from either end
        with db.engine.begin() as conn:
            ops = Operations.for_connection(conn)
            with ops.batch_alter_table(rebuilt, recreate="always") as batch:
                batch.add_column(sa.Column("note", sa.Text))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM parent WHERE id = 2")
        assert conn.exec_driver_sql("SELECT id FROM child").all() == [(1,)]


@pytest.mark.backends("sqlite")
def test_sqlite_rebuild_keeps_deferrable_foreign_keys(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE p (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql(
            "CREATE TABLE ch (id INTEGER PRIMARY KEY, "
            "pid INTEGER REFERENCES p (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED, "
            'x INTEGER, y INTEGER REFERENCES p (id), CONSTRAINT "fk x" FOREIGN KEY ("x") '
            "REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)"
        )
        conn.exec_driver_sql("INSERT INTO p VALUES (1)")
        conn.exec_driver_sql("INSERT INTO ch VALUES (1, 1, 1, 1)")
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("ch") as batch:
            batch.alter_column("x", nullable=False, existing_type=sa.Integer)
    with db.engine.connect() as conn:
        options = {
            tuple(fk["constrained_columns"]): fk["options"]
            for fk in sa.inspect(conn).get_foreign_keys("ch")
        }
        created = str(
            conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'ch'").scalar()
        )
    deferred = {"deferrable": True, "initially": "DEFERRED"}
    assert options[("pid",)] == {"ondelete": "SET NULL", **deferred}
    assert options[("x",)] == deferred and options[("y",)] == {}
    assert created.count("DEFERRABLE INITIALLY DEFERRED") == 2
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()  # the PRAGMA autobegan a transaction
        with conn.begin():  # a deferred key is checked at COMMIT, when the parent exists
            conn.exec_driver_sql("INSERT INTO ch VALUES (2, 2, 2, NULL)")
            conn.exec_driver_sql("INSERT INTO p VALUES (2)")
        assert conn.exec_driver_sql("SELECT count(*) FROM ch").scalar() == 2


@pytest.mark.backends("sqlite")
def test_sqlite_rebuild_keeps_on_conflict_clauses(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE setting (id INTEGER PRIMARY KEY, key TEXT UNIQUE ON CONFLICT REPLACE, "
            "n INTEGER NOT NULL ON CONFLICT IGNORE DEFAULT 0, a TEXT, b TEXT, x INTEGER, "
            "UNIQUE (a, b) ON CONFLICT IGNORE)"
        )
        conn.exec_driver_sql("INSERT INTO setting VALUES (1, 'k', 1, 'a', 'b', 1)")
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("setting") as batch:
            batch.alter_column("x", nullable=False, existing_type=sa.Integer)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting VALUES (2, 'k', 2, 'a2', 'b', 2)")  # replaces 1
        conn.exec_driver_sql("INSERT INTO setting VALUES (3, 'k3', NULL, 'a3', 'b', 3)")  # ignored
        conn.exec_driver_sql("INSERT INTO setting VALUES (4, 'k4', 4, 'a2', 'b', 4)")  # ignored
        rows = conn.exec_driver_sql("SELECT id, key, n FROM setting ORDER BY id").all()
    assert rows == [(2, "k", 2)]


@pytest.mark.backends("sqlite", "postgresql")
def test_a_new_definition_the_database_rejects_is_a_batch_error(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE gadget (id INTEGER PRIMARY KEY, qty INTEGER)")
        conn.exec_driver_sql("INSERT INTO gadget VALUES (1, 2)")
    with db.engine.begin() as conn:
        with pytest.raises(BatchError, match="'gadget'.*left unchanged.*no_such_column"):
            with Operations.for_connection(conn).batch_alter_table(
                "gadget",
                recreate="always",
                table_args=[sa.CheckConstraint("no_such_column > 0", name="ck_bad")],
            ):
                pass
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT * FROM gadget").all() == [(1, 2)]
