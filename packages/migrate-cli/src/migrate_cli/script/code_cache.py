"""Compiled revision scripts, one cache file per folder, checked by the source's hash.

A run that applies many migrations reads every script's source anyway (for the
migration log's checksum and the Alembic-names scan). Python's own import would
then stat the file and read its .pyc as well: two more file reads per script,
more than everything else it costs to load one. Here the source already read is
hashed, and the code comes from one file per folder
(`__pycache__/migrate-revisions.<python tag>.bin`), read once per run.

Safe by construction: an entry is used only when the SHA-256 of the source and the
script's path both match, so an edited, moved or checked-out-again script is
compiled afresh. The file is written like Python writes .pyc files: not when
`sys.dont_write_bytecode` (PYTHONDONTWRITEBYTECODE) is set, atomically (write
then rename), and silently skipped where the folder is read-only. Writes happen
at exit, once, for every folder whose entries changed.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType

#: Bumped when the file's layout changes; an old file is then ignored and rewritten.
FORMAT = 1
#: What one entry holds: the script's path, its source's SHA-256, its marshalled code.
Entry = tuple[str, str, bytes]


class FolderCodeCache:
    """The compiled scripts of one folder."""

    def __init__(self, folder: Path) -> None:
        tag = sys.implementation.cache_tag or "python"
        self.file = folder / "__pycache__" / f"migrate-revisions.{tag}.bin"
        self._entries: dict[str, Entry] | None = None
        self._changed = False

    def code(self, path: Path, source: bytes, digest: str) -> CodeType:
        """The code object of `source` (the script at `path`, whose SHA-256 is `digest`)."""
        entries = self._load()
        where = str(path)
        entry = entries.get(path.name)
        if entry is not None and entry[0] == where and entry[1] == digest:
            code = marshal.loads(entry[2])
            if isinstance(code, CodeType):
                return code
        code = compile(source, where, "exec", dont_inherit=True)
        entries[path.name] = (where, digest, marshal.dumps(code))
        if not self._changed:
            self._changed = True
            _unsaved.append(self)
        return code

    def save(self) -> None:
        """Write the entries if any changed, unless bytecode writing is off or impossible."""
        if not self._changed or self._entries is None or sys.dont_write_bytecode:
            return
        self._changed = False
        data = marshal.dumps((FORMAT, self._entries))
        try:
            self.file.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".migrate-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, self.file)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass  # a read-only checkout: compile again next time, as Python itself does

    def _load(self) -> dict[str, Entry]:
        if self._entries is None:
            self._entries = {}
            try:
                with open(self.file, "rb") as handle:
                    stored = marshal.loads(handle.read())
            except (OSError, EOFError, ValueError, TypeError):  # none yet, or damaged
                return self._entries
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == FORMAT:
                self._entries = {
                    name: entry
                    for name, entry in dict(stored[1]).items()
                    if isinstance(entry, tuple) and len(entry) == 3
                }
        return self._entries


_caches: dict[Path, FolderCodeCache] = {}
_unsaved: list[FolderCodeCache] = []


def folder_cache(folder: Path) -> FolderCodeCache:
    """The one cache of `folder` in this process."""
    cache = _caches.get(folder)
    if cache is None:
        cache = _caches[folder] = FolderCodeCache(folder)
    return cache


@atexit.register
def save_compiled() -> None:
    """Write every cache that changed (at exit; callable earlier, e.g. by long-lived hosts)."""
    while _unsaved:
        _unsaved.pop().save()
