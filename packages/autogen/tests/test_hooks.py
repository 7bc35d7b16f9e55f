"""User hooks: custom comparators, the rewriter, dropping empty migrations, include hooks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

import ddl_ops
from migrate_autogen import (
    ComparatorRegistry,
    MigrationScript,
    Rewriter,
    TablePair,
    compare_metadata,
    drop_empty_migrations,
    produce_migrations,
)


def _table(metadata: sa.MetaData, *extra: Any) -> sa.Table:
    return sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True), *extra)


@pytest.fixture
def synced(conn: sa.Connection) -> sa.MetaData:
    metadata = sa.MetaData()
    _table(metadata, sa.Column("name", sa.String(20)))
    metadata.create_all(conn)
    conn.commit()
    return metadata


def test_custom_table_comparator_adds_operations(conn: sa.Connection, synced: sa.MetaData) -> None:
    registry = ComparatorRegistry()

    @registry.register("table", priority=5)
    def grant_check(ctx: Any, pair: TablePair) -> Iterator[ddl_ops.MigrateOperation]:
        if pair.meta.info.get("audited"):
            yield ddl_ops.ExecuteSQLOp(f"-- audit {pair.name}")

    synced.tables["t"].info["audited"] = True
    ops = compare_metadata(conn, synced, comparators=registry)
    assert [op.sqltext for op in ops] == ["-- audit t"]  # type: ignore[attr-defined]
    assert compare_metadata(conn, synced) == []  # the global registry is untouched


def test_dialect_specific_type_comparator_wins_by_priority(
    conn: sa.Connection, synced: sa.MetaData
) -> None:
    registry = ComparatorRegistry()
    seen: list[str] = []

    @registry.register("type", dialect="postgresql", priority=1)
    def never_here(ctx: Any, pair: Any) -> bool:
        raise AssertionError("a postgresql comparator ran on sqlite")

    @registry.register("type", dialect="sqlite", priority=1)
    def names_differ(ctx: Any, pair: Any) -> bool | None:
        seen.append(pair.name)
        return True if pair.name == "name" else None

    ops = compare_metadata(conn, synced, comparators=registry)
    assert [(type(op).__name__, op.column_name) for op in ops] == [("AlterColumnOp", "name")]  # type: ignore[attr-defined]
    assert sorted(seen) == ["id", "name"]


def test_unknown_comparator_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown comparator kind 'tables'"):
        ComparatorRegistry().register("tables")


def test_rewriter_replaces_and_removes_operations(conn: sa.Connection, synced: sa.MetaData) -> None:
    writer = Rewriter()

    @writer.rewrites(ddl_ops.AddColumnOp)
    def add_nullable_then_tighten(context: Any, revision: Any, op: Any) -> list[Any]:
        if op.column.nullable:
            return [op]
        op.column.nullable = True
        return [op, ddl_ops.AlterColumnOp(op.table_name, op.column.name, nullable=False)]

    @writer.rewrites(ddl_ops.DropColumnOp)
    def never_drop(context: Any, revision: Any, op: Any) -> None:
        return None

    wanted = sa.MetaData()
    _table(wanted, sa.Column("age", sa.Integer, nullable=False))
    script = produce_migrations(conn, wanted)
    directives = [script]
    writer(None, None, directives)
    assert [type(op).__name__ for op in script.upgrade_ops] == ["AddColumnOp", "AlterColumnOp"]
    assert script.upgrade_ops[0].column.nullable is True  # type: ignore[attr-defined]
    # the downgrade held AddColumnOp(name) and DropColumnOp(age): the drop was removed
    assert [type(op).__name__ for op in script.downgrade_ops] == ["AddColumnOp"]


def test_rewriter_chain_runs_after() -> None:
    calls: list[str] = []
    writer = Rewriter().chain(lambda c, r, d: calls.append("chained"))
    writer(None, None, [MigrationScript()])
    assert calls == ["chained"]


def test_drop_empty_migrations(conn: sa.Connection, synced: sa.MetaData) -> None:
    directives = [produce_migrations(conn, synced)]
    assert directives[0].is_empty
    drop_empty_migrations(None, None, directives)
    assert directives == []
    wanted = sa.MetaData()
    _table(wanted)
    changed = [produce_migrations(conn, wanted)]
    drop_empty_migrations(None, None, changed)
    assert len(changed) == 1


def test_hooks_written_for_alembic_see_upgrade_ops_is_empty_and_ops(
    conn: sa.Connection, synced: sa.MetaData
) -> None:
    def alembic_recipe(context: Any, revision: Any, directives: list[Any]) -> None:
        # the "don't generate empty migrations" recipe from Alembic's cookbook, as users have it
        if directives[0].upgrade_ops.is_empty():
            directives[:] = []

    unchanged = [produce_migrations(conn, synced)]
    alembic_recipe(None, None, unchanged)
    assert unchanged == []
    wanted = sa.MetaData()
    _table(wanted)
    changed = [produce_migrations(conn, wanted)]
    alembic_recipe(None, None, changed)
    assert len(changed) == 1
    assert [type(op).__name__ for op in changed[0].upgrade_ops.ops] == ["DropColumnOp"]
    # a hook that assigns a plain list keeps the Alembic-style answers
    changed[0].upgrade_ops = []
    assert changed[0].upgrade_ops.is_empty() and changed[0].upgrade_ops.ops == []


def test_include_name_filters_before_reflection(conn: sa.Connection, synced: sa.MetaData) -> None:
    conn.exec_driver_sql("CREATE TABLE other_app (id INTEGER)")
    conn.commit()
    seen: list[tuple[str | None, str]] = []

    def include_name(name: str | None, type_: str, parents: Any) -> bool:
        seen.append((name, type_))
        return name != "other_app"

    assert compare_metadata(conn, synced, include_name=include_name) == []
    assert ("other_app", "table") in seen


def test_include_object_sees_both_sides(conn: sa.Connection, synced: sa.MetaData) -> None:
    calls: list[tuple[str | None, str, bool]] = []

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
        calls.append((name, type_, reflected))
        return type_ != "column" or name != "age"

    wanted = sa.MetaData()
    _table(wanted, sa.Column("name", sa.String(20)), sa.Column("age", sa.Integer))
    assert compare_metadata(conn, wanted, include_object=include_object) == []
    assert ("t", "table", False) in calls and ("t", "table", True) in calls
    assert ("age", "column", False) in calls


def test_custom_version_table_is_never_compared(conn: sa.Connection, synced: sa.MetaData) -> None:
    conn.exec_driver_sql("CREATE TABLE my_versions (v VARCHAR(32))")
    conn.commit()
    assert compare_metadata(conn, synced, version_table="my_versions") == []
    assert len(compare_metadata(conn, synced)) == 1
