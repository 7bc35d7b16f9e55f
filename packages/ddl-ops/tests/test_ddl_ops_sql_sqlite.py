"""Exact SQL on SQLite, and the clear errors for what only batch mode can do."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ddl_ops import OperationNotSupported


@pytest.fixture
def lite(record):  # type: ignore[no-untyped-def]
    return record("sqlite")


def test_add_column_writes_foreign_keys_inline(lite) -> None:  # type: ignore[no-untyped-def]
    lite.ops.add_column(
        "order",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("user.id", ondelete="CASCADE", name="fk_order_user"),
            comment="ignored: SQLite has no comments",
        ),
    )
    lite.ops.add_column("t", sa.Column("c", sa.String(5), index=True))
    assert lite.statements == [
        'ALTER TABLE "order" ADD COLUMN user_id INTEGER '
        "CONSTRAINT fk_order_user REFERENCES user (id) ON DELETE CASCADE",
        "ALTER TABLE t ADD COLUMN c VARCHAR(5)",
        "CREATE INDEX ix_t_c ON t (c)",
    ]


def test_in_place_changes(lite) -> None:  # type: ignore[no-untyped-def]
    lite.ops.drop_column("t", "c")
    lite.ops.alter_column("t", "c", new_column_name="d")
    lite.ops.alter_column("t", "c", comment="no comments in SQLite")
    lite.ops.rename_table("t", "u")
    lite.ops.create_index("ix", "t", ["a"], sqlite_where=sa.text("a IS NOT NULL"))
    lite.ops.drop_index("ix", if_exists=True)
    lite.ops.create_table_comment("t", "skipped")
    assert lite.statements == [
        "ALTER TABLE t DROP COLUMN c",
        "ALTER TABLE t RENAME COLUMN c TO d",
        "ALTER TABLE t RENAME TO u",
        "CREATE INDEX ix ON t (a) WHERE a IS NOT NULL",
        "DROP INDEX IF EXISTS ix",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"nullable": False}, "change a column's nullability"),
        ({"type_": sa.Integer}, "change a column's type"),
        ({"server_default": "1"}, "change a column's server default"),
        ({"server_default": None}, "change a column's server default"),
    ],
)
def test_alter_column_points_to_batch_mode(lite, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OperationNotSupported, match=message) as info:
        lite.ops.alter_column("t", "c", **kwargs)
    assert "batch_alter_table('t')" in str(info.value)
    assert lite.statements == []


def test_constraints_point_to_batch_mode(lite) -> None:  # type: ignore[no-untyped-def]
    calls = [
        lambda: lite.ops.create_primary_key("pk", "t", ["a"]),
        lambda: lite.ops.create_unique_constraint("uq", "t", ["a"]),
        lambda: lite.ops.create_foreign_key("fk", "t", "p", ["a"], ["id"]),
        lambda: lite.ops.create_check_constraint("ck", "t", "a > 0"),
        lambda: lite.ops.drop_constraint("ck", "t", "check"),
        lambda: lite.ops.add_column("t", sa.Column("u", sa.Integer, unique=True)),
    ]
    for call in calls:
        with pytest.raises(OperationNotSupported, match="batch_alter_table"):
            call()
    assert lite.statements == []


def test_autocommit_block_offline_needs_no_commit(lite) -> None:  # type: ignore[no-untyped-def]
    lite.ops.execute("SELECT 1")
    with lite.ops.autocommit_block():
        lite.ops.execute("VACUUM")
    assert lite.statements == ["SELECT 1", "VACUUM"]


def test_autocommit_block_offline_when_the_runner_wraps_sqlite_in_begin() -> None:
    import io

    from ddl_ops import Operations

    buf = io.StringIO()
    ops = Operations.for_dialect("sqlite", buf, transactional_ddl=True)
    with ops.autocommit_block():
        ops.execute("VACUUM")
    assert buf.getvalue() == "COMMIT;\n\nVACUUM;\n\nBEGIN;\n\n"
