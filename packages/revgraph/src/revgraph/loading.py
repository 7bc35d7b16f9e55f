"""Build and validate the graph: ids, labels, references, children, cycles, topological order."""

from __future__ import annotations

from collections.abc import Iterable

from revgraph.errors import (
    CycleDetected,
    DanglingReference,
    DuplicateLabel,
    DuplicateRevision,
    InvalidRevision,
)
from revgraph.revision import Revision, dedupe


def collect(revisions: Iterable[Revision], owner: object) -> dict[str, Revision]:
    """Index revisions by id in input order, rejecting duplicates; copy ones owned elsewhere."""
    by_id: dict[str, Revision] = {}
    duplicates: dict[str, list[Revision]] = {}
    for rev in revisions:
        if not isinstance(rev, Revision):
            raise InvalidRevision(f"RevisionMap takes Revision objects, got {rev!r}")
        if rev._owner is not None and rev._owner is not owner:
            rev = rev.copy()
        rev._owner = owner
        seen = by_id.get(rev.revision)
        if seen is not None:
            duplicates.setdefault(rev.revision, [seen]).append(rev)
            continue
        by_id[rev.revision] = rev
    if duplicates:
        rev_id, revs = next(iter(duplicates.items()))
        raise DuplicateRevision(rev_id, [r.path for r in revs])
    return by_id


def map_labels(by_id: dict[str, Revision]) -> dict[str, str]:
    """Map each declared branch label to the revision declaring it; a label is used once."""
    labels: dict[str, str] = {}
    for rev in by_id.values():
        for label in rev.declared_branch_labels:
            if label in by_id:
                raise DuplicateLabel(label, [rev.revision, f"the revision id {label}"])
            other = labels.get(label)
            if other is not None:
                raise DuplicateLabel(label, [other, rev.revision])
            labels[label] = rev.revision
    return labels


def link(by_id: dict[str, Revision], labels: dict[str, str]) -> None:
    """Check references, resolve depends_on labels to ids, and fill children lists."""
    children: dict[str, list[str]] = {}
    dependents: dict[str, list[str]] = {}
    for rev in by_id.values():
        rev_id = rev.revision
        for down in rev.down_revisions:
            if down not in by_id:
                raise DanglingReference(rev_id, down, "down_revision", rev.path)
            kids = children.get(down)
            if kids is None:
                children[down] = [rev_id]
            else:
                kids.append(rev_id)
        if not rev.depends_on:
            continue
        resolved: list[str] = []
        for dep in rev.depends_on:
            target = dep if dep in by_id else labels.get(dep)
            if target is None:
                raise DanglingReference(rev_id, dep, "depends_on", rev.path)
            if target == rev_id:
                raise CycleDetected([rev_id, rev_id], "depends_on", [rev.path])
            if target not in resolved:
                resolved.append(target)
        rev.dependencies = tuple(resolved)
        rev.all_down_revisions = dedupe(rev.down_revisions + rev.dependencies)
        rev.normalized_down_revisions = rev.all_down_revisions
        for dep_id in resolved:
            if dep_id not in rev.down_revisions:
                dependents.setdefault(dep_id, []).append(rev_id)
    for rev_id, kids in children.items():
        rev = by_id[rev_id]
        rev.nextrev = rev.all_nextrev = tuple(kids)
    if dependents:
        position = {rev_id: i for i, rev_id in enumerate(by_id)}.__getitem__
        for rev_id, extra in dependents.items():
            rev = by_id[rev_id]
            rev.all_nextrev = tuple(sorted(rev.nextrev + tuple(extra), key=position))


def topological_order(by_id: dict[str, Revision]) -> list[Revision]:
    """Every revision after all it depends on (Kahn's algorithm); a leftover means a cycle."""
    pending = {rev_id: len(rev.all_down_revisions) for rev_id, rev in by_id.items()}
    ready = [rev for rev in by_id.values() if not pending[rev.revision]]
    ready.reverse()
    order: list[Revision] = []
    while ready:
        rev = ready.pop()
        order.append(rev)
        for child_id in rev.all_nextrev:
            pending[child_id] -= 1
            if not pending[child_id]:
                ready.append(by_id[child_id])
    if len(order) != len(by_id):
        raise _describe_cycle(by_id, {r for r, n in pending.items() if n})
    return order


def _describe_cycle(by_id: dict[str, Revision], stuck: set[str]) -> CycleDetected:
    """Name one concrete loop among the revisions Kahn's algorithm could not place."""
    start = next(rev_id for rev_id in by_id if rev_id in stuck)
    path: list[str] = []
    position: dict[str, int] = {}
    current = start
    while current not in position:
        position[current] = len(path)
        path.append(current)
        current = next(d for d in by_id[current].all_down_revisions if d in stuck)
    loop = path[position[current] :] + [current]
    loop.reverse()
    lineage_only = all(loop[i] in by_id[loop[i + 1]].down_revisions for i in range(len(loop) - 1))
    kind = "down_revision" if lineage_only else "down_revision/depends_on"
    return CycleDetected(loop, kind, [by_id[rev_id].path for rev_id in loop[:-1]])
