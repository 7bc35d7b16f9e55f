"""A drop of a constraint the models never named fails as written: the script says so."""

from __future__ import annotations

import sqlalchemy as sa

from ddl_ops import CreateForeignKeyOp, DropConstraintOp
from migrate_autogen import render_python_code


def test_an_unnamed_drop_gets_a_warning_comment_right_above_it() -> None:
    source = render_python_code([DropConstraintOp(None, "customer", "foreignkey")])  # type: ignore[arg-type]

    lines = source.splitlines()
    assert lines[-1] == "op.drop_constraint(None, 'customer', type_='foreignkey')"
    comments = lines[:-1]
    assert comments and all(line.startswith("# ") for line in comments)
    text = " ".join(comments)
    assert "WARNING: this foreign key on 'customer' has no name" in text
    assert "fails as written" in text
    assert "in place of None" in text and "naming_convention" in text


def test_the_warning_stays_with_its_call_in_batch_mode() -> None:
    source = render_python_code(
        [DropConstraintOp(None, "customer", "unique")],  # type: ignore[arg-type]
        render_as_batch=True,
    )

    lines = source.splitlines()
    assert lines[0] == "with op.batch_alter_table('customer') as batch_op:"
    assert lines[1].startswith("    # WARNING: this unique constraint on 'customer'")
    assert lines[-1] == "    batch_op.drop_constraint(None, type_='unique')"
    compile(source, "<rendered>", "exec")


def test_named_drops_and_unnamed_creates_get_no_warning() -> None:
    source = render_python_code(
        [
            DropConstraintOp("fk_customer_account", "customer", "foreignkey"),
            CreateForeignKeyOp(None, "customer", "account", ["account_id"], ["id"]),  # type: ignore[arg-type]
        ]
    )
    assert "WARNING" not in source and "#" not in source


def test_a_naming_convention_name_needs_no_warning() -> None:
    metadata = sa.MetaData(naming_convention={"fk": "fk_%(table_name)s_%(column_0_name)s"})
    sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True))
    customer = sa.Table(
        "customer", metadata, sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"))
    )
    (fk,) = customer.foreign_key_constraints

    source = render_python_code([DropConstraintOp.from_constraint(fk)])

    assert "WARNING" not in source
    assert "fk_customer_account_id" in source
