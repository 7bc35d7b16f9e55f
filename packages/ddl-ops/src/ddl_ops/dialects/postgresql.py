"""PostgreSQL: transactional DDL, USING on type changes, enum types, EXCLUDE constraints."""

from __future__ import annotations

from ddl_ops.dialects.base import DialectImpl


class PostgresqlImpl(DialectImpl):
    name = "postgresql"
    transactional_ddl = True
    supports_enum_types = True
