"""What `migrate squash` reads in the replaced scripts: which ones carry code a schema
difference cannot stand for (data migrations, unclassified code), and that code as written.

A range is cut into segments, in application order: runs of pure-schema revisions, each
collapsed into one schema difference, and single revisions carrying data statements or
code squash cannot classify, whose upgrade() body is copied in its place, as written.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from migrate_cli.script.revision_file import Script

__all__ = [
    "Segment",
    "carried_body",
    "data_statements",
    "has_real_downgrade",
    "module_imports",
    "read_source",
    "segments",
]

DATA_CALLS = ("execute", "bulk_insert")
#: The template's own imports: not repeated for a carried body.
TEMPLATE_IMPORTS = frozenset({"from alembic import op", "import sqlalchemy as sa"})
HEADER_NAMES = frozenset({"revision", "down_revision", "branch_labels", "depends_on", "replaces"})


@dataclass(frozen=True)
class Segment:
    """Consecutive replaced revisions: a schema run, or one revision carried as written."""

    members: tuple[Script, ...]
    carried: bool = False

    @property
    def label(self) -> str:
        first, last = self.members[0].revision, self.members[-1].revision
        return first if first == last else f"{first} .. {last}"


def segments(members: Sequence[Script]) -> list[Segment]:
    """The range cut at each revision whose upgrade() holds data statements or code squash
    cannot classify; a range with none is one schema segment."""
    found: list[Segment] = []
    run: list[Script] = []
    for member in members:
        statements, unknown = data_statements(member)
        if not statements and not unknown:
            run.append(member)
            continue
        if run:
            found.append(Segment(tuple(run)))
            run = []
        found.append(Segment((member,), carried=True))
    if run:
        found.append(Segment(tuple(run)))
    return found


def read_source(path: Path) -> tuple[str, str]:
    """A script's text and encoding (its coding line, as Python reads it; utf-8 by default)."""
    with path.open("rb") as handle:
        encoding, _ = tokenize.detect_encoding(handle.readline)
    return path.read_text(encoding=encoding), encoding


def _function(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def data_statements(member: Script) -> tuple[list[str], list[str]]:
    """Source of upgrade()'s top-level statements calling op.execute / op.bulk_insert (with
    the assignments they may use, e.g. a sa.table()), and of those squash cannot classify."""
    source, _ = read_source(member.path)
    upgrade = _function(ast.parse(source), "upgrade")
    if upgrade is None:
        return [], []
    calls_data = [_calls_data(node) for node in upgrade.body]
    carried: list[str] = []
    unknown: list[str] = []
    for node, is_data in zip(upgrade.body, calls_data):
        text = ast.get_source_segment(source, node) or ""
        if is_data or (
            any(calls_data)
            and isinstance(node, (ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom))
        ):
            carried.append(text)
        elif not _is_schema_operation(node) and text:
            unknown.append(text)
    return carried, unknown


def has_real_downgrade(member: Script) -> bool:
    """Whether downgrade() does anything: not absent, and more than `pass` or a docstring."""
    source, _ = read_source(member.path)
    downgrade = _function(ast.parse(source), "downgrade")
    return downgrade is not None and any(not _is_nothing(node) for node in downgrade.body)


def _is_nothing(node: ast.stmt) -> bool:
    return isinstance(node, ast.Pass) or (
        isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    )


def carried_body(member: Script, function: str) -> list[str] | None:
    """``function``'s body (upgrade or downgrade) as written, indented for the squash's
    function (multi-line strings untouched); None when it does nothing.

    What it uses from beside it in its module (a `sa.table()`, a helper function) is copied
    first, in module order, as local definitions; module imports are `module_imports`.
    """
    source, _ = read_source(member.path)
    tree = ast.parse(source)
    node = _function(tree, function)
    if node is None:
        return None
    body = [n for n in node.body if not _is_nothing(n)]
    if not body:
        return None
    lines = source.splitlines()
    inside_strings = _string_continuation_lines(source)
    out: list[str] = []
    beside = _definitions_used(tree, node)
    if beside:
        out.append(f"    # Defined beside it in {member.path.name}:")
    for definition in beside:
        first = min([definition.lineno, *(d.lineno for d in _decorators(definition))])
        out += _reindented(lines, first, definition.end_lineno or first, 0, inside_strings)
    last = node.end_lineno or body[-1].end_lineno or body[0].lineno
    out += _reindented(lines, body[0].lineno, last, body[0].col_offset, inside_strings)
    return out


def _reindented(
    lines: Sequence[str], first: int, last: int, indent: int, inside_strings: set[int]
) -> list[str]:
    """Source lines ``first``..``last`` moved from ``indent`` to the squash's function body."""
    out: list[str] = []
    for number in range(first, last + 1):
        line = lines[number - 1]
        if number in inside_strings:
            out.append(line)
        elif not line.strip():
            out.append("")
        else:
            out.append("    " + (line[indent:] if line[:indent].isspace() else line))
    return out


def _decorators(node: ast.stmt) -> list[ast.expr]:
    return list(getattr(node, "decorator_list", []))


def _definitions_used(tree: ast.Module, function: ast.FunctionDef) -> list[ast.stmt]:
    """The module-level definitions ``function`` uses, and those they use, in module order."""
    defines: dict[str, ast.stmt] = {}
    for node in tree.body:
        for name in _defined_names(node):
            defines.setdefault(name, node)
    needed: list[ast.stmt] = []
    pending: list[ast.AST] = [function]
    while pending:
        current = pending.pop()
        for name in sorted(_loaded_names(current)):
            definition = defines.get(name)
            if definition is not None and definition is not function and definition not in needed:
                needed.append(definition)
                pending.append(definition)
    return sorted(needed, key=lambda n: n.lineno)


def _loaded_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _defined_names(node: ast.stmt) -> set[str]:
    """Names a module-level statement defines (functions, classes, assignments), header
    names excluded (the squash has its own)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names = {node.name}
    elif isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    else:
        names = set()
    return names - HEADER_NAMES - {"upgrade", "downgrade"}


def _string_continuation_lines(source: str) -> set[int]:
    """Line numbers inside a multi-line string after its first line: copied verbatim."""
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.end[0] > token.start[0]:
            lines.update(range(token.start[0] + 1, token.end[0] + 1))
    return lines


def module_imports(member: Script) -> list[str]:
    """The module-level import lines of a carried script, but the template's own."""
    source, _ = read_source(member.path)
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            text = " ".join((ast.get_source_segment(source, node) or "").split())
            if text and text not in TEMPLATE_IMPORTS and not text.startswith("from __future__"):
                found.append(text)
    return found


def _is_schema_operation(node: ast.stmt) -> bool:
    """`op.add_column(...)`, a `with op.batch_alter_table(...)` block, a docstring, `pass`,
    or an assignment (setup for those): covered by the schema difference."""
    if isinstance(node, (ast.Pass, ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "op"
        )
    if isinstance(node, ast.With):
        return all(_is_schema_operation(inner) or _is_batch_call(inner) for inner in node.body)
    return False


def _is_batch_call(node: ast.stmt) -> bool:
    """`batch_op.add_column(...)` inside `with op.batch_alter_table(...) as batch_op:`."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
    )


def _calls_data(node: ast.AST) -> bool:
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr in DATA_CALLS
            and isinstance(inner.func.value, ast.Name)
            and inner.func.value.id == "op"
        ):
            return True
    return False
