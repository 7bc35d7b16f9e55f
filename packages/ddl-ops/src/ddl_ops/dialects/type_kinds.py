"""What kind of value a SQLAlchemy type holds, and its size: what a database's module
asks when it says whether changing a column's type rewrites its table. Plain helpers over
SQLAlchemy types; they know no database."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def integer_size(type_: Any) -> int | None:
    """Bytes of an integer type (2, 4, 8); None for any other type."""
    if isinstance(type_, sa.BigInteger):
        return 8
    if isinstance(type_, sa.SmallInteger):
        return 2
    if isinstance(type_, sa.Integer):
        return 4
    return None


def is_string(type_: Any) -> bool:
    """A character type (an Enum, though a String subclass, is not one)."""
    return isinstance(type_, sa.String) and not isinstance(type_, sa.Enum)


def string_length(type_: Any) -> int | None:
    """A string's length limit; None means unlimited (TEXT, VARCHAR without length)."""
    return getattr(type_, "length", None) or None
