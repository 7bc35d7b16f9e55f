"""Operation objects: plain data, `from_*`/`to_*` round trips, and `reverse()`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from ddl_ops import (
    UNSET,
    AddColumnOp,
    AddEnumValueOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateEnumTypeOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropEnumTypeOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    MigrateOperation,
    MissingInformation,
    RenameTableOp,
)


@pytest.fixture
def tables() -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    parent = sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="s")
    child = sa.Table(
        "child",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.ForeignKey("s.parent.id", ondelete="CASCADE")),
        sa.Column("name", sa.String(20), unique=True),
        sa.Column("n", sa.Integer, index=True),
        sa.UniqueConstraint("name", "n", name="uq_name_n"),
        sa.CheckConstraint("n > 0", name="ck_n"),
        sa.Index("ix_lower", sa.func.lower(sa.column("name"))),
        comment="kids",
    )
    return {"parent": parent, "child": child}


def test_every_operation_is_a_migrate_operation_with_table_and_schema() -> None:
    op = AddColumnOp("t", sa.Column("c", sa.Integer), schema="s")
    assert isinstance(op, MigrateOperation)
    assert (op.table_name, op.schema) == ("t", "s")
    fk = CreateForeignKeyOp("fk", "src", "ref", ["a"], ["id"], source_schema="s1")
    assert (fk.table_name, fk.schema, fk.source_table, fk.source_schema) == (
        "src",
        "s1",
        "src",
        "s1",
    )


def test_operations_compare_as_data() -> None:
    assert DropColumnOp("t", "c") == DropColumnOp("t", "c")
    assert DropColumnOp("t", "c") != DropColumnOp("t", "d")
    assert AlterColumnOp("t", "c", type_=sa.Integer) == AlterColumnOp("t", "c", type_=sa.Integer())
    assert " server_default=" not in repr(AlterColumnOp("t", "c", nullable=True))


def test_add_and_drop_column_reverse_each_other() -> None:
    column = sa.Column("c", sa.Integer)
    add = AddColumnOp("t", column, schema="s")
    drop = add.reverse()
    assert (drop.table_name, drop.column_name, drop.schema) == ("t", "c", "s")
    assert drop.reverse().column is column
    with pytest.raises(MissingInformation, match="dropping column t.c"):
        DropColumnOp("t", "c").reverse()


def test_alter_column_reverse_uses_the_existing_hints() -> None:
    op = AlterColumnOp(
        "t",
        "c",
        nullable=False,
        type_=sa.BigInteger(),
        server_default="1",
        new_column_name="d",
        comment="new",
        existing_type=sa.Integer(),
        existing_nullable=True,
        existing_server_default=None,
        existing_comment="old",
    )
    back = op.reverse()
    assert back.column_name == "d" and back.new_column_name == "c"
    assert back.nullable is True and isinstance(back.type_, sa.Integer)
    assert back.server_default is None and back.comment == "old"
    assert isinstance(back.existing_type, sa.BigInteger) and back.existing_nullable is False
    assert back.reverse().server_default == "1"
    untouched = AlterColumnOp("t", "c", nullable=True, existing_nullable=False).reverse()
    assert untouched.server_default is UNSET and untouched.comment is UNSET
    with pytest.raises(MissingInformation, match="give existing_nullable and existing_type"):
        AlterColumnOp("t", "c", nullable=True, type_=sa.Integer).reverse()


def test_create_table_from_and_to_table(tables) -> None:  # type: ignore[no-untyped-def]
    child = tables["child"]
    op = CreateTableOp.from_table(child)
    assert (op.table_name, op.schema, op.comment) == ("child", None, "kids")
    names = {getattr(item, "name", None) for item in op.columns}
    assert {"id", "parent_id", "name", "n", "uq_name_n", "ck_n", "ix_lower"} <= names
    first, second = op.to_table(), op.to_table()
    assert first is not second and first.metadata is not second.metadata
    assert [c.name for c in first.columns] == ["id", "parent_id", "name", "n"]
    assert {i.name for i in first.indexes} == {"ix_lower", "ix_child_n"}
    drop = op.reverse()
    assert isinstance(drop, DropTableOp) and drop.reverse().table_name == "child"


def test_create_table_from_columns_can_be_built_twice() -> None:
    op = CreateTableOp("t", [sa.Column("id", sa.Integer, primary_key=True)], schema="s")
    assert op.to_table().fullname == "s.t"
    assert op.to_table().fullname == "s.t"


def test_drop_table_reverse_needs_the_table(tables) -> None:  # type: ignore[no-untyped-def]
    assert DropTableOp.from_table(tables["parent"]).reverse().schema == "s"
    with pytest.raises(MissingInformation, match="dropping table t"):
        DropTableOp("t").reverse()


def test_rename_table_reverse() -> None:
    back = RenameTableOp("a", "b", schema="s").reverse()
    assert (back.old_table_name, back.new_table_name, back.schema) == ("b", "a", "s")


def test_index_round_trip(tables) -> None:  # type: ignore[no-untyped-def]
    index = next(i for i in tables["child"].indexes if i.name == "ix_child_n")
    create = CreateIndexOp.from_index(index)
    assert (create.index_name, create.table_name, create.columns) == ("ix_child_n", "child", ["n"])
    drop = create.reverse()
    assert isinstance(drop, DropIndexOp) and drop.index_name == "ix_child_n"
    again = drop.reverse()
    assert (again.index_name, again.columns, again.unique) == ("ix_child_n", ["n"], False)
    with pytest.raises(MissingInformation, match="dropping index ix"):
        DropIndexOp("ix").reverse()
    assert CreateIndexOp(None, "t", ["a"]).reverse().index_name == "ix_t_a"


def test_index_on_model_expressions_builds_on_its_own_table(tables) -> None:  # type: ignore[no-untyped-def]
    child = tables["child"]
    model_index = sa.Index("ix_recent", child.c.n.desc(), sa.func.coalesce(child.c.name, ""))
    create = CreateIndexOp.from_index(model_index)
    built = create.to_index()
    assert built.table is not child and built.table is not None
    sql = str(sa.schema.CreateIndex(built).compile(dialect=postgresql.dialect()))
    assert sql == "CREATE INDEX ix_recent ON child (n DESC, coalesce(name, ''))"
    assert create.reverse().reverse().to_index().name == "ix_recent"


def test_check_on_model_columns_leaves_the_model_alone(tables) -> None:  # type: ignore[no-untyped-def]
    child = tables["child"]
    before = {c.name for c in child.constraints}
    create = CreateCheckConstraintOp("ck_n_small", "child", child.c.n < 100)
    check = create.to_constraint()
    create.reverse()
    assert {c.name for c in child.constraints} == before
    assert check.table is not child
    sql = str(sa.schema.AddConstraint(check).compile(dialect=postgresql.dialect()))
    assert sql == "ALTER TABLE child ADD CONSTRAINT ck_n_small CHECK (n < 100)"


@pytest.mark.parametrize(
    ("op_class", "name", "kind"),
    [
        (CreateUniqueConstraintOp, "uq_name_n", "unique"),
        (CreateCheckConstraintOp, "ck_n", "check"),
    ],
)
def test_constraint_round_trips(tables, op_class, name, kind) -> None:  # type: ignore[no-untyped-def]
    constraint = next(c for c in tables["child"].constraints if c.name == name)
    create = op_class.from_constraint(constraint)
    drop = create.reverse()
    assert isinstance(drop, DropConstraintOp)
    assert (drop.constraint_name, drop.table_name, drop.constraint_type) == (name, "child", kind)
    assert type(drop.reverse()) is op_class


def test_foreign_key_round_trip(tables) -> None:  # type: ignore[no-untyped-def]
    fk = next(iter(tables["child"].foreign_key_constraints))
    create = CreateForeignKeyOp.from_constraint(fk)
    assert (create.referent_table, create.referent_schema) == ("parent", "s")
    assert (create.local_cols, create.remote_cols, create.ondelete) == (
        ["parent_id"],
        ["id"],
        "CASCADE",
    )
    built = create.to_constraint()
    assert built.elements[0].target_fullname == "s.parent.id"


def test_primary_key_round_trip() -> None:
    op = CreatePrimaryKeyOp("pk_t", "t", ["a", "b"], schema="s")
    drop = op.reverse()
    assert drop.constraint_type == "primary"
    assert drop.reverse() == CreatePrimaryKeyOp("pk_t", "t", ["a", "b"], schema="s")


def test_drop_constraint_without_existing_cannot_reverse() -> None:
    with pytest.raises(MissingInformation, match="dropping constraint c on t"):
        DropConstraintOp("c", "t", "check").reverse()


def test_comment_reverses() -> None:
    first = CreateTableCommentOp("t", "new")
    assert isinstance(first.reverse(), DropTableCommentOp)
    change = CreateTableCommentOp("t", "new", existing_comment="old").reverse()
    assert isinstance(change, CreateTableCommentOp) and change.comment == "old"
    assert DropTableCommentOp("t", existing_comment="old").reverse().comment == "old"
    with pytest.raises(MissingInformation):
        DropTableCommentOp("t").reverse()


def test_enum_reverses() -> None:
    drop = CreateEnumTypeOp("mood", ["a", "b"], schema="s").reverse()
    assert isinstance(drop, DropEnumTypeOp) and drop.reverse().values == ["a", "b"]
    with pytest.raises(MissingInformation):
        DropEnumTypeOp("mood").reverse()
    with pytest.raises(NotImplementedError, match="AddEnumValueOp has no reverse"):
        AddEnumValueOp("mood", "c").reverse()


def test_exclude_constraint_round_trip(record) -> None:  # type: ignore[no-untyped-def]
    from ddl_ops import CreateExcludeConstraintOp

    create = CreateExcludeConstraintOp(
        "ex_booking", "booking", [("room", "="), ("during", "&&")], where="active", schema="s"
    )
    drop = create.reverse()
    assert (drop.constraint_name, drop.constraint_type, drop.schema) == (
        "ex_booking",
        "exclude",
        "s",
    )
    again = drop.reverse()
    assert isinstance(again, CreateExcludeConstraintOp)
    pg = record("postgresql")
    pg.ops.invoke(again)
    pg.ops.invoke(drop)
    assert pg.statements == [
        "ALTER TABLE s.booking ADD CONSTRAINT ex_booking EXCLUDE USING gist "
        "(room WITH =, during WITH &&) WHERE (active)",
        "ALTER TABLE s.booking DROP CONSTRAINT ex_booking",
    ]


def test_operations_with_sql_text_compare_by_their_text() -> None:
    assert CreateCheckConstraintOp("ck", "t", sa.text("a > 0")) == CreateCheckConstraintOp(
        "ck", "t", sa.text("a > 0")
    )
    assert CreateCheckConstraintOp("ck", "t", sa.text("a > 0")) != CreateCheckConstraintOp(
        "ck", "t", sa.text("a > 1")
    )
    assert AddColumnOp("t", sa.Column("c", sa.Integer)) == AddColumnOp(
        "t", sa.Column("c", sa.Integer)
    )
    assert AddColumnOp("t", sa.Column("c", sa.Integer)) != AddColumnOp(
        "t", sa.Column("c", sa.String)
    )
