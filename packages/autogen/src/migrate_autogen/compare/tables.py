"""Tables added and removed; tables on both sides handed to the "table" comparators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ddl_ops import CreateTableOp, DropTableOp, MigrateOperation
from migrate_autogen.context import AutogenContext
from migrate_autogen.pairs import TablePair
from migrate_autogen.registry import comparators


@comparators.register("schema", priority=10)
def compare_tables(ctx: AutogenContext) -> Iterator[MigrateOperation]:
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
    for key in meta:
        if key in conn:
            pair = TablePair(key[0], key[1], conn[key], meta[key])
            for fn in ctx.comparators_for("table"):
                yield from fn(ctx, pair) or ()
    removed = [conn[key] for key in conn if key not in meta]
    for table in reversed(_dependency_order(removed)):
        yield DropTableOp.from_table(table)


def _dependency_order(tables: list[sa.Table]) -> list[sa.Table]:
    """Referenced tables first; cycles fall back to the given order (their FKs come separately)."""
    if len(tables) < 2:
        return tables
    position = {id(t): i for i, t in enumerate(tables)}
    chosen = set(position)
    deps: dict[int, set[int]] = {id(t): set() for t in tables}
    for table in tables:
        for fk in table.foreign_key_constraints:
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
