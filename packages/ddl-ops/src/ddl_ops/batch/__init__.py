"""Batch mode: several changes to one table, by move-and-copy where ALTER cannot do them.

``with op.batch_alter_table("t") as batch:`` records changes on a :class:`BatchOperations`;
when the block ends they are applied with plain ALTERs or by rebuilding the table (SQLite, or
``recreate="always"``). See docs/ddl-ops/batch.md.
"""

from ddl_ops.batch.block import batch_alter_table
from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.operations import BatchOperations

__all__ = ["BatchError", "BatchOperations", "batch_alter_table"]
