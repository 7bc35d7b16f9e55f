"""Every ddl-ops operation applied to a live database, checked by reflection.

Run with `--db sqlite --db postgresql --db mariadb`. What a database cannot do in
place is skipped by capability ("requires ALTER COLUMN"), never by its name.
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


@pytest.fixture
def ops(conn: sa.Connection) -> Operations:
    return Operations.for_connection(conn)


def requires(ops: Operations, capability: str) -> None:
    impl = ops.impl
    checks = {
        "ALTER COLUMN": impl.supports_alter_column,
        "ALTER of constraints": impl.supports_alter_constraints,
        "comments": impl.supports_comments,
        "enum types": impl.supports_enum_types,
        "transactional DDL": impl.transactional_ddl,
        "EXCLUDE constraints": impl.name == "postgresql",
        "USING on type changes": impl.name == "postgresql",
        "expression indexes": impl.supports_expression_indexes,
    }
    if not checks[capability]:
        pytest.skip(f"requires {capability}")


def requires_schema(db: LiveDatabase) -> str:
    if db.other_schema is None:
        pytest.skip("requires a second schema")
    return db.other_schema


def columns(conn: sa.Connection, table: str, schema: str | None = None) -> dict[str, dict]:  # type: ignore[type-arg]
    return {c["name"]: c for c in sa.inspect(conn).get_columns(table, schema=schema)}


def people_table(ops: Operations, schema: str | None = None) -> sa.Table:
    return ops.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("age", sa.Integer),
        schema=schema,
    )


def test_create_table_then_bulk_insert(ops: Operations, conn: sa.Connection) -> None:
    ops.create_table(
        "parent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(10), nullable=False, unique=True),
    )
    child = ops.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
        sa.Column("qty", sa.Integer, server_default="1", nullable=False),
        sa.Column("label", sa.String(20), index=True),
        sa.CheckConstraint("qty > 0", name="ck_child_qty"),
        sa.UniqueConstraint("parent_id", "label", name="uq_child_parent_label"),
    )
    ops.bulk_insert(
        sa.table("parent", sa.column("id"), sa.column("code")), [{"id": 1, "code": "a"}]
    )
    ops.bulk_insert(
        child,
        [
            {"id": 1, "parent_id": 1, "label": "x"},
            {"id": 2, "parent_id": 1, "qty": 5, "label": "y"},
        ],
    )
    rows = conn.execute(sa.text("SELECT id, qty, label FROM child ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, 1, "x"), (2, 5, "y")]
    inspector = sa.inspect(conn)
    assert inspector.get_pk_constraint("child")["constrained_columns"] == ["id"]
    (fk,) = inspector.get_foreign_keys("child")
    assert (fk["referred_table"], fk["constrained_columns"], fk["options"].get("ondelete")) == (
        "parent",
        ["parent_id"],
        "CASCADE",
    )
    assert "ix_child_label" in {ix["name"] for ix in inspector.get_indexes("child")}
    assert "uq_child_parent_label" in {u["name"] for u in inspector.get_unique_constraints("child")}
    assert "ck_child_qty" in {c["name"] for c in inspector.get_check_constraints("child")}
    assert columns(conn, "child")["qty"]["nullable"] is False


def test_add_and_drop_columns(ops: Operations, conn: sa.Connection) -> None:
    people_table(ops)
    ops.bulk_insert(
        sa.table("people", sa.column("id"), sa.column("name")), [{"id": 1, "name": "ann"}]
    )
    ops.add_column("people", sa.Column("score", sa.Integer, server_default="7", nullable=False))
    ops.add_column("people", sa.Column("nick", sa.String(20), index=True))
    cols = columns(conn, "people")
    assert cols["score"]["nullable"] is False and "7" in str(cols["score"]["default"])
    assert conn.execute(sa.text("SELECT score FROM people")).scalar_one() == 7
    assert "ix_people_nick" in {ix["name"] for ix in sa.inspect(conn).get_indexes("people")}
    ops.drop_index("ix_people_nick", "people")
    ops.drop_column("people", "nick")
    assert "nick" not in columns(conn, "people")


def test_add_column_with_a_foreign_key(ops: Operations, conn: sa.Connection) -> None:
    people_table(ops)
    ops.create_table("team", sa.Column("id", sa.Integer, primary_key=True))
    ops.add_column(
        "people", sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id", name="fk_people_team"))
    )
    (fk,) = sa.inspect(conn).get_foreign_keys("people")
    assert (fk["referred_table"], fk["constrained_columns"]) == ("team", ["team_id"])


def test_alter_column_in_place(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "ALTER COLUMN")
    people_table(ops)
    ops.bulk_insert(
        sa.table("people", sa.column("id"), sa.column("name"), sa.column("age")),
        [{"id": 1, "name": "ann", "age": 30}],
    )
    common = {"existing_type": sa.Integer, "existing_nullable": True}
    ops.alter_column("people", "age", nullable=False, **common)
    assert columns(conn, "people")["age"]["nullable"] is False
    ops.alter_column(
        "people", "age", type_=sa.BigInteger, existing_type=sa.Integer, existing_nullable=False
    )
    assert isinstance(columns(conn, "people")["age"]["type"], sa.BigInteger)
    ops.alter_column(
        "people", "age", server_default="18", existing_type=sa.BigInteger, existing_nullable=False
    )
    assert "18" in str(columns(conn, "people")["age"]["default"])
    ops.alter_column(
        "people", "age", server_default=None, existing_type=sa.BigInteger, existing_nullable=False
    )
    assert columns(conn, "people")["age"]["default"] is None
    ops.alter_column(
        "people",
        "age",
        new_column_name="years",
        existing_type=sa.BigInteger,
        existing_nullable=False,
    )
    assert "years" in columns(conn, "people") and "age" not in columns(conn, "people")
    ops.alter_column(
        "people", "name", type_=sa.String(100), existing_type=sa.String(50), existing_nullable=False
    )
    assert columns(conn, "people")["name"]["type"].length == 100
    assert conn.execute(sa.text("SELECT years FROM people")).scalar_one() == 30


def test_alter_column_sets_a_function_default(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "ALTER COLUMN")
    ops.create_table(
        "stamped",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created", sa.DateTime),
    )
    ops.alter_column("stamped", "created", server_default=sa.func.now(), existing_type=sa.DateTime)
    conn.execute(sa.text("INSERT INTO stamped (id) VALUES (1)"))
    assert conn.execute(sa.text("SELECT created FROM stamped")).scalar_one() is not None


def test_alter_column_type_with_using(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "ALTER COLUMN")
    requires(ops, "USING on type changes")
    ops.create_table("t", sa.Column("v", sa.String(10)))
    ops.bulk_insert(sa.table("t", sa.column("v")), [{"v": "42"}])
    ops.alter_column("t", "v", type_=sa.Integer, postgresql_using="v::integer")
    assert conn.execute(sa.text("SELECT v + 1 FROM t")).scalar_one() == 43


def test_rename_column_where_alter_column_is_missing(ops: Operations, conn: sa.Connection) -> None:
    people_table(ops)
    ops.alter_column(
        "people", "age", new_column_name="years", existing_type=sa.Integer, existing_nullable=True
    )
    assert "years" in columns(conn, "people")


def test_alter_column_without_alter_support_points_to_batch(ops: Operations) -> None:
    if ops.impl.supports_alter_column:
        pytest.skip("requires a database without ALTER COLUMN")
    people_table(ops)
    with pytest.raises(OperationNotSupported, match="batch_alter_table"):
        ops.alter_column("people", "age", nullable=False)


def test_column_comments(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "ALTER COLUMN")
    requires(ops, "comments")
    people_table(ops)
    common = {"existing_type": sa.Integer, "existing_nullable": True}
    ops.alter_column("people", "age", comment="years old, it's true", **common)
    assert columns(conn, "people")["age"]["comment"] == "years old, it's true"
    ops.alter_column("people", "age", comment=None, existing_comment="years old", **common)
    assert not columns(conn, "people")["age"]["comment"]
    ops.add_column("people", sa.Column("note", sa.String(10), comment="free text"))
    assert columns(conn, "people")["note"]["comment"] == "free text"


def test_table_comments(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "comments")
    ops.create_table("t", sa.Column("id", sa.Integer, primary_key=True), comment="first")
    assert sa.inspect(conn).get_table_comment("t")["text"] == "first"
    ops.create_table_comment("t", "it's second", existing_comment="first")
    assert sa.inspect(conn).get_table_comment("t")["text"] == "it's second"
    ops.drop_table_comment("t", existing_comment="it's second")
    assert not sa.inspect(conn).get_table_comment("t")["text"]


def test_rename_and_drop_table(ops: Operations, conn: sa.Connection) -> None:
    people_table(ops)
    ops.rename_table("people", "persons")
    assert sa.inspect(conn).get_table_names() == ["persons"]
    ops.drop_table("persons")
    ops.drop_table("persons", if_exists=True)
    assert sa.inspect(conn).get_table_names() == []


def index_names(conn: sa.Connection, table: str) -> set[str]:
    """Index names, including expression indexes SQLAlchemy's SQLite reflection skips."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
        return {row[0] for row in rows}
    return {ix["name"] for ix in sa.inspect(conn).get_indexes(table)}


