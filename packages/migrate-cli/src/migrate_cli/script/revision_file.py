"""One revision script on disk: its header, read without importing, and its module on demand."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
from functools import cached_property
from pathlib import Path
from types import ModuleType

from migrate_cli.errors import CommandError
from migrate_cli.revision_hints import command_error
from migrate_cli.script.code_cache import folder_cache
from migrate_cli.script.header import (
    ComputedHeader,
    RevisionHeader,
    RevisionRef,
    header_from_module_values,
)
from revgraph import Revision, RevisionError


def as_tuple(value: RevisionRef) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


class Script:
    """A revision file. `module` imports it, which happens only when it is about to run."""

    def __init__(self, header: RevisionHeader) -> None:
        self.header = header
        self.revision: str = header.revision
        self.down_revision: RevisionRef = header.down_revision
        self.branch_labels: tuple[str, ...] = header.branch_labels
        self.depends_on: RevisionRef = header.depends_on
        self.longdoc: str = header.docstring
        self.replaces: tuple[str, ...] = header.replaces
        #: The revision's place in the graph, set when the ScriptDirectory builds its map.
        self.graph: Revision | None = None
        #: The squash standing for this revision while both are present (set with `graph`).
        self.replaced_by: str | None = None
        #: The header came from importing the script (sourceless, or computed values), so
        #: the same file may give another header in another environment.
        self.computed = False
        self._module: ModuleType | None = None

    @cached_property
    def path(self) -> Path:
        return Path(self.header.path)

    def __repr__(self) -> str:
        return f"Script({self.revision!r}, {self.path.name!r})"

    @cached_property
    def doc(self) -> str:
        """The message: the docstring's first paragraph, on one line."""
        first = re.split(r"\n\s*\n", self.longdoc, maxsplit=1)[0] if self.longdoc else ""
        return " ".join(first.split())

    @property
    def down_revisions(self) -> tuple[str, ...]:
        return as_tuple(self.down_revision)

    @property
    def dependencies(self) -> tuple[str, ...]:
        return as_tuple(self.depends_on)

    @property
    def nextrev(self) -> tuple[str, ...]:
        """Revisions whose down_revision names this one."""
        return self.graph.nextrev if self.graph is not None else ()

    @property
    def all_branch_labels(self) -> tuple[str, ...]:
        """Its own branch labels and those inherited along its branch, sorted."""
        if self.graph is None:
            return self.branch_labels
        return tuple(sorted(self.graph.branch_labels))

    @property
    def is_base(self) -> bool:
        return not self.down_revisions

    @property
    def is_head(self) -> bool:
        return not self.nextrev

    @property
    def is_merge_point(self) -> bool:
        return len(self.down_revisions) > 1

    @property
    def is_branch_point(self) -> bool:
        return len(self.nextrev) > 1

    def to_revision(self) -> Revision:
        """The header as a revgraph Revision (which validates ids and labels)."""
        try:
            return Revision(
                self.revision,
                self.down_revision,
                self.branch_labels or None,
                self.depends_on,
                path=self.header.path,
                replaces=self.replaces or None,
            )
        except RevisionError as error:
            raise command_error(error, prefix=f"revision file {self.path}: ") from None

    @property
    def module(self) -> ModuleType:
        """The imported script; import errors name the file."""
        if self._module is None:
            self._module = load_script_module(self.path, self.revision)
        return self._module

    def load_source(self, source: bytes, digest: str) -> ModuleType:
        """Import the script from its source, already read (and hashed: `digest`) by the
        caller, its code from the folder's cache (see `code_cache`); errors name the file."""
        if self._module is None:
            self._module = load_script_module(self.path, self.revision, (source, digest))
        return self._module

    @classmethod
    def from_sourceless(cls, path: Path) -> Script:
        """A script shipped only as .pyc: its header has to come from importing it."""
        module = load_script_module(path, path.stem)
        header = header_from_module_values(path, vars(module), module.__doc__)
        script = cls(header)
        script._module = module
        script.computed = True
        return script

    @classmethod
    def from_computed_header(cls, computed: ComputedHeader) -> Script:
        """A script whose down_revision, branch_labels or depends_on is computed when it
        runs (as Alembic, which imports every script, allows): import it to read them."""
        path = Path(computed.path)
        try:
            module = load_script_module(path, path.stem)
        except CommandError as error:
            raise CommandError(
                f"revision file {computed.path}:{computed.line}: {computed.field} is computed "
                f"when the script runs ({computed.reason}), and importing the script to read "
                f"it failed: {error.__cause__ or error}; make the script importable here or "
                f"write {computed.field} as a literal"
            ) from error
        header = header_from_module_values(path, vars(module), module.__doc__)
        script = cls(header)
        script._module = module
        script.computed = True
        return script


def load_script_module(
    path: Path, name_hint: str, source: tuple[bytes, str] | None = None
) -> ModuleType:
    """Import a revision file as a module of its own (not put in sys.modules).

    `source`, the file's bytes and their SHA-256, takes the code from the folder's code
    cache instead of Python's import machinery (which would read the file again).
    """
    module_name = f"_migrate_revision_{re.sub(r'[^0-9A-Za-z_]', '_', name_hint)}"
    try:
        if source is not None and path.suffix == ".py":
            module = _module_from_source(path, module_name, *source)
        else:
            module = _module_from_file(path, module_name)
    except CommandError:
        raise
    except Exception as error:
        if isinstance(error, ImportError) and error.name == "alembic":
            # A team's Alembic history, copied over: the operations are ddl_ops'.
            raise CommandError(
                f"revision file {path} imports alembic, written for Alembic: change "
                "`from alembic import op` to `from ddl_ops import op` (and `from alembic "
                "import context` to `from migrate_cli import context`)"
            ) from error
        raise CommandError(
            f"revision file {path} failed to import: {type(error).__name__}: {error} "
            "(run with --raiseerr for the traceback)"
        ) from error
    return module


def _module_from_file(path: Path, module_name: str) -> ModuleType:
    if path.suffix == ".py":
        loader: importlib.machinery.SourceFileLoader | importlib.machinery.SourcelessFileLoader
        loader = importlib.machinery.SourceFileLoader(module_name, str(path))
    else:
        loader = importlib.machinery.SourcelessFileLoader(module_name, str(path))
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    if spec is None:
        raise CommandError(f"revision file {path} cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _module_from_source(path: Path, module_name: str, source: bytes, digest: str) -> ModuleType:
    """The module as the import system would make it (name, file, spec), from cached code."""
    code = folder_cache(path.parent).code(path, source, digest)
    module = ModuleType(module_name)
    module.__file__ = str(path)
    module.__spec__ = importlib.machinery.ModuleSpec(module_name, None, origin=str(path))
    module.__spec__.has_location = True
    exec(code, module.__dict__)
    return module
