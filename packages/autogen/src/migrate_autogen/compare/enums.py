"""PostgreSQL enum types: created, extended with values, dropped.

Values can be added (ALTER TYPE ... ADD VALUE) but PostgreSQL cannot remove or
reorder them; such a change is reported as a warning for a hand-written migration.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ddl_ops import AddEnumValueOp, CreateEnumTypeOp, DropEnumTypeOp, MigrateOperation
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.live_schema import TableKey
from migrate_autogen.naming import qualified, schema_key
from migrate_autogen.registry import comparators


@comparators.register("schema", dialect="postgresql", priority=5)
def compare_enum_types(ctx: CompareRun) -> Iterator[MigrateOperation]:
    wanted = metadata_enums(ctx)
    existing = {key: values for key, values in ctx.reflected.enums.items() if key[0] in ctx.schemas}
    for key, values in wanted.items():
        schema, name = key
        if not ctx.include(None, name, "enum", False, None):
            continue
        current = existing.get(key)
        if current is None:
            yield CreateEnumTypeOp(name, values, schema=schema)
        elif current != values:
            yield from _added_values(ctx, key, current, values)
    in_use = _enums_used_by_kept_tables(ctx)
    for key, values in existing.items():
        schema, name = key
        if key in wanted or key in in_use:
            continue
        if not ctx.include(None, name, "enum", True, None):
            continue
        yield DropEnumTypeOp(name, schema=schema, existing_values=values)


def metadata_enums(ctx: CompareRun) -> dict[TableKey, list[str]]:
    found: dict[TableKey, list[str]] = {}
    for table in ctx.meta_tables.values():
        for column in table.columns:
            type_ = enum_in(column.type, ctx.dialect_name)
            if isinstance(type_, sa.Enum) and type_.native_enum and type_.name:
                key = (schema_key(type_.schema, ctx.default_schema), type_.name)
                if key[0] in ctx.schemas:
                    found.setdefault(key, list(type_.enums))
    return found


def enum_in(type_: Any, dialect_name: str) -> Any:
    """The type a column stores, looking through variants, TypeDecorators and ARRAY items.

    ``ARRAY(Enum(..., name="tag"))`` needs the ``tag`` type as much as a plain
    ``Enum`` column does.
    """
    type_ = getattr(type_, "_variant_mapping", {}).get(dialect_name, type_)
    if isinstance(type_, sa.types.TypeDecorator):
        type_ = type_.impl_instance
    item = getattr(type_, "item_type", None)
    return type_ if item is None else enum_in(item, dialect_name)


def _added_values(
    ctx: CompareRun, key: TableKey, current: list[str], wanted: list[str]
) -> Iterator[MigrateOperation]:
    schema, name = key
    kept = [v for v in wanted if v in current]
    if kept != current:
        ctx.note(
            f"enum type {qualified(schema, name)} lost or reordered values "
            f"({current} -> {wanted}); PostgreSQL cannot do this in place, write it by hand"
        )
        return
    for position, value in enumerate(wanted):
        if value in current:
            continue
        after = wanted[position - 1] if position > 0 else None
        before = None if after is not None else next((v for v in wanted if v in current), None)
        yield AddEnumValueOp(name, value, schema=schema, before=before, after=after)


def _enums_used_by_kept_tables(ctx: CompareRun) -> set[TableKey]:
    """Enums that database tables outside the comparison (include_object said no) still use.

    Compared tables follow the models (their columns are altered or dropped first),
    and tables missing from the models are dropped before the types.
    """
    used: set[TableKey] = set()
    for key, table in ctx.reflected.tables.items():
        if key in ctx.meta_tables or ctx.include(table, table.name, "table", True, None):
            continue
        for column in table.columns:
            type_ = enum_in(column.type, ctx.dialect_name)
            if isinstance(type_, sa.Enum) and type_.name:
                used.add((schema_key(type_.schema, ctx.default_schema), type_.name))
    return used
