"""Models and helpers the autogen integration tests share (imported as a module; no tests here).

`wide_model(db)` holds every column type, default, index and constraint kind the
database can store, so "create it, compare it, expect nothing" covers them all.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from dbtesting import LiveDatabase
from sqlalchemy.dialects import mysql, postgresql

import ddl_ops
import migrate_autogen

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def wide_model(db: LiveDatabase) -> sa.MetaData:
    """Every kind of schema object autogenerate compares, in the flavour ``db`` supports."""
    name = db.name
    m = sa.MetaData(naming_convention=NAMING)
    sa.Table(
        "parent",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("region", sa.String(10), nullable=False),
        sa.UniqueConstraint("code", "region", name="uq_parent_code_region"),
        comment="referenced by wide",
    )
    columns: list[Any] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("small", sa.SmallInteger, server_default="0"),
        sa.Column("big", sa.BigInteger, server_default=sa.text("42")),
        sa.Column("name", sa.String(50), nullable=False, server_default="x"),
        sa.Column("uname", sa.Unicode(40), server_default="it's"),
        sa.Column("body", sa.Text, comment="free text"),
        sa.Column("fixed", sa.CHAR(3)),
        sa.Column("price", sa.Numeric(10, 2), server_default="0"),
        sa.Column("ratio", sa.Float),
        sa.Column("precise", sa.Double),
        sa.Column("flag", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("on", sa.Boolean, server_default=sa.true()),
        sa.Column("created", sa.DateTime, server_default=sa.func.now()),
        sa.Column("updated", sa.DateTime(timezone=True)),
        sa.Column("stamp", sa.TIMESTAMP, nullable=True),
        sa.Column("day", sa.Date),
        sa.Column("since", sa.Date, server_default="2020-01-01"),
        sa.Column("since_exact", sa.DateTime, server_default="2020-01-01"),
        sa.Column("clock", sa.Time),
        sa.Column("span", sa.Interval),
        sa.Column("blob", sa.LargeBinary),
        sa.Column("doc", sa.JSON),
        sa.Column("uid", sa.Uuid),
        sa.Column("mood", sa.Enum("sad", "ok", "happy", name="mood")),
        sa.Column(
            "shade",
            sa.Enum("light", "dark", name="shade", native_enum=False, create_constraint=True),
        ),
        sa.Column("strict", sa.Boolean(create_constraint=True, name="strict_bool")),
        sa.Column("doubled", sa.Integer, sa.Computed("small * 2", persisted=True)),
        sa.Column("parent_id", sa.ForeignKey("parent.id", ondelete="CASCADE")),
        sa.Column("parent_code", sa.String(20)),
        sa.Column("parent_region", sa.String(10)),
        sa.Column("email", sa.String(120), index=True),
        sa.Column("slug", sa.String(60), unique=True),
        sa.ForeignKeyConstraint(
            ["parent_code", "parent_region"],
            ["parent.code", "parent.region"],
            onupdate="CASCADE",
            name="fk_wide_parent_pair",
        ),
        sa.CheckConstraint("price >= 0", name="price_positive"),
        sa.UniqueConstraint("name", "small", name="uq_wide_name_small"),
        sa.Index("ix_wide_name_day", "name", "day"),
        sa.Index("ix_wide_email_unique", "email", "id", unique=True),
    ]
    if name == "postgresql":
        columns += [
            sa.Column("tags", postgresql.ARRAY(sa.String(20))),
            sa.Column("meta", postgresql.JSONB, server_default=sa.text("'{}'::jsonb")),
            sa.Column("addr", postgresql.INET),
            sa.Column(
                "labels", postgresql.ARRAY(sa.Text), server_default=sa.text("ARRAY['a', 'b']")
            ),
            sa.Column("window", sa.Interval, server_default=sa.text("'1 day'")),
            # PostgreSQL stores this as '2 days'::interval: only evaluating both tells
            sa.Column("window2", sa.Interval, server_default=sa.text("interval '2 days'")),
            sa.Column("seq", sa.Integer, sa.Identity(start=10, increment=5)),
            sa.Index("ix_wide_lower_name", sa.func.lower(sa.column("name"))),
            sa.Index("ix_wide_partial", "small", postgresql_where=sa.text("small > 5")),
        ]
    if name == "sqlite":
        columns += [
            sa.Index("ix_wide_lower_name", sa.func.lower(sa.column("name"))),
            sa.Index("ix_wide_partial", "small", sqlite_where=sa.text("small > 5")),
        ]
    if name in ("mariadb", "mysql"):
        columns += [
            sa.Column("tiny", mysql.TINYINT(unsigned=True)),
            sa.Column("medium", mysql.MEDIUMTEXT),
            sa.Column("choice", mysql.SET("a", "b", "c")),
        ]
    sa.Table("wide", m, *columns, comment="one of everything")
    long_table = "a_table_whose_name_is_long_enough_to_overflow_identifiers"
    sa.Table(
        long_table,
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a_column_whose_name_is_also_rather_long_too", sa.Integer, index=True),
        sa.Column("another_column_with_a_long_name", sa.String(10), unique=True),
        sa.CheckConstraint(
            "a_column_whose_name_is_also_rather_long_too > 0",
            name="check_with_a_long_name_that_overflows_limits",
        ),
    )
    if db.other_schema is not None:
        sa.Table(
            "elsewhere",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("wide_id", sa.Integer),
            sa.Column("label", sa.String(30), server_default="none"),
            sa.Index("ix_elsewhere_label", "label"),
            schema=db.other_schema,
        )
        if name == "postgresql":  # MySQL would look for `wide` in the other database
            elsewhere = m.tables[f"{db.other_schema}.elsewhere"]
            elsewhere.append_constraint(sa.ForeignKeyConstraint(["wide_id"], ["wide.id"]))
    return m


def create(db: LiveDatabase, metadata: sa.MetaData) -> None:
    with db.engine.begin() as conn:
        metadata.create_all(conn)


def compare(db: LiveDatabase, metadata: sa.MetaData, **options: Any) -> list[Any]:
    options.setdefault("include_schemas", db.other_schema is not None)
    if options["include_schemas"]:
        options.setdefault("include_name", only_test_schemas(db))
    with db.engine.connect() as conn:
        return migrate_autogen.compare_metadata(conn, metadata, **options)


def only_test_schemas(db: LiveDatabase) -> Any:
    """Other helpers' databases live on the same server: look at ours only."""
    allowed = {None, db.other_schema}

    def include_name(name: str | None, type_: str, parents: Any) -> bool:
        return type_ != "schema" or name in allowed

    return include_name


def run_rendered(db: LiveDatabase, code: str, imports: list[str]) -> None:
    """Execute a rendered migration body with ``op`` bound to a live Operations."""
    namespace: dict[str, Any] = {"sa": sa, "op": ddl_ops.op}
    for line in imports:
        exec(line, namespace)
    with db.engine.begin() as conn, ddl_ops.use_operations(ddl_ops.Operations.for_connection(conn)):
        exec(compile(code, "<rendered migration>", "exec"), namespace)


def round_trip(db: LiveDatabase, old: sa.MetaData, new: sa.MetaData) -> Any:
    """Upgrade ``old`` to ``new`` and back with autogenerate's script; return the script."""
    with db.engine.begin() as conn:
        old.create_all(conn)
    with db.engine.connect() as conn:
        script = migrate_autogen.produce_migrations(conn, new)
    rendered = migrate_autogen.render_migration_script(script)
    run_rendered(db, rendered.upgrade, rendered.imports)
    assert compare(db, new, include_schemas=False) == [], rendered.upgrade
    run_rendered(db, rendered.downgrade, rendered.imports)
    assert compare(db, old, include_schemas=False) == [], rendered.downgrade
    return rendered
