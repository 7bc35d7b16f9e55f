"""Property-based tests on random DAGs: plans are valid orders and round-trip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from revgraph import Revision, RevisionMap


@st.composite
def histories(draw: st.DrawFn) -> RevisionMap:
    """Random histories with forks, merges (2-3 parents), several bases, labels, depends_on."""
    n = draw(st.integers(min_value=1, max_value=25))
    revs: list[Revision] = []
    for i in range(n):
        earlier = [r.revision for r in revs]
        parents: list[str] = []
        if earlier and draw(st.integers(0, 9)) > 0:
            parents = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3, unique=True))
        deps: list[str] = []
        if earlier and draw(st.integers(0, 5)) == 0:
            deps = [
                d for d in draw(st.lists(st.sampled_from(earlier), max_size=2)) if d not in parents
            ]
        label = f"lbl{i}" if draw(st.integers(0, 7)) == 0 else None
        revs.append(Revision(f"r{i:02d}", parents or None, label, deps or None))
    return RevisionMap(revs)


def ancestry(m: RevisionMap, ids: list[str] | tuple[str, ...]) -> set[str]:
    """Reference closure, independent of the library's own traversal."""
    seen: set[str] = set()
    stack = list(ids)
    while stack:
        rev_id = stack.pop()
        if rev_id not in seen:
            seen.add(rev_id)
            stack.extend(m.get(rev_id).down_revisions + m.get(rev_id).dependencies)
    return seen


def tips(m: RevisionMap, applied: set[str]) -> list[str]:
    """What a version table records for ``applied``: the revisions nothing applied builds on."""
    return [
        r.revision
        for r in m
        if r.revision in applied and not any(c in applied for c in r.all_nextrev)
    ]


def assert_topological(plan: list[Revision]) -> None:
    position = {r.revision: i for i, r in enumerate(plan)}
    assert len(position) == len(plan), "a revision appears twice"
    for rev in plan:
        for down in rev.down_revisions + rev.dependencies:
            if down in position:
                assert position[down] < position[rev.revision], (down, rev.revision)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_full_upgrade_covers_every_revision_once_in_topological_order(m):
    plan = m.upgrade_plan([], "heads")
    assert sorted(r.revision for r in plan) == sorted(r.revision for r in m)
    assert_topological(plan)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_walk_is_heads_first_and_complete(m):
    walk = list(m.walk())
    assert len(walk) == len(m)
    assert_topological(walk[::-1])


@settings(max_examples=150, deadline=None)
@given(histories())
def test_downgrade_to_base_reverses_upgrade_from_base(m):
    up = m.upgrade_plan([], "heads")
    down = m.downgrade_plan(list(m.real_heads), "base")
    assert [r.revision for r in down] == [r.revision for r in reversed(up)]


@settings(max_examples=150, deadline=None)
@given(histories(), st.data())
def test_partial_upgrade_brings_exactly_the_missing_ancestry(m, data):
    ids = [r.revision for r in m]
    applied = ancestry(m, data.draw(st.lists(st.sampled_from(ids), max_size=3)))
    target = data.draw(st.sampled_from(ids))
    plan = m.upgrade_plan(tips(m, applied), target)
    assert_topological(plan)
    planned = {r.revision for r in plan}
    assert planned == ancestry(m, [target]) - applied
    # every revision in the plan finds what it needs already applied or earlier in the plan
    done = set(applied)
    for rev in plan:
        assert set(rev.down_revisions + rev.dependencies) <= done
        done.add(rev.revision)


@settings(max_examples=150, deadline=None)
@given(histories(), st.data())
def test_downgrade_undoes_what_builds_on_the_target_and_reverses_its_upgrade(m, data):
    ids = [r.revision for r in m]
    target = data.draw(st.sampled_from(ids))
    up = m.upgrade_plan([], target)
    head_tips = tips(m, {r.revision for r in up})
    down = m.downgrade_plan(head_tips, "base")
    assert [r.revision for r in down] == [r.revision for r in reversed(up)] or (
        len(head_tips) > 1 and sorted(r.revision for r in down) == sorted(r.revision for r in up)
    )
    applied = ancestry(m, head_tips)
    below = data.draw(st.sampled_from(sorted(applied)))
    undo = (
        m.downgrade_plan(head_tips, below)
        if any(c in applied for c in m.get(below).nextrev)
        else []
    )
    removed = {r.revision for r in undo}
    assert below not in removed
    remaining = applied - removed
    # what stays is still consistent: nothing left depends on something removed
    for rev_id in remaining:
        assert set(m.get(rev_id).down_revisions + m.get(rev_id).dependencies) <= remaining
    # and the undo order never removes a revision before what builds on it
    assert_topological(undo[::-1])
