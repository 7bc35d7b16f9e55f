"""Batch mode: several changes to one table, by move-and-copy where ALTER cannot do them.

``with op.batch_alter_table("t") as batch:`` records changes on a :class:`BatchOperations`;
when the block ends they are applied with plain ALTERs or by rebuilding the table (SQLite, or
``recreate="always"``). See docs/ddl-ops/batch.md.

The block and the recorder load on first use (``from ddl_ops.batch import ...`` works as
before): the dialect modules import ``ddl_ops.batch.strategy`` and ``batch.model`` for
their rebuild strategies, and a run with no batch block should not pay for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ddl_ops.batch.errors import BatchError

if TYPE_CHECKING:
    from ddl_ops.batch.block import batch_alter_table
    from ddl_ops.batch.operations import BatchOperations

__all__ = ["BatchError", "BatchOperations", "batch_alter_table"]


def __getattr__(name: str) -> Any:
    if name == "batch_alter_table":
        from ddl_ops.batch.block import batch_alter_table

        return batch_alter_table
    if name == "BatchOperations":
        from ddl_ops.batch.operations import BatchOperations

        return BatchOperations
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
