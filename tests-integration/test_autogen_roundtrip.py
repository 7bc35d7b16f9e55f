"""Round trips on random schema pairs: autogenerate A -> B, upgrade, compare, downgrade, compare.

Each example builds database A with ``create_all``, autogenerates the migration to
model B, runs its rendered upgrade through ddl_ops (``op`` bound with
``use_operations``), checks B now compares as no change, runs the rendered
downgrade and checks A compares as no change again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase, reset_database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_autogen_models import NAMING, compare, run_rendered

import migrate_autogen

# column name -> the types it may take; a column changes type only within its family,
# as a real migration would (PostgreSQL refuses e.g. INTEGER -> BOOLEAN without USING)
FAMILIES: dict[str, list[Any]] = {
    "qty": [sa.Integer(), sa.BigInteger()],
    "label": [sa.String(20), sa.String(40), sa.Text()],
    "price": [sa.Numeric(10, 2), sa.Numeric(12, 3)],
    "done": [sa.Boolean()],
    "seen": [sa.DateTime()],
}
DEFAULTS: dict[str, list[Any]] = {
    "qty": [None, "0", "7"],
    "label": [None, "a", "b"],
    "price": [None, "0", "1.50"],
    "done": [None, sa.false(), sa.true()],
    "seen": [None, sa.func.now()],
}
TABLES = ["alpha", "beta", "gamma"]
CHECKABLE = {"qty": "13", "price": "13", "label": "'13'"}


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type_index: int
    nullable: bool
    default_index: int
    extra: str  # "", "index" or "unique"
    comment: str | None
    checked: bool  # a named CHECK (col IS NULL OR col <> 13) on a CHECKABLE column


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    fk: str | None  # None, or the ON DELETE action ("NO ACTION", "CASCADE") of ref_id -> alpha.id
    comment: str | None


@dataclass
class SchemaSpec:
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)

    def build(self, db: LiveDatabase) -> sa.MetaData:
        metadata = sa.MetaData(naming_convention=NAMING)
        names = {t.name for t in self.tables}
        comments = db.name != "sqlite"
        for spec in self.tables:
            items: list[Any] = [sa.Column("id", sa.Integer, primary_key=True)]
            for c in spec.columns:
                family = FAMILIES[c.name]
                type_ = family[c.type_index % len(family)]
                if isinstance(type_, sa.Text) and db.name == "mariadb":
                    type_ = sa.String(60)  # MariaDB TEXT columns take no index
                default = DEFAULTS[c.name][c.default_index % len(DEFAULTS[c.name])]
                items.append(
                    sa.Column(
                        c.name,
                        type_,
                        nullable=c.nullable,
                        server_default=default,
                        index=c.extra == "index" or None,
                        unique=c.extra == "unique" or None,
                        comment=c.comment if comments else None,
                    )
                )
                if c.checked and c.name in CHECKABLE:
                    condition = f"{c.name} IS NULL OR {c.name} <> {CHECKABLE[c.name]}"
                    items.append(sa.CheckConstraint(condition, name=f"{c.name}_13"))
            if spec.fk is not None and "alpha" in names and spec.name != "alpha":
                ondelete = None if spec.fk == "NO ACTION" else spec.fk
                items.append(sa.Column("ref_id", sa.ForeignKey("alpha.id", ondelete=ondelete)))
            sa.Table(spec.name, metadata, *items, comment=spec.comment if comments else None)
        return metadata


columns = st.builds(
    ColumnSpec,
    name=st.sampled_from(sorted(FAMILIES)),
    type_index=st.integers(0, 2),
    nullable=st.booleans(),
    default_index=st.integers(0, 2),
    extra=st.sampled_from(["", "index", "unique"]),
    comment=st.sampled_from([None, "note", "other note"]),
    checked=st.booleans(),
)
tables = st.builds(
    TableSpec,
    name=st.sampled_from(TABLES),
    columns=st.lists(columns, max_size=4, unique_by=lambda c: c.name).map(tuple),
    fk=st.sampled_from([None, "NO ACTION", "CASCADE"]),
    comment=st.sampled_from([None, "a table"]),
)
schemas = st.lists(tables, max_size=3, unique_by=lambda t: t.name).map(
    lambda ts: SchemaSpec(tuple(ts))
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=schemas, after=schemas)
def test_random_schema_pairs_round_trip(
    db: LiveDatabase, before: SchemaSpec, after: SchemaSpec
) -> None:
    reset_database(db)
    _drop_everything(db)
    start, target = before.build(db), after.build(db)
    with db.engine.begin() as conn:
        start.create_all(conn)
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, target)
    rendered = migrate_autogen.render_migration_script(script, render_as_batch=db.name == "sqlite")
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, target, include_schemas=False) == [], rendered.upgrade
    run_rendered(db, rendered.downgrade, rendered.imports)
    assert compare(db, start, include_schemas=False) == [], rendered.downgrade


def _drop_everything(db: LiveDatabase) -> None:
    """SQLite keeps one file per test, not per example: empty it."""
    if db.name != "sqlite":
        return
    with db.engine.begin() as conn:
        reflected = sa.MetaData()
        reflected.reflect(conn)
        reflected.drop_all(conn)


@pytest.mark.parametrize("spec", [SchemaSpec()])
def test_empty_to_empty_is_empty(db: LiveDatabase, spec: SchemaSpec) -> None:
    assert compare(db, spec.build(db), include_schemas=False) == []
