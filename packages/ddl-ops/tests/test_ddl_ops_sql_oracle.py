"""Exact SQL on Oracle (no server here: the SQL is checked as text)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa


@pytest.fixture
def ora(record):  # type: ignore[no-untyped-def]
    return record("oracle")


def test_add_and_drop_column(ora) -> None:  # type: ignore[no-untyped-def]
    ora.ops.add_column("user", sa.Column("c", sa.Integer, server_default="0", nullable=False))
    ora.ops.add_column("t", sa.Column("note", sa.String(20), comment="n"), schema="s")
    ora.ops.drop_column("user", "c")
    assert ora.statements == [
        "ALTER TABLE \"user\" ADD c INTEGER DEFAULT '0' NOT NULL",
        "ALTER TABLE s.t ADD note VARCHAR2(20 CHAR)",
        "COMMENT ON COLUMN s.t.note IS 'n'",
        'ALTER TABLE "user" DROP COLUMN c',
    ]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"nullable": False}, ["ALTER TABLE t MODIFY c NOT NULL"]),
        ({"nullable": True}, ["ALTER TABLE t MODIFY c NULL"]),
        ({"type_": sa.BigInteger()}, ["ALTER TABLE t MODIFY c NUMBER(19)"]),
        ({"server_default": "5"}, ["ALTER TABLE t MODIFY c DEFAULT '5'"]),
        ({"server_default": None}, ["ALTER TABLE t MODIFY c DEFAULT NULL"]),
        ({"comment": "it's"}, ["COMMENT ON COLUMN t.c IS 'it''s'"]),
        ({"comment": None}, ["COMMENT ON COLUMN t.c IS ''"]),
        ({"new_column_name": "d"}, ["ALTER TABLE t RENAME COLUMN c TO d"]),
        (
            {"type_": sa.String(20), "server_default": "a", "nullable": False},
            [
                "ALTER TABLE t MODIFY c VARCHAR2(20 CHAR)",
                "ALTER TABLE t MODIFY c DEFAULT 'a'",
                "ALTER TABLE t MODIFY c NOT NULL",
            ],
        ),
    ],
)
def test_alter_column_uses_modify(ora, kwargs, expected) -> None:  # type: ignore[no-untyped-def]
    ora.ops.alter_column("t", "c", existing_type=sa.Integer, **kwargs)
    assert ora.statements == expected


def test_tables_indexes_constraints_comments(ora) -> None:  # type: ignore[no-untyped-def]
    ora.ops.create_table(
        "order", sa.Column("id", sa.Integer, primary_key=True), schema="s", comment="o"
    )
    ora.ops.rename_table("order", "orders", schema="s")
    ora.ops.create_index("ix_1", "t", ["a"], schema="s")
    ora.ops.drop_index("ix_1", "t", schema="s")
    ora.ops.create_check_constraint("ck_t", "t", "a > 0")
    ora.ops.drop_constraint("ck_t", "t", "check")
    ora.ops.create_table_comment("t", "it's")
    ora.ops.drop_table_comment("t")
    assert ora.statements == [
        'CREATE TABLE s."order" (\n\tid INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)',
        "COMMENT ON TABLE s.\"order\" IS 'o'",
        'ALTER TABLE s."order" RENAME TO orders',
        "CREATE INDEX s.ix_1 ON s.t (a)",
        "DROP INDEX s.ix_1",
        "ALTER TABLE t ADD CONSTRAINT ck_t CHECK (a > 0)",
        "ALTER TABLE t DROP CONSTRAINT ck_t",
        "COMMENT ON TABLE t IS 'it''s'",
        "COMMENT ON TABLE t IS ''",
    ]


def test_bulk_insert_is_one_insert_per_row(ora) -> None:  # type: ignore[no-untyped-def]
    t = sa.table("t", sa.column("a", sa.Integer))
    ora.ops.bulk_insert(t, [{"a": 1}, {"a": 2}])
    assert ora.statements == ["INSERT INTO t (a) VALUES (1)", "INSERT INTO t (a) VALUES (2)"]
