"""Server defaults and expressions reduce to the same key however the database respells them."""

import pytest

from migrate_autogen.sqltext import normalize_default, normalize_expression


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
