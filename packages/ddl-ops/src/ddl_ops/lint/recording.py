"""Run a migration's upgrade()/downgrade() without a database and keep the operations.

`RecordingOperations` is the ordinary `Operations` facade with one change: `invoke()`
stores each operation (with the line of the script that called `op.*`) instead of
turning it into SQL. So every facade method, batch blocks and user-registered operations
are recorded exactly as they would run, with no second implementation of the facade.
"""

from __future__ import annotations

import io
import linecache
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from sqlalchemy.engine.url import make_url

from ddl_ops.batch import BatchOperations
from ddl_ops.batch.decide import must_recreate
from ddl_ops.batch.steps import BatchStep
from ddl_ops.dialects.registry import get_dialect_impl
from ddl_ops.errors import OfflineModeError
from ddl_ops.execution import OfflineSQLContext
from ddl_ops.lint.rule_input import BatchInfo
from ddl_ops.operations import Operations
from ddl_ops.ops import ExecuteSQLOp, MigrateOperation
from ddl_ops.proxy import use_operations

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class RecordedOp:
    """One operation as the script asked for it, and the circumstances it would run in."""

    op: MigrateOperation
    line: int | None
    in_transaction: bool
    batch: BatchInfo | None = None


@dataclass
class Recording:
    """What one function (upgrade or downgrade) recorded; `error` says where it stopped."""

    ops: list[RecordedOp]
    error: str | None = None
    error_line: int | None = None
    #: the script's own code raised it (`raise RuntimeError("cannot downgrade")`), on purpose
    raised_by_script: bool = False


def caller_line(filename: str | None) -> int | None:
    """The line of `filename` on the call stack (the script's `op.*` call).

    Without a file name, the first frame outside ddl_ops (a test, a program) counts.
    """
    frame: FrameType | None = sys._getframe(1)
    wanted = os.path.abspath(filename) if filename else None
    first_outside: int | None = None
    while frame is not None:
        code_file = os.path.abspath(frame.f_code.co_filename)
        if wanted is not None and code_file == wanted:
            return frame.f_lineno
        if first_outside is None and not code_file.startswith(_PACKAGE_DIR):
            first_outside = frame.f_lineno
        frame = frame.f_back
    return first_outside


class RecordingOperations(Operations):
    """Operations that record instead of executing; build with `RecordingOperations.for_lint`."""

    def __init__(self, context: OfflineSQLContext, filename: str | None = None):
        super().__init__(context)
        self.filename = filename
        self.recorded: list[RecordedOp] = []
        self._autocommit_depth = 0
        self._batch: BatchInfo | None = None

    @classmethod
    def for_lint(cls, dialect: str, filename: str | None = None) -> RecordingOperations:
        """Offline operations for `dialect` whose calls from `filename` are recorded."""
        impl = get_dialect_impl(dialect)
        return cls(OfflineSQLContext(impl, io.StringIO()), filename)

    @property
    def in_transaction(self) -> bool:
        return self._autocommit_depth == 0

    def invoke(self, operation: MigrateOperation) -> Any:
        self.recorded.append(
            RecordedOp(
                operation, caller_line(self.filename), self.in_transaction, batch=self._batch
            )
        )
        return None

    def get_bind(self) -> Any:
        """A stand-in connection: enough for the common `op.get_bind().dialect.name` check
        (and `bind.engine.url`), refusing anything that would need the database."""
        return OfflineBind(self)

    @contextmanager
    def autocommit_block(self) -> Iterator[None]:
        self._autocommit_depth += 1
        try:
            yield
        finally:
            self._autocommit_depth -= 1

    @contextmanager
    def batch_alter_table(
        self, table_name: str, *, schema: str | None = None, recreate: str = "auto", **_: Any
    ) -> Iterator[BatchOperations]:
        """Record the block's steps with whether the table would be rebuilt to apply them."""
        batch = _RecordingBatch(self, table_name, schema)
        yield batch
        rebuilds = _rebuilds(batch.steps, self, recreate)
        info = BatchInfo(table_name, schema, rebuilds)
        for step, line in zip(batch.steps, batch.lines):
            self.recorded.append(RecordedOp(step.op, line, self.in_transaction, batch=info))


