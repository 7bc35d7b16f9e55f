"""Schema snapshots compare two databases by value and say what differs, line by line."""

from __future__ import annotations

import sqlalchemy as sa

from migrate_cli.schema_snapshot import schema_differences, schema_snapshot


def snapshot_of(tmp_path, name, ddl):
    engine = sa.create_engine(f"sqlite:///{tmp_path / name}")
    with engine.begin() as conn:
        for statement in ddl:
            conn.exec_driver_sql(statement)
        found = schema_snapshot(conn, exclude={"migrate_version"})
    engine.dispose()
    return found


def test_same_schema_no_difference_and_each_change_named(tmp_path):
    base = [
        "CREATE TABLE migrate_version (version_num VARCHAR(32))",
        "CREATE TABLE a (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)",
        "CREATE INDEX ix_a_name ON a (name)",
    ]
    before = snapshot_of(tmp_path, "1.db", base)
    assert set(before) == {"a"}
    assert schema_differences(before, snapshot_of(tmp_path, "2.db", base)) == []
    after = snapshot_of(
        tmp_path,
        "3.db",
        [
            "CREATE TABLE a (id INTEGER PRIMARY KEY, name VARCHAR(30), extra INTEGER)",
            "CREATE TABLE b (id INTEGER PRIMARY KEY)",
        ],
    )
    assert schema_differences(before, after) == [
        "table b: unexpected",
        "table a: column extra unexpected",
        "table a: column name expected VARCHAR(20) NOT NULL, got VARCHAR(30) NULL",
        "table a indexes: expected (('ix_a_name', ('name',), False),), got ()",
    ]
