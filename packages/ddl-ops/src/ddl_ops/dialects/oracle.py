"""Oracle: MODIFY for column changes; DDL commits implicitly."""

from __future__ import annotations

from ddl_ops.dialects.base import DialectImpl


class OracleImpl(DialectImpl):
    name = "oracle"
