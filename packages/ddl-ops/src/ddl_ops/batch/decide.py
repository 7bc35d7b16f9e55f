"""When ``recreate="auto"`` must rebuild the table, and when plain ALTER statements will do.

Only databases whose DialectImpl says ``requires_batch_recreate`` (SQLite) ever rebuild in
"auto" mode. SQLite can ADD COLUMN (within limits), RENAME COLUMN (3.25+), DROP COLUMN (3.35+,
for columns no index or constraint uses), and create or drop indexes; anything else needs the
move-and-copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ClauseElement, TextClause

from ddl_ops.batch.apply import apply_step
from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import TableModel, index_uses_column
from ddl_ops.batch.sqltext import references_identifier
from ddl_ops.batch.steps import BatchStep
from ddl_ops.dialects.base import DialectImpl
from ddl_ops.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateIndexOp,
    CreateTableCommentOp,
    DropColumnOp,
    DropIndexOp,
    DropTableCommentOp,
)
from ddl_ops.ops.base import UNSET

RECREATE_CHOICES = ("auto", "always", "never")

_CONSTANT_DEFAULT = re.compile(
    r"^\s*(?:[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|'(?:[^']|'')*'|NULL|TRUE|FALSE)\s*$", re.I
)


def check_recreate_choice(recreate: str, table_name: str) -> None:
    if recreate not in RECREATE_CHOICES:
        raise BatchError(
            f"batch_alter_table({table_name!r}): recreate must be one of "
            f"{', '.join(map(repr, RECREATE_CHOICES))}, not {recreate!r}"
        )


def must_recreate(
    steps: Sequence[BatchStep],
    impl: DialectImpl,
    recreate: str,
    existing: Callable[[], TableModel | None],
) -> bool:
    """Decide for one run of structural steps; ``existing`` gives the table when it matters."""
    if recreate == "never":
        return False
    if recreate == "always":
        return True
    if not steps:
        return False
    if not impl.requires_batch_recreate:
        return False
    table = _TableSoFar(existing, impl)
    for step in steps:
        if _sqlite_needs_rebuild(step, impl, table.current):
            return True
        table.done.append(step)
    return False


class _TableSoFar:
    """The table as the steps decided so far leave it, worked out only if a step asks."""

    def __init__(self, existing: Callable[[], TableModel | None], impl: DialectImpl):
        self.existing = existing
        self.impl = impl
        self.done: list[BatchStep] = []

    def current(self) -> TableModel | None:
        model = self.existing()
        if model is None:
            return None
        working = model.copy()
        try:
            for step in self.done:
                apply_step(working, step, self.impl.dialect)
        except BatchError:
            return None
        return working


def _sqlite_needs_rebuild(
    step: BatchStep, impl: DialectImpl, existing: Callable[[], TableModel | None]
) -> bool:
    op: Any = step.op
    if isinstance(op, (CreateIndexOp, DropIndexOp, CreateTableCommentOp, DropTableCommentOp)):
        return False
    if isinstance(op, AddColumnOp):
        return _add_column_needs_rebuild(step, op.column, existing)
    if isinstance(op, AlterColumnOp):
        changes_definition = (
            op.type_ is not None
            or op.nullable is not None
            or op.server_default is not UNSET
            or op.autoincrement is not None
        )
        if changes_definition or step.insert_before is not None or step.insert_after is not None:
            return True
        return op.new_column_name is not None and not impl.version_at_least(3, 25)
    if isinstance(op, DropColumnOp):
        if not impl.version_at_least(3, 35):
            return True
        model = existing()
        return model is None or _column_is_used(model, op.column_name)
    return True


def _add_column_needs_rebuild(
    step: BatchStep, column: sa.Column[Any], existing: Callable[[], TableModel | None]
) -> bool:
    """SQLite's ADD COLUMN appends a plain column; anything more needs a rebuild."""
    if column.primary_key or column.unique:
        return True
    if not column.nullable and column.server_default is None:
        return True
    if column.computed is not None and column.computed.persisted:
        return True
    default = column.server_default
    if isinstance(default, sa.DefaultClause) and isinstance(default.arg, ClauseElement):
        text = default.arg.text if isinstance(default.arg, TextClause) else None
        if text is None or not _CONSTANT_DEFAULT.match(text):
            return True
    if step.insert_before is not None:
        return True
    if step.insert_after is not None:
        model = existing()
        return model is None or list(model.columns)[-1] != step.insert_after
    return False


def _column_is_used(model: TableModel, column: str) -> bool:
    """SQLite refuses DROP COLUMN for a column any index, key or constraint uses."""
    if column not in model.columns:
        return True  # the rebuild path reports the unknown column with the table's columns
    if model.primary_key is not None and column in model.primary_key.columns:
        return True
    if any(column in u.columns for u in model.uniques):
        return True
    if any(column in fk.columns for fk in model.foreign_keys):
        return True
    if any(references_identifier(c.sqltext, column) for c in model.checks):
        return True
    if any(index_uses_column(ix, column) for ix in model.indexes):
        return True
    return any(
        c.computed is not None and references_identifier(str(c.computed.sqltext), column)
        for c in model.columns.values()
    )
