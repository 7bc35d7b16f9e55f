"""compare_metadata on in-memory SQLite: no change when in sync, each change once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

import ddl_ops
from migrate_autogen import (
    AutogenError,
    AutogenWarning,
    compare_metadata,
    produce_migrations,
)

Create = Callable[[sa.Connection, sa.MetaData], None]


def model(extra_column: sa.Column | None = None, **table_kw: object) -> sa.MetaData:
    metadata = sa.MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})
    sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    columns = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, server_default="x"),
        sa.Column("amount", sa.Numeric(10, 2), server_default="0"),
        sa.Column("flag", sa.Boolean, server_default=sa.false()),
        sa.Column("created", sa.DateTime, server_default=sa.func.now()),
        sa.Column("parent_id", sa.ForeignKey("parent.id", ondelete="CASCADE")),
        sa.Column("email", sa.String(100), index=True),
        sa.UniqueConstraint("name", name="uq_item_name"),
        sa.CheckConstraint("amount >= 0", name="ck_item_amount"),
    ]
    if extra_column is not None:
        columns.append(extra_column)
    sa.Table("item", metadata, *columns, **table_kw)
    return metadata


def test_in_sync_is_empty(conn: sa.Connection, create: Create) -> None:
    metadata = model()
    create(conn, metadata)
    assert compare_metadata(conn, metadata) == []


def test_added_table_and_column(conn: sa.Connection, create: Create) -> None:
    create(conn, model())
    wanted = model(sa.Column("note", sa.Text))
    sa.Table("extra", wanted, sa.Column("id", sa.Integer, primary_key=True))
    ops = compare_metadata(conn, wanted)
    assert [type(op).__name__ for op in ops] == ["CreateTableOp", "AddColumnOp"]
    assert ops[1].column.name == "note"


def test_removed_column(conn: sa.Connection, create: Create) -> None:
    create(conn, model(sa.Column("note", sa.Text)))
    ops = compare_metadata(conn, model())
    assert len(ops) == 1
    assert isinstance(ops[0], ddl_ops.DropColumnOp) and ops[0].column_name == "note"
    assert ops[0].existing_column is not None  # so the downgrade can add it back


@pytest.mark.parametrize(
    ("before", "after", "attribute"),
    [
        (sa.Column("note", sa.String(20)), sa.Column("note", sa.String(30)), "type_"),
        (
            sa.Column("note", sa.String(30)),
            sa.Column("note", sa.String(30), nullable=False),
            "nullable",
        ),
        (
            sa.Column("note", sa.String(30), server_default="a"),
            sa.Column("note", sa.String(30), server_default="b"),
            "server_default",
        ),
    ],
)
def test_each_column_change_once(
    conn: sa.Connection, create: Create, before: sa.Column, after: sa.Column, attribute: str
) -> None:
    create(conn, model(before))
    ops = compare_metadata(conn, model(after))
    assert len(ops) == 1
    op = ops[0]
    assert isinstance(op, ddl_ops.AlterColumnOp)
    changed = {
        "type_": op.type_ is not None,
        "nullable": op.nullable is not None,
        "server_default": op.server_default is not ddl_ops.UNSET,
    }
    assert [k for k, v in changed.items() if v] == [attribute]


def test_compare_type_and_default_can_be_turned_off(conn: sa.Connection, create: Create) -> None:
    create(conn, model(sa.Column("note", sa.String(20), server_default="a")))
    wanted = model(sa.Column("note", sa.String(40), server_default="b"))
    assert compare_metadata(conn, wanted, compare_type=False, compare_server_default=False) == []
    assert len(compare_metadata(conn, wanted)) == 1


def test_compare_type_callable_overrides(conn: sa.Connection, create: Create) -> None:
    create(conn, model())
    seen: list[str] = []

    def always_differs(ctx, inspected, meta, inspected_type, meta_type):  # type: ignore[no-untyped-def]
        seen.append(meta.name)
        return meta.name == "email"

    ops = compare_metadata(conn, model(), compare_type=always_differs)
    assert [op.column_name for op in ops] == ["email"]
    assert "name" in seen


def test_index_unique_and_check_changes(conn: sa.Connection, create: Create) -> None:
    create(conn, model())
    wanted = model()
    item = wanted.tables["item"]
    item.indexes.clear()
    sa.Index("ix_item_amount", item.c.amount)
    ops = compare_metadata(conn, wanted)
    assert sorted(type(op).__name__ for op in ops) == ["CreateIndexOp", "DropIndexOp"]


def test_version_table_and_include_hooks(conn: sa.Connection, create: Create) -> None:
    create(conn, model())
    conn.exec_driver_sql("CREATE TABLE migrate_version (version_num VARCHAR(32))")
    conn.exec_driver_sql("CREATE TABLE legacy (id INTEGER)")
    conn.commit()
    ops = compare_metadata(conn, model())
    assert [(type(op).__name__, op.table_name) for op in ops] == [("DropTableOp", "legacy")]
    assert compare_metadata(conn, model(), include_name=lambda n, t, p: n != "legacy") == []
    skip = compare_metadata(conn, model(), include_object=lambda o, n, t, r, c: n != "legacy")
    assert skip == []


def test_unknown_option_is_a_clear_error(conn: sa.Connection) -> None:
    with pytest.raises(TypeError, match="unknown option.*compare_types"):
        compare_metadata(conn, sa.MetaData(), compare_types=True)
    with pytest.raises(AutogenError, match="MetaData"):
        compare_metadata(conn, [object()])  # type: ignore[list-item]


def test_downgrade_is_the_reverse(conn: sa.Connection, create: Create) -> None:
    create(conn, model())
    script = produce_migrations(conn, model(sa.Column("note", sa.Text)))
    assert [type(op).__name__ for op in script.upgrade_ops] == ["AddColumnOp"]
    assert [type(op).__name__ for op in script.downgrade_ops] == ["DropColumnOp"]


def test_unnamed_check_matches_by_condition(conn: sa.Connection) -> None:
    metadata = sa.MetaData()
    sa.Table("c", metadata, sa.Column("x", sa.Integer), sa.CheckConstraint("x > 0"))
    metadata.create_all(conn)
    conn.commit()
    assert compare_metadata(conn, metadata) == []
    wanted = sa.MetaData()
    sa.Table(
        "c",
        wanted,
        sa.Column("x", sa.Integer),
        sa.CheckConstraint("x > 0"),
        sa.CheckConstraint("x < 9", name="small"),
    )
    ops = compare_metadata(conn, wanted)
    assert [(type(op).__name__, op.constraint_name) for op in ops] == [  # type: ignore[attr-defined]
        ("CreateCheckConstraintOp", "small")
    ]


def test_foreign_key_option_change_is_drop_and_create(conn: sa.Connection) -> None:
    def build(ondelete: str | None) -> sa.MetaData:
        metadata = sa.MetaData()
        sa.Table("p", metadata, sa.Column("id", sa.Integer, primary_key=True))
        sa.Table(
            "k",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("p_id", sa.Integer),
            sa.ForeignKeyConstraint(["p_id"], ["p.id"], name="fk_k_p", ondelete=ondelete),
        )
        return metadata

    build(None).create_all(conn)
    conn.commit()
    assert compare_metadata(conn, build(None)) == []
    assert compare_metadata(conn, build("NO ACTION")) == []
    ops = compare_metadata(conn, build("CASCADE"))
    assert [type(op).__name__ for op in ops] == ["DropConstraintOp", "CreateForeignKeyOp"]
    assert ops[1].ondelete == "CASCADE"  # type: ignore[attr-defined]


def test_warning_for_unnamed_constraint_that_cannot_be_dropped(conn: sa.Connection) -> None:
    conn.exec_driver_sql("CREATE TABLE u (a INTEGER, UNIQUE (a))")
    conn.commit()
    wanted = sa.MetaData()
    sa.Table("u", wanted, sa.Column("a", sa.Integer))
    with pytest.warns(AutogenWarning, match="unnamed unique constraint on u"):
        assert compare_metadata(conn, wanted) == []
