"""The ordered list of branch tips used while ordering revisions, with O(log n) searches.

Tips keep their slot when replaced in place, new tips take new slots at the end, and a
removed tip leaves an empty slot, so slot order is the list order Alembic's walk uses. A
max-segment tree over the tips' topological ranks answers "next tip at or after this slot
that could lie above rank r" and "previous live slot" without scanning every tip.
"""

from __future__ import annotations

EMPTY = -1


class TipSlots:
    """Tips in walk order; each slot holds a revision id or nothing."""

    def __init__(self, capacity: int, rank: dict[str, int]) -> None:
        size = 1
        while size < max(capacity, 1):
            size *= 2
        self._size = size
        self._tree = [EMPTY] * (2 * size)
        self._rank = rank
        self.slots: list[str | None] = []
        self.slot_of: dict[str, int] = {}
        self.live = 0
        self._dirty = EMPTY

    def _flush(self) -> None:
        """Write the pending rank of the last replaced slot into the tree."""
        slot = self._dirty
        if slot != EMPTY:
            self._dirty = EMPTY
            rev_id = self.slots[slot]
            self._set(slot, EMPTY if rev_id is None else self._rank[rev_id])

    def _set(self, slot: int, value: int) -> None:
        tree = self._tree
        i = slot + self._size
        tree[i] = value
        i >>= 1
        while i:
            left, right = tree[2 * i], tree[2 * i + 1]
            tree[i] = left if left > right else right
            i >>= 1

    def append(self, rev_id: str) -> None:
        self._flush()
        slot = len(self.slots)
        self.slots.append(rev_id)
        self.slot_of[rev_id] = slot
        self.live += 1
        self._set(slot, self._rank[rev_id])

    def replace(self, slot: int, rev_id: str) -> None:
        """Put ``rev_id`` in ``slot``; the tree is updated lazily, as a walk down one line
        replaces the same slot once per revision and only a search needs the tree."""
        old = self.slots[slot]
        if old is not None:
            del self.slot_of[old]
        self.slots[slot] = rev_id
        self.slot_of[rev_id] = slot
        if self._dirty != slot:
            self._flush()
            self._dirty = slot

    def remove(self, slot: int) -> None:
        self._flush()
        old = self.slots[slot]
        if old is not None:
            del self.slot_of[old]
            self.live -= 1
        self.slots[slot] = None
        self._set(slot, EMPTY)

    def first_ranked_above(self, start: int, floor: int) -> int:
        """The first slot >= start whose tip's rank exceeds ``floor``; -1 if none."""
        if start >= len(self.slots):
            return -1
        self._flush()
        tree = self._tree
        i = start + self._size
        while tree[i] <= floor:
            while i & 1:
                i >>= 1
                if i <= 1:
                    return -1
            i += 1
        while i < self._size:
            i = 2 * i if tree[2 * i] > floor else 2 * i + 1
        return i - self._size

    def last_live_before(self, end: int) -> int:
        """The last occupied slot < end; -1 if none."""
        if end <= 0:
            return -1
        self._flush()
        tree = self._tree
        i = end - 1 + self._size
        while tree[i] == EMPTY:
            while not i & 1:
                i >>= 1
                if i <= 1:
                    return -1
            i -= 1
        while i < self._size:
            i = 2 * i + 1 if tree[2 * i + 1] != EMPTY else 2 * i
        return i - self._size
