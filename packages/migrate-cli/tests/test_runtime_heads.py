"""How the version table's heads move across linear, branched, merged and dependent histories."""

from __future__ import annotations

import pytest

from migrate_cli.runtime.heads import HeadChange, HeadTracker
from revgraph import Revision, RevisionMap


def graph(*specs: tuple[str, object] | tuple[str, object, object]) -> RevisionMap:
    revisions = []
    for spec in specs:
        rev, down = spec[0], spec[1]
        depends = spec[2] if len(spec) > 2 else None
        revisions.append(Revision(rev, down, depends_on=depends))  # type: ignore[arg-type]
    return RevisionMap(revisions)


# a -> b -> c, then b branches to d; e merges c and d.
BRANCHED = graph(("a", None), ("b", "a"), ("c", "b"), ("d", "b"), ("e", ("c", "d")))


def test_linear_upgrade_is_one_update_per_step() -> None:
    tracker = HeadTracker(BRANCHED, [])
    assert tracker.upgrade("a") == HeadChange((), ("a",))
    assert tracker.upgrade("b") == HeadChange(("a",), ("b",))
    assert tracker.heads == ["b"]


def test_branch_point_adds_a_second_head() -> None:
    tracker = HeadTracker(BRANCHED, ["b"])
    assert tracker.upgrade("c") == HeadChange(("b",), ("c",))
    assert tracker.upgrade("d") == HeadChange((), ("d",))
    assert sorted(tracker.heads) == ["c", "d"]


def test_merge_replaces_both_heads_with_one() -> None:
    tracker = HeadTracker(BRANCHED, ["c", "d"])
    change = tracker.upgrade("e")
    assert sorted(change.removed) == ["c", "d"] and change.added == ("e",)
    assert tracker.heads == ["e"]


def test_unmerge_restores_both_branches() -> None:
    tracker = HeadTracker(BRANCHED, ["e"])
    change = tracker.downgrade("e")
    assert change.removed == ("e",) and sorted(change.added) == ["c", "d"]


def test_downgrading_one_branch_keeps_the_other() -> None:
    tracker = HeadTracker(BRANCHED, ["c", "d"])
    # b is still implied by c, so undoing d leaves only c.
    assert tracker.downgrade("d") == HeadChange(("d",), ())
    assert tracker.heads == ["c"]
    assert tracker.downgrade("c") == HeadChange(("c",), ("b",))


def test_downgrade_to_base_empties_the_heads() -> None:
    tracker = HeadTracker(BRANCHED, ["a"])
    assert tracker.downgrade("a") == HeadChange(("a",), ())
    assert tracker.heads == []


def test_applying_a_dependency_target_then_its_dependent() -> None:
    # two independent bases; y1 depends on x1
    deps = graph(("x1", None), ("y1", None, "x1"), ("x2", "x1"))
    tracker = HeadTracker(deps, [])
    tracker.upgrade("x1")
    change = tracker.upgrade("y1")
    assert change == HeadChange(("x1",), ("y1",))
    # x1 is implied by y1; upgrading x2 adds a head beside y1
    assert tracker.upgrade("x2") == HeadChange((), ("x2",))
    assert sorted(tracker.heads) == ["x2", "y1"]
    # undoing y1 restores nothing: x1 is implied by x2
    assert tracker.downgrade("y1") == HeadChange(("y1",), ())


def test_stamp_replaces_heads_on_the_same_line_and_keeps_others() -> None:
    tracker = HeadTracker(BRANCHED, ["c", "d"])
    change = tracker.stamp(("b",))
    assert sorted(change.removed) == ["c", "d"] and change.added == ("b",)
    tracker = HeadTracker(BRANCHED, ["c"])
    assert tracker.stamp(("d",)) == HeadChange((), ("d",))
    assert sorted(tracker.heads) == ["c", "d"]


def test_stamp_several_targets_and_purge() -> None:
    tracker = HeadTracker(BRANCHED, ["a"])
    change = tracker.stamp(("c", "d"))
    assert change.removed == ("a",) and sorted(change.added) == ["c", "d"]
    tracker = HeadTracker(BRANCHED, ["zzz_unknown"])
    assert tracker.stamp(("a",), purge=True) == HeadChange(("zzz_unknown",), ("a",))


@pytest.mark.parametrize("count", [2000])
def test_long_linear_history_is_not_quadratic_in_recursion(count: int) -> None:
    revisions = [Revision("r0", None)] + [Revision(f"r{i}", f"r{i - 1}") for i in range(1, count)]
    tracker = HeadTracker(RevisionMap(revisions), [])
    for i in range(count):
        tracker.upgrade(f"r{i}")
    assert tracker.heads == [f"r{count - 1}"]


def test_ancestors_among_agrees_with_the_full_walk() -> None:
    from migrate_cli.runtime.lineage import ancestors, ancestors_among, heights

    # two long branches off "a", one depending on the other half-way, merged at "m"
    specs: list[tuple[str, object] | tuple[str, object, object]] = [("a", None)]
    for side in "xy":
        down = "a"
        for n in range(6):
            depends = "x2" if (side, n) == ("y", 4) else None
            specs.append((f"{side}{n}", down, depends))
            down = f"{side}{n}"
    specs.append(("m", ("x5", "y5")))
    revision_map = graph(*specs)
    height = heights(revision_map)
    every = [rev.revision for rev in revision_map]
    for root in every:
        assert ancestors_among(revision_map, root, every, height) == ancestors(
            revision_map, [root]
        ), root


def test_upgrade_drops_a_stale_head_the_new_revision_implies() -> None:
    # heads recorded as [a, c] (a stale, c implies it): applying d (after c) removes both
    tracker = HeadTracker(graph(("a", None), ("b", "a"), ("c", "b"), ("d", "c")), ["a", "c"])
    assert tracker.upgrade("d") == HeadChange(("c", "a"), ("d",))
