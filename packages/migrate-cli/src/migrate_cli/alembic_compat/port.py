"""`migrate port`: rewrite an Alembic project's imports to migrate's own names, in place.

Only `from alembic... import name` statements are rewritten, and only when every
name has a native equivalent that behaves the same (`op`, `context`, the
command functions, operation classes, ...); the statement is replaced by the
native imports at the same place, with the same `as` aliases, so the rest of
the file is untouched. Anything else that names Alembic (`import alembic`,
`from alembic.config import Config`, whose default section differs) is listed
for the user and left as it is: it keeps working under `migrate` through the
Alembic names provided during a run.

Positions come from `ast` (end_lineno/end_col_offset): import statements are
all that is rewritten, so a full concrete-syntax tree (libcst) would add a
dependency without making these edits any safer.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: (alembic module, name) -> (native module, name). Only equivalents that behave the same.
NATIVE_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("alembic", "op"): ("ddl_ops", "op"),
    ("alembic", "context"): ("migrate_cli", "context"),
    ("alembic", "command"): ("migrate_cli", "command"),
    ("alembic.script", "ScriptDirectory"): ("migrate_cli.script", "ScriptDirectory"),
    ("alembic.script", "Script"): ("migrate_cli.script", "Script"),
    ("alembic.runtime.migration", "MigrationContext"): (
        "migrate_cli.runtime.migration",
        "MigrationContext",
    ),
    ("alembic.migration", "MigrationContext"): (
        "migrate_cli.runtime.migration",
        "MigrationContext",
    ),
    ("alembic.runtime.environment", "EnvironmentContext"): (
        "migrate_cli.runtime.environment",
        "EnvironmentContext",
    ),
    ("alembic.operations", "Operations"): ("ddl_ops", "Operations"),
    ("alembic.operations", "BatchOperations"): ("ddl_ops", "BatchOperations"),
    ("alembic.operations", "MigrateOperation"): ("ddl_ops", "MigrateOperation"),
    ("alembic.operations.ops", "MigrationScript"): ("migrate_autogen", "MigrationScript"),
    ("alembic.autogenerate", "compare_metadata"): ("migrate_autogen", "compare_metadata"),
    ("alembic.autogenerate", "produce_migrations"): ("migrate_autogen", "produce_migrations"),
    ("alembic.autogenerate", "render_python_code"): ("migrate_autogen", "render_python_code"),
    ("alembic.autogenerate", "Rewriter"): ("migrate_autogen", "Rewriter"),
    ("alembic.autogenerate.rewriter", "Rewriter"): ("migrate_autogen", "Rewriter"),
    ("alembic.util", "CommandError"): ("migrate_cli", "CommandError"),
    ("alembic.util.exc", "CommandError"): ("migrate_cli", "CommandError"),
}


def _register_operation_classes() -> None:
    from migrate_cli.alembic_compat.provided import SHIM_MODULES

    for name, target in SHIM_MODULES["alembic.operations.ops"].names.items():
        if target.startswith("ddl_ops:"):
            NATIVE_NAMES.setdefault(("alembic.operations.ops", name), ("ddl_ops", name))
    for name in SHIM_MODULES["alembic.command"].names:
        NATIVE_NAMES.setdefault(("alembic.command", name), ("migrate_cli.command", name))


_register_operation_classes()

_ALEMBIC = re.compile(r"\balembic\b")


@dataclass
class PortedFile:
    """What porting one file changes, and what it leaves for the user."""

    path: Path
    before: str
    after: str
    left: list[str] = field(default_factory=list)  # "path:line: what stays and why"

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"{self.path} (Alembic names)",
                tofile=f"{self.path} (migrate names)",
            )
        )


def _native_statement(node: ast.ImportFrom) -> list[str] | None:
    """The native import lines for `node`, or None if some name has no same-behaving native."""
    module = node.module or ""
    grouped: dict[str, list[str]] = {}
    for alias in node.names:
        native = NATIVE_NAMES.get((module, alias.name))
        if native is None:
            return None
        target_module, target_name = native
        bound = alias.asname or alias.name
        text = target_name if bound == target_name else f"{target_name} as {bound}"
        grouped.setdefault(target_module, []).append(text)
    return [f"from {module_} import {', '.join(names)}" for module_, names in grouped.items()]


def _offsets(source: str) -> list[int]:
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def port_source(source: str, path: Path) -> PortedFile:
    """Rewrite the Alembic imports of one Python source that have native equivalents."""
    result = PortedFile(path, source, source)
    if "alembic" not in source:
        return result
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        result.left.append(f"{path}:{error.lineno}: not valid Python; not ported")
        return result
    starts = _offsets(source)
    edits: list[tuple[int, int, str]] = []
    lines = source.splitlines()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "alembic" or alias.name.startswith("alembic."):
                    result.left.append(
                        f"{path}:{node.lineno}: `import {alias.name}` left as is "
                        "(it works under migrate; rewrite its uses by hand to leave Alembic)"
                    )
            continue
        if not isinstance(node, ast.ImportFrom) or node.level:
            continue
        module = node.module or ""
        if module != "alembic" and not module.startswith("alembic."):
            continue
        native = _native_statement(node)
        if native is None:
            names = ", ".join(alias.name for alias in node.names)
            result.left.append(
                f"{path}:{node.lineno}: `from {module} import {names}` left as is "
                "(no native name behaves the same; it works under migrate)"
            )
            continue
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        prefix = lines[node.lineno - 1][: node.col_offset]
        separator = "\n" + prefix if not prefix.strip() else "; "
        edits.append((start, end, separator.join(native)))
    after = source
    for start, end, text in sorted(edits, reverse=True):
        after = after[:start] + text + after[end:]
    result.after = after
    return result


_MAKO_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)(?P<stmt>from alembic(?:\.[\w.]+)? import [^#\n]+?)\s*$"
)


def port_template(source: str, path: Path) -> PortedFile:
    """script.py.mako: rewrite its plain `from alembic import op` lines (the rest is Mako)."""
    result = PortedFile(path, source, source)
    out = []
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        match = _MAKO_IMPORT.match(line.rstrip("\r\n"))
        if match is not None:
            ported = port_source(match.group("stmt") + "\n", path)
            if ported.changed:
                ending = line[len(line.rstrip("\r\n")) :]
                new = ported.after.rstrip("\n").replace("\n", "\n" + match.group("indent"))
                out.append(match.group("indent") + new + ending)
                continue
            result.left.extend(
                item.replace(f"{path}:1:", f"{path}:{number}:") for item in ported.left
            )
        out.append(line)
    result.after = "".join(out)
    return result


def port_files(paths: Iterable[Path]) -> list[PortedFile]:
    """Port every file (Python sources, and script.py.mako templates)."""
    results = []
    for path in paths:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if path.name.endswith(".mako"):
            results.append(port_template(source, path))
        else:
            results.append(port_source(source, path))
    return results


def write_ported(files: Iterable[PortedFile]) -> None:
    for ported in files:
        if ported.changed:
            ported.path.write_text(ported.after, encoding="utf-8")
