"""Exact SQL on SQL Server (no server here: the T-SQL is checked as text)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ddl_ops import MissingInformation


@pytest.fixture
def ms(record):  # type: ignore[no-untyped-def]
    return record("mssql")


def drop_bound(kind_table: str, table: str, column: str) -> str:
    queries = {
        "default": "SELECT @const_name = [name] FROM sys.default_constraints "
        f"WHERE parent_object_id = OBJECT_ID('{table}') "
        f"AND col_name(parent_object_id, parent_column_id) = '{column}'",
        "check": "SELECT @const_name = [name] FROM sys.check_constraints "
        f"WHERE parent_object_id = OBJECT_ID('{table}') "
        f"AND col_name(parent_object_id, parent_column_id) = '{column}'",
        "foreignkey": "SELECT @const_name = fk.[name] FROM sys.foreign_keys fk "
        "JOIN sys.foreign_key_columns fkc ON fk.object_id = fkc.constraint_object_id "
        f"WHERE fkc.parent_object_id = OBJECT_ID('{table}') "
        f"AND col_name(fkc.parent_object_id, fkc.parent_column_id) = '{column}'",
    }
    return (
        "DECLARE @const_name NVARCHAR(256);\n"
        f"{queries[kind_table]};\n"
        f"IF @const_name IS NOT NULL EXEC('ALTER TABLE {table} DROP CONSTRAINT ' "
        "+ QUOTENAME(@const_name))"
    )


def test_every_statement_is_its_own_batch(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.drop_table("a")
    ms.ops.drop_table("b")
    assert ms.text == "DROP TABLE a;\nGO\n\nDROP TABLE b;\nGO\n\n"


def test_add_column_uses_add_without_column(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.add_column("order", sa.Column("user", sa.Integer, server_default="0"), schema="s")
    assert ms.statements == ["ALTER TABLE s.[order] ADD [user] INTEGER NULL DEFAULT '0'"]


def test_drop_column_drops_its_default_first(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.drop_column("t", "c", schema="s")
    assert ms.statements == [drop_bound("default", "s.t", "c"), "ALTER TABLE s.t DROP COLUMN c"]


def test_drop_column_can_drop_bound_checks_and_foreign_keys(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.drop_column("order", "c", mssql_drop_check=True, mssql_drop_foreign_key=True)
    assert ms.statements == [
        drop_bound("default", "[order]", "c"),
        drop_bound("check", "[order]", "c"),
        drop_bound("foreignkey", "[order]", "c"),
        "ALTER TABLE [order] DROP COLUMN c",
    ]


def test_alter_nullability_restates_the_type(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.alter_column("t", "c", nullable=False, existing_type=sa.Integer)
    ms.ops.alter_column("t", "c", type_=sa.BigInteger, existing_nullable=True)
    assert ms.statements == [
        "ALTER TABLE t ALTER COLUMN c INTEGER NOT NULL",
        "ALTER TABLE t ALTER COLUMN c BIGINT NULL",
    ]


def test_alter_without_type_or_nullability_is_refused(ms) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MissingInformation, match="give existing_type and existing_nullable"):
        ms.ops.alter_column("t", "c", nullable=False)


def test_defaults_are_dropped_by_looking_up_their_constraint(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.alter_column("t", "c", server_default="5", existing_type=sa.Integer)
    ms.ops.alter_column("t", "c", server_default=None)
    assert ms.statements == [
        drop_bound("default", "t", "c"),
        "ALTER TABLE t ADD DEFAULT '5' FOR c",
        drop_bound("default", "t", "c"),
    ]


def test_type_change_moves_an_existing_default_out_of_the_way(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.alter_column(
        "t",
        "c",
        type_=sa.String(10),
        existing_type=sa.Integer,
        existing_nullable=False,
        existing_server_default="0",
    )
    assert ms.statements == [
        drop_bound("default", "t", "c"),
        "ALTER TABLE t ALTER COLUMN c VARCHAR(10) NOT NULL",
        "ALTER TABLE t ADD DEFAULT '0' FOR c",
    ]


def test_renames_use_sp_rename(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.alter_column("user", 'weird "name"', new_column_name="order")
    ms.ops.alter_column("t", "c", new_column_name="d", schema="s")
    ms.ops.rename_table("order", "user", schema="s")
    assert ms.statements == [
        "EXEC sp_rename '[user].[weird \"name\"]', 'order', 'COLUMN'",
        "EXEC sp_rename 's.t.[c]', 'd', 'COLUMN'",
        "EXEC sp_rename 's.[order]', 'user'",
    ]


def test_comments_use_extended_properties(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.alter_column("t", "c", comment="it's", existing_type=sa.Integer)
    ms.ops.alter_column("t", "c", comment="new", existing_comment="old")
    ms.ops.create_table_comment("t", "tc", schema="s")
    ms.ops.drop_table_comment("t", schema="s")
    assert ms.statements == [
        "execute sp_addextendedproperty 'MS_Description', N'it''s', "
        "'schema', dbo, 'table', t, 'column', c",
        "execute sp_dropextendedproperty 'MS_Description', 'schema', dbo, 'table', t, 'column', c",
        "execute sp_addextendedproperty 'MS_Description', N'new', "
        "'schema', dbo, 'table', t, 'column', c",
        "execute sp_addextendedproperty 'MS_Description', N'tc', 'schema', s, 'table', t",
        "execute sp_dropextendedproperty 'MS_Description', 'schema', s, 'table', t",
    ]


def test_tables_indexes_and_constraints(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.create_table(
        "user", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.String(5))
    )
    ms.ops.create_index("ix_1", "t", ["a"], mssql_include=["b"], schema="s")
    ms.ops.drop_index("ix_1", "t", schema="s")
    ms.ops.create_foreign_key("fk_t", "t", "p", ["a"], ["id"], ondelete="CASCADE")
    ms.ops.drop_constraint("fk_t", "t", "foreignkey")
    ms.ops.drop_table("user")
    assert ms.statements == [
        "CREATE TABLE [user] (\n\tid INTEGER NOT NULL IDENTITY, \n\tx VARCHAR(5) NULL, \n"
        "\tPRIMARY KEY (id)\n)",
        "CREATE INDEX ix_1 ON s.t (a) INCLUDE (b)",
        "DROP INDEX ix_1 ON s.t",
        "ALTER TABLE t ADD CONSTRAINT fk_t FOREIGN KEY(a) REFERENCES p (id) ON DELETE CASCADE",
        "ALTER TABLE t DROP CONSTRAINT fk_t",
        "DROP TABLE [user]",
    ]


def test_autocommit_block_offline(ms) -> None:  # type: ignore[no-untyped-def]
    with ms.ops.autocommit_block():
        ms.ops.execute("ALTER DATABASE x SET READ_COMMITTED_SNAPSHOT ON")
    assert ms.statements == [
        "COMMIT",
        "ALTER DATABASE x SET READ_COMMITTED_SNAPSHOT ON",
        "BEGIN TRANSACTION",
    ]


def test_odd_names_are_escaped_inside_the_tsql_strings(ms) -> None:  # type: ignore[no-untyped-def]
    ms.ops.drop_column("it's", "c'x]", schema="my schema")
    ms.ops.alter_column("it's", "c'x]", new_column_name="n]ew", schema="my schema")
    assert ms.statements == [
        "DECLARE @const_name NVARCHAR(256);\n"
        "SELECT @const_name = [name] FROM sys.default_constraints "
        "WHERE parent_object_id = OBJECT_ID('[my schema].[it''s]') "
        "AND col_name(parent_object_id, parent_column_id) = 'c''x]';\n"
        "IF @const_name IS NOT NULL EXEC('ALTER TABLE [my schema].[it''s] DROP CONSTRAINT ' "
        "+ QUOTENAME(@const_name))",
        "ALTER TABLE [my schema].[it's] DROP COLUMN [c'x]]]",
        "EXEC sp_rename '[my schema].[it''s].[c''x]]]', 'n]ew', 'COLUMN'",
    ]


def test_bulk_insert_into_identity_columns_switches_identity_insert(ms) -> None:  # type: ignore[no-untyped-def]
    table = ms.ops.create_table(
        "order", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.String(5))
    )
    ms.ops.bulk_insert(table, [{"id": 1, "x": "a"}, {"id": 2, "x": "b"}])
    ms.ops.bulk_insert(table, [{"x": "c"}])
    assert ms.statements[1:] == [
        "SET IDENTITY_INSERT [order] ON",
        "INSERT INTO [order] (id, x) VALUES (1, 'a'), (2, 'b')",
        "SET IDENTITY_INSERT [order] OFF",
        "INSERT INTO [order] (x) VALUES ('c')",
    ]


def test_drop_index_without_its_table_is_refused(ms) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MissingInformation, match="mssql drops an index through its table"):
        ms.ops.drop_index("ix_1")
    assert ms.text == ""
