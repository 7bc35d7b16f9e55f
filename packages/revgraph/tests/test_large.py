"""A 100,000-revision history works without recursion (correctness only; timing is benchmarked)."""

from __future__ import annotations

import sys

import pytest

from revgraph import Revision, RevisionMap

N = 100_000


@pytest.mark.slow
def test_hundred_thousand_linear_revisions():
    assert sys.getrecursionlimit() < N
    m = RevisionMap([Revision("r0", None), *(Revision(f"r{i}", f"r{i - 1}") for i in range(1, N))])
    last = f"r{N - 1}"
    assert m.heads == (last,) and m.bases == ("r0",)
    plan = m.upgrade_plan([], "head")
    assert [r.revision for r in plan] == [f"r{i}" for i in range(N)]
    walk = [r.revision for r in m.walk()]
    assert walk == [f"r{i}" for i in reversed(range(N))]
    assert [r.revision for r in m.downgrade_plan([last], "r5")][-1] == "r6"
    assert len(m.downgrade_plan([last], "base")) == N
    assert m.resolve(f"head-{N - 1}") == ("r0",)
    assert m.resolve(f"+{N}") == (last,)
    assert m.is_ancestor("r0", last)
    assert [r.revision for r in m.iterate_range("r10", "r12")] == ["r12", "r11", "r10"]


@pytest.mark.slow
def test_hundred_thousand_revisions_forking_and_merging_at_every_step():
    revs = [Revision("r0", None)]
    last = "r0"
    for i in range(1, N // 3):
        left, right, merge = f"l{i}", f"x{i}", f"m{i}"
        revs += [Revision(left, last), Revision(right, last), Revision(merge, (left, right))]
        last = merge
    m = RevisionMap(revs)
    assert m.heads == (last,)
    plan = m.upgrade_plan([], "heads")
    assert len(plan) == len(revs)
    position = {r.revision: i for i, r in enumerate(plan)}
    assert all(position[d] < position[r.revision] for r in plan for d in r.down_revisions)
    assert len(m.merge_points) == N // 3 - 1
