"""Find, before anything runs, the Alembic names a file uses that a migrate run does not provide.

env.py and every script of a plan are parsed with `ast` (never imported) and
each `import alembic...`, `from alembic... import name` and attribute chain on
those names (`op.implementation_for`, `alembic.ddl.impl`) is checked against
the table in `provided`. A file that uses no Alembic name costs one substring test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from migrate_cli.alembic_compat import provided
from migrate_cli.errors import CommandError

ROOT = "alembic"


@dataclass(frozen=True)
class UnprovidedName:
    """One use of an Alembic name migrate does not provide: where, what, and what to do."""

    path: str
    line: int
    name: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.name}: {provided.advice(self.name)}"


def _is_alembic(dotted: str) -> bool:
    return dotted == ROOT or dotted.startswith(ROOT + ".")


def _check_dotted(dotted: str) -> str | None:
    """The first part of `dotted` (an `alembic...` path) that is not provided, or None.

    Walks modules while they are shim modules; the first attribute that is an
    object of ours ends the walk (what lies beyond is our object's business).
    """
    parts = dotted.split(".")
    module = parts[0]
    for index, part in enumerate(parts[1:], start=1):
        child = f"{module}.{part}"
        if child in provided.SHIM_MODULES:
            module = child
            continue
        if provided.provides(module, part):
            return _check_object_attributes(module, parts, index)
        return ".".join(parts[: index + 1])
    return None if module in provided.SHIM_MODULES else dotted


def _check_object_attributes(module: str, parts: list[str], index: int) -> str | None:
    """`alembic.operations.Operations.register_operation`: our class must have the attribute.

    Only for plain objects of ours (classes, functions); `op` and `context` resolve
    per run, and what they answer is checked when they are called.
    """
    target = provided.SHIM_MODULES[module].names.get(parts[index], "")
    if ":" not in target or index + 1 >= len(parts) or module == "alembic.context":
        return None
    try:
        obj = provided.resolve(module, parts[index])
    except Exception:
        return None
    for position in range(index + 1, len(parts)):
        if not hasattr(obj, parts[position]):
            return ".".join(parts[: position + 1])
        obj = getattr(obj, parts[position])
    return None


def _attribute_chain(node: ast.Attribute) -> tuple[str, list[str]] | None:
    """`a.b.c` as ("a", ["b", "c"]); None when the chain does not start at a plain name."""
    attrs: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        attrs.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    return current.id, list(reversed(attrs))


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.bound: dict[str, str] = {}  # local name -> the alembic dotted path it holds
        self.found: list[UnprovidedName] = []
        self._seen: set[tuple[int, str]] = set()

    def _report(self, line: int, name: str) -> None:
        if (line, name) not in self._seen:
            self._seen.add((line, name))
            self.found.append(UnprovidedName(self.path, line, name))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not _is_alembic(alias.name):
                continue
            missing = _check_dotted(alias.name)
            if missing is not None:
                self._report(node.lineno, missing)
                continue
            if alias.asname:
                self.bound[alias.asname] = alias.name
            else:
                self.bound[ROOT] = ROOT

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or not _is_alembic(module):
            return
        missing = _check_dotted(module)
        if missing is not None:
            self._report(node.lineno, missing)
            return
        for alias in node.names:
            if alias.name == "*":
                continue
            dotted = f"{module}.{alias.name}"
            missing = _check_dotted(dotted)
            if missing is not None:
                self._report(node.lineno, missing)
                continue
            self.bound[alias.asname or alias.name] = dotted

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = _attribute_chain(node)
        if chain is not None and chain[0] in self.bound:
            base = self.bound[chain[0]]
            if base in provided.SHIM_MODULES:
                missing = _check_dotted(".".join([base, *chain[1]]))
                if missing is not None:
                    self._report(node.lineno, missing)


def scan_source(source: str, path: str) -> list[UnprovidedName]:
    """The unprovided Alembic names `source` uses, in file order."""
    if ROOT not in source:
        return []
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError:
        return []  # importing the file reports it, with the line
    scanner = _Scanner(path)
    imports: list[ast.stmt] = []
    attributes: list[ast.Attribute] = []
    inner: set[int] = set()  # `a.b` inside `a.b.c`: checked as part of the longer chain
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif isinstance(node, ast.Attribute):
            attributes.append(node)
            if isinstance(node.value, ast.Attribute):
                inner.add(id(node.value))
    # Imports first (wherever they are), then every use.
    for statement in imports:
        scanner.visit(statement)
    if scanner.bound:
        for attribute in attributes:
            if id(attribute) not in inner:
                scanner.visit_Attribute(attribute)
    return sorted(scanner.found, key=lambda item: item.line)


def scan_file(path: Path) -> list[UnprovidedName]:
    if path.suffix != ".py":
        return []  # sourceless (.pyc) scripts cannot be read before they are imported
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # importing it reports the problem
    return scan_source(source, str(path))


def scan_read_file(path: str, data: bytes) -> list[UnprovidedName]:
    """`scan_file` of a script already read (bytes with LF line endings, as text mode
    reads them), so a run reads each script once."""
    if Path(path).suffix != ".py":
        return []  # sourceless (.pyc) scripts cannot be read before they are imported
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        return []  # importing it reports the problem
    return scan_source(source, path)


def refuse_unprovided(paths: Iterable[Path], before: str) -> None:
    """Raise one CommandError listing every unprovided Alembic name in `paths`.

    `before` says what was stopped, e.g. "nothing was migrated".
    """
    report_unprovided([item for path in paths for item in scan_file(Path(path))], before)


def report_unprovided(found: list[UnprovidedName], before: str) -> None:
    """Raise one CommandError listing `found` (from `scan_file`/`scan_read_file`), if any."""
    if not found:
        return
    lines = "\n  ".join(str(item) for item in found)
    raise CommandError(
        f"Alembic API that migrate does not provide is used; {before}:\n  {lines}\n"
        f"(see {provided.DOCS}; `migrate port` rewrites the names migrate does provide)"
    )
