"""Detached copies of columns, safe to hand to operations."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def plain_column(column: sa.Column[Any]) -> sa.Column[Any]:
    """A copy of ``column`` without its table, foreign keys, indexes or unique flags.

    Foreign keys, indexes and unique constraints are compared and emitted as their
    own operations, so an added column must not create them a second time.
    """
    args: list[Any] = []
    if column.computed is not None:
        args.append(column.computed._copy())
    elif column.identity is not None:
        args.append(column.identity._copy())
    server_default: Any = None
    if isinstance(column.server_default, sa.DefaultClause):
        server_default = sa.DefaultClause(column.server_default.arg)
    autoincrement: Any = column.autoincrement
    return sa.Column(
        column.name,
        column.type,
        *args,
        primary_key=column.primary_key,
        nullable=column.nullable,
        server_default=server_default,
        comment=column.comment,
        autoincrement=autoincrement,
        key=column.key,
    )


def default_arg(column: sa.Column[Any]) -> Any:
    """The server default's SQL (str or clause), or None; computed and identity are not defaults."""
    default = column.server_default
    if isinstance(default, sa.DefaultClause):
        return default.arg
    return None
