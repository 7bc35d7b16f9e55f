"""Put operations in an order every database accepts, and whose reverse is also valid.

Database-wide steps bracket the per-table work: enum types and new tables
first, foreign keys dropped before anything they depend on changes, then the
dropped tables (last on SQLite), foreign keys added after everything they
reference exists, dropped types last.
Within the per-table block each table's operations stay together (which is what
batch mode needs), sorted drop-before-add. On SQLite foreign keys join that block
too, so each table is rebuilt once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ddl_ops import (
    AddColumnOp,
    AddEnumValueOp,
    AlterColumnOp,
    CreateEnumTypeOp,
    CreateForeignKeyOp,
    CreateTableOp,
    DropColumnOp,
    DropConstraintOp,
    DropEnumTypeOp,
    DropIndexOp,
    DropTableOp,
    MigrateOperation,
)

_BEFORE_TABLES = 0
_CREATE_TABLES = 1
_DROP_FKS = 2
_DROP_TABLES_FIRST = 3
_PER_TABLE = 4
_ADD_FKS = 5
_DROP_TABLES = 6
_DROP_TYPES = 7


def _phase(op: MigrateOperation, foreign_keys_in_table_block: bool) -> int:
    if isinstance(op, (CreateEnumTypeOp, AddEnumValueOp)):
        return _BEFORE_TABLES
    if isinstance(op, CreateTableOp):
        return _CREATE_TABLES
    if foreign_keys_in_table_block and isinstance(op, (DropConstraintOp, CreateForeignKeyOp)):
        return _PER_TABLE
    if isinstance(op, DropConstraintOp) and op.type_ == "foreignkey":
        return _DROP_FKS
    if isinstance(op, CreateForeignKeyOp):
        return _ADD_FKS
    if isinstance(op, DropTableOp):
        # Once the foreign keys into them are gone, tables go before the per-table work:
        # MySQL refuses to retype a column a dropped-to-be table still references (1833).
        # On SQLite last: a batch block reflecting a table whose FK target is gone fails.
        return _DROP_TABLES if foreign_keys_in_table_block else _DROP_TABLES_FIRST
    if isinstance(op, DropEnumTypeOp):
        return _DROP_TYPES
    return _PER_TABLE


def _step(op: MigrateOperation) -> int:
    """Order inside one table's block: remove, then add/alter columns, then build.

    MySQL wants an AUTO_INCREMENT column to be a key: AUTO_INCREMENT goes before the
    primary key it sits in is dropped, and comes back after its new key is made.
    """
    if isinstance(op, AlterColumnOp) and op.autoincrement is False:
        return -1
    if isinstance(op, AlterColumnOp) and op.autoincrement is True:
        return 5
    if isinstance(op, (DropIndexOp, DropConstraintOp)):
        return 0
    if isinstance(op, AddColumnOp):
        return 1
    if isinstance(op, AlterColumnOp):
        return 2
    if isinstance(op, DropColumnOp):
        return 3
    return 4


def order_operations(
    ops: Sequence[MigrateOperation], *, foreign_keys_in_table_block: bool = False
) -> list[MigrateOperation]:
    """``foreign_keys_in_table_block``: keep foreign key changes with their table's other
    changes (SQLite, where each table's block becomes one batch rebuild and foreign
    keys are not checked while tables are rebuilt) instead of in the phases around them.
    """
    table_rank: dict[Any, int] = {}
    for op in ops:
        if _phase(op, foreign_keys_in_table_block) == _PER_TABLE:
            table_rank.setdefault(_table_of(op), len(table_rank))

    def key(item: tuple[int, MigrateOperation]) -> tuple[int, int, int, int]:
        position, op = item
        phase = _phase(op, foreign_keys_in_table_block)
        if phase != _PER_TABLE:
            return (phase, 0, 0, position)
        return (phase, table_rank[_table_of(op)], _step(op), position)

    return [op for _, op in sorted(enumerate(ops), key=key)]


def _table_of(op: MigrateOperation) -> tuple[Any, Any]:
    return (getattr(op, "schema", None), getattr(op, "table_name", None))
