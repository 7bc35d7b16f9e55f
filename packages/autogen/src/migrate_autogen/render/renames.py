"""Spot a drop and an add that look like a rename, and say so in the script.

Autogenerate never renames on its own (a wrong guess loses data); it writes a
comment next to the pair showing the one-line rename to use instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from ddl_ops import AddColumnOp, CreateTableOp, DropColumnOp, DropTableOp, MigrateOperation
from migrate_autogen.render.render_run import RenderRun
from migrate_autogen.render.types import render_type


def rename_hints(ops: Sequence[MigrateOperation], rctx: RenderRun) -> dict[int, list[str]]:
    """Comment lines to write above the op at each position."""
    hints: dict[int, list[str]] = {}
    _column_hints(ops, rctx, hints)
    _table_hints(ops, rctx, hints)
    return hints


def _column_hints(
    ops: Sequence[MigrateOperation], rctx: RenderRun, hints: dict[int, list[str]]
) -> None:
    drops = [(i, op) for i, op in enumerate(ops) if isinstance(op, DropColumnOp)]
    used: set[int] = set()
    for i, add in enumerate(ops):
        if not isinstance(add, AddColumnOp):
            continue
        for j, drop in drops:
            if j in used or drop.table_name != add.table_name or drop.schema != add.schema:
                continue
            old = drop.existing_column
            if old is not None and not _same_type(old.type, add.column.type, rctx):
                continue
            used.add(j)
            schema = f", schema={drop.schema!r}" if drop.schema else ""
            hints.setdefault(min(i, j), []).extend(
                [
                    f"# {drop.table_name}.{drop.column_name} is dropped and "
                    f"{add.table_name}.{add.column.name} added with the same type: if this is a "
                    "rename, keep the data with",
                    f"# {rctx.op}alter_column({drop.table_name!r}, {drop.column_name!r}, "
                    f"new_column_name={add.column.name!r}{schema})",
                ]
            )
            break


def _table_hints(
    ops: Sequence[MigrateOperation], rctx: RenderRun, hints: dict[int, list[str]]
) -> None:
    drops = [(i, op) for i, op in enumerate(ops) if isinstance(op, DropTableOp)]
    used: set[int] = set()
    for i, create in enumerate(ops):
        if not isinstance(create, CreateTableOp):
            continue
        new_cols = {str(c.name) for c in create.columns if isinstance(c, sa.Column)}
        for j, drop in drops:
            if j in used or drop.schema != create.schema or drop.existing_table is None:
                continue
            old_cols = {c.name for c in drop.existing_table.columns}
            if not new_cols or _jaccard(old_cols, new_cols) < 0.8:
                continue
            used.add(j)
            schema = f", schema={drop.schema!r}" if drop.schema else ""
            hints.setdefault(min(i, j), []).extend(
                [
                    f"# table {drop.table_name} is dropped and {create.table_name} created with "
                    "nearly the same columns: if this is a rename, keep the data with",
                    f"# {rctx.op}rename_table({drop.table_name!r}, {create.table_name!r}{schema})",
                ]
            )
            break


def _same_type(a: object, b: object, rctx: RenderRun) -> bool:
    """Same type, also when one side is reflected (``INTEGER()``), one modelled (``Integer()``)."""
    probe = RenderRun(rctx.options)
    if render_type(a, probe) == render_type(b, probe) or type(a).__name__ == type(b).__name__:
        return True
    return _generic(a) is not None and _generic(a) == _generic(b)


def _generic(type_: object) -> str | None:
    """The dialect-neutral spelling of a type (``VARCHAR(20)`` -> ``String(length=20)``)."""
    try:
        return repr(type_.as_generic())  # type: ignore[attr-defined]
    except (AttributeError, NotImplementedError):
        return None


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
