"""The allow-list of the revgraph parity suite: differences we keep on purpose.

Each entry is keyed by the heading of its section in docs/differences-from-alembic.md
(revgraph part) and recognises exactly that difference: anything it does not recognise
fails the suite. A predicate gets the history, the query, both outcomes and our map.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import revgraph

DOCS = "docs/differences-from-alembic.md"
RELATIVE = re.compile(r"[+-]\d+$")
# Alembic errors that are internal failures, not refusals (see "Where Alembic crashes").
ALEMBIC_CRASHES = {"AssertionError", "KeyError", "AttributeError", "TypeError", "IndexError"}


@dataclass(frozen=True)
class Documented:
    """One difference listed in the docs, and how to recognise it."""

    heading: str
    applies: Callable[[Any, Any, Any, Any, revgraph.RevisionMap], bool]

    @property
    def docs_entry(self) -> str:
        return f"{DOCS}: {self.heading}"


def _label_of(target: str) -> str | None:
    label, at, _ = target.partition("@")
    return label if at else None


def _only_branch_revisions_undone(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``downgrade label@base`` (or ``label@-N`` reaching below the branch): we undo only
    revisions carrying the label and what builds on them; Alembic also undoes the line
    below the fork, which does not carry the label."""
    if query.kind != "downgrade" or ours.error or theirs.error:
        return False
    label = _label_of(query.target)
    if label is None or label not in dag.labels:
        return False
    symbol = query.target.split("@", 1)[1]
    if symbol != "base" and not RELATIVE.fullmatch(symbol):
        return False
    extra = set(theirs.value) - set(ours.value)
    if not extra or not set(ours.value) <= set(theirs.value):
        return False
    return all(label not in m.get(rev).branch_labels for rev in extra)


