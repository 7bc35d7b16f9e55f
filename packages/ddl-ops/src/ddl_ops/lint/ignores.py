"""Inline ignores: `# migrate: ignore[MG105] why it is safe` on or above an `op.*` line.

Comments are read with `tokenize` and statements located with `ast`, so an ignore works
on any line of a call spread over several lines, or in the comment block right above it.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

from ddl_ops.lint.registry import Rule, all_rules

_IGNORE = re.compile(r"#\s*migrate:\s*ignore\[([^\]]*)\]\s*(.*)$")
_SQL_IGNORE = re.compile(r"^\s*migrate:\s*ignore\[([^\]]*)\]\s*(.*)$")


@dataclass(frozen=True)
class Ignore:
    """One ignore comment: the rules it names (codes or names) and the reason given."""

    line: int
    selectors: tuple[str, ...]
    reason: str
    standalone: bool

    def matches(self, rule: Rule) -> bool:
        return any(s.upper() == rule.code or s.lower() == rule.name for s in self.selectors)


class IgnoreIndex:
    """The ignore comments of one script, and which findings each one covers."""

    def __init__(self, source: str):
        self.ignores = _read_ignores(source)
        self._spans = _statement_spans(source)
        self._blank_or_comment = _blank_or_comment_lines(source)

    def suppresses(self, line: int | None, rule: Rule) -> bool:
        if line is None:
            return False
        start, end = self._span(line)
        for ignore in self.ignores:
            if not ignore.matches(rule) or not ignore.reason:
                continue
            if start <= ignore.line <= end:
                return True
            if ignore.standalone and ignore.line < start:
                between = range(ignore.line + 1, start)
                if all(n in self._blank_or_comment for n in between):
                    return True
        return False

    def problems(self) -> list[tuple[int, str]]:
        """(line, what is wrong) for ignores without a reason or naming no known rule."""
        return ignore_problems(self.ignores)

    def _span(self, line: int) -> tuple[int, int]:
        """The innermost simple statement holding `line` (the whole call, all its lines)."""
        best = (line, line)
        for start, end in self._spans:
            if start <= line <= end and (best == (line, line) or end - start < best[1] - best[0]):
                best = (start, end)
        return best


def sql_ignores(comments: list[str], line: int) -> list[Ignore]:
    """The ignores among a SQL statement's comments (`-- migrate: ignore[MG201] why`)."""
    found = []
    for comment in comments:
        match = _SQL_IGNORE.match(comment)
        if match is not None:
            selectors = tuple(s.strip() for s in match.group(1).split(",") if s.strip())
            found.append(Ignore(line, selectors, match.group(2).strip(), False))
    return found


def ignore_problems(ignores: list[Ignore]) -> list[tuple[int, str]]:
    """(line, what is wrong) for ignores without a reason or naming no known rule."""
    known = {r.code for r in all_rules()} | {r.name for r in all_rules()}
    found = []
    for ignore in ignores:
        unknown = [s for s in ignore.selectors if s.upper() not in known and s not in known]
        if not ignore.selectors:
            found.append((ignore.line, "names no rule"))
        elif unknown:
            found.append((ignore.line, f"names unknown rule(s) {', '.join(unknown)}"))
        if not ignore.reason:
            found.append((ignore.line, "gives no reason (and so ignores nothing)"))
    return found


def _read_ignores(source: str) -> list[Ignore]:
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    code_lines = {t.start[0] for t in tokens if t.type not in _NON_CODE}
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _IGNORE.search(token.string)
        if match is None:
            continue
        selectors = tuple(s.strip() for s in match.group(1).split(",") if s.strip())
        line = token.start[0]
        found.append(Ignore(line, selectors, match.group(2).strip(), line not in code_lines))
    return found


_NON_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


def _statement_spans(source: str) -> list[tuple[int, int]]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    spans = []
    for node in ast.walk(tree):
        compound = hasattr(node, "body")
        if isinstance(node, ast.stmt) and not compound and node.end_lineno is not None:
            spans.append((node.lineno, node.end_lineno))
        elif isinstance(node, ast.With) and node.end_lineno is not None:
            spans.append((node.lineno, node.lineno))  # `with op.batch_alter_table(...)` line
    return spans


def _blank_or_comment_lines(source: str) -> set[int]:
    return {
        number
        for number, text in enumerate(source.splitlines(), start=1)
        if not text.strip() or text.strip().startswith("#")
    }
