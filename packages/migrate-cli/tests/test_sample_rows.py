"""Made-up rows for the plugin's no-data-loss test: valid, unique, parents before children."""

from __future__ import annotations

import sqlalchemy as sa

from migrate_cli.sample_rows import RowMaker, rows_missing


def test_rows_for_many_types_and_a_foreign_key(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    metadata = sa.MetaData()
    sa.Table(
        "parent",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("flag", sa.Boolean, nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("amount", sa.Numeric(10, 2), nullable=False),
        sa.Column("code", sa.String(8), nullable=False, unique=True),
    )
    sa.Table(
        "child",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.ForeignKey("parent.id"), nullable=False),
    )
    sa.Table("odd", metadata, sa.Column("x", sa.String(1), nullable=False, unique=True))
    metadata.create_all(engine)
    maker = RowMaker()
    first = maker.insert_into_every_table(engine)
    second = maker.insert_into_every_table(engine)  # unique values: the second round fits too
    assert {r.table for r in first.rows} == {"parent", "child"}
    assert {r.table for r in second.rows} == {"parent", "child"}
    assert "odd" in first.skipped and "too short" in first.skipped["odd"]
    child = next(r for r in first.rows if r.table == "child")
    parent = next(r for r in first.rows if r.table == "parent")
    assert child.values["parent_id"] == parent.values["id"]
    assert rows_missing(engine, first.rows + second.rows) == []
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM child")
    missing = rows_missing(engine, first.rows)
    assert missing == [f"table child: row {{'id': {child.values['id']}}} is gone"]
    engine.dispose()


def test_a_required_reference_to_an_empty_table_is_skipped(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    metadata = sa.MetaData()
    sa.Table("parent", metadata, sa.Column("id", sa.LargeBinary, primary_key=True))
    sa.Table(
        "child",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.ForeignKey("parent.id"), nullable=False),
    )
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER no_parents BEFORE INSERT ON parent "
            "BEGIN SELECT RAISE(ABORT, 'parents are read-only'); END"
        )
    result = RowMaker().insert_into_every_table(engine)
    assert "parents are read-only" in result.skipped["parent"]
    assert "must reference a row of an empty table" in result.skipped["child"]
    engine.dispose()
