"""Squashed revisions: one revision that ``replaces`` a range of others.

The semantics are Django's squashed migrations. A squash ``S`` declares ``replaces`` (the
ids of a range closed under merges, with one top revision) and ``down_revision`` equal to
what the bottom of that range builds on. While the replaced files are present, the history
has two equivalent paths, and a database takes the one its state allows:

- before the range, it runs ``S`` alone;
- inside the range (some replaced revisions applied), it runs the remaining replaced ones;
  once past the top it is at ``S`` (same schema), and the version table records ``S``;
- at or past the top, or past ``S``, it is untouched: ``top`` and ``S`` mean the same.

When none of the replaced revisions is present (they were pruned), ``S`` is an ordinary
revision. A history is seen through a *view*: each squash either collapsed (``S`` in,
replaced revisions out, references to them moved to ``S``) or expanded (the opposite).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from revgraph.errors import InvalidReplaces
from revgraph.revision import Revision, dedupe


@dataclass(frozen=True)
class Squash:
    """A squash whose replaced revisions are present: the two paths between the same states."""

    revision: str
    """The squashing revision's id."""
    replaced: tuple[str, ...]
    """The replaced ids in application order (bottom first)."""
    top: str
    """The last replaced revision: a database there is at ``revision`` too."""
    members: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    """``replaced`` as a set, for membership tests."""

    def __post_init__(self) -> None:
        if not self.members:
            object.__setattr__(self, "members", frozenset(self.replaced))

    def __contains__(self, rev_id: object) -> bool:
        return rev_id in self.members


@dataclass(frozen=True)
class Equivalence:
    """A plan entry that runs nothing: the database recorded at ``recorded`` is at ``becomes``.

    Plans over histories with squashes insert it where the database crosses from one path
    to the other, so a runner that keeps a version table can rewrite that row.
    """

    recorded: str
    becomes: str

    @property
    def revision(self) -> str:
        """What the version table holds afterwards (so code reading ``.revision`` works)."""
        return self.becomes


def find_squashes(by_id: Mapping[str, Revision]) -> dict[str, Squash]:
    """The squashes whose replaced revisions are present, each checked; pruned ones are left out.

    A squash is refused when only some of its replaced revisions are present, when two
    squashes replace one revision, or when its ``down_revision`` or the range's shape does
    not let the two paths meet (the error names the revisions and the fix).
    """
    squashes: dict[str, Squash] = {}
    owner_of: dict[str, str] = {}
    for rev in by_id.values():
        if not rev.replaces:
            continue
        present = [r for r in rev.replaces if r in by_id]
        if not present:
            continue  # pruned: the squash stands alone
        missing = [r for r in rev.replaces if r not in by_id]
        if missing:
            raise InvalidReplaces(
                rev.revision,
                f"replaces {', '.join(rev.replaces)} but {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing; restore the missing file(s), "
                "or delete all the replaced files (`migrate squash --prune`)",
                rev.path,
            )
        for replaced in present:
            other = owner_of.get(replaced)
            if other is not None:
                raise InvalidReplaces(
                    rev.revision,
                    f"replaces {replaced}, which {other} replaces too; a revision can be "
                    "squashed once: remove it from one of the two",
                    rev.path,
                )
            owner_of[replaced] = rev.revision
        squashes[rev.revision] = _checked(rev, by_id)
    for squash_id, squash in squashes.items():
        for replaced in squash.replaced:
            if replaced in squashes:
                raise InvalidReplaces(
                    squash_id,
                    f"replaces {replaced}, itself a squash whose replaced revisions are still "
                    f"present; prune {replaced} first (`migrate squash --prune {replaced}`)",
                    by_id[squash_id].path,
                )
    _refuse_branches_out_of_ranges(by_id, squashes, owner_of)
    return squashes


