"""Per-dialect transaction facts and how a failure is described in one line."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

# SQLite's DDL is transactional; the runner opens its transactions with BEGIN
# IMMEDIATE itself, so the pysqlite driver's autocommit of DDL does not apply.
_TRANSACTIONAL_OVERRIDES = {"sqlite": True}


def is_transactional_ddl(dialect_name: str, impl: Any, configured: bool | None = None) -> bool:
    """Whether a failed migration can be rolled back whole on this database.

    `configured` is env.py's `transactional_ddl=` override; otherwise ddl_ops'
    DialectImpl knows (PostgreSQL and SQL Server yes; MySQL, MariaDB, Oracle no).
    """
    if configured is not None:
        return bool(configured)
    if dialect_name in _TRANSACTIONAL_OVERRIDES:
        return _TRANSACTIONAL_OVERRIDES[dialect_name]
    if impl is not None and hasattr(impl, "transactional_ddl"):
        return bool(impl.transactional_ddl)
    return dialect_name in ("postgresql", "mssql")


def describe_error(error: BaseException) -> str:
    """The underlying database error's first line (no SQL echo, no parameters)."""
    if isinstance(error, sa.exc.DBAPIError) and error.orig is not None:
        text = str(error.orig).strip()
        kind = type(error.orig).__name__
    else:
        text = str(error).strip()
        kind = type(error).__name__
    first = text.splitlines()[0] if text else ""
    return f"{kind}: {first}" if first else kind
