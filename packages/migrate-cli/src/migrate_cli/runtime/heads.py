"""How the set of applied heads moves as revisions are applied, unapplied or stamped.

The version table holds one row per head, and no head is an ancestor of
another. Upgrading a revision replaces its parents among the heads (a merge
replaces several rows with one); downgrading it restores those parents that
no other head already implies (an unmerge splits one row into several).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from migrate_cli.runtime.lineage import ancestors, ancestors_among, heights, parents
from revgraph import RevisionMap


@dataclass(frozen=True)
class HeadChange:
    """The rows to take out of and put into the version table for one step."""

    removed: tuple[str, ...]
    added: tuple[str, ...]


class HeadTracker:
    """The heads as they stand during a run, kept in step with the version table."""

    def __init__(self, revision_map: RevisionMap, heads: Sequence[str]) -> None:
        self.revision_map = revision_map
        self.heads: list[str] = list(heads)
        self._heights: dict[str, int] | None = None

    def upgrade(self, revision_id: str) -> HeadChange:
        """Record that `revision_id` was applied."""
        if revision_id in self.heads:
            return HeadChange((), ())
        direct = set(parents(self.revision_map, revision_id))
        removed = [head for head in self.heads if head in direct]
        remaining = [head for head in self.heads if head not in direct]
        if remaining:
            if self._heights is None:
                self._heights = heights(self.revision_map)
            implied = ancestors_among(self.revision_map, revision_id, remaining, self._heights)
            removed += [head for head in remaining if head in implied]
        return self._apply(HeadChange(tuple(removed), (revision_id,)))

    def downgrade(self, revision_id: str) -> HeadChange:
        """Record that `revision_id` was unapplied."""
        if revision_id not in self.heads:
            return HeadChange((), ())
        others = [head for head in self.heads if head != revision_id]
        candidates = list(parents(self.revision_map, revision_id))
        if others or len(candidates) > 1:
            implied = ancestors(self.revision_map, others + candidates)
            candidates = [c for c in candidates if c not in implied and c not in others]
        return self._apply(HeadChange((revision_id,), tuple(candidates)))

    def stamp(self, targets: Sequence[str], purge: bool = False) -> HeadChange:
        """Move the heads to `targets` without running anything.

        Current heads on the same line of descent as a target are replaced by
        it; heads on unrelated branches stay, unless `purge` clears them all.
        """
        if purge:
            kept: list[str] = []
        else:
            target_ancestors = ancestors(self.revision_map, targets)
            kept = []
            for head in self.heads:
                if head in targets or head in target_ancestors:
                    continue
                if set(targets) & ancestors(self.revision_map, [head]):
                    continue
                if _squash_overlap(self.revision_map, head, targets, target_ancestors):
                    continue
                kept.append(head)
        wanted = list(dict.fromkeys([*kept, *targets]))
        implied = ancestors(self.revision_map, wanted) if len(wanted) > 1 else set()
        wanted = [head for head in wanted if head not in implied]
        removed = tuple(head for head in self.heads if head not in wanted)
        added = tuple(head for head in wanted if head not in self.heads)
        return self._apply(HeadChange(removed, added))

    def rename(self, recorded: str, becomes: str) -> HeadChange:
        """Record `becomes` in place of `recorded`: one state under two names (a squash and
        the top of the range it replaces). Nothing changes if `recorded` is not a head."""
        if recorded not in self.heads:
            return HeadChange((), ())
        return self._apply(HeadChange((recorded,), (becomes,)))

    def _apply(self, change: HeadChange) -> HeadChange:
        self.heads = [h for h in self.heads if h not in change.removed] + list(change.added)
        return change


def _squash_overlap(
    revision_map: RevisionMap, head: str, targets: Sequence[str], target_ancestors: set[str]
) -> bool:
    """A squash and the revisions it replaces are one line of history: stamping a revision
    on one side replaces a head on the other (revgraph's graph links only one side)."""
    if not revision_map.squashes:
        return False
    replaced_by = revision_map.replaced_by
    squash = replaced_by(head)
    if squash is not None and (squash in targets or squash in target_ancestors):
        return True
    for target in targets:
        squash = replaced_by(target)
        if squash is not None and (squash == head or squash in ancestors(revision_map, [head])):
            return True
    return False


def as_squashes(revision_map: RevisionMap, heads: Sequence[str]) -> set[str]:
    """Heads with the last revision of a squashed range read as its squash (the same state),
    for comparing a database's heads with the scripts' heads."""
    squashes = revision_map.squashes
    tops = {squash.top: squash_id for squash_id, squash in squashes.items()}
    return {tops.get(head, head) for head in heads}
