"""The Revision value: one migration's header, plus the graph facts a RevisionMap fills in."""

from __future__ import annotations

from collections.abc import Sequence

from revgraph.errors import CycleDetected, InvalidRevision

ILLEGAL_ID_CHARACTERS = frozenset("@+-: \t\n")
ILLEGAL_LABEL_CHARACTERS = frozenset("@: \t\n")
RESERVED_NAMES = frozenset({"head", "heads", "base"})
_NO_LABELS: frozenset[str] = frozenset()


def _as_tuple(value: None | str | Sequence[str], field: str, owner: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    items = tuple(value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise InvalidRevision(
                f"revision {owner!r} has {field} {value!r}: every entry must be a non-empty "
                "string; fix the header"
            )
    return items


def dedupe(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


class Revision:
    """One revision of the history.

    The header fields are what the migration declares; ``nextrev``, ``branch_labels`` and the
    ``is_*`` flags describe its place in the graph and are filled in by the RevisionMap that
    holds it (a Revision belongs to one map; a map copies revisions already owned by another).
    """

    __slots__ = (
        "revision",
        "down_revisions",
        "declared_branch_labels",
        "depends_on",
        "doc",
        "path",
        "nextrev",
        "all_nextrev",
        "dependencies",
        "normalized_dependencies",
        "all_down_revisions",
        "normalized_down_revisions",
        "branch_labels",
        "replaces",
        "_owner",
    )

    def __init__(
        self,
        revision: str,
        down_revision: None | str | Sequence[str],
        branch_labels: None | str | Sequence[str] = None,
        depends_on: None | str | Sequence[str] = None,
        *,
        doc: str | None = None,
        path: str | None = None,
        replaces: None | str | Sequence[str] = None,
    ) -> None:
        if not isinstance(revision, str) or not revision:
            raise InvalidRevision(
                f"revision id {revision!r}{_where(path)} must be a non-empty string; fix the header"
            )
        bad = sorted(ILLEGAL_ID_CHARACTERS.intersection(revision))
        if bad:
            raise InvalidRevision(
                f"revision id {revision!r}{_where(path)} contains {''.join(bad)!r}, which "
                "identifiers use as operators; choose an id of letters, digits and '_'"
            )
        if revision in RESERVED_NAMES:
            raise InvalidRevision(
                f"revision id {revision!r}{_where(path)} is a reserved word; choose another id"
            )
        self.revision = revision
        # None and one id are most headers' values: skip the general path's tuple building
        # (a large history makes tens of thousands of these at every command's start).
        if down_revision is None:
            self.down_revisions: tuple[str, ...] = ()
        elif down_revision.__class__ is str:
            self.down_revisions = (down_revision,) if down_revision else ()
        else:
            self.down_revisions = dedupe(_as_tuple(down_revision, "down_revision", revision))
        self.declared_branch_labels: tuple[str, ...] = ()
        if branch_labels is not None:
            labels = _as_tuple(branch_labels, "branch_labels", revision)
            self.declared_branch_labels = dedupe(labels)
        self.depends_on: tuple[str, ...] = ()
        if depends_on is not None:
            self.depends_on = dedupe(_as_tuple(depends_on, "depends_on", revision))
        for label in self.declared_branch_labels:
            if ILLEGAL_LABEL_CHARACTERS.intersection(label) or label in RESERVED_NAMES:
                raise InvalidRevision(
                    f"branch label {label!r} of revision {revision!r}{_where(path)} is a reserved "
                    "word or contains '@', ':' or a space; rename the label"
                )
        if revision in self.down_revisions or revision in self.depends_on:
            field = "down_revision" if revision in self.down_revisions else "depends_on"
            raise CycleDetected([revision, revision], field, [path])
        self.replaces: tuple[str, ...] = (
            () if replaces is None else dedupe(_as_tuple(replaces, "replaces", revision))
        )
        """Ids of the revisions this one squashes (see revgraph.replacing); usually empty."""
        if revision in self.replaces:
            raise InvalidRevision(
                f"revision {revision!r}{_where(path)} names itself in replaces; remove it"
            )
        self.doc = doc
        self.path = path
        self.nextrev: tuple[str, ...] = ()
        self.all_nextrev: tuple[str, ...] = ()
        self.dependencies: tuple[str, ...] = ()
        self.normalized_dependencies: tuple[str, ...] = ()
        self.all_down_revisions: tuple[str, ...] = self.down_revisions
        """down_revisions plus resolved dependencies: everything that must run before this."""
        self.normalized_down_revisions: tuple[str, ...] = self.down_revisions
        """down_revisions plus the dependencies not already implied by an ancestor's."""
        self.branch_labels: frozenset[str] = (
            frozenset(self.declared_branch_labels) if self.declared_branch_labels else _NO_LABELS
        )
        self._owner: object | None = None

    @property
    def down_revision(self) -> None | str | tuple[str, ...]:
        """The header's value as Alembic spells it: None, one id, or a tuple for a merge."""
        if not self.down_revisions:
            return None
        if len(self.down_revisions) == 1:
            return self.down_revisions[0]
        return self.down_revisions

    @property
    def is_base(self) -> bool:
        """True when the revision has no down_revision (it starts a history)."""
        return not self.down_revisions

    @property
    def is_head(self) -> bool:
        """True when no revision names this one as its down_revision."""
        return not self.nextrev

    @property
    def is_branch_point(self) -> bool:
        """True when two or more revisions have this one as down_revision."""
        return len(self.nextrev) > 1

    @property
    def is_merge_point(self) -> bool:
        """True when the revision joins two or more down_revisions."""
        return len(self.down_revisions) > 1

    @property
    def is_real_head(self) -> bool:
        """True when nothing builds on this revision, neither by down_revision nor depends_on."""
        return not self.all_nextrev

    @property
    def is_real_branch_point(self) -> bool:
        """True when two or more revisions build on this one, counting depends_on."""
        return len(self.all_nextrev) > 1

    def copy(self) -> Revision:
        """A fresh, unattached copy of the header (graph facts are recomputed by the map)."""
        return Revision(
            self.revision,
            self.down_revisions,
            self.declared_branch_labels,
            self.depends_on,
            doc=self.doc,
            path=self.path,
            replaces=self.replaces or None,
        )

    def __repr__(self) -> str:
        args = [repr(self.revision), repr(self.down_revision)]
        if self.declared_branch_labels:
            args.append(f"branch_labels={self.declared_branch_labels!r}")
        if self.depends_on:
            args.append(f"depends_on={self.depends_on!r}")
        if self.replaces:
            args.append(f"replaces={self.replaces!r}")
        return f"Revision({', '.join(args)})"

    def __str__(self) -> str:
        return self.revision


def _where(path: str | None) -> str:
    return f" (in {path})" if path else ""