class OfflineBind:
    """What `op.get_bind()` returns while lint records.

    It has the dialect and a URL naming it (for `bind.dialect.name` checks), takes
    statements (`bind.execute(sa.text("SET lock_timeout ..."))`, an UPDATE) and records
    them as `op.execute` would, and refuses what needs the database: reading a result.
    """

    def __init__(self, operations: RecordingOperations):
        self._operations = operations
        self.dialect = operations.dialect
        self.name = self.dialect.name
        self.url = make_url(f"{self.dialect.name}://")

    @property
    def engine(self) -> OfflineBind:
        return self

    def execute(self, statement: Any, *args: Any, **kw: Any) -> OfflineResult:
        self._operations.invoke(ExecuteSQLOp(statement))
        return OfflineResult()

    def exec_driver_sql(self, statement: str, *args: Any, **kw: Any) -> OfflineResult:
        return self.execute(statement)

    def commit(self) -> None:
        """`op.get_bind().commit()` before an autocommit block: nothing to commit offline."""

    def _run_ddl_visitor(self, *args: Any, **kw: Any) -> None:
        """`sa.Enum(...).create(op.get_bind())` and the like: not recorded, not refused."""

    def __getattr__(self, name: str) -> Any:
        raise OfflineModeError(
            f"lint runs the migration without a database: op.get_bind().{name} needs one; "
            "guard the step with `if not op.is_offline:`"
        )


class OfflineResult:
    """The result of a statement lint recorded: there are no rows to read."""

    def __iter__(self) -> Any:
        return self.__getattr__("rows")

    def __getattr__(self, name: str) -> Any:
        raise OfflineModeError(
            f"lint runs the migration without a database: the result's {name} needs one "
            "(the script reads rows); guard the step with `if not op.is_offline:`"
        )


class _RecordingBatch(BatchOperations):
    """Keeps the script line of each batch call (the steps are recorded after the block)."""

    def __init__(self, operations: RecordingOperations, table_name: str, schema: str | None):
        super().__init__(operations, table_name, schema)
        self.lines: list[int | None] = []
        self._filename = operations.filename

    def _record(self, op: Any, **placement: str | None) -> None:
        super()._record(op, **placement)
        self.lines.append(caller_line(self._filename))


def _rebuilds(steps: Sequence[BatchStep], operations: Operations, recreate: str) -> bool:
    """Whether the block needs move-and-copy; with no table to look at, the dialect decides."""
    structural = [s for s in steps if not isinstance(s.op, ExecuteSQLOp)]
    try:
        return must_recreate(structural, operations.impl, recreate, lambda: None)
    except Exception:
        # deciding needed the table's definition, which offline lint does not have
        return operations.impl.requires_batch_recreate


def record(fn: Callable[[], Any], dialect: str, filename: str | None = None) -> Recording:
    """Call `fn` (a migration's upgrade or downgrade) with `ddl_ops.op` recording.

    A script that needs a live database (`op.get_bind()`, reading rows) stops there: what
    was recorded before is kept and `error` says why it stopped.
    """
    operations = RecordingOperations.for_lint(dialect, filename)
    with use_operations(operations):
        try:
            fn()
        except Exception as error:
            line, own = _error_line(error, filename)
            text = f"{type(error).__name__}: {error}"
            return Recording(operations.recorded, text, line, raised_by_script=own)
    return Recording(operations.recorded)


def _error_line(error: BaseException, filename: str | None) -> tuple[int | None, bool]:
    """The script line the error passed through, and whether the script raised it itself."""
    tb = error.__traceback__
    found = None
    last_file = None
    wanted = os.path.abspath(filename) if filename else None
    last_line = 0
    while tb is not None:
        last_file = os.path.abspath(tb.tb_frame.f_code.co_filename)
        last_line = tb.tb_lineno
        if wanted and last_file == wanted:
            found = tb.tb_lineno
        tb = tb.tb_next
    if wanted is None or last_file != wanted:
        return found, False
    # a `raise` statement of the script, not a call of its that failed
    linecache.checkcache(wanted)
    return found, linecache.getline(wanted, last_line).lstrip().startswith("raise")
