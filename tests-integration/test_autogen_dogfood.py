"""Production-shaped models taken through autogenerate the way a team would use it.

Each test starts from what a real project has (declarative-style tables with a
naming convention, variants, foreign keys between tables whose types change),
creates or changes the schema ONLY through the rendered migration, then
compares again and requires no operation: a migration that does not run, or
that leaves a difference behind, is what these tests catch.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from dbtesting import LiveDatabase
from sqlalchemy.dialects import postgresql
from test_autogen_models import NAMING, compare, create, only_test_schemas, run_rendered

import migrate_autogen


def _options(db: LiveDatabase) -> dict[str, Any]:
    if db.other_schema is None:
        return {}
    return {"include_schemas": True, "include_name": only_test_schemas(db)}


def _migrate(db: LiveDatabase, wanted: sa.MetaData) -> tuple[list[str], Any]:
    """Autogenerate towards ``wanted``, render it, and return the op names and the rendering."""
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, wanted, **_options(db))
    rendered = migrate_autogen.render_migration_script(script, render_as_batch=db.name == "sqlite")
    return [type(op).__name__ for op in script.upgrade_ops], rendered


def _round_trip(db: LiveDatabase, before: sa.MetaData, after: sa.MetaData) -> list[str]:
    """Upgrade ``before`` -> ``after`` and back through the rendered script; both ends clean."""
    names, rendered = _migrate(db, after)
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, after) == []
    run_rendered(db, rendered.downgrade, rendered.imports)
    assert compare(db, before) == []
    return names


def _variant_model() -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table(
        "event",
        m,
        # the usual "BIGINT everywhere, but SQLite only autoincrements INTEGER" idiom
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
        sa.Column("note", sa.String(50).with_variant(sa.Text(), "mariadb", "mysql")),
    )
    return m


def test_variant_types_survive_the_rendered_migration(db: LiveDatabase) -> None:
    wanted = _variant_model()
    names, rendered = _migrate(db, wanted)
    assert names == ["CreateTableOp"]
    assert ".with_variant(" in rendered.upgrade
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, wanted) == []


def _ledger(id_type: type[sa.types.TypeEngine[Any]]) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table(
        "account",
        m,
        sa.Column("id", id_type, primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
    )
    sa.Table(
        "entry",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "account_id",
            id_type,
            sa.ForeignKey("account.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
    )
    return m


def test_widening_a_referenced_key_runs_on_every_database(db: LiveDatabase) -> None:
    """INT -> BIGINT on a key and the column referring to it: MariaDB refuses to alter
    either while the foreign key exists, so the migration must drop and re-add it."""
    before, after = _ledger(sa.Integer), _ledger(sa.BigInteger)
    create(db, before)
    with db.engine.begin() as conn:
        conn.execute(before.tables["account"].insert(), [{"id": 1, "name": "cash"}])
        conn.execute(before.tables["entry"].insert(), [{"id": 1, "account_id": 1}])
    names = _round_trip(db, before, after)
    alters = ["AlterColumnOp", "AlterColumnOp"]
    if db.name == "mariadb":
        assert names == ["DropConstraintOp", *alters, "CreateForeignKeyOp"]
    else:
        assert names == alters
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT account_id FROM entry")).scalar_one() == 1
