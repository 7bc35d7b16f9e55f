"""Errors raised by revgraph: one line each, naming the revisions involved and what to do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def _ids(revisions: Iterable[str]) -> str:
    return ", ".join(revisions)


class RevisionError(Exception):
    """Base class of every error revgraph raises for bad input or an impossible request.

    ``problem`` is what is wrong, without the advice that follows it in the message, so
    a program built on revgraph (a command-line tool) can put its own advice there.
    """

    def __init__(self, message: str, *, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem or message


class InvalidRevision(RevisionError):
    """A revision header or an identifier is malformed (wrong type, illegal characters)."""


class UnknownRevision(RevisionError, LookupError):
    """An identifier names no revision, prefix or branch label of the map."""

    def __init__(self, identifier: str, message: str | None = None) -> None:
        self.identifier = identifier
        if message is None:
            hint = " (prefixes need enough characters to be unique)" if len(identifier) < 4 else ""
            problem = f"no revision, prefix or branch label matches {identifier!r}{hint}"
            super().__init__(
                f"{problem}; check it against the map's revisions (RevisionMap.walk() lists them)",
                problem=problem,
            )
        else:
            super().__init__(message)


class AmbiguousRevision(RevisionError):
    """A prefix matches several revisions, or a relative walk meets a fork."""

    def __init__(self, identifier: str, candidates: Sequence[str], message: str | None = None):
        self.identifier = identifier
        self.candidates = tuple(candidates)
        super().__init__(
            message
            or f"revision prefix {identifier!r} is ambiguous: it matches {_ids(candidates)}; "
            "give more characters"
        )


class MultipleHeads(RevisionError):
    """A single revision was asked for (e.g. ``head``) where several heads exist."""

    def __init__(self, heads: Sequence[str], argument: str) -> None:
        self.heads = tuple(heads)
        self.argument = argument
        # 'label@head' asks for one branch: plain 'heads' would also take every other branch.
        label, at, _ = argument.rpartition("@")
        self.every = f"{label}@heads" if at else "heads"
        problem = f"{argument!r} is ambiguous: there are several heads ({_ids(heads)})"
        super().__init__(
            f"{problem}; name one (an id or 'label@head'), use '{self.every}', or add a merge "
            "revision whose down_revision names them all",
            problem=problem,
        )


class OverlappingRevisions(RevisionError):
    """Current revisions where one lies below another: a database cannot be at both."""

    def __init__(self, lower: Sequence[str], upper: str) -> None:
        self.lower = tuple(lower)
        self.upper = upper
        problem = f"current revisions overlap: {_ids(lower)} already lies below {upper}"
        super().__init__(
            f"{problem}; the current revisions are inconsistent: pass only the topmost ones",
            problem=problem,
        )


class CycleDetected(RevisionError):
    """down_revision / depends_on references form a loop, so no order can satisfy them."""

    def __init__(
        self,
        revisions: Sequence[str],
        kind: str = "down_revision",
        paths: Sequence[str | None] = (),
    ) -> None:
        self.revisions = tuple(revisions)
        self.kind = kind
        self.paths = tuple(paths)
        files = ", ".join(p for p in paths if p)
        where = f" (in {files})" if files else ""
        if len(set(self.revisions)) == 1:
            message = (
                f"revision {self.revisions[0]!r}{where} names itself in its {kind}; "
                f"remove it from its {kind}"
            )
        else:
            message = (
                f"cycle in {kind} references: {' -> '.join(revisions)}{where}; "
                f"edit the {kind} of one of these revisions to break the loop"
            )
        super().__init__(message)


class DuplicateRevision(RevisionError):
    """Two revisions share one id."""

    def __init__(self, revision: str, paths: Sequence[str | None]) -> None:
        self.revision = revision
        self.paths = tuple(paths)
        where = ", ".join(p for p in paths if p) or f"{len(paths)} revisions"
        super().__init__(
            f"revision id {revision!r} is used more than once ({where}); give one of them a new id"
        )


class DanglingReference(RevisionError):
    """A down_revision or depends_on names a revision (or label) that is not in the map."""

    def __init__(self, revision: str, missing: str, field: str, path: str | None = None):
        self.revision = revision
        self.missing = missing
        self.field = field
        self.path = path
        where = f" (in {path})" if path else ""
        hint = (
            "add the missing revision (e.g. another package's version location) "
            "or remove it from depends_on"
            if field == "depends_on"
            else "restore the missing revision or fix the down_revision"
        )
        super().__init__(
            f"revision {revision!r}{where} has {field} {missing!r}, which names no revision; {hint}"
        )


class DuplicateLabel(RevisionError):
    """A branch label is declared by two revisions, or collides with a revision id."""

    def __init__(self, label: str, revisions: Sequence[str]) -> None:
        self.label = label
        self.revisions = tuple(revisions)
        super().__init__(
            f"branch label {label!r} is declared by {_ids(revisions)}; "
            "a label may name only one branch: rename one of them"
        )


class RangeNotAncestor(RevisionError):
    """A range or downgrade asks for revisions that are not below the given upper end."""

    def __init__(self, lower: str, upper: str, message: str | None = None) -> None:
        self.lower = lower
        self.upper = upper
        super().__init__(
            message
            or f"revision {lower!r} is not an ancestor of {upper!r}; "
            "swap the range ends or pick revisions on the same branch"
        )


class RelativeWalkError(RevisionError):
    """A relative identifier (``+2``, ``rev-1``) walks past the end of the history."""


class InvalidReplaces(RevisionError):
    """A squash's ``replaces`` cannot stand for its range (see revgraph.replacing)."""

    def __init__(self, revision: str, problem: str, path: str | None = None) -> None:
        self.revision = revision
        self.path = path
        where = f" (in {path})" if path else ""
        super().__init__(f"squash {revision!r}{where} {problem}")
