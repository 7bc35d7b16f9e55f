"""The machinery of the revgraph parity suite: ask both maps, compare, shrink, reproduce.

``Query`` is one question as data; ``ask_ours``/``ask_alembic`` put it to each library the
way a command does; ``verdict`` decides whether two outcomes agree, are a documented
difference (revgraph_allowed) or differ; ``reproduction`` shrinks a differing history and
prints it as code with the query.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from parity.revgraph_allowed import RELATIVE, documented_difference
from parity.revgraph_dags import (
    Dag,
    RevSpec,
    downgrade_targets,
    lookup_identifiers,
    range_ends,
    upgrade_targets,
    version_tables,
)

import revgraph

alembic_revision = pytest.importorskip("alembic.script.revision")

MAX_REPORTED = 5

# Alembic's error class -> the revgraph errors that mean the same refusal.
ERROR_KINDS: dict[str, tuple[type[Exception], ...]] = {
    "ResolutionError": (revgraph.UnknownRevision, revgraph.AmbiguousRevision),
    "MultipleHeads": (revgraph.MultipleHeads, revgraph.AmbiguousRevision),
    "RangeNotAncestorError": (revgraph.RangeNotAncestor,),
    # Loading: Alembic names the kind of loop; ours is one CycleDetected naming the field.
    "CycleDetected": (revgraph.CycleDetected,),
    "LoopDetected": (revgraph.CycleDetected,),
    "DependencyCycleDetected": (revgraph.CycleDetected,),
    "DependencyLoopDetected": (revgraph.CycleDetected,),
    # Plain RevisionError: "Ambiguous walk", "Walked too far", "Relative revision -1 didn't
    # produce 1 migrations", "Not a valid downgrade target", "Ambiguous upgrade...".
    "RevisionError": (revgraph.RevisionError,),
}


@dataclass(frozen=True)
class Outcome:
    """What one side answered: a value, or the name of the error it raised."""

    value: Any = None
    error: str | None = None
    error_type: type[Exception] | None = None
    message: str = ""

    def __str__(self) -> str:
        return f"raises {self.error}: {self.message}" if self.error else repr(self.value)


def run(call: Callable[[], Any]) -> Outcome:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Outcome(value=call())
    except Exception as error:  # both libraries' refusals are compared by kind below
        return Outcome(error=type(error).__name__, error_type=type(error), message=str(error)[:300])


@dataclass(frozen=True)
class Query:
    """One question, asked of both maps; ``code`` renders it for a reproduction."""

    kind: str
    current: tuple[str, ...] | None
    target: str | tuple[str, str] | None

    def code(self) -> tuple[str, str]:
        cur, tgt = self.current, self.target
        if self.kind == "shape":
            return ("shape(ours)", "shape(alembic)")
        if self.kind == "get_revisions":
            return (f"ours.get_revisions({tgt!r})", f"alembic.get_revisions({tgt!r})")
        if self.kind == "get":
            return (f"ours.get({tgt!r})", f"alembic.get_revision({tgt!r})")
        if self.kind == "upgrade":
            return (
                f"ours.upgrade_plan({cur!r}, {tgt!r})",
                f"reversed(list(alembic.iterate_revisions({tgt!r}, {cur!r}, implicit_base=True)))",
            )
        if self.kind == "downgrade":
            return (
                f"ours.downgrade_plan({cur!r}, {tgt!r})",
                f"alembic.iterate_revisions({cur!r}, {tgt!r}, select_for_downgrade=True)",
            )
        if self.kind == "range":
            assert isinstance(tgt, tuple)
            lower, upper = tgt
            return (
                f"ours.iterate_range({lower!r}, {upper!r})",
                f"alembic.iterate_revisions({upper!r}, {lower!r}, inclusive=True, "
                "assert_relative_length=False)",
            )
        return ("ours.walk()", "alembic.iterate_revisions('heads', 'base', inclusive=True, ...)")

    def mentions(self) -> str:
        return f"{self.current!r} {self.target!r}"


# ------------------------------------------------------------------ the two maps


def alembic_map(dag: Dag) -> Any:
    revisions = [
        alembic_revision.Revision(
            spec.revision,
            spec.down_revision,
            dependencies=spec.depends_on or None,
            branch_labels=spec.branch_labels or None,
        )
        for spec in dag.revisions
    ]
    amap = alembic_revision.RevisionMap(lambda: revisions)
    amap.heads  # noqa: B018 - loads the map, so the fix-up below sees every revision
    for rev in revisions:
        # Docs "Several `depends_on` keep the header's order": Alembic orders them by set
        # iteration (string hashes, different per process); put them in header order.
        normalized = set(rev._normalized_resolved_dependencies)
        rev._normalized_resolved_dependencies = tuple(
            d for d in rev._resolved_dependencies if d in normalized
        )
    return amap


def our_map(dag: Dag) -> revgraph.RevisionMap:
    return revgraph.RevisionMap(
        revgraph.Revision(
            spec.revision,
            spec.down_revision,
            spec.branch_labels or None,
            spec.depends_on or None,
        )
        for spec in dag.revisions
    )


def _ids(revisions: Any) -> tuple[str | None, ...]:
    return tuple(None if r is None else r.revision for r in revisions)


def ask_ours(m: revgraph.RevisionMap, query: Query) -> Any:
    kind, cur, tgt = query.kind, query.current, query.target
    if kind == "shape":
        return {
            "heads": m.heads,
            "bases": m.bases,
            "real_heads": m.real_heads,
            "real_bases": m.real_bases,
            "branch_points": sorted(m.branch_points),
            "merge_points": sorted(m.merge_points),
            "per_revision": {
                r.revision: (
                    sorted(r.nextrev),
                    sorted(r.all_nextrev),
                    sorted(r.branch_labels),
                    r.dependencies,
                    r.normalized_dependencies,
                )
                for r in m
            },
        }
    if kind == "get_revisions":
        assert isinstance(tgt, str)
        return _ids(m.get_revisions(tgt))
    if kind == "get":
        assert isinstance(tgt, str)
        try:
            return m.get(tgt).revision
        except revgraph.UnknownRevision:
            if m.resolve(tgt) == ():
                return None  # 'base' and 'label@base': Alembic's get_revision gives None
            raise
    assert cur is not None or kind in ("range", "walk")
    if kind == "upgrade":
        assert isinstance(tgt, str) and cur is not None
        return _ids(m.upgrade_plan(cur, tgt))
    if kind == "downgrade":
        assert isinstance(tgt, str) and cur is not None
        return _ids(m.downgrade_plan(cur, tgt))
    if kind == "range":
        assert isinstance(tgt, tuple)
        return _ids(m.iterate_range(*tgt))
    return _ids(m.walk())


def ask_alembic(amap: Any, query: Query) -> Any:
    kind, cur, tgt = query.kind, query.current, query.target
    if kind == "shape":
        unique = [
            rev
            for key, rev in amap._revision_map.items()
            if isinstance(key, str) and rev is not None and key == rev.revision
        ]
        return {
            "heads": amap.heads,
            "bases": amap.bases,
            "real_heads": amap._real_heads,
            "real_bases": amap._real_bases,
            "branch_points": sorted(r.revision for r in unique if r.is_branch_point),
            "merge_points": sorted(r.revision for r in unique if r.is_merge_point),
            "per_revision": {
                r.revision: (
                    sorted(r.nextrev),
                    sorted(r._all_nextrev),
                    sorted(r.branch_labels),
                    r._resolved_dependencies,
                    r._normalized_resolved_dependencies,
                )
                for r in unique
            },
        }
    if kind == "get_revisions":
        # '-N' landing exactly on base gives the string 'base' there: no revision, as ours.
        return _ids(r for r in amap.get_revisions(tgt) if r != "base")
    if kind == "get":
        rev = amap.get_revision(tgt)
        return None if rev is None else rev.revision
    if kind == "upgrade":
        return _ids(reversed(list(amap.iterate_revisions(tgt, cur, implicit_base=True))))
    if kind == "downgrade":
        return _ids(amap.iterate_revisions(cur, tgt, select_for_downgrade=True))
    if kind == "range":
        assert isinstance(tgt, tuple)
        lower, upper = tgt
        return _ids(
            amap.iterate_revisions(upper, lower, inclusive=True, assert_relative_length=False)
        )
    return _ids(
        amap.iterate_revisions("heads", "base", inclusive=True, assert_relative_length=False)
    )


# ------------------------------------------------------------------ comparison


def verdict(
    dag: Dag, query: Query, ours: Outcome, theirs: Outcome, m: revgraph.RevisionMap | None
) -> str | None:
    """None when the answers agree; the name of a DOCUMENTED entry; or 'differs'."""
    if ours.error is None and theirs.error is None:
        if ours.value == theirs.value:
            return None
    elif ours.error is not None and theirs.error is not None:
        if ours.error_type is not None and not issubclass(ours.error_type, revgraph.RevisionError):
            return "differs"  # we crashed: never acceptable
        allowed = ERROR_KINDS.get(theirs.error or "")
        if allowed is None:
            return None  # Alembic crashed (KeyError, AssertionError...): we refused cleanly
        if ours.error_type is not None and issubclass(ours.error_type, allowed):
            return None
    return documented_difference(dag, query, ours, theirs, m) or "differs"


def queries(dag: Dag, seed: int) -> Iterator[Query]:
    rng = random.Random(seed * 7919 + 1)
    yield Query("shape", None, None)
    yield Query("walk", None, None)
    for ident in lookup_identifiers(dag, rng):
        yield Query("get_revisions", None, ident)
        if not RELATIVE.search(ident):
            # Alembic's get_revision() does not parse relative forms; get_revisions() does.
            yield Query("get", None, ident)
    states = version_tables(dag, rng)
    ups = upgrade_targets(dag, rng)
    downs = downgrade_targets(dag, rng)
    for state in states:
        for target in ups:
            yield Query("upgrade", state, target)
        if state:
            for target in downs:
                yield Query("downgrade", state, target)
    ends = range_ends(dag, rng)
    for lower in ends:
        for upper in ends:
            yield Query("range", None, (lower, upper))


def compare(dag: Dag, query: Query) -> tuple[str | None, Outcome, Outcome]:
    m = our_map(dag)
    ours = run(lambda: ask_ours(m, query))
    theirs = run(lambda: ask_alembic(alembic_map(dag), query))
    return verdict(dag, query, ours, theirs, m), ours, theirs


def _signature(ours: Outcome, theirs: Outcome) -> tuple[str, str]:
    return (ours.error or "answer", theirs.error or "answer")


def _simpler(dag: Dag, mentioned: str) -> Iterator[Dag]:
    """Histories one step simpler than ``dag`` that keep what the query names: one
    revision fewer, one depends_on entry fewer, or one branch label fewer."""
    used_labels = {d for spec in dag.revisions for d in spec.depends_on}
    for index, spec in enumerate(dag.revisions):
        names = (spec.revision, *spec.branch_labels)
        if len(dag.revisions) > 1 and not any(name in mentioned for name in names):
            smaller = dag.without(spec.revision)
            if smaller is not None:
                yield smaller
        if not any(name in mentioned for name in names) and not set(names) & used_labels:
            spliced = _spliced_out(dag, spec)
            if spliced is not None:
                yield spliced
        for dep in spec.depends_on:
            deps = tuple(d for d in spec.depends_on if d != dep)
            changed = RevSpec(spec.revision, spec.down_revision, spec.branch_labels, deps)
            yield _replaced(dag, index, changed)
        for label in spec.branch_labels:
            if label in mentioned or label in used_labels:
                continue
            labels = tuple(lb for lb in spec.branch_labels if lb != label)
            changed = RevSpec(spec.revision, spec.down_revision, labels, spec.depends_on)
            yield _replaced(dag, index, changed)


def _spliced_out(dag: Dag, gone: RevSpec) -> Dag | None:
    """``dag`` without ``gone``, its children joined to its parents (shortens chains)."""
    specs = []
    for spec in dag.revisions:
        if spec is gone:
            continue
        downs = tuple(
            dict.fromkeys(
                p for d in spec.downs for p in (gone.downs if d == gone.revision else (d,))
            )
        )
        deps = tuple(d for d in spec.depends_on if d != gone.revision)
        down: None | str | tuple[str, ...] = (
            None if not downs else downs[0] if len(downs) == 1 else downs
        )
        specs.append(RevSpec(spec.revision, down, spec.branch_labels, deps))
    return Dag(dag.seed, tuple(specs)) if specs else None


def _replaced(dag: Dag, index: int, spec: RevSpec) -> Dag:
    specs = list(dag.revisions)
    specs[index] = spec
    return Dag(dag.seed, tuple(specs))


def shrink(dag: Dag, query: Query) -> Dag:
    """Simplify the history while the same difference stays (greedy, to a fixed point)."""
    verdict_, ours, theirs = compare(dag, query)
    signature = _signature(ours, theirs)
    mentioned = query.mentions()
    changed = True
    while changed:
        changed = False
        for smaller in _simpler(dag, mentioned):
            found, ours, theirs = compare(smaller, query)
            if found == verdict_ and _signature(ours, theirs) == signature:
                dag = smaller
                changed = True
                break
    return dag


def constructors(dag: Dag) -> list[str]:
    """The history as the two maps' constructors, ready to paste into a test."""
    ours, theirs = [], []
    for spec in dag.revisions:
        head = f"{spec.revision!r}, {spec.down_revision!r}"
        labels = f", branch_labels={spec.branch_labels!r}" if spec.branch_labels else ""
        ours_deps = f", depends_on={spec.depends_on!r}" if spec.depends_on else ""
        their_deps = f", dependencies={spec.depends_on!r}" if spec.depends_on else ""
        ours.append(f"    revgraph.Revision({head}{labels}{ours_deps}),")
        theirs.append(f"    Revision({head}{labels}{their_deps}),")
    return [
        "ours = revgraph.RevisionMap([",
        *ours,
        "])",
        "# from alembic.script.revision import Revision, RevisionMap",
        "alembic = RevisionMap(lambda: [",
        *theirs,
        "])",
    ]


def reproduction(dag: Dag, query: Query) -> str:
    """The seed, how to rerun it, the shrunk history as code and both answers."""
    small = shrink(dag, query)
    _, ours, theirs = compare(small, query)
    our_call, their_call = query.code()
    return "\n".join(
        [
            f"--- seed {dag.seed}: rerun with PARITY_SEED={dag.seed} PARITY_CASES=1",
            *constructors(small),
            f"{our_call}\n    -> {ours}",
            f"{their_call}\n    -> {theirs}",
        ]
    )
