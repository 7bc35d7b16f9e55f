"""Any name a user can type survives the trip through ddl-ops into SQLite and back."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from ddl_ops import Operations

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20
).filter(lambda s: s.strip() == s and not s.lower().startswith("sqlite_"))


@settings(max_examples=60, deadline=None)
@given(table=names, column=names, renamed=names)
def test_odd_names_round_trip_through_sqlite(table: str, column: str, renamed: str) -> None:
    if len({column.lower(), renamed.lower(), "id"}) < 3:
        return
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        ops = Operations.for_connection(conn)
        created = ops.create_table(table, sa.Column("id", sa.Integer, primary_key=True))
        ops.add_column(table, sa.Column(column, sa.String(10), server_default="it's 100%"))
        ops.bulk_insert(created, [{"id": 1}])
        ops.create_index("ix " + column, table, [column])
        ops.alter_column(table, column, new_column_name=renamed)
        inspector = sa.inspect(conn)
        assert inspector.get_table_names() == [table]
        assert [c["name"] for c in inspector.get_columns(table)] == ["id", renamed]
        assert [ix["name"] for ix in inspector.get_indexes(table)] == ["ix " + column]
        quoted = conn.dialect.identifier_preparer.quote
        value = conn.exec_driver_sql(f"SELECT {quoted(renamed)} FROM {quoted(table)}").scalar()
        assert value == "it's 100%"
