"""Property, on live databases: a rebuild with any sequence of column changes keeps the rows.

The same scenarios as the SQLite unit property test (packages/ddl-ops/tests), run with
recreate="always" against each database the integration run targets.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from dbtesting import LiveDatabase
from hypothesis import HealthCheck, given, settings

from ddl_ops import Operations
from ddl_ops.testing.batch_scenarios import (
    apply_changes,
    expected_indexes,
    expected_result,
    scenarios,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(scenario=scenarios())
def test_rebuild_keeps_every_value(
    db: LiveDatabase, scenario: tuple[list[str], list[dict[str, Any]], list[tuple[Any, ...]]]
) -> None:
    start, rows, changes = scenario
    metadata = sa.MetaData()
    table = sa.Table(
        "prop",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        *[sa.Column(name, sa.Integer) for name in start[1:]],
    )
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS prop"))
        metadata.create_all(conn)
        if rows:
            conn.execute(sa.insert(table), [{"id": i + 1, **row} for i, row in enumerate(rows)])
        with Operations.for_connection(conn).batch_alter_table("prop", recreate="always") as batch:
            apply_changes(batch, changes)
    columns, values = expected_result(start, rows, changes)
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert [c["name"] for c in inspector.get_columns("prop")] == columns
        reflected = sa.Table("prop", sa.MetaData(), autoload_with=conn)
        result = conn.execute(sa.select(*[reflected.c[c] for c in columns])).all()
        assert sorted(tuple(r) for r in result) == sorted(values)
        indexes = {
            ix["name"]: ix["column_names"][0]
            for ix in inspector.get_indexes("prop")
            if ix["name"] and ix["name"].startswith("ix_")
        }
        assert indexes == expected_indexes(changes)
