"""Facts that flow along lineage: inherited branch labels and normalized dependencies.

Both are computed in one pass in topological order, sharing one frozenset along a straight
chain instead of copying it per revision, so a long history stays linear.
"""

from __future__ import annotations

from revgraph.revision import Revision, dedupe

_EMPTY: frozenset[str] = frozenset()


def inherit_branch_labels(by_id: dict[str, Revision], order: list[Revision]) -> None:
    """Give every revision the labels of the labelled revisions below it on its lineage.

    As in Alembic, a label also reaches down from the labelled revision to the revisions
    below it, until a branch point or merge point, when the label's branch above it is a
    straight line (so ``label@base`` and ``label@-N`` cover the unlabelled start of a branch).
    """
    if not any(rev.declared_branch_labels for rev in order):
        return
    for rev in order:
        inherited: frozenset[str] = _EMPTY
        for down_id in rev.down_revisions:
            parent_labels = by_id[down_id].branch_labels
            if not inherited:
                inherited = parent_labels
            elif not parent_labels <= inherited:
                inherited = inherited | parent_labels
        if rev.declared_branch_labels:
            inherited = inherited | frozenset(rev.declared_branch_labels)
        rev.branch_labels = inherited

    straight_above: dict[str, bool] = {}
    for rev in reversed(order):
        straight_above[rev.revision] = (
            not rev.is_real_branch_point
            and not rev.is_merge_point
            and (not rev.nextrev or straight_above[rev.nextrev[0]])
        )
    for rev in order:
        if not rev.declared_branch_labels or not straight_above[rev.revision]:
            continue
        labels = frozenset(rev.declared_branch_labels)
        down: str | None = rev.down_revisions[0] if rev.down_revisions else None
        while down is not None:
            below = by_id[down]
            if below.is_real_branch_point or below.is_merge_point:
                break
            if not labels <= below.branch_labels:
                below.branch_labels = below.branch_labels | labels
            down = below.down_revisions[0] if below.down_revisions else None


def normalize_dependencies(by_id: dict[str, Revision], order: list[Revision]) -> None:
    """Drop each depends_on entry that a lineage ancestor already depends on.

    What is left are the dependency edges a plan must walk; the dropped ones are implied.
    """
    if not any(rev.dependencies for rev in order):
        return
    declared_below: dict[str, frozenset[str]] = {}
    for rev in order:
        below: frozenset[str] = _EMPTY
        for down in rev.down_revisions:
            parent = by_id[down]
            parent_set = declared_below[down]
            if parent.dependencies:
                parent_set = parent_set | frozenset(parent.dependencies)
            if not below:
                below = parent_set
            elif not parent_set <= below:
                below = below | parent_set
        declared_below[rev.revision] = below
        if rev.dependencies:
            rev.normalized_dependencies = tuple(d for d in rev.dependencies if d not in below)
            rev.normalized_down_revisions = dedupe(rev.down_revisions + rev.normalized_dependencies)