def test_expression_index(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "expression indexes")
    people_table(ops)
    ops.create_index("ix_people_lower", "people", [sa.func.lower(sa.column("name"))])
    assert index_names(conn, "people") == {"ix_people_lower"}
    ops.drop_index("ix_people_lower", "people")
    assert index_names(conn, "people") == set()


def test_indexes(ops: Operations, conn: sa.Connection) -> None:
    people_table(ops)
    ops.create_index("ix_people_name", "people", ["name"], unique=True)
    ops.create_index("ix_people_name", "people", ["name"], unique=True, if_not_exists=True)
    ops.create_index(
        "ix_people_adults",
        "people",
        ["age"],
        postgresql_where=sa.text("age >= 18"),
        sqlite_where=sa.text("age >= 18"),
    )
    names = {ix["name"]: ix for ix in sa.inspect(conn).get_indexes("people")}
    assert names["ix_people_name"]["unique"]
    assert set(names) == {"ix_people_name", "ix_people_adults"}
    for name in ("ix_people_name", "ix_people_adults"):
        ops.drop_index(name, "people")
    ops.drop_index("ix_people_name", "people", if_exists=True)
    assert sa.inspect(conn).get_indexes("people") == []


def test_constraints(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "ALTER of constraints")
    ops.create_table("team", sa.Column("id", sa.Integer, nullable=False))
    ops.create_primary_key("pk_team", "team", ["id"])
    people_table(ops)
    ops.add_column("people", sa.Column("team_id", sa.Integer))
    ops.create_foreign_key(
        "fk_people_team", "people", "team", ["team_id"], ["id"], ondelete="SET NULL"
    )
    ops.create_unique_constraint("uq_people_name", "people", ["name"])
    ops.create_check_constraint("ck_people_age", "people", "age >= 0")
    inspector = sa.inspect(conn)
    assert inspector.get_pk_constraint("team")["constrained_columns"] == ["id"]
    (fk,) = inspector.get_foreign_keys("people")
    assert fk["name"] == "fk_people_team" and fk["options"].get("ondelete") == "SET NULL"
    assert "uq_people_name" in {u["name"] for u in inspector.get_unique_constraints("people")}
    assert "ck_people_age" in {c["name"] for c in inspector.get_check_constraints("people")}
    with pytest.raises(sa.exc.DBAPIError), conn.begin_nested():
        conn.execute(sa.text("INSERT INTO people (id, name, age) VALUES (1, 'x', -1)"))
    ops.drop_constraint("fk_people_team", "people", "foreignkey")
    ops.drop_constraint("uq_people_name", "people", "unique")
    ops.drop_constraint("ck_people_age", "people", "check")
    ops.drop_constraint("pk_team", "team", "primary")
    inspector = sa.inspect(conn)
    assert inspector.get_foreign_keys("people") == []
    assert "uq_people_name" not in {u["name"] for u in inspector.get_unique_constraints("people")}
    assert "ck_people_age" not in {c["name"] for c in inspector.get_check_constraints("people")}
    assert inspector.get_pk_constraint("team")["constrained_columns"] == []


