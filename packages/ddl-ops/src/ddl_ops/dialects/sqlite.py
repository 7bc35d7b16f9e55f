"""SQLite: transactional DDL; no ALTER COLUMN or ALTER of constraints (batch mode does those)."""

from __future__ import annotations

from ddl_ops.dialects.base import DialectImpl


class SQLiteImpl(DialectImpl):
    name = "sqlite"
    transactional_ddl = True
    supports_alter_column = False
    supports_alter_constraints = False
    supports_comments = False
    requires_batch_recreate = True
