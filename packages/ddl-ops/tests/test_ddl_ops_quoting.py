"""Reserved and odd names are quoted by each dialect's own rules, schema-qualified too."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

WEIRD = 'weird "name"'

# (dialect, quoted "order", quoted weird name, quoted schema "my schema")
QUOTES = {
    "postgresql": ('"order"', '"weird ""name"""', '"my schema"'),
    "sqlite": ('"order"', '"weird ""name"""', '"my schema"'),
    "oracle": ('"order"', '"weird ""name"""', '"my schema"'),
    "mysql": ("`order`", '`weird "name"`', "`my schema`"),
    "mariadb": ("`order`", '`weird "name"`', "`my schema`"),
    "mssql": ("[order]", '[weird "name"]', "[my schema]"),
}


@pytest.mark.parametrize("dialect", sorted(QUOTES))
def test_names_are_quoted_everywhere(record, dialect) -> None:  # type: ignore[no-untyped-def]
    order, weird, schema = QUOTES[dialect]
    rec = record(dialect)
    rec.ops.create_table("order", sa.Column(WEIRD, sa.Integer), schema="my schema")
    rec.ops.add_column("order", sa.Column(WEIRD, sa.Integer), schema="my schema")
    rec.ops.create_index("ix " + WEIRD, "order", [WEIRD], schema="my schema")
    rec.ops.drop_column("order", WEIRD, schema="my schema")
    rec.ops.drop_table("order", schema="my schema")
    statements = rec.statements
    qualified = f"{schema}.{order}"
    null = " NULL" if dialect == "mssql" else ""
    assert statements[0] == f"CREATE TABLE {qualified} (\n\t{weird} INTEGER{null}\n)"
    assert statements[1].startswith(f"ALTER TABLE {qualified} ADD")
    assert statements[1].endswith(f"{weird} INTEGER{null}")
    # SQLite qualifies the index name instead of the table: CREATE INDEX s.ix ON t (...)
    index_target = order if dialect == "sqlite" else qualified
    assert f"ON {index_target} ({weird})" in statements[2]
    assert statements[-2] == f"ALTER TABLE {qualified} DROP COLUMN {weird}"
    assert statements[-1] == f"DROP TABLE {qualified}"


@pytest.mark.parametrize("dialect", sorted(QUOTES))
def test_percent_signs_and_quotes_in_literals(record, dialect) -> None:  # type: ignore[no-untyped-def]
    rec = record(dialect)
    table = sa.table("t", sa.column("a", sa.String))
    rec.ops.bulk_insert(table, [{"a": "100% it's"}])
    assert rec.statements == ["INSERT INTO t (a) VALUES ('100% it''s')"]


def test_reserved_words_differ_per_dialect(record) -> None:  # type: ignore[no-untyped-def]
    pg, my = record("postgresql"), record("mysql")
    for rec in (pg, my):
        rec.ops.rename_table("user", "select")
    assert pg.statements == ['ALTER TABLE "user" RENAME TO "select"']
    assert my.statements == ["ALTER TABLE user RENAME TO `select`"]
