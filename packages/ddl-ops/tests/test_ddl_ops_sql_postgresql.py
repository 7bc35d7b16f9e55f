"""Exact SQL of every operation on PostgreSQL (the default dialect's style, plus its own)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ddl_ops.errors import DDLOpsError


@pytest.fixture
def pg(record):  # type: ignore[no-untyped-def]
    return record("postgresql")


def test_add_column_with_fk_comment_and_schema(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.add_column(
        "order",
        sa.Column(
            "user", sa.Integer, sa.ForeignKey("s.user.id", ondelete="CASCADE"), comment="who"
        ),
        schema="s",
    )
    assert pg.statements == [
        'ALTER TABLE s."order" ADD COLUMN "user" INTEGER',
        'ALTER TABLE s."order" ADD FOREIGN KEY("user") REFERENCES s."user" (id) ON DELETE CASCADE',
        'COMMENT ON COLUMN s."order"."user" IS \'who\'',
    ]


def test_add_column_with_default_and_index(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.add_column(
        "t", sa.Column("c", sa.Integer, server_default="0", nullable=False, index=True)
    )
    assert pg.statements == [
        "ALTER TABLE t ADD COLUMN c INTEGER DEFAULT '0' NOT NULL",
        "CREATE INDEX ix_t_c ON t (c)",
    ]


def test_add_column_unique_flag_adds_a_constraint(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.add_column("t", sa.Column("c", sa.Integer, unique=True))
    assert pg.statements == ["ALTER TABLE t ADD COLUMN c INTEGER", "ALTER TABLE t ADD UNIQUE (c)"]


def test_add_column_with_enum_creates_the_type_first(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.add_column("t", sa.Column("mood", sa.Enum("sad", "ok", name="mood")))
    assert pg.statements == [
        "CREATE TYPE mood AS ENUM ('sad', 'ok')",
        "ALTER TABLE t ADD COLUMN mood mood",
    ]


def test_drop_column(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.drop_column("t", "c", schema="s")
    assert pg.statements == ["ALTER TABLE s.t DROP COLUMN c"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"nullable": False}, ["ALTER TABLE t ALTER COLUMN c SET NOT NULL"]),
        ({"nullable": True}, ["ALTER TABLE t ALTER COLUMN c DROP NOT NULL"]),
        ({"type_": sa.BigInteger()}, ["ALTER TABLE t ALTER COLUMN c TYPE BIGINT"]),
        (
            {"type_": sa.Integer, "postgresql_using": "c::integer"},
            ["ALTER TABLE t ALTER COLUMN c TYPE INTEGER USING c::integer"],
        ),
        ({"server_default": "5"}, ["ALTER TABLE t ALTER COLUMN c SET DEFAULT '5'"]),
        (
            {"server_default": sa.text("now()")},
            ["ALTER TABLE t ALTER COLUMN c SET DEFAULT now()"],
        ),
        ({"server_default": None}, ["ALTER TABLE t ALTER COLUMN c DROP DEFAULT"]),
        ({"comment": "it's"}, ["COMMENT ON COLUMN t.c IS 'it''s'"]),
        ({"comment": None}, ["COMMENT ON COLUMN t.c IS NULL"]),
        ({"new_column_name": "d"}, ["ALTER TABLE t RENAME COLUMN c TO d"]),
        ({"autoincrement": True}, []),
        (
            {
                "type_": sa.String(20),
                "nullable": True,
                "server_default": "a",
                "comment": "k",
                "new_column_name": "d",
            },
            [
                "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
                "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(20)",
                "ALTER TABLE t ALTER COLUMN c DROP NOT NULL",
                "ALTER TABLE t ALTER COLUMN c SET DEFAULT 'a'",
                "COMMENT ON COLUMN t.c IS 'k'",
                "ALTER TABLE t RENAME COLUMN c TO d",
            ],
        ),
    ],
)
def test_alter_column(pg, kwargs, expected) -> None:  # type: ignore[no-untyped-def]
    pg.ops.alter_column("t", "c", existing_type=sa.Integer, **kwargs)
    assert pg.statements == expected


def test_using_without_a_type_is_refused(pg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="USING applies only to a type change"):
        pg.ops.alter_column("t", "c", postgresql_using="c::int")


def test_create_table_with_everything(pg) -> None:  # type: ignore[no-untyped-def]
    table = pg.ops.create_table(
        "user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mood", sa.Enum("a", "b", name="mood", schema="s")),
        sa.Column("x", sa.String(5), index=True, comment="ex"),
        sa.UniqueConstraint("x", name="uq_x"),
        sa.CheckConstraint("id > 0", name="ck_id"),
        schema="s",
        comment="users",
    )
    assert isinstance(table, sa.Table) and table.fullname == "s.user"
    assert pg.statements == [
        "CREATE TYPE s.mood AS ENUM ('a', 'b')",
        'CREATE TABLE s."user" (\n\tid SERIAL NOT NULL, \n\tmood s.mood, \n\tx VARCHAR(5), \n'
        "\tPRIMARY KEY (id), \n\tCONSTRAINT uq_x UNIQUE (x), \n"
        "\tCONSTRAINT ck_id CHECK (id > 0)\n)",
        "COMMENT ON TABLE s.\"user\" IS 'users'",
        "COMMENT ON COLUMN s.\"user\".x IS 'ex'",
        'CREATE INDEX ix_s_user_x ON s."user" (x)',
    ]


def test_create_table_enum_with_create_type_false_is_not_created(pg) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.dialects.postgresql import ENUM

    pg.ops.create_table("t", sa.Column("m", ENUM("a", name="m", create_type=False)))
    assert pg.statements == ["CREATE TABLE t (\n\tm m\n)"]


def test_create_table_uses_the_naming_convention(record) -> None:  # type: ignore[no-untyped-def]
    import io

    from ddl_ops import Operations

    buf = io.StringIO()
    ops = Operations.for_dialect(
        "postgresql", buf, naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}
    )
    ops.create_table("t", sa.Column("a", sa.Integer), sa.UniqueConstraint("a"))
    ops.create_unique_constraint(None, "t", ["a"])
    ops.create_unique_constraint(ops.f("keep_me"), "t", ["a"])
    assert "CONSTRAINT uq_t_a UNIQUE (a)" in buf.getvalue()
    assert "ALTER TABLE t ADD CONSTRAINT uq_t_a UNIQUE (a);" in buf.getvalue()
    assert "ALTER TABLE t ADD CONSTRAINT keep_me UNIQUE (a);" in buf.getvalue()


def test_drop_and_rename_table(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.drop_table("user", schema="s", if_exists=True)
    pg.ops.drop_table("t")
    pg.ops.rename_table("order", "user", schema="s")
    assert pg.statements == [
        'DROP TABLE IF EXISTS s."user"',
        "DROP TABLE t",
        'ALTER TABLE s."order" RENAME TO "user"',
    ]


def test_indexes(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.create_index(
        "ix_1",
        "t",
        ["a", sa.text("lower(b)")],
        unique=True,
        if_not_exists=True,
        postgresql_where=sa.text("a > 0"),
        schema="s",
    )
    pg.ops.create_index("ix_2", "t", ["a"], postgresql_concurrently=True, postgresql_using="gin")
    pg.ops.create_index("ix_3", "t", ["a"], postgresql_include=["b"])
    pg.ops.drop_index("ix_1", "t", schema="s", if_exists=True)
    pg.ops.drop_index("ix_2", postgresql_concurrently=True)
    assert pg.statements == [
        "CREATE UNIQUE INDEX IF NOT EXISTS ix_1 ON s.t (a, lower(b)) WHERE a > 0",
        "CREATE INDEX CONCURRENTLY ix_2 ON t USING gin (a)",
        "CREATE INDEX ix_3 ON t (a) INCLUDE (b)",
        "DROP INDEX IF EXISTS s.ix_1",
        "DROP INDEX CONCURRENTLY ix_2",
    ]


def test_constraints(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.create_primary_key("pk_t", "t", ["a", "b"], schema="s")
    pg.ops.create_unique_constraint(
        "uq_t", "t", ["a"], schema="s", deferrable=True, initially="DEFERRED"
    )
    pg.ops.create_foreign_key(
        "fk_t",
        "t",
        "order",
        ["a"],
        ["id"],
        source_schema="s",
        referent_schema="r",
        onupdate="CASCADE",
        ondelete="SET NULL",
        deferrable=True,
        initially="IMMEDIATE",
        match="FULL",
    )
    pg.ops.create_foreign_key("fk_self", "t", "t", ["parent"], ["id"])
    pg.ops.create_check_constraint("ck_t", "t", "a > 0 AND b <> 'x'", schema="s")
    pg.ops.create_check_constraint("ck_e", "t", sa.column("a") > 5)
    pg.ops.create_exclude_constraint(
        "ex_t", "t", ("period", "&&"), ("room", "="), where="active", using="gist"
    )
    assert pg.statements == [
        "ALTER TABLE s.t ADD CONSTRAINT pk_t PRIMARY KEY (a, b)",
        "ALTER TABLE s.t ADD CONSTRAINT uq_t UNIQUE (a) DEFERRABLE INITIALLY DEFERRED",
        'ALTER TABLE s.t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES r."order" (id) '
        "MATCH FULL ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY IMMEDIATE",
        "ALTER TABLE t ADD CONSTRAINT fk_self FOREIGN KEY(parent) REFERENCES t (id)",
        "ALTER TABLE s.t ADD CONSTRAINT ck_t CHECK (a > 0 AND b <> 'x')",
        "ALTER TABLE t ADD CONSTRAINT ck_e CHECK (a > 5)",
        "ALTER TABLE t ADD CONSTRAINT ex_t EXCLUDE USING gist (period WITH &&, room WITH =) "
        "WHERE (active)",
    ]


@pytest.mark.parametrize("kind", ["foreignkey", "unique", "check", "primary", None])
def test_drop_constraint_is_the_same_for_every_kind(pg, kind) -> None:  # type: ignore[no-untyped-def]
    pg.ops.drop_constraint("c_1", "t", kind, schema="s")
    pg.ops.drop_constraint("c_2", "t", kind, if_exists=True)
    assert pg.statements == [
        "ALTER TABLE s.t DROP CONSTRAINT c_1",
        "ALTER TABLE t DROP CONSTRAINT IF EXISTS c_2",
    ]


def test_unknown_constraint_type_is_refused(pg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown constraint type 'fk'"):
        pg.ops.drop_constraint("c", "t", "fk")


def test_table_comments(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.create_table_comment("t", "it's", schema="s")
    pg.ops.drop_table_comment("t", schema="s")
    assert pg.statements == ["COMMENT ON TABLE s.t IS 'it''s'", "COMMENT ON TABLE s.t IS NULL"]


def test_enum_types(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.create_enum_type("mood", ["a", "b"], schema="s")
    pg.ops.add_enum_value("mood", "c", after="b", schema="s")
    pg.ops.add_enum_value("mood", "0", before="a", if_not_exists=False)
    pg.ops.drop_enum_type("mood", if_exists=True)
    pg.ops.drop_enum_type("mood", schema="s")
    assert pg.statements == [
        "CREATE TYPE s.mood AS ENUM ('a', 'b')",
        "ALTER TYPE s.mood ADD VALUE IF NOT EXISTS 'c' AFTER 'b'",
        "ALTER TYPE mood ADD VALUE '0' BEFORE 'a'",
        "DROP TYPE IF EXISTS mood",
        "DROP TYPE s.mood",
    ]


def test_add_enum_value_before_and_after_is_refused(pg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="before or after, not both"):
        pg.ops.add_enum_value("mood", "c", before="a", after="b")


def test_execute_and_bulk_insert(pg) -> None:  # type: ignore[no-untyped-def]
    t = sa.table("t", sa.column("a", sa.Integer), sa.column("b", sa.String))
    pg.ops.execute("UPDATE t SET b = '100%' WHERE b = ':x'")
    pg.ops.execute(t.update().values(b=pg.ops.inline_literal("x'y")).where(t.c.a == 1))
    pg.ops.bulk_insert(t, [{"a": 1, "b": "x"}, {"a": 2, "b": None}])
    pg.ops.bulk_insert(t, [{"a": 3}, {"a": 4, "b": "y"}])
    pg.ops.bulk_insert(t, [{"a": 5, "b": sa.func.upper("z")}])
    pg.ops.bulk_insert(t, [])
    assert pg.statements == [
        "UPDATE t SET b = '100%' WHERE b = ':x'",
        "UPDATE t SET b='x''y' WHERE t.a = 1",
        "INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL)",
        "INSERT INTO t (a) VALUES (3)",
        "INSERT INTO t (a, b) VALUES (4, 'y')",
        "INSERT INTO t (a, b) VALUES (5, upper('z'))",
    ]


def test_bulk_insert_of_a_created_table_renders_typed_values(pg) -> None:  # type: ignore[no-untyped-def]
    import datetime

    table = pg.ops.create_table(
        "ev", sa.Column("at", sa.Date), sa.Column("ok", sa.Boolean), sa.Column("n", sa.Numeric)
    )
    pg.ops.bulk_insert(table, [{"at": datetime.date(2024, 2, 29), "ok": True, "n": 1.5}])
    assert pg.statements[-1] == "INSERT INTO ev (at, ok, n) VALUES ('2024-02-29', true, 1.5)"


def test_offline_errors_are_ddl_ops_errors(pg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DDLOpsError, match="no database connection in offline"):
        pg.ops.get_bind()


def test_create_table_with_two_foreign_keys_to_one_table(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.create_table(
        "transfer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Integer, sa.ForeignKey("account.id")),
        sa.Column("source_code", sa.String(8), sa.ForeignKey("account.code")),
    )
    (statement,) = pg.statements
    assert "FOREIGN KEY(source) REFERENCES account (id)" in statement
    assert "FOREIGN KEY(source_code) REFERENCES account (code)" in statement


def test_column_sequence_is_created_before_its_table_and_column_once(pg) -> None:  # type: ignore[no-untyped-def]
    """Parity finding: a column `sa.Sequence` was never created (Alembic skips it too), so
    inserts failed; create_all creates it, and so do create_table and add_column now."""
    seq = sa.Sequence("order_no_seq")
    pg.ops.create_table("t", sa.Column("id", sa.Integer, seq, primary_key=True))
    pg.ops.add_column("u", sa.Column("no", sa.Integer, sa.Sequence("order_no_seq")))
    pg.ops.add_column("u", sa.Column("other", sa.Integer, sa.Sequence("other_seq")))
    assert [s for s in pg.statements if "SEQUENCE" in s] == [
        "CREATE SEQUENCE order_no_seq",
        "CREATE SEQUENCE other_seq",
    ]
    assert pg.statements[0] == "CREATE SEQUENCE order_no_seq"
    assert "CREATE TABLE t" in pg.statements[1]


def test_optional_column_sequence_is_left_to_the_database(pg) -> None:  # type: ignore[no-untyped-def]
    pg.ops.create_table("t", sa.Column("id", sa.Integer, sa.Sequence("s", optional=True)))
    assert not [s for s in pg.statements if "SEQUENCE" in s]
