"""What the runtime reads of the revision scripts, as Protocols the runtime owns.

`migrate_cli.script.ScriptDirectory` and `Script` satisfy them; the runtime never
imports the script package (they are siblings: neither calls the other).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Protocol

from revgraph import RevisionMap


class RevisionScript(Protocol):
    """One revision file: where it is, its docstring, its module (imported on first use)."""

    @property
    def path(self) -> Path: ...
    @property
    def doc(self) -> str: ...
    @property
    def module(self) -> ModuleType: ...


class ScriptSource(Protocol):
    """The script directory a run plans over: env.py's folder and the revision map."""

    @property
    def dir(self) -> Path: ...
    @property
    def revision_map(self) -> RevisionMap: ...
    def get_revision(self, ident: str) -> RevisionScript: ...
