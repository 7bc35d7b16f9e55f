"""Production-shaped models taken through autogenerate the way a team would use it.

Each test starts from what a real project has (declarative-style tables with a
naming convention, variants, foreign keys between tables whose types change),
creates or changes the schema ONLY through the rendered migration, then
compares again and requires no operation: a migration that does not run, or
that leaves a difference behind, is what these tests catch.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from sqlalchemy.dialects import postgresql
from test_autogen_models import NAMING, compare, create, only_test_schemas, run_rendered

import ddl_ops
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


def _upgrade(db: LiveDatabase, wanted: sa.MetaData) -> None:
    rendered = _migrate(db, wanted)[1]
    run_rendered(db, rendered.upgrade, rendered.imports)


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
    elif db.name == "postgresql":  # account.id is a SERIAL: its sequence widens too
        assert names == ["AlterColumnOp", "AlterSequenceTypeOp", "AlterColumnOp"]
    elif db.name == "sqlite":  # account.id is the 64-bit rowid already: only entry changes
        assert names == ["AlterColumnOp"]
    else:
        assert names == alters
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT account_id FROM entry")).scalar_one() == 1


def _checked(with_quantity: bool = True) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    columns: list[Any] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "state",
            sa.Enum("on", "off", name="acct_state", native_enum=False, create_constraint=True),
        ),
        sa.Column("ok", sa.Boolean(create_constraint=True, name="ok_bool")),
    ]
    if with_quantity:
        # a CHECK given on the column, as declarative models often do
        columns.append(sa.Column("qty", sa.Integer, sa.CheckConstraint("qty > 0", name="qty_pos")))
    sa.Table("stock", m, *columns)
    return m


def _check_names(db: LiveDatabase) -> set[str]:
    with db.engine.connect() as conn:
        return {c["name"] for c in sa.inspect(conn).get_check_constraints("stock")}


def test_checks_a_migration_creates_carry_the_models_names(db: LiveDatabase) -> None:
    """Column-level CHECKs must be created, and the CHECKs a type makes must get the
    naming-convention name the models give them, or the next compare differs."""
    wanted = _checked()
    names, rendered = _migrate(db, wanted)
    assert names == ["CreateTableOp"]
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, wanted) == []
    expected = {"ck_stock_acct_state", "ck_stock_qty_pos"}
    if db.name != "postgresql":  # PostgreSQL has a real BOOLEAN
        expected.add("ck_stock_ok_bool")
    assert _check_names(db) == expected
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO stock (id, qty) VALUES (1, 0)"))


def test_column_level_check_is_detected_added_and_undone(db: LiveDatabase) -> None:
    before, after = _checked(with_quantity=False), _checked()
    create(db, before)
    names = _round_trip(db, before, after)
    assert names == ["AddColumnOp", "CreateCheckConstraintOp"]
    _upgrade(db, after)
    assert "ck_stock_qty_pos" in _check_names(db)


def _org() -> sa.MetaData:
    """Departments and employees refer to each other, the cycle broken with use_alter."""
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table(
        "dept",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "manager_id",
            sa.Integer,
            sa.ForeignKey("emp.id", use_alter=True, name="fk_dept_manager"),
        ),
    )
    sa.Table(
        "emp",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dept_id", sa.Integer, sa.ForeignKey("dept.id", ondelete="SET NULL")),
    )
    return m


def test_tables_that_refer_to_each_other_are_created_and_dropped(db: LiveDatabase) -> None:
    org = _org()
    names = _round_trip(db, sa.MetaData(), org)
    if db.name == "sqlite":  # no ALTER: SQLite takes the foreign key inside CREATE TABLE
        assert names == ["CreateTableOp", "CreateTableOp"]
    else:
        assert names == ["CreateTableOp", "CreateTableOp", "CreateForeignKeyOp"]
    _upgrade(db, org)
    assert compare(db, org) == []
    _round_trip(db, org, sa.MetaData())


def test_percent_signs_in_defaults_and_expressions_are_not_changes(db: LiveDatabase) -> None:
    """psycopg and pymysql take %-formatted SQL, so SQLAlchemy writes '%' as '%%' in the
    DDL it compiles for them; the database stores one '%'."""
    m = sa.MetaData()  # the CHECK stays unnamed: matched by its condition
    sa.Table(
        "promo",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(30), server_default="50% off"),
        sa.Column("qty", sa.Integer),
        sa.Column("bucket", sa.Integer, sa.Computed("qty % 7", persisted=True)),
        sa.CheckConstraint("qty % 2 >= 0"),
    )
    names, rendered = _migrate(db, m)
    assert names == ["CreateTableOp"]
    run_rendered(db, rendered.upgrade, rendered.imports)
    with warnings.catch_warnings():
        warnings.simplefilter("error", migrate_autogen.AutogenWarning)
        assert compare(db, m) == []


@pytest.mark.backends("sqlite")
def test_sqlite_generated_column_of_a_numeric_type_round_trips(db: LiveDatabase) -> None:
    """SQLAlchemy cannot read back the expression of a generated column whose type has a
    comma (NUMERIC(12, 2)): dropping the table must still be undoable, without warnings."""
    m = sa.MetaData()
    sa.Table(
        "invoice",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("net", sa.Numeric(12, 2)),
        sa.Column("gross", sa.Numeric(12, 2), sa.Computed("net * 1.2")),
    )
    create(db, m)
    with warnings.catch_warnings():
        warnings.simplefilter("error", migrate_autogen.AutogenWarning)
        assert compare(db, m) == []
        assert _round_trip(db, m, sa.MetaData()) == ["DropTableOp"]


def _flags(*states: str) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table(
        "switch",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "state",
            sa.Enum(*states, name="switch_state", native_enum=False, create_constraint=True),
        ),
    )
    return m


@pytest.mark.parametrize(
    "added", [("on", "off", "na"), ("on", "off", "unknown")], ids=["same length", "longer"]
)
def test_value_added_to_a_checked_non_native_enum_can_be_stored(
    db: LiveDatabase, added: tuple[str, ...]
) -> None:
    """The CHECK a non-native Enum makes lists its values: adding one must replace it,
    or the database keeps rejecting the new value the models now allow."""
    before, after = _flags("on", "off"), _flags(*added)
    create(db, before)
    names = _round_trip(db, before, after)
    assert "CreateCheckConstraintOp" in names
    _upgrade(db, after)
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO switch (id, state) VALUES (1, :s)"), {"s": added[-1]})


def _feed(descending: bool) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    post = sa.Table(
        "post",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author", sa.String(40), nullable=False),
        sa.Column("published", sa.DateTime),
    )
    # the usual "newest first" index, written with the model's own columns
    published = post.c.published.desc() if descending else post.c.published
    sa.Index("ix_post_author_published", post.c.author, published)
    return m


def test_descending_index_round_trips_and_its_direction_is_compared(db: LiveDatabase) -> None:
    newest_first = _feed(descending=True)
    assert _round_trip(db, sa.MetaData(), newest_first) == ["CreateTableOp"]
    _upgrade(db, newest_first)
    assert compare(db, newest_first) == []
    oldest_first = _feed(descending=False)
    assert _round_trip(db, newest_first, oldest_first) == ["DropIndexOp", "CreateIndexOp"]


def _orders(unique_columns: tuple[str, ...]) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table("customer", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "orders",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.UniqueConstraint(*unique_columns, name=f"uq_orders_{'_'.join(unique_columns)}"),
    )
    return m


def test_dropping_the_index_a_foreign_key_uses_runs_on_every_database(db: LiveDatabase) -> None:
    """MariaDB lets the foreign key use the unique index on (customer_id, code) and then
    refuses to drop that index (error 1553) while the foreign key exists."""
    before = _orders(("customer_id", "code"))
    after = _orders(("code", "customer_id"))
    create(db, before)
    names = _round_trip(db, before, after)
    if db.name == "mariadb":
        assert names == [
            "DropConstraintOp",
            "DropIndexOp",
            "CreateUniqueConstraintOp",
            "CreateForeignKeyOp",
        ]
    else:
        assert names == ["DropConstraintOp", "CreateUniqueConstraintOp"]


def _renamed(column: str) -> sa.MetaData:
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table(
        "orders",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(column, sa.Integer),
        sa.Column("note", sa.String(40)),
    )
    return m


def test_a_column_renamed_in_the_models_gets_the_rename_hint(db: LiveDatabase) -> None:
    """The database reflects INTEGER where the models say Integer: still the same type,
    so the script must show how to keep the data instead of dropping it."""
    create(db, _renamed("cust_id"))
    names, rendered = _migrate(db, _renamed("customer_id"))
    assert names == ["AddColumnOp", "DropColumnOp"]
    hint = "alter_column('orders', 'cust_id', new_column_name='customer_id')"
    assert hint in rendered.upgrade


def _documents(body: sa.types.TypeEngine[Any], scan: sa.types.TypeEngine[Any]) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "document",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body", body),
        sa.Column("scan", scan),
    )
    return m


@pytest.mark.backends("mariadb")
def test_sized_text_and_blob_match_the_type_mysql_chose(db: LiveDatabase) -> None:
    """MySQL turns TEXT(n) / BLOB(n) into the smallest TEXT / BLOB kind that holds n,
    so Text(100_000) is stored as MEDIUMTEXT; growing it past that kind is a change."""
    wanted = _documents(sa.Text(100_000), sa.LargeBinary(1000))
    names, rendered = _migrate(db, wanted)
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, wanted) == []
    assert compare(db, _documents(sa.Text(1000), sa.LargeBinary(1000))) != []
    bigger = _documents(sa.Text(100_000), sa.LargeBinary(2**24))
    assert _round_trip(db, wanted, bigger) == ["AlterColumnOp"]


def _events(with_index: bool) -> sa.MetaData:
    m = sa.MetaData()
    event = sa.Table(
        "event",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("meta", postgresql.JSONB),
        sa.Column("qty", sa.Integer),
    )
    if with_index:
        sa.Index("ix_event_kind", event.c.meta["kind"].astext)
        sa.Index("ix_event_double", event.c.qty * 2)
    return m


@pytest.mark.backends("postgresql")
def test_operator_expression_indexes_are_rendered_in_parentheses(db: LiveDatabase) -> None:
    """PostgreSQL takes `(meta ->> 'kind')` as an index element, not `meta ->> 'kind'`."""
    indexed = _events(with_index=True)
    assert _round_trip(db, sa.MetaData(), indexed) == ["CreateTableOp"]
    _upgrade(db, _events(with_index=False))
    assert _round_trip(db, _events(with_index=False), indexed) == [
        "CreateIndexOp",
        "CreateIndexOp",
    ]
    _upgrade(db, indexed)
    assert _round_trip(db, indexed, sa.MetaData()) == ["DropTableOp"]


def _run_as_a_runner_would(db: LiveDatabase, code: str, imports: list[str]) -> None:
    """Like run_rendered, with the transaction begun as migrate's runtime begins it
    (conn.begin(), not `with engine.begin()`), so autocommit_block() may commit it."""
    namespace: dict[str, Any] = {"sa": sa, "op": ddl_ops.op}
    for line in imports:
        exec(line, namespace)
    with db.engine.connect() as conn:
        conn.begin()
        with ddl_ops.use_operations(ddl_ops.Operations.for_connection(conn)):
            exec(compile(code, "<rendered migration>", "exec"), namespace)
        conn.commit()


def _shipments(*states: str, default: str) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "shipment",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("state", sa.Enum(*states, name="ship_state"), server_default=default),
    )
    return m


@pytest.mark.backends("postgresql")
def test_enum_value_added_and_used_as_default_in_one_migration(db: LiveDatabase) -> None:
    """PostgreSQL refuses a new enum value in the transaction that added it ("unsafe use
    of new value"): the value must be committed before the default can name it."""
    before = _shipments("new", "sent", default="new")
    after = _shipments("new", "packed", "sent", default="packed")
    create(db, before)
    names, rendered = _migrate(db, after)
    assert names == ["AddEnumValueOp", "AlterColumnOp"]
    _run_as_a_runner_would(db, rendered.upgrade, rendered.imports)
    assert compare(db, after) == []
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO shipment (id) VALUES (1)"))
        assert conn.execute(sa.text("SELECT state FROM shipment")).scalar_one() == "packed"


def test_checked_enum_and_boolean_columns_added_to_a_table(db: LiveDatabase) -> None:
    """Their CHECKs come as create_check_constraint; batch mode must not add a second,
    type-named copy of each."""
    before = sa.MetaData(naming_convention=NAMING)
    sa.Table("stock", before, sa.Column("id", sa.Integer, primary_key=True))
    after = _checked(with_quantity=False)
    create(db, before)
    names = _round_trip(db, before, after)
    assert names[:2] == ["AddColumnOp", "AddColumnOp"]
    _upgrade(db, after)
    expected = {"ck_stock_acct_state"} | (
        {"ck_stock_ok_bool"} if db.name != "postgresql" else set()
    )
    assert _check_names(db) == expected


@pytest.mark.backends("postgresql")
def test_enum_used_only_inside_an_array_is_created_and_dropped(db: LiveDatabase) -> None:
    m = sa.MetaData()
    sa.Table(
        "post",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tags", postgresql.ARRAY(sa.Enum("news", "howto", name="post_tag"))),
    )
    assert _round_trip(db, sa.MetaData(), m) == ["CreateEnumTypeOp", "CreateTableOp"]
    _upgrade(db, m)
    assert _round_trip(db, m, sa.MetaData()) == ["DropTableOp", "DropEnumTypeOp"]


def _accounts(id_type: type[sa.types.TypeEngine[Any]], comment: str | None) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "acct",
        m,
        sa.Column("id", id_type, primary_key=True, comment=comment),
        sa.Column("name", sa.String(20)),
    )
    return m


