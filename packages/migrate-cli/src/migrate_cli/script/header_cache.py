"""A per-directory cache of parsed revision headers, so large histories load in milliseconds.

Each version directory keeps `__pycache__/migrate-headers.json`, mapping file
name to (mtime_ns, size, header). A file whose modification time or size
changed is parsed again; the cache is only an accelerator: deleting it, or a
read-only directory where it cannot be written, changes nothing but speed.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from migrate_cli.script.header import RevisionHeader

CACHE_DIR = "__pycache__"
CACHE_FILE = "migrate-headers.json"
FORMAT = 2  # 2: headers carry `replaces`


class HeaderCache:
    """The cached headers of one directory, and the ones parsed during this load."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.path = os.path.join(directory, CACHE_DIR, CACHE_FILE)
        self._old: dict[str, list[Any]] = self._read()
        self._new: dict[str, list[Any]] = {}
        self._dirty = False

    def _read(self) -> dict[str, list[Any]]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, name: str, path: str, mtime_ns: int, size: int) -> RevisionHeader | None:
        entry = self._old.get(name)
        if not entry or entry[0] != mtime_ns or entry[1] != size:
            return None
        try:
            _, _, revision, down, labels, depends, doc, replaces = entry
            # Positional and without helper calls: a large history makes thousands per load.
            header = RevisionHeader(
                path,
                revision,
                tuple(down) if down.__class__ is list else down,
                tuple(labels) if labels else (),
                tuple(depends) if depends.__class__ is list else depends,
                doc,
                tuple(replaces) if replaces else (),
            )
        except (TypeError, ValueError):
            return None
        self._new[name] = entry
        return header

    def put(self, name: str, mtime_ns: int, size: int, header: RevisionHeader) -> None:
        self._new[name] = [
            mtime_ns,
            size,
            header.revision,
            header.down_revision,
            list(header.branch_labels),
            header.depends_on,
            header.docstring,
            list(header.replaces),
        ]
        self._dirty = True

    def save(self) -> None:
        """Write the cache if anything changed; any failure only costs speed next time."""
        if not self._dirty and self._new.keys() == self._old.keys():
            return
        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".migrate-headers-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump({"format": FORMAT, "entries": self._new}, handle)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass
