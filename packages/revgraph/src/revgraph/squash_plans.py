"""Plans over a history with squashes: pick, per squash, the path the database is on.

A squash is expanded (its replaced revisions used, the squash hidden) when the database
is inside its range, or when the target names a revision inside it; otherwise it is
collapsed (the squash used). The plan is computed on that view, and Equivalence entries
mark where the recorded revision changes path without running anything: before the plan
when the database records the other path's name for its state, and after the top of an
expanded range, where the database becomes "at the squash".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from revgraph.replacing import Equivalence, Squash
from revgraph.revision import RESERVED_NAMES, Revision

PlanEntry = Revision | Equivalence


class PlannableMap(Protocol):
    """What planning across squashes reads of a revision map (``RevisionMap`` is one).

    Owned here so this module names no higher layer: ``revision_map`` imports it, not the
    other way round.
    """

    @property
    def _by_id(self) -> Mapping[str, Revision]: ...

    @property
    def _labels(self) -> Mapping[str, object]: ...

    @property
    def _squashes(self) -> Mapping[str, Squash]: ...

    @property
    def _replaced_by(self) -> Mapping[str, str]: ...

    def expanded_view(self, squash_ids: Iterable[str]) -> PlannableMap: ...

    def _upgrade_plan(self, current: Sequence[str], target: str) -> list[Revision]: ...

    def _downgrade_plan(self, current: Sequence[str], target: str) -> list[Revision]: ...


def replaced_id(revision_map: PlannableMap, ident: str) -> str | None:
    """The replaced revision an identifier names (full id, or a prefix only replaced ids have)."""
    replaced_by = revision_map._replaced_by
    if ident in replaced_by:
        return ident
    if (
        not ident
        or ident in RESERVED_NAMES
        or any(c in ident for c in "@+-: ")
        or ident in revision_map._by_id
        or ident in revision_map._labels
    ):
        return None
    found = [r for r in replaced_by if r.startswith(ident)]
    if len(found) != 1 or any(r.startswith(ident) for r in revision_map._by_id):
        return None
    return found[0]


def replaced_revision(revision_map: PlannableMap, ident: str) -> Revision | None:
    """A replaced revision with its own header's links (down_revision inside its range)."""
    rev_id = replaced_id(revision_map, ident)
    if rev_id is None:
        return None
    return revision_map.expanded_view(revision_map._squashes)._by_id[rev_id]


def steps(
    revision_map: PlannableMap, current: Sequence[str], target: str, upgrade: bool
) -> list[PlanEntry]:
    """The plan from ``current`` to ``target``, with Equivalences where paths change."""
    if not revision_map._squashes:
        if upgrade:
            return list(revision_map._upgrade_plan(current, target))
        return list(revision_map._downgrade_plan(current, target))
    squashes = revision_map._squashes
    replaced_by = revision_map._replaced_by
    heads = _heads(current)
    expanded = {
        replaced_by[h] for h in heads if h in replaced_by and h != squashes[replaced_by[h]].top
    }
    named = replaced_id(revision_map, target)
    if named is not None and named != squashes[replaced_by[named]].top:
        expanded.add(replaced_by[named])
    view = revision_map.expanded_view(expanded)

    before: list[PlanEntry] = []
    translated: list[str] = []
    for head in heads:
        squash_id = replaced_by.get(head)
        if squash_id is not None and squash_id not in expanded:
            before.append(Equivalence(head, squash_id))  # the top: the database is at the squash
            translated.append(squash_id)
        elif head in expanded:
            top = squashes[head].top
            before.append(Equivalence(head, top))
            translated.append(top)
        else:
            translated.append(head)
    if named is not None:
        squash_id = replaced_by[named]
        target = named if squash_id in expanded else squash_id
    elif target in expanded:
        target = squashes[target].top

    plan = (
        view._upgrade_plan(translated, target)
        if upgrade
        else view._downgrade_plan(translated, target)
    )
    if not plan:
        return []
    out = before
    for rev in plan:
        squash_id = replaced_by.get(rev.revision)
        if squash_id is None or squash_id not in expanded:
            out.append(rev)
            continue
        crosses = rev.revision == squashes[squash_id].top
        if crosses and not upgrade and Equivalence(squash_id, rev.revision) not in out:
            # Undoing what was built on the squash leaves the database recorded at it.
            out.append(Equivalence(squash_id, rev.revision))
        out.append(rev)
        if crosses and upgrade:
            out.append(Equivalence(rev.revision, squash_id))
    return out


def revisions_only(
    revision_map: PlannableMap, current: Sequence[str], target: str, upgrade: bool
) -> list[Revision]:
    """The scripts to run, for callers that do not keep a version table."""
    return [
        entry
        for entry in steps(revision_map, current, target, upgrade)
        if isinstance(entry, Revision)
    ]


def _heads(current: Sequence[str] | str | None) -> list[str]:
    if current is None:
        return []
    if isinstance(current, str):
        current = (current,)
    return [h for h in dict.fromkeys(current) if h is not None and h != "base"]
