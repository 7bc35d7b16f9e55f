"""Batch rendering by default on SQLite: which ops carry the dialect, and what wins."""

from __future__ import annotations

import sqlalchemy as sa

import ddl_ops
from migrate_autogen import (
    MigrationScript,
    compare_metadata,
    produce_migrations,
    render_migration_script,
    render_python_code,
)
from migrate_autogen.ordering import order_operations
from migrate_autogen.script import OperationList


def _sqlite_ops() -> OperationList:
    ops = OperationList(
        [
            ddl_ops.AlterColumnOp(
                "t", "a", nullable=False, existing_type=sa.Integer(), existing_nullable=True
            )
        ]
    )
    ops.dialect_name = "sqlite"
    return ops


def test_ops_compared_on_sqlite_render_in_batch_unless_told_otherwise() -> None:
    assert render_python_code(_sqlite_ops()).startswith(
        "with op.batch_alter_table('t') as batch_op:"
    )
    assert render_python_code(_sqlite_ops(), render_as_batch=False).startswith("op.alter_column(")


def test_a_plain_list_renders_plain_unless_the_dialect_is_given() -> None:
    ops = list(_sqlite_ops())
    assert render_python_code(ops).startswith("op.alter_column(")
    assert "batch_op." in render_python_code(ops, dialect_name="sqlite")
    assert "batch_op." in render_python_code(ops, render_as_batch=True, dialect_name="postgresql")
    assert "batch_op." not in render_python_code(ops, dialect_name="postgresql")


def test_migration_script_keeps_the_dialect_for_both_bodies() -> None:
    script = MigrationScript(upgrade_ops=list(_sqlite_ops()), dialect_name="sqlite")
    script.downgrade_ops = [op.reverse() for op in script.upgrade_ops]
    rendered = render_migration_script(script)
    assert rendered.upgrade.startswith("with op.batch_alter_table('t')")
    assert rendered.downgrade.startswith("with op.batch_alter_table('t')")


def test_compare_and_produce_carry_the_connection_dialect() -> None:
    engine = sa.create_engine("sqlite://")
    m = sa.MetaData()
    sa.Table("t", m, sa.Column("id", sa.Integer, primary_key=True))
    with engine.connect() as conn:
        assert getattr(compare_metadata(conn, m), "dialect_name", None) == "sqlite"
        assert produce_migrations(conn, m).dialect_name == "sqlite"


def test_sqlite_keeps_foreign_keys_in_their_table_block() -> None:
    ops = [
        ddl_ops.CreateForeignKeyOp("fk_a_b", "a", "b", ["b_id"], ["id"]),
        ddl_ops.AlterColumnOp("a", "x", nullable=False),
        ddl_ops.AlterColumnOp("c", "y", nullable=False),
        ddl_ops.DropConstraintOp("fk_a_old", "a", "foreignkey"),
    ]
    names = [type(op).__name__ + ":" + op.table_name for op in order_operations(ops)]
    assert names[0] == "DropConstraintOp:a" and names[-1] == "CreateForeignKeyOp:a"
    grouped = [
        type(op).__name__ + ":" + op.table_name
        for op in order_operations(ops, foreign_keys_in_table_block=True)
    ]
    assert grouped == [
        "DropConstraintOp:a",
        "AlterColumnOp:a",
        "CreateForeignKeyOp:a",
        "AlterColumnOp:c",
    ]


def test_an_unnamed_foreign_key_is_dropped_by_the_block_naming_convention() -> None:
    m = sa.MetaData()
    sa.Table("account", m, sa.Column("id", sa.Integer, primary_key=True))
    item = sa.Table("item", m, sa.Column("account_id", sa.ForeignKey("account.id")))
    fk = next(iter(item.foreign_key_constraints))
    op = ddl_ops.DropConstraintOp.from_constraint(fk)
    code = render_python_code([op], render_as_batch=True)
    assert code.splitlines() == [
        "with op.batch_alter_table('item', naming_convention={'fk': "
        "'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s'}) as batch_op:",
        "    batch_op.drop_constraint('fk_item_account_id_account', type_='foreignkey')",
    ]


def test_tables_are_dropped_after_the_foreign_keys_pointing_at_them() -> None:
    """Alembic drops 'note' first on SQLite; the batch block for 'order_line' then fails."""
    ops = [
        ddl_ops.DropTableOp("note"),
        ddl_ops.DropConstraintOp("fk_order_line_note_id_note", "order_line", "foreignkey"),
    ]
    for grouped in (False, True):
        ordered = order_operations(ops, foreign_keys_in_table_block=grouped)
        assert [type(op).__name__ for op in ordered] == ["DropConstraintOp", "DropTableOp"]
