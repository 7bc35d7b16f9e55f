"""The heads of an unchanged history, known without reading it: the start-up of a run at head.

`migrate upgrade head` on a database already at head (every deploy that brings
no new revision) and `migrate current` need only the script heads and how they
display. Reading ten thousand headers and building the graph for that costs
more than the rest of such a run after Python and SQLAlchemy are imported.

So whenever the graph is built, its heads and their display are saved in
`__pycache__/migrate-heads.json` of the first version location, beside a
fingerprint of every file the graph came from: each file's name, modification
time and size (what the header cache checks), the folders, the settings that
choose files, and this package's version. A later run stats every file again
and uses the saved heads only when the fingerprint is the same, so an edited,
added, removed or renamed revision file means a full read. A history with a
header that only running its script can tell is never saved.

The file is only an accelerator: deleting it, or a read-only folder where it
cannot be written, changes nothing but speed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate_cli._version import __version__
from migrate_cli.script import formatting
from migrate_cli.script.revision_file import Script
from revgraph import RevisionMap

FILE_NAME = "migrate-heads.json"
#: Bumped when the file's layout changes; an old file is then ignored and rewritten.
FORMAT = 1


@dataclass(frozen=True)
class HeadView:
    """How `current` shows one head: its line, its --verbose entry and its --json record."""

    line: str
    verbose: str
    record: dict[str, Any]


@dataclass(frozen=True)
class HeadsSnapshot:
    """The heads of a history and how each displays, as its graph gave them."""

    heads: tuple[str, ...]
    real_heads: tuple[str, ...]
    has_squashes: bool
    views: Mapping[str, HeadView]

    @classmethod
    def of(cls, revision_map: RevisionMap, scripts: Mapping[str, Script]) -> HeadsSnapshot:
        """Taken from a built graph whose scripts know their place in it."""
        views = {}
        for head in revision_map.heads:
            script = scripts[head]
            views[head] = HeadView(
                formatting.short_line(script, parents=False, doc=False, tree=False),
                formatting.verbose_entry(script),
                formatting.as_dict(script),
            )
        return cls(
            tuple(revision_map.heads),
            tuple(revision_map.real_heads),
            bool(revision_map.squashes),
            views,
        )

    def shows(self, db_heads: Sequence[str]) -> bool:
        """Whether every one of a database's heads is a script head this snapshot can show.

        A squashed history is left to the graph: a database head may then stand for a squash.
        """
        return not self.has_squashes and all(head in self.views for head in db_heads)

    def upgrade_is_done(self, db_heads: Sequence[str], destination: str) -> bool:
        """True when upgrading a database at `db_heads` to `destination` has nothing to run.

        Only for the sure case: the database records every head, and every head is a real
        one (none is only depended on). Each revision lies below some head, so all are
        applied. `head` also needs the history unbranched; anything else asks the graph.
        """
        if self.has_squashes or not db_heads or set(self.heads) != set(self.real_heads):
            return False
        if set(db_heads) != set(self.heads) or len(db_heads) != len(self.heads):
            return False
        return destination == "heads" or (destination == "head" and len(self.heads) == 1)


class Fingerprint:
    """What a history's graph depends on, hashed as the files are listed."""

    def __init__(self, settings: Iterable[object]) -> None:
        self._hash = hashlib.sha256(f"{FORMAT}\0{__version__}".encode())
        for setting in settings:
            self._hash.update(f"\0{setting}".encode())

    def add_folder(self, folder: str, files: Iterable[tuple[str, os.stat_result]]) -> None:
        """One folder's candidate files, in the order they are read."""
        text = "\n".join(f"{name}\t{st.st_mtime_ns}\t{st.st_size}" for name, st in files)
        self._hash.update(f"\0\0{folder}\0{text}".encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def load(path: Path, fingerprint: str) -> HeadsSnapshot | None:
    """The snapshot saved at `path` if it was taken of the same files; None otherwise."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("fingerprint") != fingerprint:
            return None
        return HeadsSnapshot(
            tuple(data["heads"]),
            tuple(data["real_heads"]),
            bool(data["has_squashes"]),
            {head: HeadView(*view) for head, view in data["views"].items()},
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # none yet, or damaged: the graph is read, and the file written again


def save(path: Path, fingerprint: str, snapshot: HeadsSnapshot) -> None:
    """Write the snapshot, atomically; a folder where it cannot be written only costs speed."""
    document = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "heads": list(snapshot.heads),
        "real_heads": list(snapshot.real_heads),
        "has_squashes": snapshot.has_squashes,
        "views": {
            head: [view.line, view.verbose, view.record] for head, view in snapshot.views.items()
        },
    }
    try:
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".migrate-heads-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass  # a read-only checkout: the graph is read each time, as before
