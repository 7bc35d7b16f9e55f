"""What a batch block records: each operation, plus where a new column goes."""

from __future__ import annotations

from dataclasses import dataclass

from ddl_ops.ops import MigrateOperation


@dataclass
class BatchStep:
    """One recorded operation; ``insert_before``/``insert_after`` only apply to add_column."""

    op: MigrateOperation
    insert_before: str | None = None
    insert_after: str | None = None
