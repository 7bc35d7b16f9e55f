"""Type changes: which rewrite the table on which database, and which can lose data.

Decided on SQLAlchemy type objects (from the script, or mapped from parsed SQL), by
their generic kind and size, never by comparing type names as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ddl_ops.dialects.registry import get_dialect_impl

# bytes per character MySQL/MariaDB reserve for utf8mb4, the default character set
_MYSQL_BYTES_PER_CHAR = 4


@dataclass(frozen=True)
class TypeChange:
    """The verdict on one ALTER ... TYPE: `reason` explains `rewrites`/`narrows` in a clause."""

    rewrites: bool
    narrows: bool
    reason: str


def _integer_size(type_: Any) -> int | None:
    if isinstance(type_, sa.BigInteger):
        return 8
    if isinstance(type_, sa.SmallInteger):
        return 2
    if isinstance(type_, sa.Integer):
        return 4
    return None


def _is_string(type_: Any) -> bool:
    return isinstance(type_, sa.String) and not isinstance(type_, sa.Enum)


def _length(type_: Any) -> int | None:
    """A string's length limit; None means unlimited (TEXT, VARCHAR without length)."""
    return getattr(type_, "length", None) or None


def type_text(type_: Any, dialect: str | None = None) -> str:
    """The type as the database spells it (a named enum by its name)."""
    if isinstance(type_, sa.Enum) and type_.name:
        return f"ENUM {type_.name}"
    try:
        target = get_dialect_impl(dialect).dialect if dialect else None
        return str(type_.compile(dialect=target))
    except Exception:
        return type(type_).__name__


def _describe(type_: Any) -> str:
    return type_text(type_)


def narrowing(old: Any, new: Any) -> str | None:
    """Why changing `old` to `new` can lose or reject existing values; None when it cannot."""
    if isinstance(old, sa.Enum) and isinstance(new, sa.Enum):
        missing = set(old.enums) - set(new.enums)
        return f"values {', '.join(sorted(missing))} are no longer allowed" if missing else None
    old_int, new_int = _integer_size(old), _integer_size(new)
    if old_int and new_int and new_int < old_int:
        return f"{_describe(old)} values may not fit in {_describe(new)}"
    if _is_string(old) and _is_string(new):
        old_len, new_len = _length(old), _length(new)
        if new_len is not None and (old_len is None or new_len < old_len):
            return f"strings longer than {new_len} characters do not fit"
    if isinstance(old, sa.Numeric) and isinstance(new, sa.Numeric):
        if isinstance(old, sa.Float) and not isinstance(new, sa.Float):
            return "floating-point values are rounded to the new precision"
        if old.precision and new.precision and new.precision < old.precision:
            return f"precision drops from {old.precision} to {new.precision}"
        if (old.scale or 0) > (new.scale or 0) and not isinstance(new, sa.Float):
            return "digits after the decimal point are cut"
    if isinstance(old, sa.Numeric) and new_int:
        return "fractions are cut to whole numbers"
    if (
        isinstance(old, sa.DateTime)
        and isinstance(new, sa.Date)
        and not isinstance(new, sa.DateTime)
    ):
        return "the time of day is lost"
    if _is_string(old) and (
        new_int is not None
        or isinstance(new, (sa.Numeric, sa.Date, sa.DateTime, sa.Boolean, sa.Enum))
    ):
        return "strings that are not valid values of the new type make the change fail"
    return None


def _postgresql_binary_compatible(old: Any, new: Any) -> bool:
    """Changes PostgreSQL makes without rewriting (or re-checking) the rows."""
    if _is_string(old) and _is_string(new):
        old_len, new_len = _length(old), _length(new)
        return new_len is None or (old_len is not None and new_len >= old_len)
    if isinstance(old, sa.Numeric) and isinstance(new, sa.Numeric):
        if isinstance(old, sa.Float) or isinstance(new, sa.Float):
            return False
        if new.precision is None:
            return True
        return (
            old.precision is not None
            and new.precision >= old.precision
            and (new.scale or 0) == (old.scale or 0)
        )
    return False


def _mysql_in_place(old: Any, new: Any) -> bool:
    """Changes InnoDB makes with ALGORITHM=INPLACE/INSTANT, without copying the table:
    VARCHAR widening that keeps the length prefix size (1 byte up to 255 bytes, else 2)."""
    if isinstance(old, sa.Enum) and isinstance(new, sa.Enum):
        old_values, new_values = list(old.enums), list(new.enums)
        return new_values[: len(old_values)] == old_values  # values appended at the end
    if not (_is_string(old) and _is_string(new)):
        return False
    if isinstance(old, sa.Text) or isinstance(new, sa.Text):
        return False
    old_len, new_len = _length(old), _length(new)
    if old_len is None or new_len is None or new_len < old_len:
        return False
    prefix = (old_len * _MYSQL_BYTES_PER_CHAR > 255, new_len * _MYSQL_BYTES_PER_CHAR > 255)
    return prefix[0] == prefix[1]


def _same_type(old: Any, new: Any) -> bool:
    return type(old) is type(new) and repr(old) == repr(new)


def classify(old: Any, new: Any, dialect_chain: tuple[str, ...], in_rebuild: bool) -> TypeChange:
    """The verdict for changing a column from `old` (None: not known) to `new` on a database.

    `in_rebuild`: the change is applied by batch move-and-copy (SQLite), which copies
    every row whatever the types.
    """
    if old is not None and _same_type(old, new):
        return TypeChange(False, False, "")
    narrows = narrowing(old, new) if old is not None else None
    if in_rebuild or "sqlite" in dialect_chain:
        return TypeChange(True, bool(narrows), narrows or "the table is copied row by row")
    if old is None:
        return TypeChange(
            True,
            False,
            "the old type is unknown (give existing_type=), so a rewrite cannot be ruled out",
        )
    if "postgresql" in dialect_chain:
        if _postgresql_binary_compatible(old, new):
            return TypeChange(False, bool(narrows), narrows or "")
        return TypeChange(
            True, bool(narrows), narrows or "every row is rewritten under an ACCESS EXCLUSIVE lock"
        )
    if "mysql" in dialect_chain:
        if _mysql_in_place(old, new):
            return TypeChange(False, bool(narrows), narrows or "")
        copies = "InnoDB copies the table (ALGORITHM=COPY), blocking writes"
        return TypeChange(True, bool(narrows), narrows or copies)
    return TypeChange(True, bool(narrows), narrows or "the database may rebuild the table")
