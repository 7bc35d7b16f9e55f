"""SQLite's stored CREATE TABLE text, read: CHECK constraints and column definitions.

SQLite keeps no catalog of CHECK constraints, only the CREATE TABLE statement.
SQLAlchemy finds them with a regular expression, which also matches ``CHECK (``
inside a string literal (``code <> 'CHECK (x)'`` reflects a second constraint
``x``) and so reports a CHECK the database does not have. This scanner skips
string literals, quoted identifiers and comments, so only real constraints count.

The scanner is the one ddl-ops' batch mode uses (``ddl_ops.dialects.sqlite_checks``);
it is kept here because ddl-ops does not export it, and autogen uses ddl-ops' public
package only.
"""

from __future__ import annotations

from collections.abc import Iterator

_QUOTES = {"'": "'", '"': '"', "`": "`", "[": "]"}


def _tokens(sql: str) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) for words, quoted names, strings and single characters."""
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch.isspace():
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch in _QUOTES:
            close, j = _QUOTES[ch], i + 1
            while j < n:
                if sql[j] == close:
                    if close != "]" and j + 1 < n and sql[j + 1] == close:
                        j += 2  # a doubled quote stands for one
                        continue
                    break
                j += 1
            yield ("string" if ch == "'" else "name", i, min(j + 1, n))
            i = j + 1
        elif ch.isalnum() or ch == "_":
            j = i
            while j < n and (sql[j].isalnum() or sql[j] in "_$"):
                j += 1
            yield ("word", i, j)
            i = j
        else:
            yield ("punct", i, i + 1)
            i += 1


def _unquoted(text: str) -> str:
    if text[:1] in _QUOTES:
        close = _QUOTES[text[0]]
        return text[1:-1].replace(close * 2, close) if close != "]" else text[1:-1]
    return text


def check_constraints(create_sql: str) -> list[tuple[str | None, str]]:
    """Each CHECK of the statement as (name or None, condition text as written)."""
    tokens = list(_tokens(create_sql))
    found: list[tuple[str | None, str]] = []
    position = 0
    while position < len(tokens):
        kind, start, end = tokens[position]
        if kind != "word" or create_sql[start:end].upper() != "CHECK":
            position += 1
            continue
        name = None
        if position >= 2:
            before_kind, b_start, b_end = tokens[position - 2]
            if before_kind == "word" and create_sql[b_start:b_end].upper() == "CONSTRAINT":
                name = _unquoted(create_sql[tokens[position - 1][1] : tokens[position - 1][2]])
        opening = position + 1
        if opening >= len(tokens) or create_sql[tokens[opening][1]] != "(":
            position += 1
            continue
        depth, closing = 0, opening
        for closing in range(opening, len(tokens)):
            t_kind, t_start, _ = tokens[closing]
            if t_kind == "punct" and create_sql[t_start] == "(":
                depth += 1
            elif t_kind == "punct" and create_sql[t_start] == ")":
                depth -= 1
                if depth == 0:
                    break
        body = create_sql[tokens[opening][2] : tokens[closing][1]].strip()
        found.append((name, body))
        position = closing + 1
    return found


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
