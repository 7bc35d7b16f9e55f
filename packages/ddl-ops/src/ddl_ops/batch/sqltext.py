"""Find and rename column references inside SQL fragments (CHECK bodies, index expressions).

Reflection gives CHECK conditions, partial-index predicates and SQLite index statements as text;
when a batch renames or drops a column, those texts must follow, so they are tokenized here
(string literals and quoted identifiers are respected) rather than edited with a blind replace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.sql.elements import TextClause

_TOKEN = re.compile(
    r"""
    (?P<string>'(?:[^']|'')*')                 # string literal
    | (?P<dquoted>"(?:[^"]|"")*")              # "quoted identifier"
    | (?P<bquoted>`(?:[^`]|``)*`)              # `quoted identifier`
    | (?P<bracketed>\[[^\]]*\])                # [quoted identifier]
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)        # bare identifier or keyword
    | (?P<other>\s+|.)                         # anything else, one character at a time
    """,
    re.VERBOSE | re.DOTALL,
)


def _identifier_tokens(sql: str) -> Iterator[tuple[re.Match[str], str | None]]:
    """Yield each token with the identifier it names (None for literals, punctuation, space)."""
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup
        text = match.group()
        if kind == "word":
            yield match, text
        elif kind == "dquoted":
            yield match, text[1:-1].replace('""', '"')
        elif kind == "bquoted":
            yield match, text[1:-1].replace("``", "`")
        elif kind == "bracketed":
            yield match, text[1:-1]
        else:
            yield match, None


def _column_tokens(sql: str) -> Iterator[tuple[re.Match[str], str | None]]:
    """Like `_identifier_tokens`, but a name followed by "(" is a function (or type), not a
    column: a column named `date` must not be confused with a call of `date(...)`."""
    tokens = list(_identifier_tokens(sql))
    for position, (match, ident) in enumerate(tokens):
        if ident is not None and _next_symbol(tokens, position + 1) == "(":
            ident = None
        yield match, ident


def _next_symbol(tokens: list[tuple[re.Match[str], str | None]], start: int) -> str:
    """The first token from `start` on that is not white space ("" at the end)."""
    for position in range(start, len(tokens)):
        text = tokens[position][0].group()
        if not text.isspace():
            return text
    return ""


def references_identifier(sql: str, name: str) -> bool:
    """True when ``sql`` mentions ``name`` as a column (case-insensitive, quoting aware)."""
    wanted = name.lower()
    return any(ident is not None and ident.lower() == wanted for _, ident in _column_tokens(sql))


def rename_identifier(sql: str, old: str, new: str, quote: Callable[[str], str]) -> str:
    """Rewrite every column reference to ``old`` as ``new`` (quoted by ``quote``)."""
    wanted = old.lower()
    pieces: list[str] = []
    for match, ident in _column_tokens(sql):
        if ident is not None and ident.lower() == wanted:
            pieces.append(quote(new))
        else:
            pieces.append(match.group())
    return "".join(pieces)


def split_index_statement(sql: str) -> tuple[str, str]:
    """Split ``CREATE INDEX name ON table (...) WHERE ...`` into its head and its column part.

    Only the part from the first top-level parenthesis on refers to columns; the head holds
    the index and table names, which a column rename must never touch.
    """
    for match, _ in _identifier_tokens(sql):
        if match.group() == "(":
            return sql[: match.start()], sql[match.start() :]
    raise ValueError(f"not a CREATE INDEX statement with a column list: {sql!r}")


