"""Order a set of revisions heads first, each before everything it builds on.

The walk follows Alembic's: keep a list of branch tips (starting from the given heads in map
order), follow the current tip downwards while nothing still pending depends on it, and when
it is blocked switch to the first tip that is blocking it. Blocking is a pending-children
count, so each step costs O(1) instead of scanning ancestor sets; finding the tip to switch
to searches only still-pending revisions, from both ends at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from revgraph.revision import Revision


def heads_first(
    by_id: dict[str, Revision],
    position: dict[str, int],
    rank: dict[str, int],
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
            index = _first_blocking_tip(by_id, rank, candidate, tips, todo, emitted)
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
    rank: dict[str, int],
    candidate: str,
    tips: list[str],
    todo: set[str],
    emitted: set[str],
) -> int:
    """Index of the first tip that has ``candidate`` among its pending ancestors.

    Two searches run in lock step and the first to finish answers: one climbs from the
    candidate through the pending revisions above it (cheap when little is pending above),
    the other descends from each tip in order (cheap when the blocking tip is close, as with
    many short side branches). Either alone can be slow on some shape; together they cost
    at most twice the cheaper one.
    """
    searches = (
        _climb_from_candidate(by_id, candidate, tips, todo, emitted),
        _descend_from_tips(by_id, rank, candidate, tips, todo, emitted),
    )
    while True:
        for search in searches:
            found = next(search)
            if found is not None:
                return found


def _climb_from_candidate(
    by_id: dict[str, Revision],
    candidate: str,
    tips: list[str],
    todo: set[str],
    emitted: set[str],
) -> Iterator[int | None]:
    above: set[str] = set()
    stack = [candidate]
    while stack:
        for child in by_id[stack.pop()].all_nextrev:
            if child in todo and child not in emitted and child not in above:
                above.add(child)
                stack.append(child)
        yield None
    for index, tip in enumerate(tips):
        if tip in above:
            while True:
                yield index
    raise AssertionError(f"revision {candidate} is blocked but no tip depends on it")


def _descend_from_tips(
    by_id: dict[str, Revision],
    rank: dict[str, int],
    candidate: str,
    tips: list[str],
    todo: set[str],
    emitted: set[str],
) -> Iterator[int | None]:
    floor = rank[candidate]
    refuted: set[str] = set()
    for index, tip in enumerate(tips):
        if tip in refuted or rank[tip] <= floor:
            continue
        refuted.add(tip)
        stack = [tip]
        while stack:
            for down in by_id[stack.pop()].all_down_revisions:
                if down == candidate:
                    while True:
                        yield index
                if down in refuted or down not in todo or down in emitted:
                    continue
                if rank[down] > floor:
                    refuted.add(down)
                    stack.append(down)
            yield None
    while True:
        yield None
