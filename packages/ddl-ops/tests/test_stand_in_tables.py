"""Stand-in tables the operations share: plain added columns and named indexes share one
per table name, and what each statement says still comes from its own operation alone."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from ddl_ops import Operations
from ddl_ops.dialects.default import is_plain_column
from ddl_ops.execution import STAND_IN_WIDTH

DIALECTS = ["postgresql", "mysql", "mariadb", "sqlite", "mssql", "oracle"]


def statements(ops: Operations, buffer: io.StringIO) -> list[str]:
    terminator = ops.impl.statement_terminator
    found = []
    for chunk in buffer.getvalue().split("\n\n"):
        lines = [line for line in chunk.splitlines() if line != ops.impl.batch_separator]
        text = "\n".join(lines).strip()
        if text:
            found.append(text.removesuffix(terminator))
    return found


def offline(dialect: str, **kw: object) -> tuple[Operations, io.StringIO]:
    buffer = io.StringIO()
    return Operations.for_dialect(dialect, buffer, **kw), buffer  # type: ignore[arg-type]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_many_plain_columns_on_one_table_each_render_alone(dialect: str) -> None:
    """More columns than one shared stand-in holds, the same name added again after a drop,
    and one Column object used twice: one context writes what a fresh context per
    operation writes."""
    ops, buffer = offline(dialect)
    for call in calls_for_many_columns():
        call(ops)
    one_context = statements(ops, buffer)
    each_fresh = []
    for call in calls_for_many_columns():
        fresh, fresh_buffer = offline(dialect)
        call(fresh)
        each_fresh += statements(fresh, fresh_buffer)
    assert one_context == each_fresh
    assert len(one_context) > STAND_IN_WIDTH * 2


def calls_for_many_columns() -> list[Callable[[Operations], None]]:
    reused = sa.Column("again", sa.String(20), nullable=False, server_default="x")
    calls: list[Callable[[Operations], None]] = [
        lambda ops, i=i: ops.add_column("t", sa.Column(f"c{i}", sa.Integer, comment=f"n{i}"))
        for i in range(STAND_IN_WIDTH * 2 + 3)
    ]
    calls += [
        lambda ops: ops.drop_column("t", "c0"),
        lambda ops: ops.add_column("t", sa.Column("c0", sa.Boolean())),
        lambda ops: ops.add_column("t", reused),
        lambda ops: ops.add_column("u", reused),
    ]
    return calls


def test_a_column_with_an_index_after_plain_ones_emits_only_its_own_index() -> None:
    ops, buffer = offline("postgresql")
    ops.add_column("t", sa.Column("a", sa.Integer))
    ops.add_column("t", sa.Column("b", sa.Integer, index=True, unique=True))
    ops.add_column("t", sa.Column("c", sa.Integer))
    ops.add_column("t", sa.Column("d", sa.Integer, index=True))
    assert statements(ops, buffer) == [
        "ALTER TABLE t ADD COLUMN a INTEGER",
        "ALTER TABLE t ADD COLUMN b INTEGER",
        "CREATE UNIQUE INDEX ix_t_b ON t (b)",
        "ALTER TABLE t ADD COLUMN c INTEGER",
        "ALTER TABLE t ADD COLUMN d INTEGER",
        "CREATE INDEX ix_t_d ON t (d)",
    ]


def test_mysql_blob_default_after_plain_columns_rewrites_only_itself() -> None:
    ops, buffer = offline("mysql")
    ops.add_column("t", sa.Column("a", sa.Integer, server_default="1"))
    ops.add_column("t", sa.Column("notes", sa.Text, server_default="none"))
    ops.add_column("t", sa.Column("b", sa.Integer))
    assert statements(ops, buffer) == [
        "ALTER TABLE t ADD COLUMN a INTEGER DEFAULT '1'",
        "ALTER TABLE t ADD COLUMN notes TEXT DEFAULT ('none')",
        "ALTER TABLE t ADD COLUMN b INTEGER",
    ]


def test_the_naming_convention_names_an_added_columns_constraint() -> None:
    """As Alembic does: the target MetaData's convention names `unique=True` and FKs."""
    convention = {
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    }
    ops, buffer = offline("postgresql", naming_convention=convention)
    ops.add_column("t", sa.Column("code", sa.String(8), unique=True))
    ops.add_column("t", sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id")))
    assert statements(ops, buffer) == [
        "ALTER TABLE t ADD COLUMN code VARCHAR(8)",
        "ALTER TABLE t ADD CONSTRAINT uq_t_code UNIQUE (code)",
        "ALTER TABLE t ADD COLUMN owner_id INTEGER",
        "ALTER TABLE t ADD CONSTRAINT fk_t_owner_id_users FOREIGN KEY(owner_id) "
        "REFERENCES users (id)",
    ]


@pytest.mark.parametrize(
    ("column", "plain"),
    [
        (sa.Column("a", sa.Integer, server_default="0", nullable=False, comment="c"), True),
        (sa.Column("a", sa.Integer, primary_key=True), False),
        (sa.Column("a", sa.Integer, index=True), False),
        (sa.Column("a", sa.Integer, unique=True), False),
        (sa.Column("a", sa.Integer, sa.ForeignKey("b.id")), False),
        (sa.Column("a", sa.Integer, sa.CheckConstraint("a > 0")), False),
        (sa.Column("a", sa.Integer, sa.Computed("1 + 1")), False),
        (sa.Column("a", sa.Integer, sa.Identity()), False),
        (sa.Column("a", sa.Enum("x", "y", name="e")), False),
        (sa.Column("a", sa.Boolean(create_constraint=True)), False),
    ],
)
def test_only_plain_columns_share_a_stand_in(column: sa.Column[object], plain: bool) -> None:
    assert is_plain_column(column) is plain


@pytest.mark.parametrize("dialect", DIALECTS)
def test_named_indexes_sharing_a_stand_in_render_as_alone(dialect: str) -> None:
    """create_index shares its stand-in table too: one context writes what a fresh context
    per operation writes, over more columns than one stand-in holds."""

    def calls() -> list[Callable[[Operations], None]]:
        made: list[Callable[[Operations], None]] = [
            lambda ops, i=i: ops.create_index(f"by_{i}", "t", [f"c{i}", f"d{i}"], unique=i % 2)
            for i in range(STAND_IN_WIDTH + 3)
        ]
        made += [
            lambda ops: ops.create_index("by_c1_again", "t", ["c1"]),
            lambda ops: ops.create_index("lower_name", "t", [sa.text("lower(name)")]),
            lambda ops: ops.create_index(None, "t", ["c2"]),
        ]
        if dialect == "postgresql":
            made.append(
                lambda ops: ops.create_index(
                    "covering", "t", ["c3"], postgresql_include=["c4", "e"]
                )
            )
        return made

    ops, buffer = offline(dialect)
    for call in calls():
        call(ops)
    each_fresh = []
    for call in calls():
        fresh, fresh_buffer = offline(dialect)
        call(fresh)
        each_fresh += statements(fresh, fresh_buffer)
    assert statements(ops, buffer) == each_fresh
    assert any("by_3" in s for s in each_fresh) and any("ix_t_c2" in s for s in each_fresh)
