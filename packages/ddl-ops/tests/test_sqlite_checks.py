"""CHECK constraints read from SQLite's CREATE TABLE text: strings, names and comments respected."""

from __future__ import annotations

import sqlalchemy as sa

from ddl_ops.dialects.sqlite_checks import check_constraints, reread_sqlite_checks


def test_check_inside_a_string_literal_is_not_a_constraint() -> None:
    sql = (
        "CREATE TABLE t (id INTEGER, code VARCHAR(9) CHECK (code <> ')'),"
        " CONSTRAINT \"odd name\" CHECK (code <> 'CHECK (x)' AND code <> 'it''s'),"
        " -- CHECK (commented)\n CHECK (length(code) > (1)) /* CHECK (y) */)"
    )
    assert check_constraints(sql) == [
        (None, "code <> ')'"),
        ("odd name", "code <> 'CHECK (x)' AND code <> 'it''s'"),
        (None, "length(code) > (1)"),
    ]


def test_a_column_named_check_in_brackets_is_no_constraint() -> None:
    assert check_constraints('CREATE TABLE t ([check] INT, "check" INT, CHECK ([check] > 0))') == [
        (None, "[check] > 0")
    ]


def test_reflected_table_gets_only_the_real_checks() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, "
            "CONSTRAINT ck_code CHECK (code <> 'CHECK (x)'))"
        )
        table = sa.Table("t", sa.MetaData(), autoload_with=conn)
        reread_sqlite_checks(conn, table)
    checks = [
        (c.name, str(c.sqltext)) for c in table.constraints if isinstance(c, sa.CheckConstraint)
    ]
    assert checks == [("ck_code", "code <> 'CHECK (x)'")]
