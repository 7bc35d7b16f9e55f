"""Type changes: which rewrite the table on which database, and which can lose data.

Decided on SQLAlchemy type objects (from the script, or mapped from parsed SQL), by
their generic kind and size, never by comparing type names as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.registry import get_dialect_impl
from ddl_ops.dialects.type_kinds import integer_size, is_string, string_length


@dataclass(frozen=True)
class TypeChange:
    """The verdict on one ALTER ... TYPE: `reason` explains `rewrites`/`narrows` in a clause."""

    rewrites: bool
    narrows: bool
    reason: str


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
    old_int, new_int = integer_size(old), integer_size(new)
    if old_int and new_int and new_int < old_int:
        return f"{_describe(old)} values may not fit in {_describe(new)}"
    if is_string(old) and is_string(new):
        old_len, new_len = string_length(old), string_length(new)
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
    if is_string(old) and (
        new_int is not None
        or isinstance(new, (sa.Numeric, sa.Date, sa.DateTime, sa.Boolean, sa.Enum))
    ):
        return "strings that are not valid values of the new type make the change fail"
    return None


def _same_type(old: Any, new: Any) -> bool:
    return type(old) is type(new) and repr(old) == repr(new)


def classify(old: Any, new: Any, impl: DialectImpl, in_rebuild: bool) -> TypeChange:
    """The verdict for changing a column from `old` (None: not known) to `new` on a database.

    `in_rebuild`: the change is applied by batch move-and-copy (SQLite), which copies
    every row whatever the types. Which changes a database makes in place is its
    DialectImpl's `type_change_rewrite`.
    """
    if old is not None and _same_type(old, new):
        return TypeChange(False, False, "")
    narrows = narrowing(old, new) if old is not None else None
    if in_rebuild or impl.requires_batch_recreate:
        return TypeChange(True, bool(narrows), narrows or "the table is copied row by row")
    if old is None:
        return TypeChange(
            True,
            False,
            "the old type is unknown (give existing_type=), so a rewrite cannot be ruled out",
        )
    rewrite = impl.type_change_rewrite(old, new)
    return TypeChange(rewrite is not None, bool(narrows), narrows or rewrite or "")
