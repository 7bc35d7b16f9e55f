"""SQL Server: defaults are named constraints bound to columns; batches separated by GO."""

from __future__ import annotations

from ddl_ops.dialects.base import DialectImpl


class MSSQLImpl(DialectImpl):
    name = "mssql"
    transactional_ddl = True
    batch_separator = "GO"
    begin_statement = "BEGIN TRANSACTION"
