"""Property: any sequence of column changes in one batch keeps every row's values.

Hypothesis draws a table, its rows and a list of add/rename/drop/tighten/move changes; the
rebuilt SQLite table must hold exactly what a plain Python model of the same changes predicts.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddl_ops import Operations
from ddl_ops.testing.batch_scenarios import (
    apply_changes,
    expected_indexes,
    expected_result,
    scenarios,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(["auto", "always"]))
def test_one_batch_keeps_every_value(
    scenario: tuple[list[str], list[dict[str, Any]], list[tuple[Any, ...]]], recreate: str
) -> None:
    start, rows, changes = scenario
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    metadata = sa.MetaData()
    table = sa.Table(
        "t",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        *[sa.Column(name, sa.Integer) for name in start[1:]],
    )
    with engine.begin() as conn:
        metadata.create_all(conn)
        if rows:
            conn.execute(sa.insert(table), rows)
        with Operations.for_connection(conn).batch_alter_table("t", recreate=recreate) as batch:
            apply_changes(batch, changes)
    columns, values = expected_result(start, rows, changes)
    with engine.connect() as conn:
        assert [c["name"] for c in sa.inspect(conn).get_columns("t")] == columns
        quoted = ", ".join(f'"{c}"' for c in columns)
        result = conn.exec_driver_sql(f"SELECT {quoted} FROM t").all()
        assert sorted(tuple(r) for r in result) == sorted(values)
        indexes = {
            name: conn.exec_driver_sql(f"PRAGMA index_info({name})").one()[2]
            for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
        assert indexes == expected_indexes(changes)
    engine.dispose()
