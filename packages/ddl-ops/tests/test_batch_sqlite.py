# ruff: noqa: SIM117  (nesting shows which block is expected to raise or to run the batch)
"""Batch mode on a live SQLite database: rows, keys, indexes and constraints survive a rebuild."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ddl_ops import Operations
from ddl_ops.batch import BatchError

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)

PARENT_DDL = """
CREATE TABLE parent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(20) NOT NULL DEFAULT 'anon',
    created DATETIME DEFAULT (datetime('now')),
    qty INTEGER CHECK (qty >= 0),
    score INTEGER,
    flag BOOLEAN,
    doubled INTEGER GENERATED ALWAYS AS (score * 2) STORED,
    CONSTRAINT ck_score CHECK (score < 100),
    UNIQUE (name),
    CONSTRAINT uq_qty_score UNIQUE (qty, score)
)
"""


def _engine(path: Path, foreign_keys: bool = False) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    if foreign_keys:

        @sa.event.listens_for(engine, "connect")
        def _on(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return engine


def _schema(conn: sa.Connection) -> None:
    conn.exec_driver_sql(PARENT_DDL)
    conn.exec_driver_sql(
        "CREATE TABLE child (id INTEGER PRIMARY KEY, "
        "parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE)"
    )
    conn.exec_driver_sql("CREATE INDEX ix_score ON parent (score) WHERE score > 3")
    conn.exec_driver_sql("CREATE INDEX ix_lower_name ON parent (lower(name))")
    conn.exec_driver_sql("CREATE VIEW parent_names AS SELECT name FROM parent")
    conn.exec_driver_sql(
        "CREATE TRIGGER parent_score AFTER UPDATE OF score ON parent "
        "BEGIN UPDATE parent SET qty = qty + 1 WHERE id = NEW.id; END"
    )
    conn.exec_driver_sql(
        "INSERT INTO parent (name, qty, score, flag) VALUES ('a', 1, 5, 1), ('b', 2, 7, 0), "
        "('gone', 3, 9, 0)"
    )
    conn.exec_driver_sql("DELETE FROM parent WHERE name = 'gone'")
    conn.exec_driver_sql("INSERT INTO child VALUES (10, 1), (11, 2)")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    engine = _engine(tmp_path / "batch.db")
    with engine.begin() as conn:
        _schema(conn)
    yield engine
    engine.dispose()


def _rows(conn: sa.Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.exec_driver_sql(sql).all()]


def _table_sql(conn: sa.Connection, name: str) -> str:
    return str(
        conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).scalar()
    )


def test_rebuild_keeps_rows_constraints_indexes_triggers_and_views(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with ops.batch_alter_table("parent") as batch:
            batch.add_column(sa.Column("note", sa.String(10), server_default="n/a"))
            batch.alter_column("qty", nullable=False)
            batch.alter_column("score", new_column_name="points")
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        columns = {c["name"]: c for c in inspector.get_columns("parent")}
        assert list(columns) == [
            "id", "name", "created", "qty", "points", "flag", "doubled", "note"
        ]  # fmt: skip
        assert columns["qty"]["nullable"] is False
        assert columns["name"]["default"] == "'anon'"
        assert columns["doubled"]["computed"]["sqltext"] == "points * 2"
        checks = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints("parent")}
        assert checks["ck_score"] == "points < 100"
        assert "qty >= 0" in checks.values()
        uniques = sorted(
            tuple(u["column_names"]) for u in inspector.get_unique_constraints("parent")
        )
        assert uniques == [("name",), ("qty", "points")]
        indexes = {ix["name"]: ix for ix in inspector.get_indexes("parent")}
        assert (
            "points > 3"
            in _rows(conn, "SELECT sql FROM sqlite_master WHERE name = 'ix_score'")[0][0]
        )
        assert set(indexes) >= {"ix_score"}
        assert "lower(name)" in _table_sql(conn, "ix_lower_name")
        assert "parent_score" in [
            r[0] for r in _rows(conn, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
        ]
        assert _rows(conn, "SELECT id, name, qty, points, flag, doubled, note FROM parent") == [
            (1, "a", 1, 5, 1, 10, "n/a"),
            (2, "b", 2, 7, 0, 14, "n/a"),
        ]
        assert _rows(conn, "SELECT name FROM parent_names ORDER BY name") == [("a",), ("b",)]
        assert _rows(conn, "SELECT * FROM child ORDER BY id") == [(10, 1), (11, 2)]
        assert "ON DELETE CASCADE" in _table_sql(conn, "child")
        assert "AUTOINCREMENT" in _table_sql(conn, "parent")
        conn.exec_driver_sql("INSERT INTO parent (name, qty) VALUES ('c', 0)")
        assert conn.exec_driver_sql("SELECT id FROM parent WHERE name = 'c'").scalar() == 4
        assert not [n for (n,) in _rows(conn, "SELECT name FROM sqlite_master") if "tmp" in n]


def test_server_default_expression_still_applies(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("parent") as batch:
            batch.alter_column("flag", nullable=True, server_default=sa.text("0"))
        conn.exec_driver_sql("INSERT INTO parent (name, qty) VALUES ('d', 0)")
        created, flag = conn.exec_driver_sql(
            "SELECT created, flag FROM parent WHERE name = 'd'"
        ).one()
    assert created is not None and flag == 0


def test_trigger_is_recreated_and_fires(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("parent", recreate="always"):
            pass
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE parent SET score = 8 WHERE id = 1")
        assert conn.exec_driver_sql("SELECT qty FROM parent WHERE id = 1").scalar() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.alter_column("score", nullable=False), "NOT NULL"),
        (lambda b: b.create_check_constraint("ck_small", "score < 6"), "CHECK"),
        (lambda b: b.create_unique_constraint("uq_flag", ["flag"]), "UNIQUE"),
        (lambda b: b.add_column(sa.Column("must", sa.Integer, nullable=False)), "NOT NULL"),
    ],
)
def test_failed_copy_leaves_original_table_and_rows(
    tmp_path: Path, change: Any, message: str
) -> None:
    engine = _engine(tmp_path / "fail.db")
    with engine.begin() as conn:
        _schema(conn)
        conn.exec_driver_sql("INSERT INTO parent (name, qty, score, flag) VALUES ('x', 1, NULL, 0)")
    with engine.connect() as conn:
        before_sql = _table_sql(conn, "parent")
        before_rows = _rows(conn, "SELECT * FROM parent ORDER BY id")
    with engine.begin() as conn:
        with pytest.raises(BatchError, match=message) as raised:
            with Operations.for_connection(conn).batch_alter_table("parent") as batch:
                change(batch)
        assert "left unchanged" in str(raised.value)
        assert "'parent'" in str(raised.value)
    with engine.connect() as conn:
        assert _table_sql(conn, "parent") == before_sql
        assert _rows(conn, "SELECT * FROM parent ORDER BY id") == before_rows
        names = [n for (n,) in _rows(conn, "SELECT name FROM sqlite_master")]
        assert not [n for n in names if "tmp" in n]
        assert {"ix_score", "ix_lower_name", "parent_score"} <= set(names)


def test_failure_keeps_the_callers_transaction_usable(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO parent (name, qty, score) VALUES ('before', 1, NULL)")
        with pytest.raises(BatchError):
            with Operations.for_connection(conn).batch_alter_table("parent") as batch:
                batch.alter_column("score", nullable=False)
        conn.exec_driver_sql("INSERT INTO parent (name, qty) VALUES ('after', 1)")
    with engine.connect() as conn:
        names = {n for (n,) in _rows(conn, "SELECT name FROM parent")}
    assert {"before", "after", "a", "b"} <= names


def test_foreign_keys_on_are_switched_off_for_the_rebuild_and_restored(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "fk.db", foreign_keys=True)
    with engine.begin() as conn:
        _schema(conn)
    with engine.connect() as conn:
        with Operations.for_connection(conn).batch_alter_table("parent") as batch:
            batch.alter_column("qty", nullable=False)
        conn.commit()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert _rows(conn, "SELECT * FROM child ORDER BY id") == [(10, 1), (11, 2)]
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql("INSERT INTO child VALUES (12, 99)")
        conn.rollback()
        conn.exec_driver_sql("DELETE FROM parent WHERE id = 1")
        assert _rows(conn, "SELECT * FROM child ORDER BY id") == [(11, 2)]


def _transactional_engine(path: Path) -> sa.Engine:
    """SQLAlchemy's recipe for real SQLite transactions: BEGIN is emitted for every transaction."""
    engine = _engine(path, foreign_keys=True)

    @sa.event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def test_foreign_keys_on_inside_a_transaction_refuses_instead_of_cascading(tmp_path: Path) -> None:
    engine = _transactional_engine(tmp_path / "tx.db")
    with engine.begin() as conn:
        _schema(conn)
    with engine.connect() as conn:
        conn.begin()
        with pytest.raises(BatchError, match="foreign_keys is ON inside a transaction.*child"):
            with Operations.for_connection(conn).batch_alter_table("parent") as batch:
                batch.alter_column("qty", nullable=False)
        conn.commit()
        assert _rows(conn, "SELECT * FROM child ORDER BY id") == [(10, 1), (11, 2)]