def table_definition_items(create_table_sql: str) -> list[str]:
    """The comma-separated items (columns, table constraints) of a CREATE TABLE statement."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for match, _ in _identifier_tokens(create_table_sql):
        text = match.group()
        if text == "(":
            depth += 1
            if depth == 1:
                continue
        elif text == ")":
            depth -= 1
            if depth == 0:
                items.append("".join(current).strip())
                break
        if depth == 1 and text == ",":
            items.append("".join(current).strip())
            current = []
        elif depth >= 1:
            current.append(text)
    return [item for item in items if item]


def foreign_key_timing(item: str) -> tuple[list[str], bool, str | None] | None:
    """For a CREATE TABLE item holding a foreign key: its local columns, and whether it is
    DEFERRABLE and INITIALLY what (None for an item without REFERENCES)."""
    tokens = [(m, ident) for m, ident in _identifier_tokens(item) if not m.group().isspace()]
    words = [m.group().upper() if m.lastgroup == "word" else m.group() for m, _ in tokens]
    if "REFERENCES" not in words or not tokens:
        return None
    if "FOREIGN" in words[: words.index("REFERENCES")]:
        start = words.index("(", words.index("FOREIGN"))
        end = words.index(")", start)
        columns = [ident for _, ident in tokens[start + 1 : end] if ident is not None]
    else:
        columns = [tokens[0][1]] if tokens[0][1] is not None else []
    deferrable = any(
        word == "DEFERRABLE" and (i == 0 or words[i - 1] != "NOT") for i, word in enumerate(words)
    )
    initially = next(
        (words[i + 1] for i, word in enumerate(words[:-1]) if word == "INITIALLY"), None
    )
    return columns, deferrable, initially


def conflict_clauses(item: str) -> list[tuple[str, list[str] | None, str]]:
    """SQLite's ON CONFLICT clauses in a CREATE TABLE item: (constraint kind, its columns when
    listed in parentheses, resolution), e.g. ("UNIQUE", ["a", "b"], "IGNORE")."""
    tokens = [(m, ident) for m, ident in _identifier_tokens(item) if not m.group().isspace()]
    words = [m.group().upper() if m.lastgroup == "word" else m.group() for m, _ in tokens]
    found: list[tuple[str, list[str] | None, str]] = []
    kind: str | None = None
    columns: list[str] | None = None
    for i, word in enumerate(words):
        previous = words[i - 1 : i]
        if (word == "UNIQUE") or (word, previous) in (("NULL", ["NOT"]), ("KEY", ["PRIMARY"])):
            kind = {"UNIQUE": "UNIQUE", "NULL": "NOT NULL", "KEY": "PRIMARY KEY"}[word]
            columns = None
            if words[i + 1 : i + 2] == ["("]:
                end = words.index(")", i + 1)
                columns = [ident for _, ident in tokens[i + 2 : end] if ident is not None]
        elif word == "ON" and words[i + 1 : i + 2] == ["CONFLICT"] and kind and i + 2 < len(words):
            found.append((kind, columns, words[i + 2]))
    return found


def leading_identifier(sql: str) -> str | None:
    """The first identifier of ``sql`` (unquoted), or None when it starts otherwise."""
    for match, ident in _identifier_tokens(sql):
        if match.lastgroup == "other" and match.group().isspace():
            continue
        return ident
    return None


def collation_of(column_sql: str) -> str | None:
    """The name after COLLATE in a column definition, if any."""
    tokens = [(m, ident) for m, ident in _identifier_tokens(column_sql) if not m.group().isspace()]
    for (match, _), (_, following) in zip(tokens, tokens[1:]):
        if match.lastgroup == "word" and match.group().upper() == "COLLATE":
            return following
    return None


_CREATE_NAMED = re.compile(
    r"^(\s*CREATE\s+(?:UNIQUE\s+|TEMP\s+|TEMPORARY\s+)?(?:INDEX|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?)",
    re.IGNORECASE,
)


def in_schema(create_sql: str, schema: str | None, quote: Callable[[str], str]) -> str:
    """Qualify the name in a stored CREATE INDEX/TRIGGER statement with ``schema``.

    SQLite stores these statements unqualified; replayed as they are, they would land in the
    main database instead of the attached one the table lives in.
    """
    if schema is None:
        return create_sql
    return _CREATE_NAMED.sub(lambda m: f"{m.group(1)}{quote(schema)}.", create_sql, count=1)


def verbatim(sql: str) -> TextClause:
    """SQL read from the catalog, as a statement whose ``:word`` parts are not bind parameters."""
    return sa.text(sql.replace(":", "\\:"))
