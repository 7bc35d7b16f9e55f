"""Server defaults and expressions reduce to the same key however the database respells them."""

import pytest

from migrate_autogen.sqltext import condition_constants, normalize_default, normalize_expression


@pytest.mark.parametrize(
    ("model", "database"),
    [
        ("'0'", "0.00"),
        ("'0'", "'0'::numeric"),
        ("false", "0"),
        ("true", "1"),
        ("now()", "CURRENT_TIMESTAMP"),
        ("now()", "current_timestamp()"),
        ("'x'", "'x'::character varying"),
        ("'it''s'", "('it''s'::text)"),
        ("'{}'", "'{}'::jsonb"),
        ("NULL", None),
        ("lower('A')", "(lower('A'::text))"),
        ("'2020-01-01'", "'2020-01-01 00:00:00'::timestamp without time zone"),
        ("'2020-01-01 10:30'", "'2020-01-01 10:30:00'"),
    ],
)
def test_default_spellings_agree(model: str, database: str | None) -> None:
    assert normalize_default(model) == normalize_default(database)


@pytest.mark.parametrize(
    ("model", "database"),
    [
        ("'0'", "'1'"),
        ("'x'", "'X'"),
        ("now()", "'now'"),
        ("'a'", "'a '"),
        ("1", "'1.5'"),
        ("'2020-01-01'", "'2020-01-02'"),
        ("'2020-01-01 10:30'", "'2020-01-01 10:31:00'"),
    ],
)
def test_real_changes_stay_different(model: str, database: str) -> None:
    assert normalize_default(model) != normalize_default(database)


def test_expressions_ignore_casts_quotes_and_parentheses() -> None:
    assert normalize_expression("lower(s::text)") == normalize_expression('lower("s")')
    assert normalize_expression("(`n` > 0)") == normalize_expression("n > 0::numeric")
    assert normalize_expression("x = 'A'") != normalize_expression("x = 'a'")


# What each database stored for the condition the models wrote (read off PostgreSQL 15
# and MariaDB 10.11): the same constants, each database's spelling.
RESPELLED = [
    ("c > -1", "c > '-1'::integer", False),
    ("c <> 1e3", "c::numeric <> '1000'::numeric", False),
    ("c BETWEEN 0 AND 100", "c >= 0 AND c <= 100", False),
    ("c IN ('a', 'b, c')", "c::text = ANY (ARRAY['a'::character varying, 'b, c'::text])", False),
    ("c <> 'it''s'", "`c` <> 'it\\'s'", True),
    ("c <> 'a\\\\b'", "`c` <> 'a\\\\b'", True),
    ("c >= 0.50", "c >= 0.5::numeric(10,2)", False),
    ("CAST(c AS DECIMAL(10, 2)) < 5.5", "(c)::numeric(10,2) < 5.5", False),
    ("c > '2020-01-01'", "c > '2020-01-01 00:00:00'::timestamp without time zone", False),
    ("c2 % 2 = 0", "`c2` MOD 2 = 0", True),
    ("c < interval '24 hours'", "c < '24:00:00'::interval", False),
]


@pytest.mark.parametrize(("written", "stored", "escapes"), RESPELLED)
def test_condition_constants_survive_respelling(written: str, stored: str, escapes: bool) -> None:
    assert condition_constants(written, escapes) == condition_constants(stored, escapes)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("c >= 0", "c >= 10"),
        ("c IN (1, 2)", "c IN (1, 2, 3)"),
        ("c <> 'x(y)'", "c <> 'x(z)'"),
        ("c > '2020-01-01'", "c > '2020-01-02'"),
        ("c < 1000.5", "c < 1000.25"),
    ],
)
def test_condition_constants_tell_a_changed_constant(before: str, after: str) -> None:
    assert condition_constants(before) != condition_constants(after)