def _label_honoured(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``label@rev`` / ``label@rev+N`` / ``label@head`` in upgrade and downgrade targets:
    we resolve the part after ``@`` on that branch; Alembic drops the label there."""
    if query.kind not in ("upgrade", "downgrade") or not isinstance(query.target, str):
        return False
    label = _label_of(query.target)
    if label is None:
        return False
    if ours.error_type is revgraph.UnknownRevision and "is not on branch" in ours.message:
        return True
    symbol = query.target.split("@", 1)[1]
    if symbol in ("head", "heads") and theirs.error == "MultipleHeads":
        return len(m.resolve(f"{label}@heads")) <= 1
    return False


def _heads_minus_n(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``heads-N`` steps down from every head; Alembic only accepts it with one head."""
    target = query.target
    ends = target if isinstance(target, tuple) else (target,)
    uses = any(isinstance(e, str) and re.fullmatch(r"(.+@)?heads-\d+", e) for e in ends)
    return uses and theirs.error == "MultipleHeads" and len(m.heads) > 1


def _relative_range_end(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``history -r rev-1:...`` / ``head-1:`` / ``heads-1:``: we resolve a relative lower
    end; Alembic looks it up as a literal id and reports "No such revision"."""
    if query.kind != "range" or theirs.error != "ResolutionError":
        return False
    lower = query.target[0]
    return bool(RELATIVE.search(lower)) and not re.fullmatch(r"(.+@)?-\d+", lower)


def _relative_down_from_several(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``downgrade -N`` with several current heads: Alembic warns and picks the first
    row of the version table; we refuse and name a label for each line."""
    return (
        query.kind == "downgrade"
        and bool(re.fullmatch(r"-\d+", query.target))
        and len(query.current) > 1
        and ours.error_type is revgraph.AmbiguousRevision
        and theirs.error is None
    )


def _range_counts_depends_on(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``history -r lower:upper`` also lists revisions that only depend on ``lower``
    (through depends_on); Alembic lists only down_revision descendants of ``lower``."""
    if query.kind != "range" or ours.error:
        return False
    lower, upper = query.target
    low = m.resolve(lower)
    extra = set(ours.value) - (set() if theirs.error else set(theirs.value))
    if not theirs.error and not set(theirs.value) <= set(ours.value):
        return False
    if theirs.error and theirs.error not in ("RangeNotAncestorError", *ALEMBIC_CRASHES):
        return False
    extra -= set(low)
    if not extra:
        return False
    lineage_above = _lineage_descendants(m, low)
    if any(r in lineage_above for r in extra):
        return False
    return set(ours.value) == _expected_set(dag, query, m)


def _lineage_descendants(m: revgraph.RevisionMap, starts: tuple[str, ...]) -> set[str]:
    seen = set(starts)
    stack = list(starts)
    while stack:
        for child in m.get(stack.pop()).nextrev:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _alembic_crashes(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """Alembic stops with an internal error (an ``assert`` in its planner, a KeyError).
    There is no answer to compare, so ours is checked against a plain reachability
    oracle on the history instead: exactly the revisions the request needs."""
    if theirs.error not in ALEMBIC_CRASHES:
        return False
    if ours.error is not None:
        return issubclass(ours.error_type, revgraph.RevisionError)
    expected = _expected_set(dag, query, m)
    return expected is not None and set(ours.value) == expected


def _expected_set(dag: Any, query: Any, m: revgraph.RevisionMap) -> set[str] | None:
    """What an upgrade or a range must contain, from the history's edges alone."""
    if query.kind == "upgrade":
        current = tuple(query.current)
        targets = m.resolve(query.target, current)
        return dag.ancestors(targets) - dag.ancestors(current)
    if query.kind == "range":
        lower, upper = query.target
        low = m.resolve(lower)
        high = m.resolve(upper, low)
        needed = dag.ancestors(high) - (dag.ancestors(low) - set(low))
        return needed & dag.descendants(low) if low else needed
    return None


def _listed_once(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``get_revisions('-1')`` with two heads over one revision: Alembic lists it twice."""
    if query.kind != "get_revisions" or ours.error or theirs.error:
        return False
    return tuple(dict.fromkeys(theirs.value)) == ours.value


def _below_base_is_an_error(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``get_revisions('-3')`` from a head two revisions above base: Alembic puts ``None``
    in the answer for that head; we raise RelativeWalkError naming the head."""
    return (
        query.kind == "get_revisions"
        and ours.error_type is revgraph.RelativeWalkError
        and theirs.error is None
        and None in theirs.value
    )


def _label_heads_overlapping(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """``label@heads`` where one of the branch's heads depends on another: Alembic refuses
    ("overlaps with other requested revisions"); we plan for all of them."""
    target = query.target
    ends = target if isinstance(target, tuple) else (target,)
    return (
        any(isinstance(e, str) and e.endswith("@heads") for e in ends)
        and theirs.error == "RevisionError"
        and "overlaps with other requested" in theirs.message
        and ours.error is None
    )


def _duplicate_id_refused(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """Two revisions with one id: Alembic warns and keeps loading (one file silently
    shadows the other); we refuse with DuplicateRevision naming both files."""
    return (
        query.kind == "load"
        and ours.error_type is revgraph.DuplicateRevision
        and theirs.error is None
    )


def _every_cycle_refused(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """A cycle that still leaves its revisions reachable from some head and some base:
    Alembic's check misses it and loads the history (plans then loop or crash); we refuse
    it naming the loop. Only histories the generator gave a cycle on purpose qualify."""
    return (
        query.kind == "load"
        and query.target in ("down_revision cycle", "depends_on cycle")
        and ours.error_type is revgraph.CycleDetected
        and theirs.error is None
    )


def _label_with_dash_digits(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """A label such as ``release-2024``: Alembic's relative-step pattern reads
    ``release-2024@head`` as "2024 steps below 'release'" and fails; we know the labels,
    so a known label is never split."""
    target = query.target
    ends = target if isinstance(target, tuple) else (target,)
    dashed = [lb for lb in dag.labels if re.search(r"-\d", lb)]
    named = any(isinstance(e, str) and any(lb in e for lb in dashed) for e in ends)
    return named and theirs.error is not None


def _prefix_of_a_label(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> bool:
    """A prefix that begins a branch label: Alembic counts labels among the candidates
    for partial ids (so ``lblb`` finds the revision labelled ``lblb0``, and ``abc1`` is
    ambiguous when a label ``abc1x`` exists); we match prefixes against revision ids only."""
    target = query.target
    ends = target if isinstance(target, tuple) else (target,)
    for end in ends:
        if not isinstance(end, str):
            continue
        symbol = RELATIVE.sub("", end.split("@", 1)[-1])
        if symbol and any(lb != symbol and lb.startswith(symbol) for lb in dag.labels):
            return query.kind in ("get", "get_revisions") or theirs.error == "ResolutionError"
    return False


DOCUMENTED: dict[str, Documented] = {
    entry.heading: entry
    for entry in (
        Documented(
            "`downgrade label@base` takes out only that branch", _only_branch_revisions_undone
        ),
        Documented("`label@rev` is looked up on that branch everywhere", _label_honoured),
        Documented("`heads-N` works with several heads", _heads_minus_n),
        Documented("Relative range ends in `history -r`", _relative_range_end),
        Documented("`downgrade -N` from several heads is refused", _relative_down_from_several),
        Documented("`history -r lower:upper` follows `depends_on`", _range_counts_depends_on),
        Documented("A revision reached from two heads is listed once", _listed_once),
        Documented("`-N` below the base is an error", _below_base_is_an_error),
        Documented("`label@heads` when one head depends on another", _label_heads_overlapping),
        Documented("Where Alembic stops with an internal error", _alembic_crashes),
        Documented("Two revisions with one id are refused", _duplicate_id_refused),
        Documented("Every cycle is refused", _every_cycle_refused),
        Documented("Branch labels containing `-<digits>`", _label_with_dash_digits),
        Documented("Prefixes match revision ids, not branch labels", _prefix_of_a_label),
    )
}


def documented_difference(dag: Any, query: Any, ours: Any, theirs: Any, m: Any) -> str | None:
    """The heading of the docs entry that explains this difference, if one does."""
    for heading, entry in DOCUMENTED.items():
        if entry.applies(dag, query, ours, theirs, m):
            return heading
    return None
