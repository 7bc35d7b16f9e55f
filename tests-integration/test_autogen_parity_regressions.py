"""Cases the autogenerate parity suite found (tests-integration/parity), one test per root cause.

Each runs the full loop on a live database: ``create_all(old)``, autogenerate to
``new``, run the rendered upgrade, compare again (empty), run the rendered
downgrade, compare with ``old`` (empty).
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from test_autogen_models import NAMING, compare, round_trip, run_rendered

import migrate_autogen


def tag_table(composite: bool) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    id_kw: dict[str, Any] = {"autoincrement": False} if composite else {}
    sa.Table(
        "tag",
        m,
        sa.Column("id", sa.Integer, primary_key=True, **id_kw),
        sa.Column("seen", sa.Integer, primary_key=composite, nullable=not composite),
    )
    return m


@pytest.mark.backends("postgresql", "mariadb", "sqlite")
@pytest.mark.parametrize("composite_first", [False, True])
def test_primary_key_joining_a_composite_key_loses_its_autoincrement(
    db: LiveDatabase, composite_first: bool
) -> None:
    """Seed 12: (id) -> (id, seen). MariaDB refused to drop the key of an AUTO_INCREMENT
    column (1075); PostgreSQL kept the SERIAL default create_all(new) does not make."""
    old, new = tag_table(composite_first), tag_table(not composite_first)
    rendered = round_trip(db, old, new)
    if db.name == "mariadb":
        assert "autoincrement=" in rendered.upgrade
    with db.engine.begin() as conn:
        columns = {c["name"]: c for c in sa.inspect(conn).get_columns("tag")}
    if db.name == "postgresql":  # back at the old models: SERIAL only for the single key
        assert (columns["id"]["default"] is None) is composite_first


@pytest.mark.backends("mariadb")
def test_mysql_lost_auto_increment_is_detected_and_restored(db: LiveDatabase) -> None:
    """A MODIFY that forgot AUTO_INCREMENT leaves inserts without ids; autogenerate sees it."""
    model = sa.MetaData()
    account = sa.Table(
        "account", model, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer)
    )
    with db.engine.begin() as conn:
        model.create_all(conn)
        conn.exec_driver_sql("ALTER TABLE account MODIFY id INTEGER NOT NULL")
    ops = compare(db, model, include_schemas=False)
    assert [(type(op).__name__, op.column_name, op.autoincrement) for op in ops] == [
        ("AlterColumnOp", "id", True)
    ]
    with db.engine.connect() as conn:
        rendered = migrate_autogen.render_migration_script(
            migrate_autogen.produce_migrations(conn, model)
        )
    run_rendered(db, rendered.upgrade, rendered.imports)
    with db.engine.begin() as conn:
        conn.execute(account.insert().values(n=1))
        assert conn.execute(sa.select(account.c.id)).scalar_one() == 1
    assert compare(db, model, include_schemas=False) == []


def fk_models(extra: str) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table("account", m, sa.Column("id", sa.Integer, primary_key=True))
    items: list[Any] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.ForeignKey("account.id")),
    ]
    if extra == "index":
        items.append(sa.Index("ix_item_account_id", "account_id"))
    elif extra == "unique":
        items.append(sa.UniqueConstraint("account_id"))
    sa.Table("item", m, *items)
    return m


@pytest.mark.parametrize("extra", ["index", "unique"])
def test_index_serving_a_foreign_key_is_dropped_and_made_again(
    db: LiveDatabase, extra: str
) -> None:
    """Seed 59: MySQL's own index for a foreign key was told from one the models had
    by columns alone, so an index the models dropped was kept."""
    round_trip(db, fk_models(extra), fk_models(""))


@pytest.mark.parametrize("extra", ["index", "unique"])
def test_index_made_for_a_foreign_key_can_be_downgraded(db: LiveDatabase, extra: str) -> None:
    """Seeds 5, 16, 19, 32: the downgrade drops the foreign key around the index it removes."""
    rendered = round_trip(db, fk_models(""), fk_models(extra))
    if db.name == "mariadb":
        assert "fk_item_account_id_account" in rendered.downgrade


def key_models(with_account: bool, id_type: Any) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table("tag", m, sa.Column("id", id_type, primary_key=True))
    if with_account:
        sa.Table(
            "account",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("tag_id", sa.Integer, sa.ForeignKey("tag.id", ondelete="CASCADE")),
        )
    return m


def test_key_retyped_while_the_table_referencing_it_is_dropped(db: LiveDatabase) -> None:
    """Seed 188 (MariaDB): tag.id INT -> BIGINT ran before DROP TABLE account, whose foreign
    key still used it (error 1833). Dropped tables now go before the per-table work."""
    round_trip(db, key_models(True, sa.Integer), key_models(False, sa.BigInteger))
