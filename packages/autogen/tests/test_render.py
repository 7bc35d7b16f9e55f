"""Rendering operations as Python source: exact text, imports, batch, hooks, rename hints."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import ddl_ops
from migrate_autogen import (
    IrreversibleOperation,
    MigrationScript,
    render_migration_script,
    render_op,
    render_python_code,
    reverse_operations,
)


class Money(sa.types.TypeDecorator):
    impl = sa.Numeric
    cache_ok = True


def test_add_column_exact_text() -> None:
    op = ddl_ops.AddColumnOp(
        "account", sa.Column("balance", sa.Numeric(10, 2), nullable=False, server_default="0")
    )
    assert render_op(op) == "\n".join(
        [
            "op.add_column(",
            "    'account',",
            "    sa.Column('balance', sa.Numeric(precision=10, scale=2), server_default='0', "
            "nullable=False),",
            ")",
        ]
    )


def test_empty_list_is_pass() -> None:
    assert render_python_code([]) == "pass"


def test_alter_column_carries_existing_hints() -> None:
    op = ddl_ops.AlterColumnOp(
        "t", "c", nullable=False, existing_type=sa.String(20), existing_server_default=None
    )
    assert render_op(op) == (
        "op.alter_column('t', 'c', existing_type=sa.String(length=20), nullable=False)"
    )


def test_dialect_type_adds_its_import_and_prefixes_apply() -> None:
    script = MigrationScript(
        upgrade_ops=[ddl_ops.AddColumnOp("t", sa.Column("doc", postgresql.JSONB()))]
    )
    rendered = render_migration_script(script, sqlalchemy_module_prefix="sqla.", op_prefix="o.")
    assert rendered.upgrade == (
        "o.add_column('t', sqla.Column('doc', postgresql.JSONB(astext_type=sqla.Text()), "
        "nullable=True))"
    )
    assert rendered.imports == ["from sqlalchemy.dialects import postgresql"]
    assert rendered.downgrade == "pass"


def test_user_types_use_the_prefix_or_import_their_module() -> None:
    op = ddl_ops.AddColumnOp("t", sa.Column("price", Money()))
    assert "myapp.types.Money()" in render_op(op, user_module_prefix="myapp.types.")
    rendered = render_migration_script(MigrationScript(upgrade_ops=[op]))
    assert f"{__name__}.Money()" in rendered.upgrade
    assert rendered.imports == [f"import {__name__}"]


def test_render_item_hook_replaces_a_type() -> None:
    def hook(kind: str, obj: object, ctx: object) -> str | bool:
        return "my_types.Money()" if kind == "type" and isinstance(obj, Money) else False

    op = ddl_ops.AddColumnOp("t", sa.Column("price", Money()))
    assert "sa.Column('price', my_types.Money()" in render_op(op, render_item=hook)


def test_naming_convention_names_are_wrapped_in_op_f() -> None:
    metadata = sa.MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})
    table = sa.Table("t", metadata, sa.Column("a", sa.Integer, index=True))
    (index,) = table.indexes
    assert render_op(ddl_ops.CreateIndexOp.from_index(index)) == (
        "op.create_index(op.f('ix_t_a'), 't', ['a'])"
    )


def test_batch_groups_consecutive_ops_of_one_table() -> None:
    ops = [
        ddl_ops.AddColumnOp("t", sa.Column("a", sa.Integer)),
        ddl_ops.DropColumnOp("t", "b"),
        ddl_ops.CreateIndexOp("ix_t_a", "t", ["a"]),
        ddl_ops.DropColumnOp("u", "c", schema="s"),
    ]
    assert render_python_code(ops, render_as_batch=True, rename_hints=False) == "\n".join(
        [
            "with op.batch_alter_table('t') as batch_op:",
            "    batch_op.add_column(sa.Column('a', sa.Integer(), nullable=True))",
            "    batch_op.drop_column('b')",
            "    batch_op.create_index('ix_t_a', ['a'])",
            "with op.batch_alter_table('u', schema='s') as batch_op:",
            "    batch_op.drop_column('c')",
        ]
    )


def test_rename_hints_for_columns_and_tables() -> None:
    old = sa.Table("person", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("nm", sa.Text))
    new = sa.Table("people", sa.MetaData(), sa.Column("id", sa.Integer), sa.Column("nm", sa.Text))
    ops = [
        ddl_ops.AddColumnOp("user", sa.Column("full_name", sa.String(50))),
        ddl_ops.DropColumnOp("user", "name", existing_column=sa.Column("name", sa.String(50))),
        ddl_ops.CreateTableOp.from_table(new),
        ddl_ops.DropTableOp.from_table(old),
    ]
    code = render_python_code(ops)
    assert "# op.alter_column('user', 'name', new_column_name='full_name')" in code
    assert "# op.rename_table('person', 'people')" in code
    compile(code, "<rendered>", "exec")


def test_no_hint_when_types_differ() -> None:
    ops = [
        ddl_ops.AddColumnOp("user", sa.Column("age", sa.Integer)),
        ddl_ops.DropColumnOp("user", "name", existing_column=sa.Column("name", sa.String(50))),
    ]
    assert "new_column_name" not in render_python_code(ops)


def test_irreversible_ops_render_as_comments() -> None:
    upgrade = [ddl_ops.AddEnumValueOp("mood", "elated", after="happy")]
    downgrade = reverse_operations(upgrade)
    assert isinstance(downgrade[0], IrreversibleOperation)
    rendered = render_migration_script(MigrationScript(upgrade, downgrade))
    assert rendered.upgrade.endswith("op.add_enum_value('mood', 'elated', after='happy')")
    assert rendered.downgrade.startswith("# cannot be undone automatically:")
    compile(rendered.downgrade, "<rendered>", "exec")


def test_create_table_renders_constraints_and_indexes() -> None:
    metadata = sa.MetaData()
    sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    child = sa.Table(
        "child",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pid", sa.ForeignKey("parent.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(5), unique=True),
        sa.CheckConstraint("id > 0", name="ck_child_id"),
        sa.Index("ix_child_lower", sa.func.lower(sa.column("code"))),
        comment="kids",
    )
    code = render_op(ddl_ops.CreateTableOp.from_table(child))
    assert "sa.ForeignKeyConstraint(['pid'], ['parent.id'], ondelete='CASCADE')" in code
    assert "sa.CheckConstraint('id > 0', name='ck_child_id')" in code
    assert "sa.UniqueConstraint('code')" in code
    assert "comment='kids'" in code
    assert code.endswith("op.create_index('ix_child_lower', 'child', [sa.text('lower(code)')])")
    compile(code, "<rendered>", "exec")


def test_batch_foreign_key_drops_source_table_and_schema() -> None:
    op = ddl_ops.CreateForeignKeyOp(
        "fk_a_b", "a", "b", ["b_id"], ["id"], source_schema="s", referent_schema="s"
    )
    assert render_python_code([op], render_as_batch=True) == "\n".join(
        [
            "with op.batch_alter_table('a', schema='s') as batch_op:",
            "    batch_op.create_foreign_key('fk_a_b', 'b', ['b_id'], ['id'], referent_schema='s')",
        ]
    )


def test_mysql_types_keep_their_values_and_flags() -> None:
    from sqlalchemy.dialects import mysql

    op = ddl_ops.AddColumnOp("t", sa.Column("s", mysql.SET("a", "b")))
    assert "mysql.SET('a', 'b')" in render_op(op)
    op = ddl_ops.AddColumnOp("t", sa.Column("n", mysql.TINYINT(3, unsigned=True)))
    assert "mysql.TINYINT(display_width=3, unsigned=True)" in render_op(op)