def test_unreferenced_table_rebuilds_inside_a_real_transaction(tmp_path: Path) -> None:
    engine = _transactional_engine(tmp_path / "tx2.db")
    with engine.begin() as conn:
        _schema(conn)
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("child") as batch:
            batch.add_column(sa.Column("label", sa.String(5), nullable=False, server_default="c"))
    with engine.connect() as conn:
        assert _rows(conn, "SELECT * FROM child ORDER BY id") == [(10, 1, "c"), (11, 2, "c")]
        assert "ON DELETE CASCADE" in _table_sql(conn, "child")


def test_dropping_a_column_another_table_references_is_refused(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with pytest.raises(BatchError, match="foreign key .* of table 'child'"):
            with Operations.for_connection(conn).batch_alter_table("parent") as batch:
                batch.drop_column("id")


def test_drop_column_takes_its_indexes_and_constraints_along(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("parent") as batch:
            batch.drop_column("doubled")
            batch.drop_column("score")
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert [c["name"] for c in inspector.get_columns("parent")] == [
            "id", "name", "created", "qty", "flag"
        ]  # fmt: skip
        assert [u["column_names"] for u in inspector.get_unique_constraints("parent")] == [["name"]]
        assert [c["sqltext"] for c in inspector.get_check_constraints("parent")] == ["qty >= 0"]
        assert "ix_score" not in {ix["name"] for ix in inspector.get_indexes("parent")}
        assert _rows(conn, "SELECT id, name FROM parent ORDER BY id") == [(1, "a"), (2, "b")]


def test_self_referencing_foreign_key_survives(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "self.db", foreign_keys=True)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE node (id INTEGER PRIMARY KEY, "
            "parent_id INTEGER REFERENCES node(id) ON DELETE CASCADE, label TEXT)"
        )
        conn.exec_driver_sql("INSERT INTO node VALUES (1, NULL, 'root'), (2, 1, 'leaf')")
    with engine.connect() as conn:
        with Operations.for_connection(conn).batch_alter_table("node") as batch:
            batch.alter_column("label", nullable=False)
        conn.commit()
        fks = sa.inspect(conn).get_foreign_keys("node")
        assert [(fk["referred_table"], fk["constrained_columns"]) for fk in fks] == [
            ("node", ["parent_id"])
        ]
        assert _rows(conn, "SELECT * FROM node ORDER BY id") == [(1, None, "root"), (2, 1, "leaf")]
        conn.exec_driver_sql("DELETE FROM node WHERE id = 1")
        conn.commit()
        assert _rows(conn, "SELECT * FROM node") == []


def test_naming_convention_names_unnamed_constraints_so_they_can_be_dropped(
    engine: sa.Engine,
) -> None:
    convention = {
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table(
            "parent", naming_convention=convention
        ) as batch:
            batch.drop_constraint("uq_parent_name", type_="unique")
    with engine.connect() as conn:
        uniques = {u["name"] for u in sa.inspect(conn).get_unique_constraints("parent")}
        assert uniques == {"uq_qty_score"}
        conn.exec_driver_sql("INSERT INTO parent (name, qty) VALUES ('a', 5)")


def test_naming_convention_keeps_names_for_the_final_table(engine: sa.Engine) -> None:
    convention = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table(
            "parent", naming_convention=convention, recreate="always"
        ):
            pass
    with engine.connect() as conn:
        uniques = {u["name"] for u in sa.inspect(conn).get_unique_constraints("parent")}
    assert uniques == {"uq_parent_name", "uq_qty_score"}


def test_dropping_an_unknown_constraint_names_the_known_ones(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with pytest.raises(BatchError, match="no unique constraint named 'nope'.*uq_qty_score"):
            with Operations.for_connection(conn).batch_alter_table("parent") as batch:
                batch.drop_constraint("nope", type_="unique")


def test_insert_before_after_and_partial_reordering(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with ops.batch_alter_table("child") as batch:
            batch.add_column(sa.Column("first", sa.Integer), insert_before="id")
            batch.add_column(sa.Column("middle", sa.Integer), insert_after="id")
        with ops.batch_alter_table("child", partial_reordering=[("parent_id", "first")]):
            pass
        with ops.batch_alter_table("child") as batch:
            batch.alter_column("middle", insert_after="first")
    with engine.connect() as conn:
        names = [c["name"] for c in sa.inspect(conn).get_columns("child")]
        assert names == ["id", "parent_id", "first", "middle"]
        assert _rows(conn, "SELECT id, parent_id FROM child ORDER BY id") == [(10, 1), (11, 2)]


def test_execute_runs_where_it_was_written(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO parent (name, qty, score) VALUES ('nulls', 1, NULL)")
        conn.exec_driver_sql("DROP TRIGGER parent_score")  # it uses qty, which goes
        with Operations.for_connection(conn).batch_alter_table("parent") as batch:
            batch.execute(sa.text("UPDATE parent SET score = 0 WHERE score IS NULL"))
            batch.alter_column("score", nullable=False)
            batch.add_column(sa.Column("rank", sa.Integer))
            batch.execute(sa.text("UPDATE parent SET rank = score * 10"))
            batch.drop_column("qty")
    with engine.connect() as conn:
        assert _rows(conn, "SELECT name, score, rank FROM parent ORDER BY id") == [
            ("a", 5, 50),
            ("b", 7, 70),
            ("nulls", 0, 0),
        ]
        assert "qty" not in [c["name"] for c in sa.inspect(conn).get_columns("parent")]


def test_reflect_args_override_a_reflected_type(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table(
            "parent",
            recreate="always",
            reflect_args=[sa.Column("flag", sa.Boolean(create_constraint=True, name="ck_flag"))],
        ):
            pass
    with engine.connect() as conn:
        checks = {c["name"] for c in sa.inspect(conn).get_check_constraints("parent")}
        assert "ck_flag" in checks
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql("INSERT INTO parent (name, qty, flag) VALUES ('z', 1, 5)")


def test_table_args_and_kwargs_reach_the_new_table(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table(
            "child",
            recreate="always",
            table_args=[sa.CheckConstraint("id > 0", name="ck_child_id")],
            table_kwargs={"sqlite_autoincrement": True},
        ):
            pass
    with engine.connect() as conn:
        sql = _table_sql(conn, "child")
    assert "ck_child_id" in sql and "AUTOINCREMENT" in sql


def test_copy_from_describes_the_table_instead_of_reflection(engine: sa.Engine) -> None:
    child = sa.Table(
        "child",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
    )
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("child", copy_from=child) as batch:
            batch.alter_column("parent_id", nullable=False)
    with engine.connect() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("child")}
        assert columns["parent_id"]["nullable"] is False
        assert "ON DELETE CASCADE" in _table_sql(conn, "child")
        assert _rows(conn, "SELECT * FROM child ORDER BY id") == [(10, 1), (11, 2)]


def test_auto_mode_uses_plain_alter_when_sqlite_can(engine: sa.Engine) -> None:
    statements: list[str] = []
    with engine.begin() as conn:
        sa.event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
        with Operations.for_connection(conn).batch_alter_table("child") as batch:
            batch.add_column(sa.Column("label", sa.String(5)))
            batch.alter_column("label", new_column_name="tag")
            batch.create_index("ix_child_tag", ["tag"])
    ddl = [s for s in statements if s.lstrip().upper().startswith(("ALTER", "CREATE", "DROP"))]
    assert ddl == [
        "ALTER TABLE child ADD COLUMN label VARCHAR(5)",
        "ALTER TABLE child RENAME COLUMN label TO tag",
        "CREATE INDEX ix_child_tag ON child (tag)",
    ]


def test_recreate_never_passes_changes_to_plain_operations(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with pytest.raises(Exception, match="batch_alter_table"):
            with Operations.for_connection(conn).batch_alter_table(
                "parent", recreate="never"
            ) as batch:
                batch.alter_column("qty", nullable=False)


def test_an_error_inside_the_block_changes_nothing(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        before = _table_sql(conn, "parent")
        with pytest.raises(RuntimeError):
            with Operations.for_connection(conn).batch_alter_table("parent") as batch:
                batch.drop_column("score")
                raise RuntimeError("boom")
        assert _table_sql(conn, "parent") == before


def test_unknown_table_and_bad_recreate_value_are_clear_errors(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with pytest.raises(BatchError, match="table 'nope' does not exist"):
            with ops.batch_alter_table("nope", recreate="always"):
                pass
        with pytest.raises(BatchError, match="recreate must be one of"):
            with ops.batch_alter_table("parent", recreate="sometimes"):
                pass
        with pytest.raises(BatchError, match="partial_reordering needs the table to be rebuilt"):
            with ops.batch_alter_table("parent", recreate="never", partial_reordering=[("a",)]):
                pass
        with pytest.raises(BatchError, match="has no column 'nope'"):
            with ops.batch_alter_table("parent") as batch:
                batch.alter_column("nope", nullable=False)


def test_collations_without_rowid_and_strict_survive(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "options.db")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            'CREATE TABLE tag ("the key" TEXT PRIMARY KEY COLLATE NOCASE, '
            "n INT, CONSTRAINT ck_n CHECK (n > 0)) WITHOUT ROWID"
        )
        conn.exec_driver_sql("CREATE TABLE typed (id INTEGER PRIMARY KEY, n INT) STRICT")
        conn.exec_driver_sql("INSERT INTO tag VALUES ('Red', 1)")
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        for table in ("tag", "typed"):
            with ops.batch_alter_table(table) as batch:
                batch.alter_column("n", nullable=False)
    with engine.connect() as conn:
        assert 'COLLATE "NOCASE"' in _table_sql(conn, "tag")
        assert _table_sql(conn, "tag").rstrip().endswith("WITHOUT ROWID")
        assert _table_sql(conn, "typed").rstrip().endswith("STRICT")
        with pytest.raises(sa.exc.IntegrityError):
            conn.exec_driver_sql("INSERT INTO tag VALUES ('RED', 2)")


def test_new_foreign_key_that_rows_violate_is_refused_with_foreign_keys_on(
    tmp_path: Path,
) -> None:
    engine = _engine(tmp_path / "newfk.db", foreign_keys=True)
    with engine.begin() as conn:
        _schema(conn)
        conn.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, parent_id INTEGER)")
        conn.exec_driver_sql("INSERT INTO note VALUES (1, 1), (2, 42)")
    with engine.connect() as conn:
        with pytest.raises(BatchError, match="would break foreign keys.*'note'.*left unchanged"):
            with Operations.for_connection(conn).batch_alter_table("note") as batch:
                batch.create_foreign_key("fk_note_parent", "parent", ["parent_id"], ["id"])
        conn.commit()
        assert "REFERENCES" not in _table_sql(conn, "note")
        assert _rows(conn, "SELECT * FROM note ORDER BY id") == [(1, 1), (2, 42)]
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_execute_with_ddl_is_seen_by_the_next_rebuild(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("child") as batch:
            batch.alter_column("parent_id", nullable=False)
            batch.execute("ALTER TABLE child ADD COLUMN added_by_hand TEXT DEFAULT 'x'")
            batch.alter_column("added_by_hand", nullable=False)
    with engine.connect() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("child")}
        assert columns["parent_id"]["nullable"] is False
        assert columns["added_by_hand"]["nullable"] is False
        assert _rows(conn, "SELECT * FROM child ORDER BY id") == [(10, 1, "x"), (11, 2, "x")]


def test_primary_key_can_be_replaced_and_types_changed_without_losing_values(
    engine: sa.Engine,
) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("parent") as batch:
            batch.drop_constraint(None, type_="primary")
            batch.create_primary_key("pk_parent", ["id", "name"])
            batch.drop_constraint("ck_score", type_="check")
            batch.alter_column("score", type_=sa.String(10))
            batch.alter_column("name", type_=sa.Integer)
    with engine.connect() as conn:
        pk = sa.inspect(conn).get_pk_constraint("parent")
        assert pk["constrained_columns"] == ["id", "name"]
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("parent")}
        assert isinstance(columns["score"]["type"], sa.String)
        rows = _rows(
            conn, "SELECT name, typeof(name), score, typeof(score) FROM parent ORDER BY id"
        )
        assert rows == [("a", "text", "5", "text"), ("b", "text", "7", "text")]


def test_table_in_an_attached_database(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "main.db")
    other = tmp_path / "other.db"

    @sa.event.listens_for(engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"ATTACH DATABASE '{other}' AS other")

    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE other.t (id INTEGER PRIMARY KEY, a INT, b TEXT)")
        conn.exec_driver_sql("CREATE INDEX other.ix_t_a ON t (a)")
        conn.exec_driver_sql(
            "CREATE TRIGGER other.t_touch AFTER UPDATE OF a ON t "
            "BEGIN UPDATE t SET b = 'touched' WHERE id = NEW.id; END"
        )
        conn.exec_driver_sql("INSERT INTO other.t VALUES (1, 2, 'y')")
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("t", schema="other") as batch:
            batch.alter_column("a", nullable=False)
    with engine.begin() as conn:
        assert _rows(conn, "SELECT type, name FROM main.sqlite_master") == []
        assert _rows(conn, "SELECT type, name FROM other.sqlite_master ORDER BY name") == [
            ("index", "ix_t_a"),
            ("table", "t"),
            ("trigger", "t_touch"),
        ]
        conn.exec_driver_sql("UPDATE other.t SET a = 3")
        assert _rows(conn, "SELECT * FROM other.t") == [(1, 3, "touched")]


def test_a_rebuild_that_would_break_a_view_is_refused(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        before = _table_sql(conn, "parent")
    with engine.begin() as conn:
        with pytest.raises(BatchError, match="would break view 'parent_names'.*left unchanged"):
            with Operations.for_connection(conn).batch_alter_table("parent") as batch:
                batch.alter_column("name", new_column_name="label", nullable=True)
    with engine.connect() as conn:
        assert _table_sql(conn, "parent") == before
        assert _rows(conn, "SELECT name FROM parent_names ORDER BY name") == [("a",), ("b",)]


def test_table_args_can_be_reused_and_take_the_naming_convention(engine: sa.Engine) -> None:
    extra = [sa.UniqueConstraint("parent_id"), sa.Index(None, "parent_id", "id")]
    convention = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE child2 (id INTEGER PRIMARY KEY, parent_id INTEGER)")
        ops = Operations.for_connection(conn)
        for table in ("child", "child2"):
            with ops.batch_alter_table(
                table, recreate="always", table_args=extra, naming_convention=convention
            ):
                pass
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in ("child", "child2"):
            uniques = [
                (u["name"], u["column_names"]) for u in inspector.get_unique_constraints(table)
            ]
            assert uniques == [(f"uq_{table}_parent_id", ["parent_id"])]
            assert [ix["name"] for ix in inspector.get_indexes(table)] == [f"ix_{table}_parent_id"]


def test_changes_in_one_batch_mean_what_they_mean_one_by_one(engine: sa.Engine) -> None:
    """Rows get the default a column was added with, even if the batch changes it later."""
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("child", recreate="always") as b:
            b.add_column(sa.Column("status", sa.String(5), server_default="old"))
            b.alter_column("status", server_default="new")
            b.add_column(sa.Column("later", sa.Integer))
            b.alter_column("later", server_default="9")
        conn.exec_driver_sql("INSERT INTO child (id, parent_id) VALUES (12, 1)")
        assert _rows(conn, "SELECT id, status, later FROM child ORDER BY id") == [
            (10, "old", None),
            (11, "old", None),
            (12, "new", 9),
        ]


def test_replacing_every_column_keeps_one_row_per_row(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("child", recreate="always") as b:
            b.add_column(sa.Column("only", sa.Integer, server_default="1"))
            b.drop_column("id")
            b.drop_column("parent_id")
        assert _rows(conn, "SELECT * FROM child") == [(1,), (1,)]


def test_if_exists_and_if_not_exists_inside_a_rebuild(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("parent", recreate="always") as b:
            b.create_index("ix_score", ["score"], if_not_exists=True)
            b.drop_index("ix_nothing", if_exists=True)
            b.drop_constraint("ck_nothing", type_="check", if_exists=True)
            b.drop_constraint("ck_score", type_="check", if_exists=True)
    with engine.connect() as conn:
        assert "WHERE score > 3" in _table_sql(conn, "ix_score")
        assert "ck_score" not in _table_sql(conn, "parent")


def test_block_of_changes_gives_what_the_changes_give_one_by_one() -> None:
    """Parity finding (Alembic differs): a column added before another is dropped in the same
    block stays after the kept columns, and an index and a unique constraint on a column
    renamed earlier in the block are kept under the new name."""
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        ops.create_table(
            "t",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("a", sa.Integer),
            sa.Column("b", sa.Integer),
            sa.Column("c", sa.Integer),
        )
        with ops.batch_alter_table("t") as batch:
            batch.add_column(sa.Column("d", sa.Integer))
            batch.drop_column("b")
            batch.alter_column("c", new_column_name="e", nullable=False)
            batch.create_index("ix_t_e", ["e"])
            batch.create_unique_constraint("uq_t_e", ["e"])
        inspector = sa.inspect(conn)
        assert [c["name"] for c in inspector.get_columns("t")] == ["id", "a", "e", "d"]
        assert [(i["name"], i["column_names"]) for i in inspector.get_indexes("t")] == [
            ("ix_t_e", ["e"])
        ]
        assert [u["column_names"] for u in inspector.get_unique_constraints("t")] == [["e"]]


@pytest.mark.parametrize("recreate", ["auto", "always"])
def test_integer_key_widened_to_bigint_stays_the_rowid(recreate: str) -> None:
    """Known issue (INTEGER -> BIGINT primary key): only `INTEGER PRIMARY KEY` is SQLite's
    rowid, which fills in new ids; `BIGINT PRIMARY KEY` made every insert without an id fail.
    SQLite's INTEGER is already 64-bit, so the key keeps that spelling (Alembic differs)."""
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        table = ops.create_table(
            "t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer)
        )
        conn.execute(table.insert().values(x=1))
        with ops.batch_alter_table("t", recreate=recreate) as batch:
            batch.alter_column("id", type_=sa.BigInteger(), existing_type=sa.Integer())
        conn.exec_driver_sql("INSERT INTO t (x) VALUES (2)")
        assert conn.exec_driver_sql("SELECT id, x FROM t ORDER BY id").all() == [(1, 1), (2, 2)]
        assert str(sa.inspect(conn).get_columns("t")[0]["type"]) == "INTEGER"


def test_integer_key_offline_copy_from_stays_the_rowid() -> None:
    buf = io.StringIO()
    ops = Operations.for_dialect("sqlite", buf)
    old = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
    with ops.batch_alter_table("t", copy_from=old) as batch:
        batch.alter_column("id", type_=sa.BigInteger())
    assert "id INTEGER NOT NULL" in buf.getvalue()
    assert "BIGINT" not in buf.getvalue()


def test_a_key_that_was_not_the_rowid_takes_the_new_type() -> None:
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        ops.create_table("t", sa.Column("id", sa.SmallInteger, primary_key=True))
        with ops.batch_alter_table("t") as batch:
            batch.alter_column("id", type_=sa.BigInteger())
        assert str(sa.inspect(conn).get_columns("t")[0]["type"]) == "BIGINT"
