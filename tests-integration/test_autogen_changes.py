"""Each single kind of change is detected exactly once, applied, and undone.

For every change: create the wide model, change the model, autogenerate, check
the operations are exactly the expected ones, run the rendered upgrade, compare
again (nothing left), run the rendered downgrade, compare with the original
model (nothing left).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from test_autogen_models import compare, create, only_test_schemas, run_rendered, wide_model

import migrate_autogen


@dataclass
class Change:
    name: str
    edit: Callable[[sa.MetaData, LiveDatabase], None]
    expected: list[str]
    only: tuple[str, ...] = ("sqlite", "postgresql", "mariadb")
    downgrade_leaves: str | None = None  # the warning a downgrade that cannot undo all gives


def _wide(m: sa.MetaData) -> sa.Table:
    return m.tables["wide"]


def _set(m: sa.MetaData, column: str, **attributes: object) -> None:
    target = _wide(m).c[column]
    for key, value in attributes.items():
        if key == "server_default":
            value = sa.DefaultClause(value)  # type: ignore[arg-type]
            value.column = target
        setattr(target, key, value)


def _drop_index(m: sa.MetaData, name: str) -> None:
    table = _wide(m)
    table.indexes.discard(next(i for i in table.indexes if i.name == name))


def _drop_constraint(m: sa.MetaData, name: str) -> None:
    table = _wide(m)
    table.constraints.discard(next(c for c in table.constraints if c.name == name))


def _drop_fk(m: sa.MetaData, name: str) -> None:
    table = _wide(m)
    fk = next(c for c in table.foreign_key_constraints if c.name == name)
    table.constraints.discard(fk)
    for column in fk.columns:
        column.foreign_keys.clear()
    table.foreign_keys.difference_update(fk.elements)


CHANGES = [
    Change(
        "add table",
        lambda m, db: sa.Table(
            "fresh", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.Text)
        ),
        ["CreateTableOp"],
    ),
    Change("drop table", lambda m, db: m.remove(m.tables["lonely"]), ["DropTableOp"]),
    Change(
        "add column",
        lambda m, db: _wide(m).append_column(sa.Column("extra", sa.String(10))),
        ["AddColumnOp"],
    ),
    Change(
        "drop column",
        lambda m, db: _wide(m)._columns.remove(_wide(m).c.fixed),
        ["DropColumnOp"],
    ),
    Change(
        "nullable",
        lambda m, db: _set(m, "fixed", nullable=False),
        ["AlterColumnOp"],
    ),
    Change(
        "type",
        lambda m, db: _set(m, "fixed", type=sa.String(9)),
        ["AlterColumnOp"],
    ),
    Change(
        "server default",
        lambda m, db: _set(m, "name", server_default="y"),
        ["AlterColumnOp"],
    ),
    Change(
        "server default changed, spelled differently (evaluated by PostgreSQL)",
        lambda m, db: _set(m, "window2", server_default=sa.text("interval '3 days'")),
        ["AlterColumnOp"],
        ("postgresql",),
    ),
    Change(
        "column comment",
        lambda m, db: _set(m, "body", comment="other"),
        ["AlterColumnOp"],
        ("postgresql", "mariadb"),
    ),
    Change(
        "table comment",
        lambda m, db: setattr(_wide(m), "comment", "new words"),
        ["CreateTableCommentOp"],
        ("postgresql", "mariadb"),
    ),
    Change(
        "table comment removed",
        lambda m, db: setattr(_wide(m), "comment", None),
        ["DropTableCommentOp"],
        ("postgresql", "mariadb"),
    ),
    Change("add index", lambda m, db: sa.Index("ix_wide_day", _wide(m).c.day), ["CreateIndexOp"]),
    Change("drop index", lambda m, db: _drop_index(m, "ix_wide_name_day"), ["DropIndexOp"]),
    Change(
        "add unique",
        lambda m, db: _wide(m).append_constraint(
            sa.UniqueConstraint("big", "small", name="uq_wide_big_small")
        ),
        ["CreateUniqueConstraintOp"],
    ),
    Change(
        "drop unique",
        lambda m, db: _drop_constraint(m, "uq_wide_name_small"),
        ["DropConstraintOp"],
        ("postgresql",),
    ),
    Change(
        "drop unique (MariaDB: an index)",
        lambda m, db: _drop_constraint(m, "uq_wide_name_small"),
        ["DropIndexOp"],
        ("mariadb",),
    ),
    Change(
        "add check",
        lambda m, db: _wide(m).append_constraint(sa.CheckConstraint("big > 0", name="big_pos")),
        ["CreateCheckConstraintOp"],
    ),
    Change(
        "drop check",
        lambda m, db: _drop_constraint(m, "ck_wide_price_positive"),
        ["DropConstraintOp"],
    ),
    Change(
        "drop foreign key",
        lambda m, db: _drop_fk(m, "fk_wide_parent_pair"),
        ["DropConstraintOp"],
        ("postgresql", "sqlite"),
    ),
    Change(
        "drop foreign key (MariaDB: and the index it made)",
        lambda m, db: _drop_fk(m, "fk_wide_parent_pair"),
        ["DropConstraintOp", "DropIndexOp"],
        ("mariadb",),
    ),
    Change(
        "foreign key option",
        lambda m, db: setattr(
            next(c for c in _wide(m).foreign_key_constraints if c.name == "fk_wide_parent_pair"),
            "onupdate",
            "SET NULL",
        ),
        ["DropConstraintOp", "CreateForeignKeyOp"],
    ),
    Change(
        "add foreign key",
        lambda m, db: (
            m.tables["lonely"].append_column(sa.Column("wide_id", sa.Integer)),
            m.tables["lonely"].append_constraint(
                sa.ForeignKeyConstraint(["wide_id"], ["wide.id"], name="fk_lonely_wide")
            ),
        ),
        ["AddColumnOp", "CreateForeignKeyOp"],
    ),
    Change(
        "primary key columns",
        lambda m, db: _rekey(m),
        ["DropConstraintOp", "CreatePrimaryKeyOp"],
    ),
    Change(
        "partial index condition",
        lambda m, db: (
            _drop_index(m, "ix_wide_partial"),
            sa.Index("ix_wide_partial", _wide(m).c.small, postgresql_where=sa.text("small > 6")),
        ),
        ["DropIndexOp", "CreateIndexOp"],
        ("postgresql",),
    ),
    Change(
        "expression index",
        lambda m, db: sa.Index("ix_wide_upper_uname", sa.func.upper(_wide(m).c.uname)),
        ["CreateIndexOp"],
        ("postgresql",),
    ),
    Change(
        "enum value added",
        lambda m, db: _set(m, "mood", type=sa.Enum("sad", "ok", "happy", "elated", name="mood")),
        ["AddEnumValueOp"],
        ("postgresql",),
        downgrade_leaves="enum type mood lost or reordered values",
    ),
    Change(
        "new enum type and column",
        lambda m, db: _wide(m).append_column(
            sa.Column("tone", sa.Enum("warm", "cold", name="tone"))
        ),
        ["CreateEnumTypeOp", "AddColumnOp"],
        ("postgresql",),
    ),
    Change(
        "enum column and its type removed",
        lambda m, db: _wide(m)._columns.remove(_wide(m).c.mood),
        ["DropColumnOp", "DropEnumTypeOp"],
        ("postgresql",),
    ),
    Change(
        "enum values changed (MariaDB: the column type)",
        lambda m, db: _set(m, "mood", type=sa.Enum("sad", "ok", "happy", "elated", name="mood")),
        ["AlterColumnOp"],
        ("mariadb",),
    ),
    Change(
        "column in the other schema",
        lambda m, db: m.tables[f"{db.other_schema}.elsewhere"].append_column(
            sa.Column("more", sa.Integer)
        ),
        ["AddColumnOp"],
        ("postgresql", "mariadb"),
    ),
]


def _model(db: LiveDatabase) -> sa.MetaData:
    m = wide_model(db)
    sa.Table("lonely", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.Text))
    sa.Table(
        "keyed",
        m,
        sa.Column("a", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("b", sa.Integer, nullable=False),
    )
    return m


def _rekey(m: sa.MetaData) -> None:
    keyed = m.tables["keyed"]
    keyed.c.b.primary_key = True
    keyed.primary_key = sa.PrimaryKeyConstraint(keyed.c.a, keyed.c.b)


@pytest.mark.parametrize("change", CHANGES, ids=[c.name for c in CHANGES])
def test_change_detected_once_applied_and_undone(db: LiveDatabase, change: Change) -> None:
    if db.name not in change.only:
        pytest.skip(f"{change.name} is not expressible on {db.name}")
    create(db, _model(db))
    wanted = _model(db)
    change.edit(wanted, db)
    options = {"include_schemas": db.other_schema is not None}
    if db.other_schema is not None:
        options["include_name"] = only_test_schemas(db)
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, wanted, **options)
    assert [type(op).__name__ for op in script.upgrade_ops] == change.expected
    # SQLite alters columns by rebuilding the table: batch mode
    rendered = migrate_autogen.render_migration_script(script, render_as_batch=db.name == "sqlite")
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, wanted) == []
    run_rendered(db, rendered.downgrade, rendered.imports)
    if change.downgrade_leaves is None:
        assert compare(db, _model(db)) == []
    else:
        with pytest.warns(migrate_autogen.AutogenWarning, match=change.downgrade_leaves):
            assert compare(db, _model(db)) == []


def test_changed_computed_expression_is_a_warning_not_an_operation(db: LiveDatabase) -> None:
    create(db, _model(db))
    wanted = _model(db)
    table = _wide(wanted)
    table._columns.remove(table.c.doubled)
    table.append_column(sa.Column("doubled", sa.Integer, sa.Computed("small * 3", persisted=True)))
    with pytest.warns(migrate_autogen.AutogenWarning, match="computed column wide.doubled"):
        assert compare(db, wanted) == []


@pytest.mark.backends("postgresql", "mariadb")
def test_table_in_a_schema_the_database_lacks(db: LiveDatabase) -> None:
    wanted = sa.MetaData()
    sa.Table("t", wanted, sa.Column("id", sa.Integer, primary_key=True), schema="not_there")
    allowed = {None, db.other_schema, "not_there"}
    with pytest.warns(migrate_autogen.AutogenWarning, match="schema 'not_there'"):
        ops = compare(
            db,
            wanted,
            include_schemas=True,
            include_name=lambda name, type_, parents: type_ != "schema" or name in allowed,
        )
    assert [(type(op).__name__, op.schema) for op in ops] == [("CreateTableOp", "not_there")]


def test_dropping_everything_and_undoing_it(db: LiveDatabase) -> None:
    """The downgrade rebuilds every table from what was reflected: every type must render.

    (The wide model's second foreign key to ``parent`` is left out: see
    test_table_with_two_foreign_keys_to_one_table_is_rebuilt.)
    """
    original = _model(db)
    _drop_fk(original, "fk_wide_parent_pair")
    create(db, original)
    allowed = {None, db.other_schema}
    options: dict[str, Any] = {"include_schemas": db.other_schema is not None}
    if db.other_schema is not None:
        options["include_name"] = lambda name, type_, parents: type_ != "schema" or name in allowed
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, sa.MetaData(), **options)
    assert {type(op).__name__ for op in script.upgrade_ops} <= {
        "DropTableOp",
        "DropConstraintOp",
        "DropEnumTypeOp",
        "DropIndexOp",
    }
    rendered = migrate_autogen.render_migration_script(script, render_as_batch=db.name == "sqlite")
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, sa.MetaData()) == []
    run_rendered(db, rendered.downgrade, rendered.imports)
    ops = compare(db, original)
    if db.name == "sqlite":
        # SQLite cannot reflect the expression index, so the rebuilt table lacks it
        assert [(type(op).__name__, op.index_name) for op in ops] == [
            ("CreateIndexOp", "ix_wide_lower_name")
        ]
    else:
        assert ops == []


def test_table_with_two_foreign_keys_to_one_table_is_rebuilt(db: LiveDatabase) -> None:
    original = sa.MetaData()
    sa.Table(
        "p",
        original,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(5), unique=True),
    )
    sa.Table(
        "k",
        original,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("p_id", sa.ForeignKey("p.id")),
        sa.Column("p_code", sa.ForeignKey("p.code")),
    )
    create(db, original)
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, sa.MetaData())
    rendered = migrate_autogen.render_migration_script(script)
    run_rendered(db, rendered.upgrade, rendered.imports)
    run_rendered(db, rendered.downgrade, rendered.imports)
    assert compare(db, original, include_schemas=False) == []


@pytest.mark.backends("postgresql", "mariadb")
def test_include_name_can_leave_out_the_default_schema(db: LiveDatabase) -> None:
    """As in Alembic, the default schema is asked about as None, and a False answer holds."""
    with db.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
    asked: list[object] = []

    def only_the_other_schema(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
        if type_ != "schema":
            return True
        asked.append(name)
        return name == db.other_schema

    wanted = sa.MetaData()
    sa.Table("kept", wanted, sa.Column("id", sa.Integer, primary_key=True), schema=db.other_schema)
    ops = compare(db, wanted, include_schemas=True, include_name=only_the_other_schema)
    assert [(type(op).__name__, op.schema, op.table_name) for op in ops] == [
        ("CreateTableOp", db.other_schema, "kept")
    ]
    assert None in asked
    default = sa.inspect(db.engine).default_schema_name
    assert default not in asked
