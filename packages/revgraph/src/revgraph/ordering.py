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
from revgraph.tipslots import EMPTY, TipSlots


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

    tips = TipSlots(len(todo) + 1, rank)
    for head in sorted({h for h in heads if h in todo}, key=position.__getitem__):
        tips.append(head)
    slots = tips.slots
    slot_of = tips.slot_of
    emitted: set[str] = set()
    mark_emitted = emitted.add
    output: list[str] = []
    emit = output.append
    cursor = 0
    while tips.live:
        candidate = slots[cursor]
        assert candidate is not None
        if pending_children[candidate]:
            cursor = _first_blocking_tip(by_id, rank, candidate, tips, todo, emitted)
            continue
        # Follow the line down while each next revision is needed by nothing else pending:
        # the tip's slot is only updated where the line stops.
        while True:
            emit(candidate)
            mark_emitted(candidate)
            downs = by_id[candidate].all_down_revisions
            if len(downs) != 1:
                break
            down = downs[0]
            if down not in pending_children:
                break
            pending_children[down] -= 1
            if down in emitted or down in slot_of:
                break
            if pending_children[down]:
                break
            candidate = down
        rev = by_id[candidate]
        if len(downs) == 1:
            down = downs[0]
            free = down in pending_children and down not in emitted and down not in slot_of
            to_add = [down] if free else []
        else:
            for down in downs:
                if down in pending_children:
                    pending_children[down] -= 1
            to_add = [
                d
                for d in rev.normalized_down_revisions
                if d in todo and d not in emitted and d not in slot_of
            ]
        if not to_add:
            tips.remove(cursor)
            previous = tips.last_live_before(cursor)
            cursor = previous if previous >= 0 else tips.first_ranked_above(0, EMPTY)
        else:
            tips.replace(cursor, to_add[0])
            for extra in to_add[1:]:
                tips.append(extra)
    return output


def _first_blocking_tip(
    by_id: dict[str, Revision],
    rank: dict[str, int],
    candidate: str,
    tips: TipSlots,
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
    tips: TipSlots,
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
    blocking = [tips.slot_of[r] for r in above if r in tips.slot_of]
    if blocking:
        first = min(blocking)
        while True:
            yield first
    raise AssertionError(f"revision {candidate} is blocked but no tip depends on it")


def _descend_from_tips(
    by_id: dict[str, Revision],
    rank: dict[str, int],
    candidate: str,
    tips: TipSlots,
    todo: set[str],
    emitted: set[str],
) -> Iterator[int | None]:
    floor = rank[candidate]
    refuted: set[str] = set()
    index = tips.first_ranked_above(0, floor)
    while index >= 0:
        tip = tips.slots[index]
        assert tip is not None
        next_index = tips.first_ranked_above(index + 1, floor)
        if tip in refuted:
            index = next_index
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
        index = next_index
    while True:
        yield None
