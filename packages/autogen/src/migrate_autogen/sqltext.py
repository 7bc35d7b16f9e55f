"""Canonical forms of SQL snippets the database rewrites (index expressions, CHECKs, defaults).

The database stores what it parsed, not what we sent: PostgreSQL adds casts and
parentheses, MySQL adds backquotes. Both sides go through the same reduction
so that only real differences remain.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

_CAST = re.compile(
    r"::\s*(?:\"[^\"]+\"|[a-z_][a-z0-9_]*)"
    r"(?:\s+(?:varying|precision|without\s+time\s+zone|with\s+time\s+zone))*"
    r"(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\s*\[\])*",
    re.IGNORECASE,
)
_NOW_SPELLINGS = {
    "now()",
    "current_timestamp",
    "current_timestamp()",
    "localtimestamp",
    "localtimestamp()",
    "transaction_timestamp()",
    "getdate()",
    "sysdate",
}
_TODAY_SPELLINGS = {"current_date", "current_date()", "curdate()"}


def split_literals(text: str) -> list[tuple[bool, str]]:
    """Split SQL into (is_string_literal, piece) segments; '' inside a literal is kept."""
    out: list[tuple[bool, str]] = []
    i, start, n = 0, 0, len(text)
    while i < n:
        if text[i] == "'":
            if i > start:
                out.append((False, text[start:i]))
            j = i + 1
            while j < n:
                if text[j] == "'":
                    if j + 1 < n and text[j + 1] == "'":
                        j += 2
                        continue
                    break
                j += 1
            out.append((True, text[i : j + 1]))
            i = start = j + 1
        else:
            i += 1
    if start < n:
        out.append((False, text[start:]))
    return out


@lru_cache(maxsize=4096)
def normalize_expression(text: str) -> str:
    """Reduce SQL to a comparison key: no casts, quotes, parentheses, case or spaces."""
    pieces = []
    for is_literal, piece in split_literals(text):
        if is_literal:
            pieces.append(piece)
            continue
        piece = _CAST.sub("", piece)
        piece = re.sub(r"(?i)\s+mod\s+", "%", piece)  # MariaDB stores `a % b` as `a MOD b`
        piece = re.sub(r"[\"`()\s\[\]]", "", piece).lower()
        pieces.append(piece)
    return "".join(pieces)


def strip_outer_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for is_literal, piece in split_literals(text):
        if is_literal:
            continue
        for ch in piece:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth < 0:
                    return False
    return depth == 0


def _strip_trailing_casts(text: str) -> str:
    """Remove ``::type`` suffixes outside string literals at the end of the text."""
    while True:
        segments = split_literals(text)
        if not segments or segments[-1][0]:
            return text
        last = segments[-1][1]
        match = re.search(_CAST.pattern + r"\s*$", last, re.IGNORECASE)
        if not match:
            return text
        text = text[: len(text) - len(last) + match.start()].rstrip()
        text = strip_outer_parens(text)


def _moment(text: str) -> str | None:
    """'2020-01-01' and '2020-01-01 00:00:00' are the same timestamp default."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?", text.strip()):
        return None
    try:
        return datetime.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return None


def _number(text: str) -> str | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    return format(value.normalize(), "f") if value != 0 else "0"


@lru_cache(maxsize=4096)
def normalize_default(text: str | None) -> str | None:
    """A server default as a comparison key: '0', 0 and 0.00 agree; false and 0 agree; now() too."""
    if text is None:
        return None
    s = strip_outer_parens(str(text))
    s = _strip_trailing_casts(s)
    s = strip_outer_parens(s)
    if not s or s.upper() == "NULL":
        return None
    segments = split_literals(s)
    if len(segments) == 1 and segments[0][0]:
        value = segments[0][1][1:-1].replace("''", "'")
        number = _number(value)
        if number is not None:
            return f"num:{number}"
        moment = _moment(value)
        return f"time:{moment}" if moment is not None else f"str:{value}"
    lowered = s.lower()
    if lowered in ("true", "false"):
        return "num:1" if lowered == "true" else "num:0"
    number = _number(s)
    if number is not None:
        return f"num:{number}"
    compact = re.sub(r"\s+", "", lowered)
    if compact in _NOW_SPELLINGS or re.fullmatch(r"current_timestamp\(\d*\)|now\(\d*\)", compact):
        return "fn:now"
    if compact in _TODAY_SPELLINGS:
        return "fn:today"
    return "sql:" + normalize_expression(s)


# A number standing alone (not part of a name such as c2, nor of 1.5's other half).
_NUMBER = re.compile(r"(?<![\w.$])(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\w.])")
# The size of a type in CAST(x AS numeric(10, 2)): not a constant the condition compares with.
_CAST_TYPE_SIZE = re.compile(
    r"\bAS\s+[a-z_][a-z0-9_]*(?:\s+(?:varying|precision))?\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def condition_constants(text: str, backslash_escapes: bool = False) -> frozenset[str]:
    """The constants a CHECK's condition compares with, each in one spelling.

    What databases rewrite in a stored condition is its form: casts, parentheses,
    function names (MariaDB's octet_length for length), BETWEEN into two
    comparisons, IN into ``= ANY (ARRAY[...])``. The constants survive, though
    spelled their own way: -1 as ``'-1'::integer``, 1e3 as ``'1000'::numeric``,
    a date as a timestamp, ``'it''s'`` as ``'it\\'s'``. So these are compared
    once brought to one spelling (numbers by value, without sign; moments as ISO
    timestamps; strings unescaped): a condition whose constants differ has changed.
    `backslash_escapes`: the database escapes quotes in strings with a backslash (MySQL).
    """
    if backslash_escapes:
        text = text.replace("\\\\", "\0").replace("\\'", "''").replace("\0", "\\")
    found: set[str] = set()
    segments = split_literals(text)
    for index, (is_literal, piece) in enumerate(segments):
        if is_literal and _is_interval(segments, index):
            continue  # PostgreSQL respells intervals: '24 hours' is stored as '24:00:00'
        if is_literal:
            value = piece[1:-1].replace("''", "'")
            number = _number(value)
            moment = _moment(value)
            if number is not None:
                found.add("num:" + number.lstrip("-"))
            else:
                found.add(f"time:{moment}" if moment is not None else f"str:{value}")
            continue
        piece = _CAST_TYPE_SIZE.sub("", _CAST.sub("", piece))
        for match in _NUMBER.finditer(piece):
            number = _number(match.group(0))
            if number is not None:
                found.add("num:" + number)
    return frozenset(found)


def _is_interval(segments: list[tuple[bool, str]], index: int) -> bool:
    """Whether the string literal at `index` is an interval: `interval '1 day'` as the models
    write it, `'1 day'::interval` as PostgreSQL stores it."""
    before = segments[index - 1][1] if index > 0 else ""
    after = segments[index + 1][1] if index + 1 < len(segments) else ""
    return bool(
        re.search(r"\binterval\s*$", before, re.IGNORECASE)
        or re.match(r"\s*::\s*interval\b", after, re.IGNORECASE)
    )


def index_expression(expr: Any) -> Any:
    """An index element as CREATE INDEX writes it: ``qty * 2`` as ``(qty * 2)``.

    PostgreSQL (and MySQL's functional indexes) take an operator expression only
    in parentheses; functions and ``col DESC`` stay as they are, as SQLAlchemy does.
    """
    if isinstance(expr, (sa.TextClause, sa.ColumnClause)):
        return expr
    return expr.self_group()
