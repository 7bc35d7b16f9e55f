"""What comparators receive: a table or a column as the models say and as the database says."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa


class _NotChanged:
    """Marks a column attribute no comparator changed (None means "remove it")."""

    def __repr__(self) -> str:
        return "NOT_CHANGED"


NOT_CHANGED: Any = _NotChanged()


@dataclass
class TablePair:
    """A table present in both the models (``meta``) and the database (``conn``)."""

    schema: str | None
    name: str
    conn: sa.Table
    meta: sa.Table


@dataclass
class ColumnPair:
    """A column present on both sides of a compared table."""

    table: TablePair
    conn: sa.Column[Any]
    meta: sa.Column[Any]

    @property
    def name(self) -> str:
        return self.meta.name


@dataclass
class ColumnChange:
    """What column comparators found; becomes at most one AlterColumnOp."""

    nullable: bool | None = None
    type_: sa.types.TypeEngine[Any] | None = None
    server_default: Any = NOT_CHANGED
    comment: Any = NOT_CHANGED
    autoincrement: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return (
            self.nullable is not None
            or self.type_ is not None
            or self.server_default is not NOT_CHANGED
            or self.comment is not NOT_CHANGED
            or self.autoincrement is not None
        )
