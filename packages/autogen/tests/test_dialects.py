"""Per-database rules are found along the dialect chain, never by comparing names."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from migrate_autogen import ComparatorRegistry, compare_metadata
from migrate_autogen.dialects import (
    DialectRules,
    dialect_chain,
    register_dialect_rules,
    rules_for,
)
from migrate_autogen.dialects.mysql import MySQLRules
from migrate_autogen.dialects.postgresql import PostgreSQLRules
from migrate_autogen.dialects.sqlite import SQLiteRules


def test_each_database_finds_its_rules() -> None:
    assert isinstance(rules_for(sqlite.dialect()), SQLiteRules)
    assert isinstance(rules_for(postgresql.dialect()), PostgreSQLRules)
    assert isinstance(rules_for(mysql.dialect()), MySQLRules)
    assert type(rules_for("mssql")) is DialectRules
    assert type(rules_for(None)) is DialectRules


def test_mariadb_falls_back_to_mysql_along_the_chain() -> None:
    dialect = mysql.dialect()
    dialect.is_mariadb = True  # a mysql:// URL that reached a MariaDB server
    assert dialect_chain(dialect) == ("mariadb", "mysql", "default")
    assert dialect_chain("mariadb") == ("mariadb", "mysql", "default")
    assert isinstance(rules_for(dialect), MySQLRules)


def test_a_dialect_ddl_ops_does_not_know_keeps_its_own_name() -> None:
    assert dialect_chain("nosuchdb") == ("nosuchdb", "default")


def test_comparators_follow_the_chain() -> None:
    registry = ComparatorRegistry()

    def for_mysql(ctx: object) -> list[object]:
        return []

    def for_mariadb(ctx: object) -> list[object]:
        return []

    registry.add("schema", for_mysql, dialect="mysql")
    registry.add("schema", for_mariadb, dialect="mariadb")
    assert registry.for_kind("schema", "mariadb") == [for_mysql, for_mariadb]
    assert registry.for_kind("schema", "mysql") == [for_mysql]
    assert registry.for_kind("schema", "sqlite") == []


def test_a_new_database_is_a_module_and_a_registration() -> None:
    class NoSuchRules(DialectRules):
        name = "nosuchdb2"
        render_as_batch = True

    register_dialect_rules(NoSuchRules())
    assert isinstance(rules_for("nosuchdb2"), NoSuchRules)


def test_sqlite_descending_and_check_read_from_the_catalog(conn: sa.Connection) -> None:
    """One catalog read: a DESC index and a CHECK naming 'CHECK (' in a string compare clean."""
    metadata = sa.MetaData()
    t = sa.Table(
        "t",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(20)),
        sa.Column("at", sa.Integer),
        sa.CheckConstraint("code <> 'CHECK (x)'", name="ck_code"),
    )
    sa.Index("ix_t_at", t.c.at.desc())
    sa.Index("ix_t_code", t.c.code)
    metadata.create_all(conn)
    conn.commit()
    assert compare_metadata(conn, metadata) == []
