"""A named CHECK whose condition changed is replaced; one the database only respelled is not.

Each database stores a CHECK's condition in its own form (PostgreSQL adds casts
and turns IN into ``= ANY (ARRAY[...])``, MariaDB backquotes names and writes
length() as octet_length()). Every condition below is created, reflected and
compared on the live database: unchanged, autogenerate must find nothing;
with one constant changed, it must replace the CHECK, and the round trip must
leave the database matching the models each way.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from test_autogen_models import compare, round_trip

#: (column type, condition as the models write it, the same with one constant changed)
CONDITIONS: list[tuple[str, str, str]] = [
    ("int", "v >= 0", "v >= 10"),
    ("int", "v IS NULL OR v <> 13", "v IS NULL OR v <> 14"),
    ("int", "v BETWEEN 0 AND 100", "v BETWEEN 0 AND 1000"),
    ("int", "v > -1", "v > -5"),
    ("int", "v IN (1, 2, 3)", "v IN (1, 2, 3, 4)"),
    ("int", "v % 2 = 0", "v % 3 = 0"),
    ("int", "v <> 1e3", "v <> 2e3"),
    ("int", "v > 0 AND v < 10", "v > 0 AND v < 20"),
    ("int", "CAST(v AS DECIMAL(10, 2)) < 5.5", "CAST(v AS DECIMAL(10, 2)) < 6.5"),
    ("str", "length(v) > 0", "length(v) > 1"),
    ("str", "v IN ('a', 'b, c', 'd')", "v IN ('a', 'b, c', 'e')"),
    ("str", "v <> ''", "v <> 'none'"),
    ("str", "v <> 'x(y)'", "v <> 'x(z)'"),
    ("str", "v <> 'CHECK (x)'", "v <> 'CHECK (y)'"),
    ("str", "v <> 'it''s'", "v <> 'its'"),
    ("str", "v LIKE 'A%'", "v LIKE 'B%'"),
    ("str", "lower(v) = v", "upper(v) = v"),
    ("num", "v >= 0", "v >= 1"),
    ("num", "v < 1000.5", "v < 1000.25"),
    ("num", "v >= 0.50", "v >= 0.75"),
    ("num", "v > -2.5", "v > -3.5"),
    ("date", "v > '2020-01-01'", "v > '2021-01-01'"),
    ("datetime", "v > '2020-01-01'", "v > '2020-01-02'"),
    ("datetime", "v > '2020-01-01 10:00:00'", "v > '2020-01-01 11:00:00'"),
]
#: PostgreSQL only: an interval is stored respelled ('24 hours' as '24:00:00').
INTERVALS: list[tuple[str, str, str]] = [
    ("interval", "v < interval '24 hours'", "v < interval '36 hours'"),
]
TYPES: dict[str, Any] = {
    "int": sa.Integer,
    "str": sa.String(20),
    "num": sa.Numeric(10, 2),
    "date": sa.Date,
    "datetime": sa.DateTime,
    "interval": sa.Interval,
}
#: Changes the constants do not show: a function or operator replaced, constants kept;
#: and an interval's, whose spelling PostgreSQL changes.
UNSEEN = {"lower(v) = v", "v < interval '24 hours'"}


def model(type_key: str, condition: str) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "checked",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("v", TYPES[type_key]),
        sa.CheckConstraint(condition, name="ck_checked_v"),
    )
    return metadata


def ids(case: tuple[str, str, str]) -> str:
    return case[1]


@pytest.mark.backends("postgresql", "mariadb", "sqlite")
@pytest.mark.parametrize("case", CONDITIONS, ids=ids)
def test_a_respelled_condition_is_not_a_change(
    db: LiveDatabase, case: tuple[str, str, str]
) -> None:
    type_key, condition, _changed = case
    metadata = model(type_key, condition)
    with db.engine.begin() as conn:
        metadata.create_all(conn)

    assert compare(db, metadata, include_schemas=False) == []


@pytest.mark.backends("postgresql", "mariadb", "sqlite")
@pytest.mark.parametrize("case", CONDITIONS, ids=ids)
def test_a_changed_constant_replaces_the_check(
    db: LiveDatabase, case: tuple[str, str, str]
) -> None:
    type_key, condition, changed = case
    old, new = model(type_key, condition), model(type_key, changed)
    with db.engine.begin() as conn:
        old.create_all(conn)

    operations = compare(db, new, include_schemas=False)
    if condition in UNSEEN:
        assert operations == []
        return
    kinds = [type(op).__name__ for op in operations]
    assert kinds == ["DropConstraintOp", "CreateCheckConstraintOp"], operations
    round_trip(db, old, new)  # create_all(old) finds the tables there already


@pytest.mark.backends("postgresql")
@pytest.mark.parametrize("case", INTERVALS, ids=ids)
def test_an_interval_postgresql_respells_is_not_a_change(
    db: LiveDatabase, case: tuple[str, str, str]
) -> None:
    test_a_respelled_condition_is_not_a_change(db, case)
