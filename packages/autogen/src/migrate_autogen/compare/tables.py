"""Tables added and removed; tables on both sides handed to the "table" comparators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ddl_ops import (
    CreateForeignKeyOp,
    CreateTableOp,
    DropConstraintOp,
    DropTableOp,
    MigrateOperation,
)
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.pairs import TablePair
from migrate_autogen.registry import comparators


@comparators.register("schema", priority=10)
def compare_tables(ctx: CompareRun) -> Iterator[MigrateOperation]:
    meta = {
        key: table
        for key, table in ctx.meta_tables.items()
        if ctx.include(table, table.name, "table", False, ctx.reflected.tables.get(key))
    }
    conn = {
        key: table
        for key, table in ctx.reflected.tables.items()
        if ctx.include(table, table.name, "table", True, meta.get(key))
    }
    added = [meta[key] for key in meta if key not in conn]
    for table in _dependency_order(added):
        yield CreateTableOp.from_table(table)
        yield from _added_later(ctx, table)
    for key in meta:
        if key in conn:
            pair = TablePair(key[0], key[1], conn[key], meta[key])
            for fn in ctx.comparators_for("table"):
                yield from fn(ctx, pair) or ()
    removed = [conn[key] for key in conn if key not in meta]
    drop_order = list(reversed(_dependency_order(removed)))
    yield from _break_cycles(ctx, drop_order)
    for table in drop_order:
        yield DropTableOp.from_table(table)


def _added_later(ctx: CompareRun, table: sa.Table) -> Iterator[MigrateOperation]:
    """Foreign keys marked ``use_alter``, which CREATE TABLE leaves out where ALTER exists.

    They are how models break a cycle of references (``dept.manager_id`` ->
    ``emp``, ``emp.dept_id`` -> ``dept``); added once every table exists.
    """
    if not ctx.dialect.supports_alter:
        return
    for fk in table.foreign_key_constraints:
        if fk.use_alter:
            yield CreateForeignKeyOp.from_constraint(fk)


def _break_cycles(ctx: CompareRun, drop_order: list[sa.Table]) -> Iterator[MigrateOperation]:
    """Drop first the foreign keys that point at a table dropped before theirs.

    Only tables referring to each other have such keys; without this, DROP TABLE
    fails on the first of them. Each key leaves its reflected table, so the
    downgrade recreates the tables without it and adds it back once both exist.
    """
    if not ctx.dialect.supports_alter:
        return  # SQLite drops a referenced table without complaint
    position = {id(t): i for i, t in enumerate(drop_order)}
    for table in drop_order:
        for fk in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
            target = _referred(fk, drop_order)
            if target is None or target is table or position[id(target)] > position[id(table)]:
                continue
            if fk.name is None:
                continue  # every database that has ALTER names its foreign keys
            yield DropConstraintOp(
                str(fk.name), table.name, "foreignkey", schema=table.schema, existing_constraint=fk
            )
            _detach(table, fk)


def _detach(table: sa.Table, fk: sa.ForeignKeyConstraint) -> None:
    table.constraints.discard(fk)
    table.foreign_keys.difference_update(fk.elements)
    for element in fk.elements:
        element.parent.foreign_keys.discard(element)


def _dependency_order(tables: list[sa.Table]) -> list[sa.Table]:
    """Referenced tables first; cycles fall back to the given order (their FKs come separately)."""
    if len(tables) < 2:
        return tables
    position = {id(t): i for i, t in enumerate(tables)}
    chosen = set(position)
    deps: dict[int, set[int]] = {id(t): set() for t in tables}
    for table in tables:
        for fk in table.foreign_key_constraints:
            if fk.use_alter:
                continue  # created after all tables: no ordering constraint
            target = _referred(fk, tables)
            if target is not None and id(target) in chosen and target is not table:
                deps[id(table)].add(id(target))
    ordered: list[sa.Table] = []
    done: set[int] = set()
    remaining = list(tables)
    while remaining:
        ready = [t for t in remaining if deps[id(t)] <= done]
        if not ready:
            ready = [remaining[0]]
        for table in ready:
            ordered.append(table)
            done.add(id(table))
        remaining = [t for t in remaining if id(t) not in done]
    return ordered


def _referred(fk: sa.ForeignKeyConstraint, tables: list[sa.Table]) -> Any:
    tokens = fk.elements[0]._column_tokens
    schema, name = tokens[0], tokens[1]
    for table in tables:
        if table.name == name and (schema is None or table.schema == schema):
            return table
    return None
