"""What the runtime reads of the revision scripts, as Protocols the runtime owns.

`migrate_cli.script.ScriptDirectory` and `Script` satisfy them; the runtime never
imports the script package (they are siblings: neither calls the other).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType
from typing import Protocol

from revgraph import RevisionMap


def read_script_source(path: str | Path | None) -> bytes | None:
    """A script's bytes with CRLF/CR line endings made LF (what Python's text mode reads, so
    a checkout on Windows does not look edited); None when there is no file to read."""
    if not path:
        return None
    try:
        with open(path, "rb") as handle:  # not Path.read_bytes: its parsing costs more
            data = handle.read()
    except OSError:
        return None
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def source_checksum(data: bytes) -> str:
    """The migration log's checksum of a script's source (from `read_script_source`)."""
    return hashlib.sha256(data).hexdigest()


class RevisionScript(Protocol):
    """One revision file: where it is, its docstring, its module (imported on first use)."""

    @property
    def path(self) -> Path: ...
    @property
    def doc(self) -> str: ...
    @property
    def module(self) -> ModuleType: ...
    def load_source(self, source: bytes, digest: str) -> ModuleType:
        """The module, imported from `source` (the bytes `read_script_source` gave, whose
        `source_checksum` is `digest`) rather than read again."""
        ...


class ScriptSource(Protocol):
    """The script directory a run plans over: env.py's folder and the revision map."""

    @property
    def dir(self) -> Path: ...
    @property
    def revision_map(self) -> RevisionMap: ...
    def get_revision(self, ident: str) -> RevisionScript: ...
