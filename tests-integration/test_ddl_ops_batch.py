# ruff: noqa: SIM117  (nesting shows which block is expected to raise or to run the batch)
"""Batch mode against live databases: a rebuild keeps rows, keys, indexes, checks and defaults.

SQLite rebuilds because it must; PostgreSQL and MariaDB are asked to with recreate="always".
Everything is checked by reflection and by using the rebuilt table.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase

from ddl_ops import Operations
from ddl_ops.batch import BatchError

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)


def _item_table(metadata: sa.MetaData) -> sa.Table:
    """The item table every batch test rebuilds: keys, a check, a unique, an index, comments."""
    return sa.Table(
        "item",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(30), nullable=False, server_default="unnamed"),
        sa.Column("qty", sa.Integer, nullable=True, comment="units in stock"),
        sa.Column("price", sa.Numeric(10, 2)),
        sa.Column(
            "category_id",
            sa.Integer,
            sa.ForeignKey("category.id", name="fk_item_category", ondelete="CASCADE"),
        ),
        sa.CheckConstraint("price >= 0", name="ck_item_price"),
        sa.UniqueConstraint("name", name="uq_item_name"),
        sa.Index("ix_item_qty", "qty"),
        comment="things we sell",
    )


def _create_schema(db: LiveDatabase) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "category",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("label", sa.String(20), nullable=False),
    )
    item = _item_table(metadata)
    sa.Table(
        "order_line",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column(
            "item_id", sa.Integer, sa.ForeignKey("item.id", name="fk_line_item"), nullable=False
        ),
    )
    with db.engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(sa.insert(metadata.tables["category"]), [{"id": 1, "label": "tools"}])
        conn.execute(
            sa.insert(item),
            [
                {"name": "hammer", "qty": 3, "price": 9.5, "category_id": 1},
                {"name": "saw", "qty": 1, "price": 20, "category_id": 1},
                {"name": "old", "qty": 0, "price": 1, "category_id": 1},
            ],
        )
        conn.execute(sa.delete(item).where(item.c.name == "old"))
        conn.execute(
            sa.insert(metadata.tables["order_line"]),
            [{"id": 1, "item_id": 1}, {"id": 2, "item_id": 2}],
        )


def _items(conn: sa.Connection, *columns: str) -> list[tuple[Any, ...]]:
    item = sa.table("item", *[sa.column(c) for c in columns])
    return [tuple(r) for r in conn.execute(sa.select(item).order_by(item.c[columns[0]]))]


def test_rebuild_keeps_everything(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with ops.batch_alter_table("item", recreate="always") as batch:
            batch.add_column(sa.Column("sku", sa.String(12), nullable=False, server_default="none"))
            batch.alter_column("qty", nullable=False, existing_type=sa.Integer)
            batch.alter_column(
                "price", new_column_name="unit_price", existing_type=sa.Numeric(10, 2)
            )
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        columns = {c["name"]: c for c in inspector.get_columns("item")}
        assert list(columns) == ["id", "name", "qty", "unit_price", "category_id", "sku"]
        assert columns["qty"]["nullable"] is False
        assert "unnamed" in str(columns["name"]["default"])
        assert "none" in str(columns["sku"]["default"])
        assert {u["name"] for u in inspector.get_unique_constraints("item")} >= {
            "uq_item_name"
        } or (
            "uq_item_name" in {ix["name"] for ix in inspector.get_indexes("item") if ix["unique"]}
        )
        checks = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints("item")}
        assert "unit_price" in checks["ck_item_price"]
        assert "ix_item_qty" in {ix["name"] for ix in inspector.get_indexes("item")}
        outgoing = inspector.get_foreign_keys("item")
        assert [(fk["referred_table"], fk["constrained_columns"]) for fk in outgoing] == [
            ("category", ["category_id"])
        ]
        assert (outgoing[0]["options"] or {}).get("ondelete", "").upper() == "CASCADE"
        incoming = inspector.get_foreign_keys("order_line")
        assert [(fk["name"], fk["referred_table"]) for fk in incoming] == [("fk_line_item", "item")]
        if db.name != "sqlite":
            assert inspector.get_table_comment("item")["text"] == "things we sell"
            assert columns["qty"]["comment"] == "units in stock"
        assert _items(conn, "id", "name", "qty", "sku") == [
            (1, "hammer", 3, "none"),
            (2, "saw", 1, "none"),
        ]
        assert [tuple(r) for r in conn.execute(sa.text("SELECT id, item_id FROM order_line"))] == [
            (1, 1),
            (2, 2),
        ]
        assert not [t for t in inspector.get_table_names() if "tmp" in t]


def test_rebuilt_table_keeps_enforcing_and_counting(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("item", recreate="always"):
            pass
    item = sa.table("item", sa.column("id"), sa.column("name"), sa.column("price"))
    with db.engine.begin() as conn:
        conn.execute(sa.insert(item).values(name="drill", price=5))
        new_id = conn.execute(sa.select(item.c.id).where(item.c.name == "drill")).scalar()
    # PostgreSQL and MariaDB never reuse the deleted id 3; a plain SQLite rowid table reuses
    # max(id) + 1, as the original table would have.
    assert new_id == (3 if db.name == "sqlite" else 4)
    for bad in (
        sa.insert(item).values(name="hammer", price=1),
        sa.insert(item).values(name="negative", price=-1),
    ):
        with pytest.raises(sa.exc.DBAPIError, match="(?i)unique|duplicate|constraint"):
            with db.engine.begin() as conn:
                conn.execute(bad)
    with pytest.raises(sa.exc.DBAPIError, match="(?i)foreign key"):
        with db.engine.begin() as conn:
            if db.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.execute(sa.text("INSERT INTO order_line (id, item_id) VALUES (9, 999)"))


def test_failed_copy_leaves_the_original_table(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE item SET qty = NULL WHERE name = 'saw'"))
    with db.engine.connect() as conn:
        before = sa.inspect(conn).get_columns("item")
        rows = _items(conn, "id", "name", "qty")
    with db.engine.begin() as conn:
        with pytest.raises(BatchError, match="left unchanged"):
            with Operations.for_connection(conn).batch_alter_table(
                "item", recreate="always"
            ) as batch:
                batch.alter_column("qty", nullable=False, existing_type=sa.Integer)
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert [c["name"] for c in inspector.get_columns("item")] == [c["name"] for c in before]
        assert _items(conn, "id", "name", "qty") == rows
        assert not [t for t in inspector.get_table_names() if "tmp" in t]
        assert [fk["name"] for fk in inspector.get_foreign_keys("order_line")] == ["fk_line_item"]


@pytest.mark.backends("postgresql", "mariadb")
def test_auto_mode_alters_in_place_where_the_database_can(db: LiveDatabase) -> None:
    _create_schema(db)
    statements: list[str] = []
    with db.engine.begin() as conn:
        sa.event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
        with Operations.for_connection(conn).batch_alter_table("item") as batch:
            batch.alter_column("qty", nullable=False, existing_type=sa.Integer)
            batch.add_column(sa.Column("note", sa.String(10)))
    assert not [s for s in statements if "_batch_tmp_" in s]
    with db.engine.connect() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("item")}
    assert columns["qty"]["nullable"] is False and "note" in columns


def test_dropping_a_referenced_column_is_refused_before_anything_runs(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        with pytest.raises(BatchError, match="fk_line_item of table 'order_line'"):
            with Operations.for_connection(conn).batch_alter_table(
                "item", recreate="always"
            ) as batch:
                batch.drop_column("id")
    with db.engine.connect() as conn:
        assert "id" in [c["name"] for c in sa.inspect(conn).get_columns("item")]


@pytest.mark.backends("postgresql")
def test_postgresql_identity_and_serial_keep_counting(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE ticket (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
            "seq SERIAL, title TEXT)"
        )
        conn.exec_driver_sql("INSERT INTO ticket (title) VALUES ('a'), ('b'), ('c')")
        conn.exec_driver_sql("DELETE FROM ticket WHERE title = 'c'")
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table(
            "ticket", recreate="always"
        ) as batch:
            batch.alter_column("title", nullable=False, existing_type=sa.Text)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO ticket (title) VALUES ('d')")
        assert conn.exec_driver_sql("SELECT id, seq FROM ticket WHERE title = 'd'").one() == (4, 4)
        sequences = {
            name
            for (name,) in conn.exec_driver_sql("SELECT relname FROM pg_class WHERE relkind = 'S'")
        }
        assert sequences == {"ticket_id_seq", "ticket_seq_seq"}
        with pytest.raises(sa.exc.DBAPIError, match="GENERATED ALWAYS"):
            with conn.begin_nested():
                conn.exec_driver_sql("INSERT INTO ticket (id, title) VALUES (99, 'x')")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE ticket")
        left = conn.exec_driver_sql("SELECT count(*) FROM pg_class WHERE relkind = 'S'").scalar()
        assert left == 0, "the sequences belong to the new table and go with it"


def _snapshot(db: LiveDatabase) -> dict[str, Any]:
    """Everything reflection says about the three tables, in comparable form."""
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        shot: dict[str, Any] = {}
        for table in ("category", "item", "order_line"):
            shot[table] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                    for c in inspector.get_columns(table)
                ],
                "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted(
                    (fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"])
                    for fk in inspector.get_foreign_keys(table)
                ),
                "uniques": sorted(
                    (u["name"] or "", tuple(u["column_names"]))
                    for u in inspector.get_unique_constraints(table)
                ),
                "checks": sorted(
                    (c["name"] or "", c["sqltext"]) for c in inspector.get_check_constraints(table)
                ),
                "indexes": sorted(
                    (ix["name"] or "", tuple(ix["column_names"]), bool(ix["unique"]))
                    for ix in inspector.get_indexes(table)
                ),
            }
        shot["rows"] = [
            tuple(r) for r in conn.execute(sa.text("SELECT * FROM item ORDER BY id")).all()
        ]
        return shot


def _run_sql_file(db: LiveDatabase, script: str, tmp_path: Any) -> None:
    """Feed offline SQL to the database's own command-line client, unchanged."""
    import shutil
    import subprocess

    path = tmp_path / "batch.sql"
    path.write_text(script)
    url = db.url
    if db.name == "sqlite":
        command = ["sqlite3", "-bail", str(url.database)]
    elif db.name == "postgresql":
        command = [
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-1",
            "-h",
            str(url.host),
            "-p",
            str(url.port or 5432),
            "-U",
            str(url.username),
            str(url.database),
        ]
    elif db.name == "mariadb":
        command = ["mariadb", "-h", str(url.host), "-P", str(url.port or 3306),
                   "-u", str(url.username), str(url.database)]  # fmt: skip
        if url.password:
            command.insert(1, f"--password={url.password}")
    else:
        # MySQL 8's default authentication is not spoken by every client; use the driver.
        with db.engine.begin() as conn:
            for statement in script.split(";\n\n"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
        return
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    environment = {**os.environ, "PGPASSWORD": url.password or ""}
    with path.open() as script_input:
        done = subprocess.run(
            command, stdin=script_input, capture_output=True, text=True, env=environment
        )
    assert done.returncode == 0, done.stderr


def _drop_all(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        for table in ("order_line", "item", "category"):
            conn.execute(sa.text(f"DROP TABLE {table}"))


def _declared_item() -> sa.Table:
    """The item table as the model declares it (what _create_schema created)."""
    metadata = sa.MetaData()
    sa.Table("category", metadata, sa.Column("id", sa.Integer, primary_key=True))
    return _item_table(metadata)


def _changes(batch: Any) -> None:
    batch.alter_column("qty", nullable=False, existing_type=sa.Integer)
    batch.add_column(sa.Column("sku", sa.String(12), nullable=False, server_default="none"))
    batch.drop_column("price")


def _batch_with_referencing_fk_handled(ops: Operations, db: LiveDatabase, **kw: Any) -> None:
    """Offline there is no database to find referencing foreign keys in, so (as documented)
    the migration drops and re-creates them around the batch itself."""
    if db.name != "sqlite":
        ops.drop_constraint("fk_line_item", "order_line", type_="foreignkey")
    with ops.batch_alter_table("item", recreate="always", **kw) as batch:
        _changes(batch)
    if db.name != "sqlite":
        ops.create_foreign_key("fk_line_item", "order_line", "item", ["item_id"], ["id"])


def test_offline_sql_through_the_client_gives_the_same_table_as_live(
    db: LiveDatabase, tmp_path: Any
) -> None:
    import io

    _create_schema(db)
    with db.engine.begin() as conn:
        _batch_with_referencing_fk_handled(Operations.for_connection(conn), db)
    live = _snapshot(db)

    _drop_all(db)
    _create_schema(db)
    buffer = io.StringIO()
    offline = Operations.for_dialect(db.engine.dialect, buffer)
    _batch_with_referencing_fk_handled(offline, db, copy_from=_declared_item())
    _run_sql_file(db, buffer.getvalue(), tmp_path)
    assert _snapshot(db) == live


def test_reserved_and_quoted_names_in_another_schema(db: LiveDatabase) -> None:
    schema = db.other_schema
    metadata = sa.MetaData(schema=schema)
    order = sa.Table(
        "order",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user", sa.String(20), nullable=True),
        sa.Column('weird "name"', sa.Integer),
        sa.CheckConstraint(
            "`user` <> 'root'" if db.name in ("mariadb", "mysql") else "\"user\" <> 'root'",
            name="ck_order_user",
        ),
        sa.Index("ix_order_user", "user"),
    )
    sa.Table(
        "select",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, sa.ForeignKey(order.c.id, name="fk_select_order")),
    )
    with db.engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(sa.insert(order), [{"id": 1, "user": "ann", 'weird "name"': 7}])
        conn.execute(
            sa.insert(metadata.tables[f"{schema}.select" if schema else "select"]),
            [{"id": 1, "order_id": 1}],
        )
    with db.engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with ops.batch_alter_table("order", schema=schema, recreate="always") as batch:
            batch.alter_column(
                "user", nullable=False, new_column_name="group", existing_type=sa.String(20)
            )
            batch.alter_column(
                'weird "name"', new_column_name='still "weird"', existing_type=sa.Integer
            )
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        columns = {c["name"]: c for c in inspector.get_columns("order", schema=schema)}
        assert list(columns) == ["id", "group", 'still "weird"']
        assert columns["group"]["nullable"] is False
        checks = inspector.get_check_constraints("order", schema=schema)
        assert [c["name"] for c in checks] == ["ck_order_user"]
        assert "group" in checks[0]["sqltext"]
        assert "ix_order_user" in {
            ix["name"] for ix in inspector.get_indexes("order", schema=schema)
        }
        fks = inspector.get_foreign_keys("select", schema=schema)
        assert [fk["name"] for fk in fks] == ["fk_select_order"]
        table = sa.Table("order", sa.MetaData(), schema=schema, autoload_with=conn)
        assert [tuple(r) for r in conn.execute(sa.select(table))] == [(1, "ann", 7)]


def test_views_on_the_table(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        conn.execute(sa.text("CREATE VIEW item_names AS SELECT name FROM item"))
    with db.engine.begin() as conn:
        ops = Operations.for_connection(conn)
        if db.name == "postgresql":
            # PostgreSQL binds views to the table itself: it refuses the DROP, and says why.
            with pytest.raises(BatchError, match="left unchanged: .*depend"):
                with ops.batch_alter_table("item", recreate="always") as batch:
                    batch.add_column(sa.Column("note", sa.Text))
        else:
            with ops.batch_alter_table("item", recreate="always") as batch:
                batch.add_column(sa.Column("note", sa.Text))
    with db.engine.connect() as conn:
        names = conn.execute(sa.text("SELECT name FROM item_names ORDER BY name")).scalars()
        assert list(names) == ["hammer", "saw"]
        columns = [c["name"] for c in sa.inspect(conn).get_columns("item")]
        assert ("note" in columns) is (db.name != "postgresql")


@pytest.mark.backends("postgresql", "mariadb")
def test_referencing_foreign_keys_follow_a_renamed_key_column(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("item", recreate="always") as batch:
            batch.alter_column("id", new_column_name="item_id", existing_type=sa.Integer)
    with db.engine.connect() as conn:
        fks = sa.inspect(conn).get_foreign_keys("order_line")
        assert [(fk["name"], fk["referred_columns"]) for fk in fks] == [
            ("fk_line_item", ["item_id"])
        ]
        assert conn.execute(
            sa.text("SELECT item_id FROM item ORDER BY item_id")
        ).scalars().all() == [1, 2]


@pytest.mark.backends("postgresql")
def test_postgresql_using_converts_the_copied_values(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE item ADD COLUMN code VARCHAR(10)"))
        conn.execute(sa.text("UPDATE item SET code = 'n' || id::text"))
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("item", recreate="always") as batch:
            batch.alter_column(
                "code", type_=sa.Integer, postgresql_using="substr(code, 2)::integer"
            )
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT code FROM item ORDER BY id")).scalars().all() == [1, 2]


def test_the_op_proxy_reaches_batch_mode(db: LiveDatabase) -> None:
    from ddl_ops import op, use_operations

    _create_schema(db)
    with db.engine.begin() as conn:
        with use_operations(Operations.for_connection(conn)):
            with op.batch_alter_table("category", recreate="always") as batch:
                batch.add_column(sa.Column("rank", sa.Integer, nullable=False, server_default="0"))
    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT id, label, `rank` FROM category"
                if db.name in ("mariadb", "mysql")
                else 'SELECT id, label, "rank" FROM category'
            )
        ).all()
        assert [tuple(r) for r in rows] == [(1, "tools", 0)]


def test_expression_partial_and_prefix_indexes_survive(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        if db.name in ("mariadb", "mysql"):
            conn.execute(sa.text("CREATE INDEX ix_item_prefix ON item (name(5))"))
        else:
            conn.execute(sa.text("CREATE INDEX ix_item_lower ON item (lower(name))"))
            conn.execute(sa.text("CREATE INDEX ix_item_cheap ON item (price) WHERE price < 10"))
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("item", recreate="always") as batch:
            batch.alter_column("qty", nullable=False, existing_type=sa.Integer)
    with db.engine.connect() as conn:
        if db.name in ("mariadb", "mysql"):
            rows = conn.execute(
                sa.text(
                    "SELECT sub_part FROM information_schema.statistics "
                    "WHERE table_schema = DATABASE() AND index_name = 'ix_item_prefix'"
                )
            ).scalars()
            assert list(rows) == [5]
        elif db.name == "postgresql":
            definitions = dict(
                conn.execute(sa.text("SELECT indexname, indexdef FROM pg_indexes")).all()
            )
            assert "lower((name)::text)" in definitions["ix_item_lower"]
            assert "WHERE (price < (10)::numeric)" in definitions["ix_item_cheap"]
        else:
            rows = conn.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
            definitions = {str(row[0]): str(row[1]) for row in rows}
            assert (
                definitions["ix_item_lower"] == "CREATE INDEX ix_item_lower ON item (lower(name))"
            )
            assert definitions["ix_item_cheap"].endswith("WHERE price < 10")


def test_primary_key_dropped_without_its_name(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        ops = Operations.for_connection(conn)
        with ops.batch_alter_table("order_line") as batch:
            batch.drop_constraint(None, type_="primary")
            batch.create_primary_key("pk_order_line", ["id", "item_id"])
    with db.engine.connect() as conn:
        pk = sa.inspect(conn).get_pk_constraint("order_line")
        assert pk["constrained_columns"] == ["id", "item_id"]
        if db.name == "postgresql":
            assert pk["name"] == "pk_order_line"
        fks = sa.inspect(conn).get_foreign_keys("order_line")
        assert [fk["name"] for fk in fks] == ["fk_line_item"]


@pytest.mark.backends("sqlite")
def test_offline_sqlite_script_that_fails_leaves_the_table(db: LiveDatabase, tmp_path: Any) -> None:
    import io
    import subprocess

    _create_schema(db)
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE item SET qty = NULL WHERE name = 'saw'"))
    buffer = io.StringIO()
    offline = Operations.for_dialect("sqlite", buffer)
    with offline.batch_alter_table("item", copy_from=_declared_item()) as batch:
        batch.alter_column("qty", nullable=False)
    path = tmp_path / "fails.sql"
    path.write_text(buffer.getvalue())
    with path.open() as script:
        done = subprocess.run(
            ["sqlite3", "-bail", str(db.url.database)], stdin=script, capture_output=True, text=True
        )
    assert done.returncode != 0 and "NOT NULL" in done.stderr
    with db.engine.connect() as conn:
        assert [t for t in sa.inspect(conn).get_table_names() if "tmp" in t] == []
        assert _items(conn, "id", "qty") == [(1, 3), (2, None)]


@pytest.mark.backends("mariadb")
def test_mariadb_column_checks_json_and_on_update_survive(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE doc (id INT PRIMARY KEY AUTO_INCREMENT, "
            "body JSON, n INT CHECK (n > 0), "
            "ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP) "
            "COMMENT='documents'"
        )
        conn.exec_driver_sql("INSERT INTO doc (body, n) VALUES ('{\"a\": 1}', 1)")
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("doc", recreate="always") as batch:
            batch.alter_column("n", nullable=False, existing_type=sa.Integer)
    with db.engine.connect() as conn:
        created = conn.exec_driver_sql("SHOW CREATE TABLE doc").one()[1]
        assert "json_valid(`body`)" in created
        assert "`n` > 0" in created
        assert "ON UPDATE current_timestamp()" in created
        assert "COMMENT='documents'" in created
        for bad in ("INSERT INTO doc (body, n) VALUES ('not json', 1)",
                    "INSERT INTO doc (body, n) VALUES ('{}', 0)"):  # fmt: skip
            with pytest.raises(sa.exc.DBAPIError, match="CONSTRAINT"):
                conn.exec_driver_sql(bad)


@pytest.mark.backends("postgresql")
def test_postgresql_triggers_grants_exclusions_and_options_are_replayed(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "DO $$ BEGIN CREATE ROLE batch_reader; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
        conn.exec_driver_sql(
            "CREATE TABLE booking (id SERIAL PRIMARY KEY, room INT NOT NULL, "
            "during TSRANGE NOT NULL, note TEXT, "
            "CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&)) "
            "WITH (fillfactor = 70)"
        )
        conn.exec_driver_sql(
            "CREATE FUNCTION touch_note() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN NEW.note := 'touched: ' || NEW.note; RETURN NEW; END $$"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER booking_touch BEFORE INSERT ON booking "
            "FOR EACH ROW WHEN (NEW.note <> 'a:b') EXECUTE FUNCTION touch_note()"
        )
        conn.exec_driver_sql("GRANT SELECT, UPDATE ON booking TO batch_reader")
        conn.exec_driver_sql(
            "INSERT INTO booking (room, during, note) VALUES (1, '[2026-01-01, 2026-01-02)', 'x')"
        )
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table(
            "booking", recreate="always"
        ) as batch:
            batch.alter_column("room", new_column_name="room_no", existing_type=sa.Integer)
    with db.engine.begin() as conn:
        definitions = (
            conn.exec_driver_sql(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'no_overlap'"
            )
            .scalars()
            .all()
        )
        assert definitions == ["EXCLUDE USING gist (room_no WITH =, during WITH &&)"]
        assert conn.exec_driver_sql(
            "SELECT reloptions FROM pg_class WHERE relname = 'booking'"
        ).scalar() == ["fillfactor=70"]
        grants = (
            conn.exec_driver_sql(
                "SELECT privilege_type FROM information_schema.table_privileges "
                "WHERE table_name = 'booking' AND grantee = 'batch_reader' ORDER BY 1"
            )
            .scalars()
            .all()
        )
        assert grants == ["SELECT", "UPDATE"]
        conn.exec_driver_sql(
            "INSERT INTO booking (room_no, during, note) "
            "VALUES (2, '[2026-01-01, 2026-01-02)', 'y')"
        )
        notes = conn.exec_driver_sql("SELECT note FROM booking ORDER BY id").scalars().all()
        assert notes == ["touched: x", "touched: y"]
        with pytest.raises(sa.exc.DBAPIError, match="no_overlap"):
            with conn.begin_nested():
                conn.exec_driver_sql(
                    "INSERT INTO booking (room_no, during, note) "
                    "VALUES (2, '[2026-01-01, 2026-01-03)', 'z')"
                )


@pytest.mark.backends("postgresql")
def test_postgresql_policies_make_the_rebuild_refuse(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE secret (id INT PRIMARY KEY, owner TEXT)")
        conn.exec_driver_sql("ALTER TABLE secret ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql("CREATE POLICY mine ON secret USING (owner = current_user)")
    with db.engine.begin() as conn:
        with pytest.raises(BatchError, match="row level security, policy 'mine'.*would lose"):
            with Operations.for_connection(conn).batch_alter_table("secret", recreate="always"):
                pass
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pg_policy").scalar() == 1


@pytest.mark.backends("mariadb")
def test_mysql_triggers_make_the_rebuild_refuse(db: LiveDatabase) -> None:
    _create_schema(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER item_upper BEFORE INSERT ON item FOR EACH ROW "
            "SET NEW.name = UPPER(NEW.name)"
        )
    with db.engine.begin() as conn:
        with pytest.raises(BatchError, match="trigger 'item_upper'"):
            with Operations.for_connection(conn).batch_alter_table("item", recreate="always"):
                pass


def test_generated_columns_are_recomputed_not_copied(db: LiveDatabase) -> None:
    metadata = sa.MetaData()
    box = sa.Table(
        "box",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("width", sa.Integer, nullable=True),
        sa.Column("area", sa.Integer, sa.Computed("width * width", persisted=True)),
    )
    with db.engine.begin() as conn:
        metadata.create_all(conn)
        conn.execute(sa.insert(box), [{"id": 1, "width": 3}])
    with db.engine.begin() as conn:
        with Operations.for_connection(conn).batch_alter_table("box", recreate="always") as batch:
            batch.alter_column("width", nullable=False, existing_type=sa.Integer)
    with db.engine.begin() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("box")}
        assert "width" in columns["area"]["computed"]["sqltext"]
        conn.execute(sa.text("UPDATE box SET width = 4"))
        assert conn.execute(sa.text("SELECT area FROM box")).scalar() == 16


@pytest.mark.backends("postgresql")
def test_batch_through_an_async_connection(db: LiveDatabase) -> None:
    import asyncio

    from sqlalchemy.ext.asyncio import create_async_engine

    _create_schema(db)

    def migrate(conn: sa.Connection) -> None:
        with Operations.for_connection(conn).batch_alter_table("item", recreate="always") as batch:
            batch.alter_column("qty", nullable=False, existing_type=sa.Integer)

    async def run() -> None:
        engine = create_async_engine(db.url.set(drivername="postgresql+psycopg_async"))
        try:
            async with engine.begin() as conn:
                await conn.run_sync(migrate)
        finally:
            await engine.dispose()

    asyncio.run(run())
    with db.engine.connect() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("item")}
        assert columns["qty"]["nullable"] is False
        assert _items(conn, "id", "qty") == [(1, 3), (2, 1)]


@pytest.mark.backends("sqlite")
def test_autogenerated_batch_code_brings_sqlite_to_the_model(db: LiveDatabase) -> None:
    """The migration autogenerate writes with render_as_batch runs, and leaves no difference."""
    from ddl_ops import op, use_operations
    from migrate_autogen import compare_metadata, render_python_code

    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(20), old INT, code TEXT)"
        )
        conn.exec_driver_sql("CREATE INDEX ix_account_code ON account (code)")
        conn.exec_driver_sql("INSERT INTO account VALUES (1, 'ann', 1, 'x')")
    target = sa.MetaData()
    sa.Table(
        "account",
        target,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("email", sa.String(100)),
        sa.Column("code", sa.Text),
        sa.UniqueConstraint("name", name="uq_account_name"),
        sa.CheckConstraint("length(name) > 0", name="ck_account_name"),
    )
    with db.engine.begin() as conn:
        script = render_python_code(compare_metadata(conn, target), render_as_batch=True)
        assert "batch_alter_table('account')" in script
        with use_operations(Operations.for_connection(conn)):
            exec(script, {"op": op, "sa": sa})
    with db.engine.connect() as conn:
        assert compare_metadata(conn, target) == []
        rows = conn.execute(sa.text("SELECT id, name, code, email FROM account")).all()
        assert [tuple(r) for r in rows] == [(1, "ann", "x", None)]
