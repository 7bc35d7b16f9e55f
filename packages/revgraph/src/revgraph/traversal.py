"""Iterative reachability over the graph: ancestors, descendants and lineage sets."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from revgraph.revision import Revision

Edges = Callable[[Revision], Iterable[str]]


def all_down(rev: Revision) -> Iterable[str]:
    return rev.all_down_revisions


def lineage_down(rev: Revision) -> Iterable[str]:
    return rev.down_revisions


def all_up(rev: Revision) -> Iterable[str]:
    return rev.all_nextrev


def lineage_up(rev: Revision) -> Iterable[str]:
    return rev.nextrev


def closure(by_id: dict[str, Revision], starts: Iterable[str], edges: Edges) -> set[str]:
    """``starts`` plus everything reachable from them along ``edges`` (no recursion)."""
    seen: set[str] = set()
    stack = [s for s in starts if s not in seen]
    seen.update(stack)
    while stack:
        for nxt in edges(by_id[stack.pop()]):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def ancestors(
    by_id: dict[str, Revision], starts: Iterable[str], dependencies: bool = True
) -> set[str]:
    """The revisions themselves and everything that must run before them."""
    return closure(by_id, starts, all_down if dependencies else lineage_down)


def descendants(
    by_id: dict[str, Revision], starts: Iterable[str], dependencies: bool = True
) -> set[str]:
    """The revisions themselves and everything that builds on them."""
    return closure(by_id, starts, all_up if dependencies else lineage_up)


def lineage(by_id: dict[str, Revision], rev_id: str, dependencies: bool = False) -> set[str]:
    """Everything on the same line as ``rev_id``: its ancestors and its descendants."""
    return ancestors(by_id, [rev_id], dependencies) | descendants(by_id, [rev_id], dependencies)
