"""Operations that are not schema changes: running SQL, inserting rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ddl_ops.ops.base import MigrateOperation


class ExecuteSQLOp(MigrateOperation):
    """Run a SQL string or a SQLAlchemy statement (DDL or DML)."""

    def __init__(
        self,
        sqltext: str | sa.Executable,
        *,
        execution_options: Mapping[str, Any] | None = None,
    ):
        self.sqltext = sqltext
        self.execution_options = dict(execution_options or {})


class BulkInsertOp(MigrateOperation):
    """INSERT rows into a table; works offline (rows rendered as literal VALUES).

    `multiinsert=True` sends one executemany live, and one multi-row INSERT offline;
    False sends one INSERT per row.
    """

    def __init__(
        self,
        table: sa.Table | sa.TableClause,
        rows: Sequence[Mapping[str, Any]],
        *,
        multiinsert: bool = True,
    ):
        self.table = table
        self.rows = [dict(row) for row in rows]
        self.multiinsert = multiinsert
        self.table_name = table.name
        self.schema = getattr(table, "schema", None)