def test_reserved_and_odd_names_in_another_schema(
    ops: Operations, conn: sa.Connection, db: LiveDatabase
) -> None:
    schema = requires_schema(db)
    weird = 'weird "name"'
    ops.create_table("user", sa.Column("id", sa.Integer, primary_key=True), schema=schema)
    ops.create_table(
        "order",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(weird, sa.String(20)),
        schema=schema,
    )
    ops.add_column("order", sa.Column("user", sa.Integer), schema=schema)
    ops.create_index("ix_order_weird", "order", [weird], schema=schema)
    ops.create_foreign_key(
        "fk_order_user",
        "order",
        "user",
        ["user"],
        ["id"],
        source_schema=schema,
        referent_schema=schema,
    )
    table = sa.table("order", sa.column("id"), sa.column(weird), sa.column("user"), schema=schema)
    ops.bulk_insert(sa.table("user", sa.column("id"), schema=schema), [{"id": 1}])
    ops.bulk_insert(table, [{"id": 1, weird: "100% it's", "user": 1}])
    ops.rename_table("order", "orders", schema=schema)
    ops.alter_column(
        "orders",
        weird,
        new_column_name="select",
        schema=schema,
        existing_type=sa.String(20),
        existing_nullable=True,
    )
    inspector = sa.inspect(conn)
    assert set(inspector.get_table_names(schema=schema)) == {"user", "orders"}
    assert [c["name"] for c in inspector.get_columns("orders", schema=schema)] == [
        "id",
        "select",
        "user",
    ]
    orders = sa.table("orders", sa.column("id"), schema=schema)
    assert conn.execute(sa.select(sa.func.count()).select_from(orders)).scalar_one() == 1
    ops.drop_constraint("fk_order_user", "orders", "foreignkey", schema=schema)
    ops.drop_index("ix_order_weird", "orders", schema=schema)
    ops.drop_column("orders", "select", schema=schema)
    ops.drop_table("orders", schema=schema)
    assert sa.inspect(conn).get_table_names(schema=schema) == ["user"]


