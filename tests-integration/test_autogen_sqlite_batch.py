"""SQLite: autogenerate renders batch blocks by default, and the upgrade keeps every row.

SQLite cannot ALTER a column's type, nullability or default, nor add or drop a
constraint, in place. Each test starts from ``create_all(old)`` with rows in the
tables, autogenerates against ``new`` with the default render options (nothing
says ``render_as_batch``), runs the rendered upgrade, and checks the comparison
is empty and the rows are all there; then the downgrade, likewise.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from test_autogen_models import NAMING, compare, run_rendered

import migrate_autogen

pytestmark = pytest.mark.backends("sqlite")

ROWS = [
    {"id": 1, "code": "a", "qty": 3, "label": "x", "account_id": 1},
    {"id": 2, "code": "b", "qty": 5, "label": None, "account_id": 2},
    {"id": 3, "code": "c", "qty": 8, "label": "y", "account_id": None},
]


def models(change: str = "") -> sa.MetaData:
    """The account/item pair before (``change=""``) or after one kind of change."""
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table(
        "account",
        m,
        sa.Column("id", sa.BigInteger if change == "pk_bigint" else sa.Integer, primary_key=True),
    )
    combined = change == "combined"  # type, nullability, CHECK and ON DELETE at once
    qty_type: Any = sa.BigInteger if change in ("type", "combined") else sa.Integer
    items: list[Any] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(10), nullable=change == "nullable_off"),
        sa.Column(
            "qty", qty_type, nullable=False, server_default="0" if change != "default" else "1"
        ),
        sa.Column("label", sa.String(20), nullable=change not in ("not_null", "combined")),
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey(
                "account.id",
                ondelete="CASCADE" if change == "ondelete" else "SET NULL" if combined else None,
            )
            if change != "drop_fk"
            else None,
        ),
    ]
    if change == "unique":
        items.append(sa.UniqueConstraint("code"))
    if change == "check" or combined:
        items.append(sa.CheckConstraint("qty >= 0 AND code <> 'x, (y)'", name="qty_ok"))
    if change == "index":
        items.append(sa.Index("ix_item_code_qty", "code", "qty", unique=True))
    sa.Table("item", m, *items)
    return m


def start(db: LiveDatabase, old: sa.MetaData, not_null_label: bool = False) -> None:
    with db.engine.begin() as conn:
        old.create_all(conn)
        conn.execute(old.tables["account"].insert(), [{"id": 1}, {"id": 2}])
        rows = [{**r, "label": r["label"] or "-"} if not_null_label else r for r in ROWS]
        conn.execute(old.tables["item"].insert(), rows)


def rows(db: LiveDatabase) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.exec_driver_sql("SELECT id, code, qty, account_id FROM item ORDER BY id")
        ]


def migrate(db: LiveDatabase, old: sa.MetaData, new: sa.MetaData, **render: Any) -> str:
    before = rows(db)
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, new)
    rendered = migrate_autogen.render_migration_script(script, **render)
    assert "batch_alter_table" in rendered.upgrade, rendered.upgrade
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, new) == [], rendered.upgrade
    assert rows(db) == before, rendered.upgrade
    run_rendered(db, rendered.downgrade, rendered.imports)
    assert compare(db, old) == [], rendered.downgrade
    assert rows(db) == before, rendered.downgrade
    return rendered.upgrade


CHANGES = [
    "type",
    "nullable_off",
    "not_null",
    "default",
    "unique",
    "check",
    "index",
    "ondelete",
    "drop_fk",
]


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_sqlite_cannot_alter_runs_in_batch_and_keeps_rows(
    db: LiveDatabase, change: str
) -> None:
    old, new = models(), models(change)
    start(db, old, not_null_label=change == "not_null")
    migrate(db, old, new)


def test_all_changes_of_a_table_share_one_batch_block(db: LiveDatabase) -> None:
    """Foreign keys join their table's block on SQLite: one rebuild per table, not three."""
    old, new = models(), models("combined")
    start(db, old, not_null_label=True)
    upgrade = migrate(db, old, new)
    assert upgrade.count("batch_alter_table('item')") == 1, upgrade


