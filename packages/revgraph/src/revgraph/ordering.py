"""Order a set of revisions heads first, each before everything it builds on.

The walk follows Alembic's: keep a list of branch tips (starting from the given heads in map
order), follow the current tip downwards while nothing still pending depends on it, and when
it is blocked switch to the first tip that is blocking it. Blocking is a pending-children
count, so each step costs O(1) instead of scanning ancestor sets; the search for the tip to
switch to only visits the still-pending revisions above the blocked one.
"""

from __future__ import annotations

from collections.abc import Iterable

from revgraph.revision import Revision


def heads_first(
    by_id: dict[str, Revision],
    position: dict[str, int],
    todo: set[str],
    heads: Iterable[str],
) -> list[str]:
    """Return ``todo`` ordered so each revision comes before its ancestors (heads first).

    ``todo`` must be convex (everything between two members is a member) and every member
    must lie below one of ``heads``; the plans and walks built by RevisionMap are.
    """
    pending_children: dict[str, int] = dict.fromkeys(todo, 0)
    for rev_id in todo:
        for down in by_id[rev_id].all_down_revisions:
            if down in pending_children:
                pending_children[down] += 1

    tips = sorted({h for h in heads if h in todo}, key=position.__getitem__)
    on_tips = set(tips)
    emitted: set[str] = set()
    output: list[str] = []
    emit = output.append
    index = 0
    while tips:
        candidate = tips[index]
        if pending_children[candidate]:
            index = _first_blocking_tip(by_id, candidate, tips, todo, emitted)
            continue
        emit(candidate)
        emitted.add(candidate)
        on_tips.discard(candidate)
        rev = by_id[candidate]
        downs = rev.all_down_revisions
        if len(downs) == 1:
            down = downs[0]
            if down in pending_children:
                pending_children[down] -= 1
                if down not in emitted and down not in on_tips:
                    tips[index] = down
                    on_tips.add(down)
                    continue
            del tips[index]
            index = max(index - 1, 0)
            continue
        for down in downs:
            if down in pending_children:
                pending_children[down] -= 1
        to_add = [
            d
            for d in rev.normalized_down_revisions
            if d in todo and d not in emitted and d not in on_tips
        ]
        if not to_add:
            del tips[index]
            index = max(index - 1, 0)
        else:
            tips[index] = to_add[0]
            tips.extend(to_add[1:])
            on_tips.update(to_add)
    return output


def _first_blocking_tip(
    by_id: dict[str, Revision],
    candidate: str,
    tips: list[str],
    todo: set[str],
    emitted: set[str],
) -> int:
    """Index of the first tip that has ``candidate`` among its pending ancestors."""
    above: set[str] = set()
    stack = [candidate]
    while stack:
        for child in by_id[stack.pop()].all_nextrev:
            if child in todo and child not in emitted and child not in above:
                above.add(child)
                stack.append(child)
    for index, tip in enumerate(tips):
        if tip in above:
            return index
    raise AssertionError(f"revision {candidate} is blocked but no tip depends on it")