def _checked(squash: Revision, by_id: Mapping[str, Revision]) -> Squash:
    """The range ``squash`` replaces, once its bottom meets squash's down_revision and it has
    one top."""
    members = set(squash.replaces)
    outside = dedupe(
        tuple(d for r in squash.replaces for d in by_id[r].down_revisions if d not in members)
    )
    if set(outside) != set(squash.down_revisions):
        raise InvalidReplaces(
            squash.revision,
            f"has down_revision {squash.down_revision!r} but the revisions it replaces build "
            f"on {', '.join(outside) or 'nothing (base)'}; set down_revision to that",
            squash.path,
        )
    below_others = {d for r in squash.replaces for d in by_id[r].down_revisions}
    tops = [r for r in squash.replaces if r not in below_others]
    if len(tops) != 1:
        raise InvalidReplaces(
            squash.revision,
            f"replaces a range with {len(tops)} tops ({', '.join(tops)}); a squash replaces a "
            "range ending in one revision: merge them first or squash each branch apart",
            squash.path,
        )
    return Squash(squash.revision, _application_order(squash.replaces, by_id), tops[0])


def _application_order(replaced: tuple[str, ...], by_id: Mapping[str, Revision]) -> tuple[str, ...]:
    members = set(replaced)
    pending = {r: sum(d in members for d in by_id[r].down_revisions) for r in replaced}
    children: dict[str, list[str]] = {r: [] for r in replaced}
    for r in replaced:
        for d in by_id[r].down_revisions:
            if d in members:
                children[d].append(r)
    ready = [r for r in replaced if not pending[r]]
    ready.reverse()
    order: list[str] = []
    while ready:
        rev_id = ready.pop()
        order.append(rev_id)
        for child in reversed(children[rev_id]):
            pending[child] -= 1
            if not pending[child]:
                ready.append(child)
    return tuple(order) if len(order) == len(replaced) else replaced


def _refuse_branches_out_of_ranges(
    by_id: Mapping[str, Revision], squashes: Mapping[str, Squash], owner_of: Mapping[str, str]
) -> None:
    """Only the top of a range may have children outside it: the squash cannot stand for a
    state in the middle of its range."""
    for rev in by_id.values():
        for down in rev.down_revisions:
            squash_id = owner_of.get(down)
            if squash_id is None:
                continue
            squash = squashes[squash_id]
            if down == squash.top or rev.revision in squash:
                continue
            raise InvalidReplaces(
                squash_id,
                f"replaces {down}, but {rev.revision} builds on it from outside the range; "
                f"only the last replaced revision ({squash.top}) may have children: "
                f"leave {down} out of the squash or rebase {rev.revision}",
                by_id[squash_id].path,
            )


def view(
    by_id: Mapping[str, Revision],
    squashes: Mapping[str, Squash],
    expanded: Collection[str],
) -> list[Revision]:
    """The revisions seen with ``expanded`` squashes replaced by their ranges, others collapsed.

    References to a hidden revision move to its counterpart on the visible path: to the
    squash for a collapsed range, to the range's top for an expanded squash. Unchanged
    revisions are returned as they are; changed ones are fresh copies.
    """
    alias: dict[str, str] = {}
    hidden: set[str] = set()
    for squash_id, squash in squashes.items():
        if squash_id in expanded:
            alias[squash_id] = squash.top
            hidden.add(squash_id)
        else:
            for replaced in squash.replaced:
                alias[replaced] = squash_id
                hidden.add(replaced)
    out: list[Revision] = []
    for rev in by_id.values():
        if rev.revision in hidden:
            continue
        if not any(d in alias for d in rev.down_revisions) and not any(
            d in alias for d in rev.depends_on
        ):
            out.append(rev)
            continue
        out.append(
            Revision(
                rev.revision,
                dedupe(tuple(alias.get(d, d) for d in rev.down_revisions)),
                rev.declared_branch_labels,
                dedupe(tuple(alias.get(d, d) for d in rev.depends_on)),
                doc=rev.doc,
                path=rev.path,
                replaces=rev.replaces or None,
            )
        )
    return out
