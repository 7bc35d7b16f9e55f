"""SQLite's stored CREATE TABLE text, read: CHECK constraints and column definitions.

SQLite keeps no catalog of CHECK constraints, only the CREATE TABLE statement.
SQLAlchemy finds them with a regular expression, which also matches ``CHECK (``
inside a string literal (``code <> 'CHECK (x)'`` reflects a second constraint
``x``) and so reports a CHECK the database does not have. This scanner skips
string literals, quoted identifiers and comments, so only real constraints count.

The CHECK scanner is ddl-ops' own (batch mode needs the same answer), taken from
its public package; this module adds the column definitions autogen reads.
"""

from __future__ import annotations

from ddl_ops import sqlite_check_constraints as check_constraints

__all__ = ["check_constraints", "column_definitions", "parenthesized"]


def column_definitions(create_sql: str) -> dict[str, str]:
    """``CREATE TABLE t (a INT, b NUMERIC(1, 2) ...)`` as ``{"a": "a INT", "b": ...}``."""
    body = create_sql[create_sql.find("(") + 1 : create_sql.rfind(")")]
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    definitions = {}
    for part in parts:
        words = part.strip().split(None, 1)
        if words:
            definitions[words[0].strip('"`[]').lower()] = part.strip()
    return definitions


def parenthesized(text: str, open_at: int) -> str:
    """The text inside the parenthesis opening at ``open_at`` (nesting respected)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i]
    return text[open_at + 1 :]
