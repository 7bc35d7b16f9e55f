"""Rewrite the operations autogenerate produced, one function per operation type.

writer = Rewriter()

@writer.rewrites(ddl_ops.AddColumnOp)
def add_nullable_first(context, revision, op):
    ...  # return an op, a list of ops (several, or none), or the op unchanged

context.configure(..., process_revision_directives=writer)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ddl_ops import MigrateOperation
from migrate_autogen.script import MigrationScript

RewriteFn = Callable[[Any, Any, Any], "MigrateOperation | Sequence[MigrateOperation] | None"]


class Rewriter:
    """A ``process_revision_directives`` hook built from per-op-type functions."""

    def __init__(self) -> None:
        self._by_type: dict[type, list[RewriteFn]] = {}
        self._chained: list[Callable[[Any, Any, list[MigrationScript]], None]] = []

    def rewrites(self, op_type: type) -> Callable[[RewriteFn], RewriteFn]:
        """Decorator: run the function on every operation of ``op_type`` (or a subclass)."""

        def decorate(fn: RewriteFn) -> RewriteFn:
            self._by_type.setdefault(op_type, []).append(fn)
            return fn

        return decorate

    def chain(self, other: Callable[[Any, Any, list[MigrationScript]], None]) -> Rewriter:
        """Run ``other`` (another Rewriter or hook) after this one; returns self."""
        self._chained.append(other)
        return self

    def __call__(self, context: Any, revision: Any, directives: list[MigrationScript]) -> None:
        self.process_revision_directives(context, revision, directives)

    def process_revision_directives(
        self, context: Any, revision: Any, directives: list[MigrationScript]
    ) -> None:
        for script in directives:
            script.upgrade_ops = self.rewrite_ops(context, revision, script.upgrade_ops)
            script.downgrade_ops = self.rewrite_ops(context, revision, script.downgrade_ops)
        for hook in self._chained:
            hook(context, revision, directives)

    def rewrite_ops(
        self, context: Any, revision: Any, ops: Sequence[MigrateOperation]
    ) -> list[MigrateOperation]:
        result: list[MigrateOperation] = []
        for op in ops:
            result.extend(self._rewrite_one(context, revision, op))
        return result

    def _rewrite_one(self, context: Any, revision: Any, op: MigrateOperation) -> list[Any]:
        current: list[Any] = [op]
        for cls in type(op).__mro__:
            for fn in self._by_type.get(cls, ()):
                following: list[Any] = []
                for item in current:
                    if not isinstance(item, cls):
                        following.append(item)
                        continue
                    out = fn(context, revision, item)
                    if out is None:
                        continue
                    if isinstance(out, MigrateOperation):
                        following.append(out)
                    else:
                        following.extend(out)
                current = following
        return current
