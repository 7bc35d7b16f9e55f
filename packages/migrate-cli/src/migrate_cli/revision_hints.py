"""revgraph errors as the command line shows them: revgraph's problem, then the command to run.

revgraph is a library and speaks of revisions and maps; only here is its advice
replaced with a `migrate` command. Hints are keyed by error class (the nearest
class in the error's MRO wins), so every command shows the same advice.
"""

from __future__ import annotations

from collections.abc import Callable

from migrate_cli.errors import CommandError
from revgraph import MultipleHeads, OverlappingRevisions, RevisionError, UnknownRevision

Hint = Callable[[RevisionError], str]


def _several_heads(error: RevisionError) -> str:
    every = error.every if isinstance(error, MultipleHeads) else "heads"
    return (
        f"name one (an id or 'label@head'), use '{every}', "
        f"or merge them with `migrate merge {every}`"
    )


HINTS: dict[type[RevisionError], Hint] = {
    UnknownRevision: lambda error: "run `migrate history` to list revisions",
    MultipleHeads: _several_heads,
    OverlappingRevisions: lambda error: (
        "the version table is inconsistent; record the real heads with "
        "`migrate stamp --purge REVISION...`"
    ),
}


def describe(error: RevisionError) -> str:
    """One line: revgraph's message, with its advice replaced by a command where one fits."""
    for cls in type(error).__mro__:
        hint = HINTS.get(cls)
        if hint is not None:
            return f"{error.problem}; {hint(error)}"
    return str(error)


def command_error(error: RevisionError, prefix: str = "", suffix: str = "") -> CommandError:
    """The CommandError a command raises for a revgraph error."""
    return CommandError(f"{prefix}{describe(error)}{suffix}")
