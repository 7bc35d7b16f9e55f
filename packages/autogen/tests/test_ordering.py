"""Operations come out in an order every database accepts, and so does their reverse."""

import sqlalchemy as sa

import ddl_ops
from migrate_autogen.ordering import order_operations


def test_phases_bracket_the_per_table_work() -> None:
    ops = [
        ddl_ops.DropTableOp("old"),
        ddl_ops.CreateForeignKeyOp("fk_a_new", "a", "new", ["new_id"], ["id"]),
        ddl_ops.CreateIndexOp("ix_a_x", "a", ["x"]),
        ddl_ops.AddColumnOp("a", sa.Column("x", sa.Integer)),
        ddl_ops.DropIndexOp("ix_b_y", "b"),
        ddl_ops.DropConstraintOp("fk_b_old", "b", "foreignkey"),
        ddl_ops.DropColumnOp("a", "y"),
        ddl_ops.AlterColumnOp("b", "z", nullable=False),
        ddl_ops.CreateTableOp("new", [sa.Column("id", sa.Integer, primary_key=True)]),
        ddl_ops.DropEnumTypeOp("mood"),
        ddl_ops.CreateEnumTypeOp("tone", ["a"]),
    ]
    ordered = [
        (type(op).__name__, getattr(op, "table_name", None) or getattr(op, "name", None))
        for op in order_operations(ops)
    ]
    assert ordered == [
        ("CreateEnumTypeOp", "tone"),
        ("CreateTableOp", "new"),
        ("DropConstraintOp", "b"),
        ("DropTableOp", "old"),  # before the per-table work (MySQL error 1833)
        ("AddColumnOp", "a"),
        ("DropColumnOp", "a"),
        ("CreateIndexOp", "a"),
        ("DropIndexOp", "b"),
        ("AlterColumnOp", "b"),
        ("CreateForeignKeyOp", "a"),
        ("DropEnumTypeOp", "mood"),
    ]
