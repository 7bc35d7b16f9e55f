"""RevisionMap: the validated revision DAG and every question asked of it.

The map never does I/O: it is given Revision objects (the CLI reads them from files and sets
``path`` so errors can name the file) and answers from memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from revgraph import loading, replacing, squash_plans, traversal
from revgraph.errors import (
    AmbiguousRevision,
    MultipleHeads,
    OverlappingRevisions,
    RangeNotAncestor,
    RelativeWalkError,
    RevisionError,
    UnknownRevision,
)
from revgraph.gcpause import gc_paused
from revgraph.identifiers import Identifier, parse
from revgraph.inheritance import inherit_branch_labels, normalize_dependencies
from revgraph.ordering import heads_first
from revgraph.replacing import Equivalence, Squash
from revgraph.revision import Revision
from revgraph.walk import LineageFilter, walk_down, walk_up


class RevisionMap:
    """A validated set of revisions: heads, bases, labels, identifier resolution and plans.

    Loading checks everything up front (duplicate ids, labels used twice, down_revision or
    depends_on naming nothing, cycles), so every later question can assume a sound graph.
    """

    def __init__(self, revisions: Iterable[Revision]) -> None:
        with gc_paused():
            self._load(revisions)

    def _load(self, revisions: Iterable[Revision]) -> None:
        by_id = loading.collect(revisions, self)
        self._squashes: dict[str, Squash] = {}
        self._replaced_by: dict[str, str] = {}
        self._every = by_id
        self._views: dict[frozenset[str], RevisionMap] = {}
        if any(rev.replaces for rev in by_id.values()):
            self._squashes = replacing.find_squashes(by_id)
            if self._squashes:
                self._replaced_by = {
                    r: squash.revision
                    for squash in self._squashes.values()
                    for r in squash.replaced
                }
                by_id = loading.collect(replacing.view(by_id, self._squashes, ()), self)
        self._labels = loading.map_labels(by_id)
        loading.link(by_id, self._labels)
        order = loading.topological_order(by_id)
        normalize_dependencies(by_id, order)
        inherit_branch_labels(by_id, order)
        self._by_id = by_id
        self._position = {rev_id: i for i, rev_id in enumerate(by_id)}
        self._rank = {rev.revision: i for i, rev in enumerate(order)}
        heads: list[str] = []
        bases: list[str] = []
        real_heads: list[str] = []
        real_bases: list[str] = []
        branch_points: list[str] = []
        merge_points: list[str] = []
        for rev_id, rev in by_id.items():
            if not rev.nextrev:
                heads.append(rev_id)
                if not rev.all_nextrev:
                    real_heads.append(rev_id)
            elif len(rev.nextrev) > 1:
                branch_points.append(rev_id)
            if not rev.down_revisions:
                bases.append(rev_id)
                if not rev.depends_on:
                    real_bases.append(rev_id)
            elif len(rev.down_revisions) > 1:
                merge_points.append(rev_id)
        self.heads: tuple[str, ...] = tuple(heads)
        """Revisions no other revision names as down_revision, in input order."""
        self.bases: tuple[str, ...] = tuple(bases)
        """Revisions with no down_revision, in input order."""
        self.real_heads: tuple[str, ...] = tuple(real_heads)
        """Heads that nothing depends on either (``heads --resolve-dependencies``)."""
        self.real_bases: tuple[str, ...] = tuple(real_bases)
        """Bases that depend on nothing either."""
        self.branch_points: tuple[str, ...] = tuple(branch_points)
        """Revisions two or more revisions build on (by down_revision), in input order."""
        self.merge_points: tuple[str, ...] = tuple(merge_points)
        """Revisions joining two or more down_revisions, in input order."""

    # ----------------------------------------------------------------- basic access

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, rev_id: object) -> bool:
        """True for every revision id, including those a squash replaces."""
        return rev_id in self._by_id or rev_id in self._replaced_by

    def __iter__(self) -> Iterator[Revision]:
        """Revisions in the order they were given."""
        return iter(self._by_id.values())

    @property
    def branch_label_names(self) -> tuple[str, ...]:
        """Every declared branch label, sorted."""
        return tuple(sorted(self._labels))

    def label_revision(self, label: str) -> Revision:
        """The revision that declares ``label``."""
        try:
            return self._by_id[self._labels[label]]
        except KeyError:
            raise UnknownRevision(
                label, f"no branch label {label!r}; known labels: {', '.join(sorted(self._labels))}"
            ) from None

    def walk(self) -> Iterator[Revision]:
        """Every revision, heads first, each before all it builds on (Alembic's order)."""
        with gc_paused():
            order = heads_first(
                self._by_id, self._position, self._rank, set(self._by_id), self.real_heads
            )
        by_id = self._by_id
        return (by_id[rev_id] for rev_id in order)

    # ----------------------------------------------------------------- squashes

    @property
    def squashes(self) -> dict[str, Squash]:
        """Squashes whose replaced revisions are present, by squash id (empty when none).

        The map's heads, bases, walk and ranges show each squash in place of its range;
        ``get`` and the plans still know the replaced revisions.
        """
        return dict(self._squashes)

    def replaced_by(self, rev_id: str) -> str | None:
        """The squash that replaces ``rev_id`` (a full id), or None."""
        return self._replaced_by.get(rev_id)

    def expanded_view(self, squash_ids: Iterable[str]) -> RevisionMap:
        """The history with these squashes' ranges in their place (cached; plain map)."""
        key = frozenset(squash_ids)
        if not key:
            return self
        found = self._views.get(key)
        if found is None:
            found = RevisionMap(replacing.view(self._every, self._squashes, key))
            self._views[key] = found
        return found

    def upgrade_steps(self, current: Sequence[str], target: str) -> list[Revision | Equivalence]:
        """``upgrade_plan`` plus an Equivalence wherever the database crosses a squash's range.

        Without squashes it is exactly ``upgrade_plan``.
        """
        with gc_paused():
            return squash_plans.steps(self, current, target, upgrade=True)

    def downgrade_steps(self, current: Sequence[str], target: str) -> list[Revision | Equivalence]:
        """``downgrade_plan`` plus an Equivalence wherever the database crosses a squash."""
        with gc_paused():
            return squash_plans.steps(self, current, target, upgrade=False)

    def resolve_dependencies(self) -> tuple[str, ...]:
        """Heads when depends_on counts as lineage (``heads --resolve-dependencies``)."""
        return self.real_heads

    # ----------------------------------------------------------------- lookups

    def get(self, ident: str) -> Revision:
        """Exactly one revision: full id, unique prefix, label, ``label@head``, ``rev-1``..."""
        exact = self._by_id.get(ident)
        if exact is not None:  # the common case, and the runtime asks it once per step
            return exact
        if self._squashes:
            replaced = squash_plans.replaced_revision(self, ident)
            if replaced is not None:
                return replaced
        revs = self.get_revisions(ident)
        if len(revs) != 1:
            if not revs:
                raise UnknownRevision(
                    ident, f"{ident!r} names no revision (it is 'base'); give a revision id"
                )
            raise MultipleHeads([r.revision for r in revs], ident)
        return revs[0]

    def get_revisions(self, ident: str | Sequence[str]) -> tuple[Revision, ...]:
        """Revisions for one identifier or a sequence of them (``heads`` gives several).

        ``label@-N`` here counts down from the label's head, as ``history`` expects; use
        ``resolve(target, current)`` for the meaning relative to the database's revisions.
        """
        if not isinstance(ident, str):
            out: list[Revision] = []
            for item in ident:
                out.extend(r for r in self.get_revisions(item) if r not in out)
            return tuple(out)
        parsed = parse(ident, self._labels)
        if parsed.is_relative and parsed.symbol is None and parsed.steps is not None:
            if parsed.steps > 0:
                raise RelativeWalkError(
                    f"{ident!r} counts up from the current revisions, which only "
                    "upgrade_plan/resolve know; pass them as `current`"
                )
            # From the heads nothing depends on, as ``heads`` means: a head that another
            # head depends on is not where a branch ends.
            starts = self.real_heads
            if parsed.label:
                starts = self.filter_for_lineage(starts, parsed.label)
            found = [walk_down(self._by_id, h, -parsed.steps, ident) for h in starts]
            return tuple(self._by_id[r] for r in dict.fromkeys(f for f in found if f))
        return tuple(self._by_id[r] for r in self.resolve(ident))

    def resolve(self, target: str, current: Sequence[str] = ()) -> tuple[str, ...]:
        """Revision ids an identifier means; relative ones (``+2``, ``-1``) count from current.

        ``base`` resolves to ``()``; ``heads`` to every head (those nothing depends on).
        A revision a squash replaces resolves to itself (by full id or its own prefix).
        """
        if self._squashes:
            replaced = squash_plans.replaced_id(self, target)
            if replaced is not None:
                return (replaced,)
        parsed = parse(target, self._labels)
        if not parsed.is_relative:
            return self._resolve_absolute(parsed)
        if parsed.symbol == "heads" and parsed.steps is not None:
            return self._each_head_down(parsed)
        rev = self._resolve_relative(parsed, self._current(current))
        return () if rev is None else (rev,)

    def is_ancestor(self, ancestor: str, descendant: str, dependencies: bool = True) -> bool:
        """True when ``ancestor`` must run before ``descendant`` (a revision is its own)."""
        a = self.get(ancestor).revision
        d = self.get(descendant).revision
        return a in traversal.ancestors(self._by_id, [d], dependencies)

    def filter_for_lineage(
        self, rev_ids: Iterable[str], check_against: str, dependencies: bool = False
    ) -> tuple[str, ...]:
        """Keep the ids on the same line (ancestor or descendant) as a label or revision.

        This is how one branch is picked out of several heads, e.g. to downgrade one branch.
        """
        anchor = self._anchor(check_against)
        on_line = traversal.lineage(self._by_id, anchor, dependencies)
        return tuple(r for r in rev_ids if r in on_line)

    # ----------------------------------------------------------------- plans

    def upgrade_plan(self, current: Sequence[str], target: str) -> list[Revision]:
        """Revisions to apply, in application order, to go from ``current`` up to ``target``.

        Everything below the target (including depends_on) that is not yet applied is
        included, so an upgrade may also bring in another branch a dependency needs.
        """
        with gc_paused():
            if self._squashes:
                return squash_plans.revisions_only(self, current, target, upgrade=True)
            return self._upgrade_plan(current, target)

    def _upgrade_plan(self, current: Sequence[str], target: str) -> list[Revision]:
        applied_heads = self._current(current)
        targets = self.resolve(target, applied_heads)
        if set(targets) <= set(applied_heads):
            # Already there (the usual `upgrade head` of a deploy): everything below an
            # applied head is applied, so there is nothing to walk.
            return []
        required = traversal.ancestors(self._by_id, targets)
        applied = traversal.ancestors(self._by_id, applied_heads)
        needs = required - applied
        order = heads_first(self._by_id, self._position, self._rank, needs, targets)
        order.reverse()
        return [self._by_id[r] for r in order]

    def downgrade_plan(self, current: Sequence[str], target: str) -> list[Revision]:
        """Revisions to undo, in the order to undo them, to go from ``current`` down to target.

        Only what builds on the target is undone: other branches stay, so ``label@-1`` or an
        id on one branch downgrades that branch alone. ``base`` undoes everything applied.
        """
        with gc_paused():
            if self._squashes:
                return squash_plans.revisions_only(self, current, target, upgrade=False)
            return self._downgrade_plan(current, target)

    def _downgrade_plan(self, current: Sequence[str], target: str) -> list[Revision]:
        applied_heads = self._current(current, check_overlap=False)
        label, target_rev = self._downgrade_target(target, applied_heads)
        if target_rev is None:
            roots = self._label_starts(label) if label in self._labels else list(self.bases)
        else:
            roots = list(self._by_id[target_rev].nextrev)
        if label is not None and len(roots) > 1:
            on_branch = traversal.ancestors(self._by_id, [self._anchor(label)], False)
            roots = [r for r in roots if r in on_branch]
            if not roots:
                raise RevisionError(
                    f"{target!r} is not a valid downgrade target from the current revisions "
                    f"({', '.join(applied_heads) or 'base'}); pick a revision below them"
                )
        active = traversal.ancestors(self._by_id, applied_heads)
        to_undo = traversal.descendants(self._by_id, roots) & active
        if target_rev is not None and not to_undo and target_rev not in applied_heads:
            raise RangeNotAncestor(
                target_rev,
                ", ".join(applied_heads) or "base",
                f"nothing to downgrade to {target_rev!r}: no applied revision is above it on its "
                f"branch (current: {', '.join(applied_heads) or 'base'}); pick a revision "
                "below the current heads",
            )
        order = heads_first(self._by_id, self._position, self._rank, to_undo, applied_heads)
        return [self._by_id[r] for r in order]

    def _label_starts(self, label: str) -> list[str]:
        """The lowest revisions carrying ``label``: undoing them undoes exactly that branch.

        ``label@base`` means "before this branch". A branch that forks off a shared line
        does not carry its label below the fork, so the shared revisions stay applied.
        """
        return [
            rev.revision
            for rev in self._by_id.values()
            if label in rev.branch_labels
            and not any(label in self._by_id[p].branch_labels for p in rev.down_revisions)
        ]

    def iterate_range(self, lower: str, upper: str) -> list[Revision]:
        """Revisions from ``lower`` up to ``upper`` (both included), heads first.

        This is ``history -r lower:upper``; ``lower`` must be below ``upper``.
        """
        with gc_paused():
            return self._iterate_range(lower, upper)

    def _iterate_range(self, lower: str, upper: str) -> list[Revision]:
        lower_ids = self.resolve(lower)
        targets = self.resolve(upper, lower_ids)
        for rev_id in (*lower_ids, *targets):
            if rev_id in self._replaced_by:
                squash = self._replaced_by[rev_id]
                raise RevisionError(
                    f"{rev_id} is replaced by squash {squash}, which ranges show in its "
                    f"place; use {squash} as the range end"
                )
        required = traversal.ancestors(self._by_id, targets)
        outside = [r for r in lower_ids if r not in required]
        if outside:
            raise RangeNotAncestor(lower, upper)
        needs = required - traversal.ancestors(self._by_id, lower_ids)
        needs.update(lower_ids)
        if lower_ids:
            # Through depends_on too: a revision that only depends on ``lower`` is above it,
            # just as ``required`` reaches down through depends_on.
            needs &= traversal.descendants(self._by_id, lower_ids)
        order = heads_first(self._by_id, self._position, self._rank, needs, targets)
        return [self._by_id[r] for r in order]

    # ----------------------------------------------------------------- internals

    def _current(
        self, current: Sequence[str] | str | None, check_overlap: bool = True
    ) -> tuple[str, ...]:
        if current is None:
            return ()
        if isinstance(current, str):
            current = (current,)
        out: list[str] = []
        for item in current:
            if item is None or item == "base":
                continue
            rev_id = self._lookup(item, None)
            if rev_id not in out:
                out.append(rev_id)
        if check_overlap and len(out) > 1:
            for rev_id in out:
                below = traversal.ancestors(self._by_id, self._by_id[rev_id].all_down_revisions)
                overlap = [r for r in out if r in below]
                if overlap:
                    raise OverlappingRevisions(overlap, rev_id)
        return tuple(out)

    def _lookup(self, name: str, label: str | None) -> str:
        """One id for an exact id, a label name or a unique prefix (within ``label``'s line)."""
        if name in self._by_id:
            return name
        if name in self._labels:
            return self._labels[name]
        candidates = [r for r in self._by_id if r.startswith(name)]
        if label is not None and len(candidates) > 1:
            candidates = list(self.filter_for_lineage(candidates, label))
        if not candidates:
            raise UnknownRevision(name)
        if len(candidates) > 1:
            raise AmbiguousRevision(name, candidates)
        return candidates[0]

    def _anchor(self, label_or_rev: str) -> str:
        """The revision a branch name stands for: its declaring revision, or an id/prefix."""
        if label_or_rev in self._labels:
            return self._labels[label_or_rev]
        try:
            return self._lookup(label_or_rev, None)
        except UnknownRevision:
            raise UnknownRevision(
                label_or_rev,
                f"no branch label or revision {label_or_rev!r}; known labels: "
                f"{', '.join(sorted(self._labels)) or 'none'}",
            ) from None

    def _branch_filter(self, label: str | None) -> LineageFilter | None:
        if label is None:
            return None
        on_line = traversal.lineage(self._by_id, self._anchor(label))
        return lambda ids: [r for r in ids if r in on_line]

    def _heads_on(self, label: str) -> tuple[str, ...]:
        return self.filter_for_lineage(self.heads, label)

    def _resolve_absolute(self, parsed: Identifier) -> tuple[str, ...]:
        symbol, label = parsed.symbol, parsed.label
        assert symbol is not None
        if symbol == "heads":
            return self._heads_on(label) if label else self.real_heads
        if symbol == "head":
            heads = self._heads_on(label) if label else self.heads
            if len(heads) > 1:
                raise MultipleHeads(heads, parsed.text)
            return heads
        if symbol == "base":
            if label:
                self._anchor(label)
            return ()
        rev_id = self._lookup(symbol, label)
        if label is not None:
            anchor = self._anchor(label)
            if rev_id not in traversal.lineage(self._by_id, anchor):
                raise UnknownRevision(
                    parsed.text,
                    f"revision {rev_id!r} is not on branch {label!r}; "
                    f"use a revision of that branch or '{label}@head'",
                )
        return (rev_id,)

    def _each_head_down(self, parsed: Identifier) -> tuple[str, ...]:
        """``heads-N`` / ``label@heads-N``: every head (of the branch) N steps down."""
        steps = parsed.steps
        assert steps is not None
        if steps > 0:
            raise RelativeWalkError(
                f"{parsed.text!r} walks above the heads; nothing is there. Use 'heads'"
            )
        # Plain ``heads`` means the heads nothing depends on, so ``heads-N`` counts from them.
        heads = self._heads_on(parsed.label) if parsed.label else self.real_heads
        found = [walk_down(self._by_id, head, -steps, parsed.text) for head in heads]
        return tuple(dict.fromkeys(r for r in found if r is not None))

    def _single(self, parsed: Identifier, symbol: str) -> str | None:
        ids = self._resolve_absolute(Identifier(parsed.text, parsed.label, symbol, None))
        if len(ids) > 1:
            raise MultipleHeads(ids, parsed.text)
        return ids[0] if ids else None

    def _resolve_relative(self, parsed: Identifier, current: tuple[str, ...]) -> str | None:
        steps = parsed.steps
        assert steps is not None
        if parsed.symbol is not None:
            start = self._single(parsed, parsed.symbol)
            if steps > 0:
                return walk_up(
                    self._by_id,
                    self.bases,
                    start,
                    steps,
                    self._branch_filter(parsed.label),
                    parsed.text,
                )
            if start is None:
                raise RelativeWalkError(f"{parsed.text!r} walks below base; nothing is there")
            return walk_down(self._by_id, start, -steps, parsed.text)
        if steps > 0:
            start = self._upgrade_start(parsed, current)
            return walk_up(
                self._by_id,
                self.bases,
                start,
                steps,
                self._branch_filter(parsed.label),
                parsed.text,
            )
        start = self._downgrade_start(parsed, current)
        return walk_down(self._by_id, start, -steps, parsed.text)

    def _upgrade_start(self, parsed: Identifier, current: tuple[str, ...]) -> str | None:
        """Where ``+N`` / ``label@+N`` starts counting: the one current revision concerned."""
        if not current:
            return None
        starts: Sequence[str] = current
        if parsed.label:
            starts = self.filter_for_lineage(current, parsed.label)
            if not starts:
                on_branch = set(
                    self.filter_for_lineage(traversal.ancestors(self._by_id, current), parsed.label)
                )
                below_tips = {
                    d for r in on_branch for d in self._by_id[r].normalized_down_revisions
                }
                starts = sorted(on_branch - below_tips, key=self._position.__getitem__)
                if not starts:
                    return None
        if len(starts) > 1:
            raise self._several_starts(parsed, starts)
        return starts[0]

    def _several_starts(self, parsed: Identifier, starts: Sequence[str]) -> AmbiguousRevision:
        """The error for a relative step that could count from several current revisions.

        It names, for each of them, a label that picks its line alone, so the user is not
        told to write ``label@-1`` after writing exactly that with a label shared by both.
        """
        step = parsed.text.split("@")[-1]
        picks = [self._label_only_on(rev, starts) for rev in starts]
        if all(picks):
            advice = "write " + " or ".join(f"'{label}@{step}'" for label in picks)
        else:
            advice = f"write 'label@{step}' with a label that only one of them is on"
        return AmbiguousRevision(
            parsed.text,
            list(starts),
            f"{parsed.text!r} is ambiguous: the database is at several revisions "
            f"({', '.join(starts)}); {advice}, or name a revision",
        )

    def _label_only_on(self, rev_id: str, starts: Sequence[str]) -> str | None:
        """A branch label of ``rev_id`` whose line holds none of the other ``starts``."""
        others = [s for s in starts if s != rev_id]
        for label in sorted(self._by_id[rev_id].branch_labels):
            if not self.filter_for_lineage(others, label):
                return label
        return None

    def _applied_tips(self, current: tuple[str, ...]) -> list[str]:
        """The top applied revision of every line, including lines only reached by depends_on.

        The database records only heads, so a branch that another head depends on has its
        top revision hidden among that head's ancestors.
        """
        applied = traversal.ancestors(self._by_id, current)
        tips = [r for r in applied if not any(c in applied for c in self._by_id[r].nextrev)]
        return sorted(tips, key=self._position.__getitem__)

    def _downgrade_start(self, parsed: Identifier, current: tuple[str, ...]) -> str:
        """Where ``-N`` / ``label@-N`` starts counting down."""
        starts: Sequence[str] = current
        if parsed.label:
            starts = self.filter_for_lineage(current, parsed.label)
            if not starts:
                starts = self.filter_for_lineage(self._applied_tips(current), parsed.label)
        if not starts:
            raise RelativeWalkError(
                f"{parsed.text!r} needs an applied revision to count down from, but "
                f"{'branch ' + repr(parsed.label) + ' has' if parsed.label else 'there is'} none"
            )
        if len(starts) > 1:
            raise self._several_starts(parsed, starts)
        return starts[0]

    def _downgrade_target(
        self, target: str, current: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        """The branch a downgrade is limited to (if any) and the revision to go down to."""
        parsed = parse(target, self._labels)
        if parsed.steps is not None and parsed.steps > 0 and parsed.symbol is None:
            raise RelativeWalkError(
                f"cannot downgrade to {target!r}: that is above the current revisions; "
                "use -N or a revision id"
            )
        if parsed.steps is not None and parsed.steps < 0 and parsed.symbol is None:
            start = self._downgrade_start(parsed, current)
            rev = walk_down(self._by_id, start, -parsed.steps, target)
            return (parsed.label or start), rev
        if parsed.is_relative:
            return parsed.label, self._resolve_relative(parsed, current)
        return parsed.label, self._single(parsed, parsed.symbol or "base")
