"""Exact SQL on MySQL and MariaDB, including where the two differ."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from ddl_ops import MissingInformation, OperationNotSupported, Operations
from ddl_ops.dialects import get_dialect_impl


@pytest.fixture(params=["mysql", "mariadb"])
def my(request, record):  # type: ignore[no-untyped-def]
    return record(request.param)


@pytest.fixture
def mysql(record):  # type: ignore[no-untyped-def]
    return record("mysql")


@pytest.fixture
def mariadb(record):  # type: ignore[no-untyped-def]
    return record("mariadb")


def test_add_column_with_fk_and_inline_comment(my) -> None:  # type: ignore[no-untyped-def]
    my.ops.add_column(
        "order",
        sa.Column(
            "user", sa.Integer, sa.ForeignKey("s.user.id", ondelete="CASCADE"), comment="who"
        ),
        schema="s",
    )
    assert my.statements == [
        "ALTER TABLE s.`order` ADD COLUMN user INTEGER COMMENT 'who', "
        "ADD FOREIGN KEY(user) REFERENCES s.user (id) ON DELETE CASCADE",
    ]


def test_text_default_is_an_expression_on_mysql_only(mysql, mariadb) -> None:  # type: ignore[no-untyped-def]
    for rec in (mysql, mariadb):
        rec.ops.add_column("t", sa.Column("note", sa.Text, server_default="x", nullable=False))
        rec.ops.create_table("u", sa.Column("j", sa.JSON, server_default=sa.text("'[]'")))
        rec.ops.alter_column("t", "note", server_default="y", existing_type=sa.Text)
    assert mysql.statements == [
        "ALTER TABLE t ADD COLUMN note TEXT NOT NULL DEFAULT ('x')",
        "CREATE TABLE u (\n\tj JSON DEFAULT ('[]')\n)",
        "ALTER TABLE t ALTER COLUMN note SET DEFAULT ('y')",
    ]
    assert mariadb.statements == [
        "ALTER TABLE t ADD COLUMN note TEXT NOT NULL DEFAULT 'x'",
        "CREATE TABLE u (\n\tj JSON DEFAULT '[]'\n)",
        "ALTER TABLE t ALTER COLUMN note SET DEFAULT 'y'",
    ]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"nullable": False}, ["ALTER TABLE t MODIFY c INTEGER NOT NULL"]),
        (
            {"type_": sa.BigInteger(), "existing_nullable": False},
            ["ALTER TABLE t MODIFY c BIGINT NOT NULL"],
        ),
        (
            {"comment": "it's", "existing_nullable": True},
            ["ALTER TABLE t MODIFY c INTEGER COMMENT 'it''s'"],
        ),
        (
            {"comment": None, "existing_nullable": True, "existing_comment": "old"},
            ["ALTER TABLE t MODIFY c INTEGER"],
        ),
        ({"server_default": "5"}, ["ALTER TABLE t ALTER COLUMN c SET DEFAULT '5'"]),
        ({"server_default": None}, ["ALTER TABLE t ALTER COLUMN c DROP DEFAULT"]),
        ({"new_column_name": "d"}, ["ALTER TABLE t RENAME COLUMN c TO d"]),
        (
            {
                "nullable": True,
                "type_": sa.String(20),
                "server_default": "a",
                "new_column_name": "d",
                "comment": "k",
            },
            ["ALTER TABLE t CHANGE c d VARCHAR(20) COMMENT 'k' DEFAULT 'a'"],
        ),
        (
            {
                "type_": sa.String(20),
                "existing_nullable": False,
                "existing_server_default": "z",
                "existing_comment": "keep",
            },
            ["ALTER TABLE t MODIFY c VARCHAR(20) NOT NULL COMMENT 'keep' DEFAULT 'z'"],
        ),
    ],
)
def test_alter_column_restates_the_column(my, kwargs, expected) -> None:  # type: ignore[no-untyped-def]
    my.ops.alter_column("t", "c", existing_type=sa.Integer, **kwargs)
    assert my.statements == expected


def test_alter_autoincrement(my) -> None:  # type: ignore[no-untyped-def]
    my.ops.alter_column(
        "t", "id", autoincrement=True, existing_type=sa.Integer, existing_nullable=False
    )
    assert my.statements == ["ALTER TABLE t MODIFY id INTEGER NOT NULL AUTO_INCREMENT"]


def test_restating_needs_existing_type_and_nullability(my) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(
        MissingInformation, match=r"t\.c, and offline.*give existing_type and existing_nullable"
    ):
        my.ops.alter_column("t", "c", comment="x")
    with pytest.raises(MissingInformation, match="give existing_nullable"):
        my.ops.alter_column("t", "c", type_=sa.Integer)


def test_rename_on_old_servers_uses_change(record) -> None:  # type: ignore[no-untyped-def]
    for name, version in (("mysql", (5, 7, 40)), ("mariadb", (10, 4, 1))):
        dialect = get_dialect_impl(name).dialect
        dialect.server_version_info = version
        buf = io.StringIO()
        ops = Operations.for_dialect(dialect, buf)
        ops.alter_column(
            "t", "c", new_column_name="d", existing_type=sa.String(5), existing_nullable=False
        )
        assert buf.getvalue() == "ALTER TABLE t CHANGE c d VARCHAR(5) NOT NULL;\n\n"
        with pytest.raises(MissingInformation, match="to rename t.c"):
            ops.alter_column("t", "c", new_column_name="d")


def test_drop_constraint_by_kind(mysql, mariadb) -> None:  # type: ignore[no-untyped-def]
    for rec in (mysql, mariadb):
        for kind in ("foreignkey", "unique", "check", "primary", None):
            rec.ops.drop_constraint("c_1", "t", kind, schema="s")
    assert mysql.statements == [
        "ALTER TABLE s.t DROP FOREIGN KEY c_1",
        "ALTER TABLE s.t DROP INDEX c_1",
        "ALTER TABLE s.t DROP CHECK c_1",
        "ALTER TABLE s.t DROP PRIMARY KEY",
        "ALTER TABLE s.t DROP CONSTRAINT c_1",
    ]
    assert mariadb.statements == [
        "ALTER TABLE s.t DROP FOREIGN KEY c_1",
        "ALTER TABLE s.t DROP INDEX c_1",
        "ALTER TABLE s.t DROP CONSTRAINT c_1",
        "ALTER TABLE s.t DROP PRIMARY KEY",
        "ALTER TABLE s.t DROP CONSTRAINT c_1",
    ]


def test_drop_constraint_if_exists_only_on_mariadb(mysql, mariadb) -> None:  # type: ignore[no-untyped-def]
    mariadb.ops.drop_constraint("fk_1", "t", "foreignkey", if_exists=True)
    assert mariadb.statements == ["ALTER TABLE t DROP FOREIGN KEY IF EXISTS fk_1"]
    with pytest.raises(OperationNotSupported, match="MySQL has no DROP ... IF EXISTS"):
        mysql.ops.drop_constraint("fk_1", "t", "foreignkey", if_exists=True)


def test_rename_table_keeps_the_schema(my) -> None:  # type: ignore[no-untyped-def]
    my.ops.rename_table("order", "user", schema="s")
    my.ops.rename_table("a", "b")
    assert my.statements == ["ALTER TABLE s.`order` RENAME TO s.user", "ALTER TABLE a RENAME TO b"]


def test_tables_indexes_constraints_comments(my) -> None:  # type: ignore[no-untyped-def]
    my.ops.create_table(
        "user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mood", sa.Enum("a", "b", name="mood")),
        schema="s",
        comment="users",
        mysql_engine="InnoDB",
        mariadb_engine="InnoDB",
    )
    my.ops.create_index(
        "ix_1", "t", ["a", "b"], unique=True, mysql_length={"b": 10}, mariadb_length={"b": 10}
    )
    my.ops.drop_index("ix_1", "t", schema="s")
    my.ops.create_primary_key("pk_t", "t", ["a"])
    my.ops.create_unique_constraint("uq_t", "t", ["a"])
    my.ops.create_foreign_key("fk_t", "t", "p", ["a"], ["id"], ondelete="CASCADE")
    my.ops.create_check_constraint("ck_t", "t", "a > 0")
    my.ops.create_table_comment("t", "it's")
    my.ops.drop_table_comment("t")
    my.ops.drop_table("t")
    assert my.statements == [
        "CREATE TABLE s.user (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n"
        "\tmood ENUM('a','b'), \n\tPRIMARY KEY (id)\n)ENGINE=InnoDB COMMENT='users'",
        "CREATE UNIQUE INDEX ix_1 ON t (a, b(10))",
        "DROP INDEX ix_1 ON s.t",
        "ALTER TABLE t ADD CONSTRAINT pk_t PRIMARY KEY (a)",
        "ALTER TABLE t ADD CONSTRAINT uq_t UNIQUE (a)",
        "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES p (id) ON DELETE CASCADE",
        "ALTER TABLE t ADD CONSTRAINT ck_t CHECK (a > 0)",
        "ALTER TABLE t COMMENT 'it''s'",
        "ALTER TABLE t COMMENT ''",
        "DROP TABLE t",
    ]


def test_no_enum_types_or_exclude_constraints(my) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OperationNotSupported, match="enum types are a PostgreSQL feature"):
        my.ops.create_enum_type("mood", ["a"])
    with pytest.raises(OperationNotSupported, match="EXCLUDE constraints"):
        my.ops.create_exclude_constraint("ex", "t", ("a", "="))


def test_mysql_ddl_is_not_transactional(my) -> None:  # type: ignore[no-untyped-def]
    with my.ops.autocommit_block():
        my.ops.execute("SELECT 1")
    assert my.statements == ["SELECT 1"]


def test_function_default_is_parenthesized_in_set_default(mysql, mariadb) -> None:  # type: ignore[no-untyped-def]
    for rec in (mysql, mariadb):
        rec.ops.alter_column("t", "c", server_default=sa.func.uuid(), existing_type=sa.String(36))
        rec.ops.alter_column("t", "d", server_default=sa.text("now()"), existing_type=sa.DateTime)
        rec.ops.alter_column("t", "n", server_default="7", existing_type=sa.Integer)
    for rec in (mysql, mariadb):
        assert rec.statements == [
            "ALTER TABLE t ALTER COLUMN c SET DEFAULT (uuid())",
            "ALTER TABLE t ALTER COLUMN d SET DEFAULT now()",
            "ALTER TABLE t ALTER COLUMN n SET DEFAULT '7'",
        ]


def test_drop_index_without_its_table_is_refused(my) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MissingInformation, match=r"op.drop_index\('ix_1', table_name="):
        my.ops.drop_index("ix_1")
    assert my.text == ""
