"""Ancestry questions over a revgraph RevisionMap, asked by the head bookkeeping.

A revision's parents are its down revisions plus its `depends_on` targets:
for the version table both mean "already applied when this one is".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from revgraph import RevisionMap


def as_tuple(value: None | str | Sequence[str]) -> tuple[str, ...]:
    """Normalise the None / str / sequence forms revision headers use."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def parents(revision_map: RevisionMap, revision_id: str) -> tuple[str, ...]:
    """Full ids of the revisions that must be applied before `revision_id`."""
    return tuple(revision_map.get(revision_id).all_down_revisions)


def ancestors(revision_map: RevisionMap, roots: Iterable[str]) -> set[str]:
    """Every revision reachable from `roots` through parents, roots excluded unless reached."""
    seen: set[str] = set()
    stack = [parent for root in roots for parent in parents(revision_map, root)]
    while stack:
        ident = stack.pop()
        if ident in seen:
            continue
        seen.add(ident)
        stack.extend(parents(revision_map, ident))
    return seen


def heights(revision_map: RevisionMap) -> dict[str, int]:
    """Each revision's longest distance from a base: an ancestor is always lower than its
    descendants, which lets `ancestors_among` stop walking early."""
    height: dict[str, int] = {}
    for revision in revision_map:
        height_of(revision_map, revision.revision, height)
    return height


def height_of(revision_map: RevisionMap, ident: str, height: dict[str, int]) -> int:
    """`ident`'s height, filling `height` on the way.

    Iterating a map with squashes yields the squash in place of the revisions it
    replaces, yet a database inside the range still stands on those: their
    heights are worked out when first asked for.
    """
    stack = [ident]
    while stack:
        current = stack[-1]
        if current in height:
            stack.pop()
            continue
        up = parents(revision_map, current)
        pending = [p for p in up if p not in height]
        if pending:
            stack.extend(pending)
            continue
        height[current] = 1 + max((height[p] for p in up), default=0)
        stack.pop()
    return height[ident]


def ancestors_among(
    revision_map: RevisionMap, root: str, candidates: Iterable[str], height: dict[str, int]
) -> set[str]:
    """Those of `candidates` that are ancestors of `root`, walking only down to the lowest.

    The same answer as `ancestors(...) & candidates`, without visiting the
    whole history below: on a long history with an open branch, that full walk
    at every step of the run was most of the runner's own time.
    """
    wanted = set(candidates)
    if not wanted:
        return set()
    lowest = min(height_of(revision_map, c, height) for c in wanted)
    found: set[str] = set()
    seen: set[str] = set()
    stack = list(parents(revision_map, root))
    while stack:
        ident = stack.pop()
        if ident in seen:
            continue
        seen.add(ident)
        if ident in wanted:
            found.add(ident)
        if height_of(revision_map, ident, height) > lowest:
            stack.extend(parents(revision_map, ident))
    return found
