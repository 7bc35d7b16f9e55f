"""Type folding per dialect: spellings the database uses for what the model said are equal."""

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from migrate_autogen.compare.types import _fold, compiled_type


@pytest.mark.parametrize(
    ("dialect", "model", "database"),
    [
        (mysql.dialect(), sa.Boolean(), mysql.TINYINT(display_width=1)),
        (mysql.dialect(), sa.Integer(), mysql.INTEGER(display_width=11)),
        (mysql.dialect(), sa.BigInteger(), mysql.BIGINT(display_width=20)),
        (mysql.dialect(), sa.Numeric(10, 2), mysql.DECIMAL(10, 2)),
        (mysql.dialect(), sa.Numeric(), mysql.DECIMAL(10, 0)),
        (mysql.dialect(), sa.JSON(), mysql.LONGTEXT(charset="utf8mb4", collation="utf8mb4_bin")),
        (mysql.dialect(), sa.String(20), mysql.VARCHAR(20, collation="utf8mb4_general_ci")),
        (mysql.dialect(), sa.Float(precision=53), mysql.DOUBLE()),
        (mysql.dialect(), mysql.TINYINT(unsigned=True), mysql.TINYINT(3, unsigned=True)),
        (postgresql.dialect(), sa.Float(), postgresql.DOUBLE_PRECISION(precision=53)),
        (postgresql.dialect(), sa.Float(precision=10), postgresql.REAL()),
        (postgresql.dialect(), sa.Numeric(10, 2), postgresql.NUMERIC(10, 2)),
        (postgresql.dialect(), sa.DateTime(), postgresql.TIMESTAMP()),
        (postgresql.dialect(), sa.Enum("a", name="e"), postgresql.ENUM("a", name="e")),
        (sqlite.dialect(), sa.Enum("ab", "c"), sa.VARCHAR(2)),
        (sqlite.dialect(), sa.Uuid(), sa.CHAR(32)),
    ],
)
def test_same_type_in_other_spelling(dialect: object, model: object, database: object) -> None:
    model_sql, db_sql = compiled_type(model, dialect), compiled_type(database, dialect)  # type: ignore[arg-type]
    assert model_sql is not None and db_sql is not None
    assert _fold(model_sql, dialect) == _fold(db_sql, dialect)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dialect", "model", "database"),
    [
        (mysql.dialect(), sa.String(20), mysql.VARCHAR(30)),
        (mysql.dialect(), sa.Integer(), mysql.BIGINT(20)),
        (mysql.dialect(), sa.Boolean(), mysql.TINYINT(4)),
        (mysql.dialect(), sa.Enum("a", "b"), mysql.ENUM("a", "b", "c")),
        (postgresql.dialect(), sa.Numeric(10, 2), postgresql.NUMERIC(12, 2)),
        (postgresql.dialect(), sa.DateTime(timezone=True), postgresql.TIMESTAMP()),
        (postgresql.dialect(), sa.Text(), postgresql.VARCHAR(10)),
        (sqlite.dialect(), sa.Integer(), sa.TEXT()),
    ],
)
def test_real_type_changes_differ(dialect: object, model: object, database: object) -> None:
    model_sql, db_sql = compiled_type(model, dialect), compiled_type(database, dialect)  # type: ignore[arg-type]
    assert _fold(model_sql, dialect) != _fold(db_sql, dialect)  # type: ignore[arg-type]
