"""Indexes and unique constraints, compared together.

MySQL and MariaDB store a unique constraint as a unique index, so a model's
UniqueConstraint may come back as an Index: both kinds are matched in one pool,
first by name, then by what they cover.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ddl_ops import (
    CreateIndexOp,
    CreateUniqueConstraintOp,
    DropConstraintOp,
    DropIndexOp,
    MigrateOperation,
)
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.naming import ddl_name, plain_name
from migrate_autogen.pairs import TablePair
from migrate_autogen.registry import comparators
from migrate_autogen.sqltext import index_expression, normalize_expression


@dataclass
class _Item:
    obj: sa.Index | sa.UniqueConstraint
    name: str | None
    unique: bool
    elements: tuple[str, ...]
    where: str | None

    @property
    def is_index(self) -> bool:
        return isinstance(self.obj, sa.Index)

    @property
    def signature(self) -> tuple[Any, ...]:
        return (self.unique, self.elements, self.where)

    @property
    def has_expressions(self) -> bool:
        if not isinstance(self.obj, sa.Index):
            return False
        return any(not isinstance(e, sa.Column) for e in self.obj.expressions)


@comparators.register("table", priority=30)
def compare_indexes_and_uniques(ctx: CompareRun, pair: TablePair) -> Iterator[MigrateOperation]:
    meta_items = [i for i in _items(ctx, pair.meta, reflected=False) if _included(ctx, i, False)]
    conn_items = [i for i in _items(ctx, pair.conn, reflected=True) if _included(ctx, i, True)]
    opaque = set(ctx.reflected.opaque_indexes.get((pair.schema, pair.name), ()))
    unmatched_conn = list(conn_items)
    to_create: list[_Item] = []
    changed: list[_Item] = []
    for item in meta_items:
        if item.name and item.name in opaque and item.has_expressions:
            opaque.discard(item.name)  # SQLite cannot reflect it; the name is all we can check
            continue
        found = next((c for c in unmatched_conn if item.name and c.name == item.name), None)
        if found is not None:
            unmatched_conn.remove(found)
            if found.signature != item.signature:
                changed.append(found)
                to_create.append(item)
            continue
        if item.has_expressions and not ctx.rules.reflects_expression_indexes:
            continue  # no expression indexes to reflect: never report one as missing
        to_create.append(item)
    for item in list(to_create):
        if item.name is not None and any(c.name == item.name for c in changed):
            continue
        found = next(
            (c for c in unmatched_conn if c.signature == item.signature and _renameless(item, c)),
            None,
        )
        if found is not None:
            unmatched_conn.remove(found)
            to_create.remove(item)
    dropped = changed + [c for c in unmatched_conn if not _implicit_fk_index(c, pair, ctx)]
    for item in dropped:
        if item.name is None:
            ctx.note(
                f"an unnamed {_kind(item)} on {pair.name} is not in the models; "
                "it has no name to drop it by: recreate the table (batch mode) by hand"
            )
            continue
        yield _drop(item.obj, item.name, pair)
    for name in sorted(opaque):
        if ctx.include(None, name, "index", True, None):
            yield DropIndexOp(name, pair.name, schema=pair.schema)
    for item in to_create:
        yield _create(ctx, item)


def _renameless(meta: _Item, conn: _Item) -> bool:
    """A model item without an explicit name matches any same-shaped database item."""
    return meta.name is None or meta.name == conn.name


def _items(ctx: CompareRun, table: sa.Table, *, reflected: bool) -> list[_Item]:
    items: list[_Item] = []
    for index in table.indexes:
        name = plain_name(index) if reflected else ddl_name(index, ctx.dialect)
        elements = tuple(_element_key(ctx, e) for e in index.expressions)
        items.append(_Item(index, name, bool(index.unique), elements, _where(ctx, index)))
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            name = plain_name(constraint) if reflected else ddl_name(constraint, ctx.dialect)
            elements = tuple(c.name.lower() for c in constraint.columns)
            items.append(_Item(constraint, name, True, elements, None))
    return items


def _included(ctx: CompareRun, item: _Item, reflected: bool) -> bool:
    type_ = "index" if item.is_index else "unique_constraint"
    return ctx.include(item.obj, item.name, type_, reflected, None)


def _element_key(ctx: CompareRun, element: Any) -> str:
    if isinstance(element, sa.Column):
        return element.name.lower()
    if isinstance(element, sa.TextClause):
        return normalize_expression(element.text)
    return normalize_expression(_compile(ctx, element))


def _where(ctx: CompareRun, index: sa.Index) -> str | None:
    dialect = ctx.dialect.name
    options = index.dialect_options.get(dialect) if dialect in index.dialect_options else None
    where = options.get("where") if options is not None else None
    if where is None:
        return None
    text = where if isinstance(where, str) else _compile(ctx, where)
    return normalize_expression(text)


def _compile(ctx: CompareRun, clause: Any) -> str:
    if isinstance(clause, sa.TextClause):
        return clause.text
    compiler = ctx.ddl_compiler.sql_compiler
    return ctx.as_stored(str(compiler.process(clause, include_table=False, literal_binds=True)))


def _implicit_fk_index(item: _Item, pair: TablePair, ctx: CompareRun) -> bool:
    """MySQL/MariaDB add an index for each foreign key that has none; the models never list it.

    It is left alone while the models keep that foreign key; once the foreign key goes,
    the index is dropped with it. The server names it after the foreign key (or, for
    an unnamed one, after its first column), which tells it from an index someone
    created on the same columns: that one is compared like any other, so an index
    the models no longer list is dropped (the foreign key is rebuilt around it, see
    `rebuild_around_type_changes`).
    """
    if not ctx.rules.implicit_foreign_key_indexes or not item.is_index or item.unique:
        return False
    reflected_names = {
        plain_name(fk): tuple(c.name.lower() for c in fk.columns)
        for fk in pair.conn.foreign_key_constraints
    }
    for fk in pair.meta.foreign_key_constraints:
        columns = tuple(c.name.lower() for c in fk.columns)
        if item.elements[: len(columns)] != columns:
            continue
        names = {ddl_name(fk, ctx.dialect), columns[0]}
        names |= {name for name, cols in reflected_names.items() if cols == columns}
        if item.name in names:
            return True
    return False


def _kind(item: _Item) -> str:
    return "index" if item.is_index else "unique constraint"


def _drop(obj: sa.Index | sa.UniqueConstraint, name: str, pair: TablePair) -> MigrateOperation:
    if isinstance(obj, sa.Index):
        return DropIndexOp.from_index(obj)
    return DropConstraintOp(name, pair.name, "unique", schema=pair.schema, existing_constraint=obj)


def _create(ctx: CompareRun, item: _Item) -> MigrateOperation:
    obj = item.obj
    if not isinstance(obj, sa.Index):
        return CreateUniqueConstraintOp.from_constraint(obj)
    if not item.has_expressions or obj.table is None:
        return CreateIndexOp.from_index(obj)
    # expressions bound to the model's Table would clash with the op's stand-in table
    elements = [
        e.name if isinstance(e, sa.Column) else sa.text(_compile(ctx, index_expression(e)))
        for e in obj.expressions
    ]
    return CreateIndexOp(
        obj.name,
        obj.table.name,
        elements,
        schema=obj.table.schema,
        unique=bool(obj.unique),
        **obj.kwargs,
    )
