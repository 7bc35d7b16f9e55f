"""Read a revision script's header (ids, labels, docstring) without importing it.

History, heads and show must work when the application's imports are broken,
so the header is taken from the source with `ast`: module-level assignments
(annotated or not) of literal values, or of expressions over module-level constants
(header_values), and the module docstring. A down_revision, branch_labels or depends_on
that only running the script can tell raises ComputedHeader, so the caller can import
that one script instead; a revision id must always be readable from the source.
"""

from __future__ import annotations

import ast
import re
import tokenize
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from migrate_cli.errors import CommandError
from migrate_cli.script.header_values import ModuleConstants, NotStatic

HEADER_FIELDS = ("revision", "down_revision", "branch_labels", "depends_on")

# The header lives above the first top-level def/class in every generated script; parsing
# only that part keeps `migrate heads` fast on thousands of files.
_FIRST_BODY_LINE = re.compile(r"^(?:def |async def |class |@)", re.MULTILINE)

RevisionRef = str | tuple[str, ...] | None


class ComputedHeader(CommandError):
    """A header field is computed when the script runs (e.g. depends_on built under an
    ``if``); only importing the script tells its value."""

    def __init__(self, path: str, line: int, field: str, reason: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(
            f"revision file {path}:{line}: {field} is computed when the script runs "
            f"({reason}); write it as a literal (a string, a tuple of strings or None)"
        )


class RevisionHeader(NamedTuple):
    """What a revision script declares about itself (a tuple: thousands are made per load)."""

    path: str
    revision: str
    down_revision: RevisionRef
    branch_labels: tuple[str, ...]
    depends_on: RevisionRef
    docstring: str


def read_header(path: str | Path, source: str | None = None) -> RevisionHeader:
    """Parse the header of the script at `path`; a broken header is a one-line CommandError."""
    path = str(path)
    if source is None:
        try:
            # tokenize.open honours a `# -*- coding: ... -*-` line, as Python's import does.
            with tokenize.open(path) as handle:
                source = handle.read()
        except (OSError, UnicodeDecodeError, SyntaxError) as error:
            raise CommandError(f"revision file {path} cannot be read: {error}") from None
    header = _header_from_prefix(path, source)
    if header is not None:
        return header
    return _header_from_tree(path, _parse(path, source))


def header_from_module_values(
    path: str | Path, values: dict[str, object], doc: str | None
) -> RevisionHeader:
    """A header from an imported module's attributes (sourceless .pyc scripts)."""
    fields = {name: values.get(name) for name in HEADER_FIELDS if name in values}
    return _validated(str(path), fields, doc or "", lines={})


def _header_from_prefix(path: str, source: str) -> RevisionHeader | None:
    match = _FIRST_BODY_LINE.search(source)
    if match is None:
        return None
    try:
        tree = ast.parse(source[: match.start()], filename=path)
    except SyntaxError:
        return None
    try:
        fields, lines = _literal_assignments(path, tree, constants=None)
    except NotStatic:
        return None  # an expression: fold it with the whole file, which may change its names
    if "revision" not in fields or "down_revision" not in fields:
        return None
    return _validated(path, fields, ast.get_docstring(tree) or "", lines)


def _parse(path: str, source: str) -> ast.Module:
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as error:
        where = f"{path}:{error.lineno}" if error.lineno else str(path)
        raise CommandError(f"revision file {where}: syntax error: {error.msg}") from None
    except ValueError as error:  # e.g. null bytes
        raise CommandError(f"revision file {path}: cannot be parsed: {error}") from None


def _header_from_tree(path: str, tree: ast.Module) -> RevisionHeader:
    fields, lines = _literal_assignments(path, tree, constants=ModuleConstants(tree))
    return _validated(path, fields, ast.get_docstring(tree) or "", lines)


def _literal_assignments(
    path: str, tree: ast.Module, constants: ModuleConstants | None
) -> tuple[dict[str, object], dict[str, int]]:
    """The header fields' values; ``constants`` folds expressions (None: raise NotStatic)."""
    fields: dict[str, object] = {}
    lines: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and target.id in HEADER_FIELDS:
                fields[target.id] = _value(path, node.lineno, target.id, value, constants)
                lines[target.id] = node.lineno
    return fields, lines


def _value(
    path: str, line: int, field: str, node: ast.expr, constants: ModuleConstants | None
) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        if constants is None:
            raise NotStatic(field) from None
    try:
        return constants.evaluate(node)
    except NotStatic as computed:
        if field == "revision":
            # An id that is only known by running the script may differ on every run.
            raise CommandError(
                f"revision file {path}:{line}: revision must be a literal string "
                f'({computed.reason}); write the id itself, e.g. revision = "ae1027a6acf"'
            ) from None
        raise ComputedHeader(path, line, field, computed.reason) from None


def _validated(
    path: str, fields: dict[str, object], docstring: str, lines: dict[str, int]
) -> RevisionHeader:
    def where(name: str) -> str:
        return f"{path}:{lines[name]}" if name in lines else str(path)

    if "revision" not in fields:
        raise CommandError(
            f'revision file {path}: no module-level `revision = "..."`; '
            "every script in a versions directory must declare its revision id"
        )
    revision = fields["revision"]
    if not isinstance(revision, str) or not revision.strip():
        raise CommandError(
            f"revision file {where('revision')}: revision must be a non-empty string"
        )
    if "down_revision" not in fields:
        raise CommandError(
            f"revision file {path}: no module-level `down_revision` "
            "(use `down_revision = None` for a base revision)"
        )
    return RevisionHeader(
        path=path,
        revision=revision,
        down_revision=_revision_ref(fields["down_revision"], "down_revision", where),
        branch_labels=_labels(fields.get("branch_labels"), where),
        depends_on=_revision_ref(fields.get("depends_on"), "depends_on", where),
        docstring=docstring.strip(),
    )


def _revision_ref(value: object, name: str, where: Callable[[str], str]) -> RevisionRef:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, (tuple, list)) and all(isinstance(item, str) and item for item in value):
        items = tuple(value)
        if not items:
            return None
        return items[0] if len(items) == 1 and name == "down_revision" else items
    raise CommandError(
        f"revision file {where(name)}: {name} must be None, a revision id string "
        f"or a tuple of them, not {value!r}"
    )


def _labels(value: object, where: Callable[[str], str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, (tuple, list, set)) and all(isinstance(item, str) for item in value):
        return tuple(item for item in value if item)
    raise CommandError(
        f"revision file {where('branch_labels')}: branch_labels must be None, "
        f"a string or a tuple of strings, not {value!r}"
    )