def test_execute_text_and_statements(ops: Operations, conn: sa.Connection) -> None:
    people_table(ops)
    ops.execute("INSERT INTO people (id, name) VALUES (1, 'a:b 100%')")
    people = sa.table("people", sa.column("id"), sa.column("age"))
    ops.execute(people.update().where(people.c.id == 1).values(age=ops.inline_literal(5)))
    assert conn.execute(sa.text("SELECT name, age FROM people")).one() == ("a:b 100%", 5)


def test_enum_types(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "enum types")
    ops.create_enum_type("mood", ["sad", "ok"])
    ops.create_table("t", sa.Column("m", sa.Enum("sad", "ok", name="mood")))
    ops.add_enum_value("mood", "happy", after="ok")
    ops.add_enum_value("mood", "happy")
    ops.add_column("t", sa.Column("m2", sa.Enum("x", "y", name="mood2")))
    enums = {e["name"]: e["labels"] for e in sa.inspect(conn).get_enums()}
    assert enums == {"mood": ["sad", "ok", "happy"], "mood2": ["x", "y"]}
    ops.drop_table("t")
    ops.drop_enum_type("mood")
    ops.drop_enum_type("mood2", if_exists=True)
    ops.drop_enum_type("mood2", if_exists=True)
    assert sa.inspect(conn).get_enums() == []


def test_exclude_constraint(ops: Operations, conn: sa.Connection) -> None:
    requires(ops, "EXCLUDE constraints")
    from sqlalchemy.dialects.postgresql import TSRANGE

    ops.create_table("booking", sa.Column("during", TSRANGE))
    ops.create_exclude_constraint("ex_booking", "booking", ("during", "&&"))
    ops.execute("INSERT INTO booking VALUES ('[2024-01-01, 2024-01-03)')")
    with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
        conn.execute(sa.text("INSERT INTO booking VALUES ('[2024-01-02, 2024-01-04)')"))


def test_autocommit_block_leaves_and_resumes_the_transaction(db: LiveDatabase) -> None:
    with db.engine.connect() as conn:
        ops = Operations.for_connection(conn)
        conn.begin()
        people_table(ops)
        with ops.autocommit_block():
            assert not conn.in_transaction() or conn.get_isolation_level() == "AUTOCOMMIT"
            ops.create_index("ix_people_name", "people", ["name"], postgresql_concurrently=True)
        assert conn.in_transaction()
        ops.add_column("people", sa.Column("extra", sa.Integer))
        conn.rollback()
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert "people" in inspector.get_table_names()
        assert "ix_people_name" in {ix["name"] for ix in inspector.get_indexes("people")}
        if ops.impl.transactional_ddl:  # elsewhere each DDL statement commits itself
            assert "extra" not in {c["name"] for c in inspector.get_columns("people")}


def test_transactional_ddl_rolls_back(db: LiveDatabase) -> None:
    with db.engine.connect() as conn:
        ops = Operations.for_connection(conn)
        requires(ops, "transactional DDL")
        with conn.begin():
            people_table(ops)
            conn.rollback()
        assert sa.inspect(conn).get_table_names() == []


def test_type_change_keeps_default_and_comment(ops: Operations, conn: sa.Connection) -> None:
    """MySQL restates the column on MODIFY: the existing_* hints keep what was there."""
    requires(ops, "ALTER COLUMN")
    ops.create_table(
        "t",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(10), server_default="abc", nullable=False, comment="the code"),
    )
    ops.alter_column(
        "t",
        "code",
        type_=sa.String(40),
        existing_type=sa.String(10),
        existing_nullable=False,
        existing_server_default="abc",
        existing_comment="the code",
    )
    column = columns(conn, "t")["code"]
    assert column["type"].length == 40
    assert column["nullable"] is False
    assert "abc" in str(column["default"])
    if ops.impl.supports_comments:
        assert column["comment"] == "the code"
