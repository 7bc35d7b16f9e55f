"""``batch_alter_table``: record a block of table changes, then apply them safely.

The recorded steps are split at each ``execute()`` so statements run exactly where they were
written. Each run of schema changes is then either passed to the normal operations (plain
ALTERs) or, when the database cannot ALTER it (or ``recreate="always"``), applied to a model of
the table and carried out by one move-and-copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ddl_ops.batch.apply import apply_step, reset_sources
from ddl_ops.batch.decide import check_recreate_choice, must_recreate
from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.hints import needs_column_hints, needs_table_for, with_existing_hints
from ddl_ops.batch.model import TableModel
from ddl_ops.batch.operations import BatchOperations
from ddl_ops.batch.recreate import keep_sqlite_rowid_key, rebuild_table
from ddl_ops.batch.reflect import declared_model, reflect_model
from ddl_ops.batch.render import resolve_names
from ddl_ops.batch.steps import BatchStep
from ddl_ops.batch.table_args import add_table_args
from ddl_ops.batch.target import OperationsRunner, OperationTarget
from ddl_ops.ops import ExecuteSQLOp


@dataclass
class BatchOptions:
    """Everything ``batch_alter_table`` was given besides the steps."""

    table_name: str
    schema: str | None = None
    recreate: str = "auto"
    partial_reordering: Sequence[Sequence[str]] | None = None
    copy_from: sa.Table | None = None
    table_args: Sequence[Any] = ()
    table_kwargs: Mapping[str, Any] = field(default_factory=dict)
    reflect_args: Sequence[Any] = ()
    reflect_kwargs: Mapping[str, Any] = field(default_factory=dict)
    naming_convention: Mapping[str, Any] | None = None


@contextmanager
def batch_alter_table(
    operations: OperationTarget,
    table_name: str,
    *,
    schema: str | None = None,
    recreate: str = "auto",
    partial_reordering: Sequence[Sequence[str]] | None = None,
    copy_from: sa.Table | None = None,
    table_args: Sequence[Any] = (),
    table_kwargs: Mapping[str, Any] | None = None,
    reflect_args: Sequence[Any] = (),
    reflect_kwargs: Mapping[str, Any] | None = None,
    naming_convention: Mapping[str, Any] | None = None,
) -> Iterator[BatchOperations]:
    """Yield a :class:`BatchOperations`; apply what it recorded when the block ends cleanly."""
    check_recreate_choice(recreate, table_name)
    if partial_reordering and recreate == "never":
        raise BatchError(
            f"batch_alter_table({table_name!r}): partial_reordering needs the table to be "
            "rebuilt, but recreate='never' was given"
        )
    options = BatchOptions(
        table_name=table_name,
        schema=schema,
        recreate=recreate,
        partial_reordering=partial_reordering,
        copy_from=copy_from,
        table_args=tuple(table_args),
        table_kwargs=dict(table_kwargs or {}),
        reflect_args=tuple(reflect_args),
        reflect_kwargs=dict(reflect_kwargs or {}),
        naming_convention=naming_convention,
    )
    batch = BatchOperations(operations, table_name, schema)
    yield batch
    run_batch(operations, options, batch.steps)


class _TableSource:
    """The current definition of the table, loaded lazily and re-read after outside changes."""

    def __init__(self, operations: OperationTarget, options: BatchOptions):
        self.operations = operations
        self.options = options
        self.model: TableModel | None = None
        self.stale = False

    def peek(self) -> TableModel | None:
        """The table's definition if it can be had (always online; offline only via copy_from)."""
        if self.model is not None and not (self.stale and not self.operations.is_offline):
            return self.model
        if self.operations.is_offline and self.options.copy_from is None:
            return None
        self.model = self._load()
        self.stale = False
        return self.model

    def require(self) -> TableModel:
        model = self.peek()
        if model is None:
            shown = self.options.table_name
            raise BatchError(
                f"batch_alter_table({shown!r}) must rebuild the table, and in offline mode the "
                f"table cannot be reflected: pass copy_from=<a sa.Table describing {shown!r} as "
                "it is before this batch>"
            )
        return model

    def _load(self) -> TableModel:
        options = self.options
        dialect = self.operations.dialect
        if options.copy_from is not None:
            model = declared_model(options.copy_from, dialect)
        else:
            model = reflect_model(
                self.operations.get_bind(),
                options.table_name,
                schema=options.schema,
                reflect_args=options.reflect_args,
                reflect_kwargs=options.reflect_kwargs,
            )
        add_table_args(model, options.table_args, dialect)
        model.table_kwargs.update(options.table_kwargs)
        return model


def _segments(steps: Sequence[BatchStep]) -> Iterator[BatchStep | list[BatchStep]]:
    """Runs of schema changes, with each execute() step on its own between them."""
    run: list[BatchStep] = []
    for step in steps:
        if isinstance(step.op, ExecuteSQLOp):
            if run:
                yield run
                run = []
            yield step
        else:
            run.append(step)
    if run:
        yield run


def run_batch(
    operations: OperationTarget, options: BatchOptions, steps: Sequence[BatchStep]
) -> None:
    """Carry out recorded steps in order, rebuilding the table where it is needed."""
    source = _TableSource(operations, options)
    runner = OperationsRunner(operations)
    dialect = operations.dialect
    naming_convention = options.naming_convention or operations.context.naming_convention
    reorder_pending = bool(options.partial_reordering)
    segments = list(_segments(steps))
    wants_rebuild = reorder_pending or options.recreate == "always"
    if wants_rebuild and not any(isinstance(s, list) for s in segments):
        segments.append([])
    for segment in segments:
        if isinstance(segment, BatchStep):
            operations.invoke(segment.op)
            source.stale = True
            continue
        rebuild = reorder_pending or must_recreate(
            segment, operations.impl, options.recreate, source.peek
        )
        if not rebuild:
            _run_alters(operations, source, segment)
            continue
        model = resolve_names(source.require(), naming_convention)
        for step in segment:
            apply_step(model, step, dialect)
        if reorder_pending and options.partial_reordering:
            model.reorder(options.partial_reordering)
            reorder_pending = False
        model = keep_sqlite_rowid_key(resolve_names(model, naming_convention), dialect)
        rebuild_table(runner, model)
        source.model = reset_sources(model)
        source.stale = False


def _run_alters(
    operations: OperationTarget, source: _TableSource, segment: Sequence[BatchStep]
) -> None:
    """Pass the steps to the normal operations, keeping the known table definition in step.

    Online the definition is simply re-read when next needed; offline it is edited here.
    """
    working: TableModel | None = None
    needs_table = any(needs_table_for(step.op) for step in segment)
    if needs_column_hints(operations.impl) or needs_table or source.model is not None:
        known = source.peek()
        working = known.copy() if known is not None else None
    for step in segment:
        operations.invoke(with_existing_hints(step.op, working))
        if working is not None:
            try:
                apply_step(working, step, operations.dialect)
            except BatchError:
                working = None
    if operations.is_offline:
        source.model = working
    else:
        source.stale = True
