"""The error batch mode raises for requests it cannot carry out safely."""

from __future__ import annotations

from ddl_ops.errors import DDLOpsError


class BatchError(DDLOpsError):
    """A batch request that cannot be applied as asked; the message names the table and the fix."""