@pytest.mark.backends("postgresql", "mariadb")  # SQLite: no comments; BIGINT is no rowid
def test_altering_an_auto_increment_key_keeps_it_generating_ids(db: LiveDatabase) -> None:
    """MySQL's MODIFY restates the whole column: without AUTO_INCREMENT in it, widening
    the key (or commenting it) silently stops the database from generating ids."""
    before = _accounts(sa.Integer, None)
    create(db, before)
    steps = [_accounts(sa.Integer, "surrogate key"), _accounts(sa.BigInteger, "surrogate key")]
    for previous, wanted in zip([before, *steps], steps, strict=False):
        widens_serial = db.name == "postgresql" and wanted is steps[-1]
        expected = ["AlterColumnOp"] + (["AlterSequenceTypeOp"] if widens_serial else [])
        assert _round_trip(db, previous, wanted) == expected
        for state in ("downgraded", "upgraded"):
            with db.engine.begin() as conn:
                conn.execute(sa.text("INSERT INTO acct (name) VALUES (:n)"), {"n": state})
            if state == "downgraded":
                _upgrade(db, wanted)


@pytest.mark.backends("postgresql")
def test_widening_a_serial_key_widens_its_sequence(db: LiveDatabase) -> None:
    """SERIAL makes an `AS integer` sequence that ALTER COLUMN TYPE bigint leaves alone:
    without widening it too, ids still stop at 2**31 - 1, the limit the change is for."""
    before, after = _accounts(sa.Integer, None), _accounts(sa.BigInteger, None)
    create(db, before)
    assert _round_trip(db, before, after) == ["AlterColumnOp", "AlterSequenceTypeOp"]
    _upgrade(db, after)
    with db.engine.begin() as conn:
        conn.execute(sa.text("SELECT setval('acct_id_seq', 2147483647)"))
        conn.execute(sa.text("INSERT INTO acct (name) VALUES ('past int')"))
        assert conn.execute(sa.text("SELECT max(id) FROM acct")).scalar_one() == 2**31