@pytest.mark.parametrize(("option", "expect_batch"), [(None, True), (True, True), (False, False)])
def test_render_as_batch_default_and_override(
    db: LiveDatabase, option: bool | None, expect_batch: bool
) -> None:
    """Unset: batch on SQLite. True/False from env.py (context.configure) win."""
    start(db, models())
    with db.engine.connect() as conn:
        ops = migrate_autogen.compare_metadata(conn, models("type"))
    render: dict[str, Any] = {} if option is None else {"render_as_batch": option}
    code = migrate_autogen.render_python_code(ops, **render)
    assert ("with op.batch_alter_table('item') as batch_op:" in code) is expect_batch, code


def test_render_as_batch_false_writes_the_plain_alter_sqlite_refuses(db: LiveDatabase) -> None:
    start(db, models())
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, models("type"))
    rendered = migrate_autogen.render_migration_script(script, render_as_batch=False)
    with pytest.raises(Exception, match="batch_alter_table"):
        run_rendered(db, rendered.upgrade, rendered.imports)


def test_a_bigint_model_key_is_satisfied_by_sqlites_integer_rowid(db: LiveDatabase) -> None:
    """INTEGER PRIMARY KEY is SQLite's 64-bit rowid: a model typed BigInteger asks for
    nothing it lacks, and ddl-ops keeps the rowid, so autogenerate reports no change
    (before, `check` reported it again after every upgrade). A narrower or non-integer
    key is still rendered, with the warning naming the variant that keeps the rowid."""
    start(db, models())
    assert compare(db, models("pk_bigint")) == []
    variant = models()
    variant.tables["account"].c.id.type = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    assert compare(db, variant) == []
    narrower = models()
    narrower.tables["account"].c.id.type = sa.SmallInteger()
    with pytest.warns(migrate_autogen.AutogenWarning, match="with_variant"):
        ops = compare(db, narrower)
    assert [type(op).__name__ for op in ops] == ["AlterColumnOp"]


def unnamed_fk_models(ondelete: str | None) -> sa.MetaData:
    m = sa.MetaData()  # no naming convention: SQLite keeps the foreign key unnamed
    sa.Table("account", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "item",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("qty", sa.Integer, nullable=False, server_default="0"),
        sa.Column("label", sa.String(20)),
        sa.Column("account_id", sa.ForeignKey("account.id", ondelete=ondelete)),
    )
    return m


def test_unnamed_foreign_key_change_is_dropped_through_a_naming_convention(
    db: LiveDatabase,
) -> None:
    """Drift schema on SQLite: an unnamed foreign key whose ON DELETE changed was only
    warned about (no name to drop it by). The batch block now names it by convention."""
    old, new = unnamed_fk_models(None), unnamed_fk_models("CASCADE")
    start(db, old)
    upgrade = migrate(db, old, new)
    assert "naming_convention=" in upgrade and "fk_item_account_id_account" in upgrade, upgrade


def test_check_text_naming_check_is_one_constraint(db: LiveDatabase) -> None:
    """'SQLite CHECK reflection misparse': ``CHECK (`` inside a string literal was read as a
    second, unnamed CHECK, so every comparison reported one to drop."""

    def model(nullable: bool) -> sa.MetaData:
        m = sa.MetaData()
        sa.Table(
            "item",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("code", sa.String(20), nullable=nullable),
            sa.CheckConstraint("code <> 'CHECK (x)' AND code <> ')'", name="odd"),
            sa.CheckConstraint("length(code) > 0"),
        )
        return m

    with db.engine.begin() as conn:
        model(True).create_all(conn)
        conn.exec_driver_sql("INSERT INTO item (id, code) VALUES (1, 'a')")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        assert compare(db, model(True)) == []
    assert [str(w.message) for w in record] == []
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, model(False))
    rendered = migrate_autogen.render_migration_script(script)
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, model(False)) == []
    assert rows_of(db) == [(1, "a")]


def rows_of(db: LiveDatabase) -> list[tuple[Any, ...]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("SELECT id, code FROM item")]
