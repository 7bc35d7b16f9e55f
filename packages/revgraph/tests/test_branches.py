"""Branch points, merges (of merges), several bases, inherited labels and depends_on.

Expected orders were worked out by hand from the walk rules and agree with Alembic 1.20.
"""

from __future__ import annotations

import pytest

from revgraph import MultipleHeads, UnknownRevision

MERGES = (
    ("a0", None),
    ("b0", "a0"),
    ("c1", "b0"),
    ("c2", "b0"),
    ("c3", "b0"),
    ("m1", ("c1", "c2")),
    ("m2", ("c2", "c3")),
    ("top", ("m1", "m2")),
)


@pytest.fixture
def merges(make_map):
    """b0 forks three ways; c2 feeds two merges; ``top`` merges the two merges."""
    return make_map(*MERGES)


def test_merge_of_merges_shape(merges):
    assert merges.heads == ("top",)
    assert merges.bases == ("a0",)
    assert merges.branch_points == ("b0", "c2")
    assert merges.merge_points == ("m1", "m2", "top")
    top = merges.get("top")
    assert top.is_merge_point and top.is_head and not top.is_branch_point
    assert top.down_revision == ("m1", "m2")
    assert merges.get("b0").nextrev == ("c1", "c2", "c3")
    assert merges.get("c2").nextrev == ("m1", "m2")
    assert merges.get("a0").is_base


def test_merge_of_merges_walk_and_plans(merges, ids):
    assert ids(merges.walk()) == ["top", "m1", "c1", "m2", "c3", "c2", "b0", "a0"]
    assert ids(merges.upgrade_plan([], "heads")) == [
        "a0", "b0", "c2", "c3", "m2", "c1", "m1", "top",
    ]  # fmt: skip
    assert ids(merges.upgrade_plan(["c1", "c3"], "heads")) == ["c2", "m2", "m1", "top"]
    assert ids(merges.upgrade_plan(["m1"], "m2")) == ["c3", "m2"]


def test_downgrade_across_merges(merges, ids):
    assert ids(merges.downgrade_plan(["top"], "b0")) == ["top", "m1", "c1", "m2", "c3", "c2"]
    assert ids(merges.downgrade_plan(["m1", "m2"], "c2")) == ["m1", "m2"]
    assert ids(merges.downgrade_plan(["m1", "m2"], "c3")) == ["m2"]


def test_three_parent_merge(make_map, ids):
    m = make_map(("a", None), ("x", "a"), ("y", "a"), ("z", "a"), ("m", ("x", "y", "z")))
    assert m.heads == ("m",)
    assert m.get("m").down_revisions == ("x", "y", "z")
    plan = ids(m.upgrade_plan([], "head"))
    assert plan[0] == "a" and plan[-1] == "m" and sorted(plan[1:4]) == ["x", "y", "z"]
    assert ids(m.upgrade_plan(["x", "y"], "head")) == ["z", "m"]


@pytest.fixture
def two_bases(make_map):
    """Two independent histories, each with its own base and label."""
    return make_map(("x0", None, "xb"), ("x1", "x0"), ("y0", None, "yb"), ("y1", "y0"))


def test_independent_branches_with_several_bases(two_bases, ids):
    assert two_bases.heads == ("x1", "y1")
    assert two_bases.bases == ("x0", "y0")
    assert ids(two_bases.upgrade_plan([], "xb@head")) == ["x0", "x1"]
    assert ids(two_bases.upgrade_plan(["x1"], "heads")) == ["y0", "y1"]
    assert ids(two_bases.downgrade_plan(["x1", "y1"], "yb@base")) == ["y1", "y0"]
    assert ids(two_bases.downgrade_plan(["x1", "y1"], "base")) == ["x1", "x0", "y1", "y0"]
    assert ids(two_bases.upgrade_plan([], "yb@+1")) == ["y0"]
    with pytest.raises(MultipleHeads):
        two_bases.upgrade_plan([], "head")


@pytest.fixture
def expand_contract(make_map):
    """Keystone's shape: one base forking into labelled 'expand' and 'contract' branches."""
    return make_map(
        ("base0", None),
        ("e1", "base0", "expand"),
        ("e2", "e1"),
        ("c1", "base0", "contract"),
        ("c2", "c1"),
    )


def test_labels_are_inherited_upwards_not_past_the_branch_point(expand_contract):
    labels = {r.revision: set(r.branch_labels) for r in expand_contract}
    assert labels == {
        "base0": set(),
        "e1": {"expand"},
        "e2": {"expand"},
        "c1": {"contract"},
        "c2": {"contract"},
    }
    assert expand_contract.get("e2").declared_branch_labels == ()
    assert expand_contract.branch_label_names == ("contract", "expand")


def test_label_identifiers(expand_contract):
    m = expand_contract
    assert m.resolve("expand@head") == ("e2",)
    assert m.resolve("expand@heads") == ("e2",)
    assert m.get("expand").revision == "e1"
    assert m.resolve("contract@c2") == ("c2",)
    assert m.resolve("expand@head-1") == ("e1",)
    assert [r.revision for r in m.get_revisions("expand@-1")] == ["e1"]
    assert m.resolve("expand@+1", current=["base0"]) == ("e1",)
    assert m.resolve("e1+1") == ("e2",)
    with pytest.raises(UnknownRevision, match="not on branch 'expand'"):
        m.resolve("expand@c2")
    with pytest.raises(UnknownRevision, match="nolabel"):
        m.resolve("nolabel@head")


def test_downgrade_one_branch_only(expand_contract, ids):
    m = expand_contract
    assert ids(m.downgrade_plan(["e2", "c2"], "expand@-1")) == ["e2"]
    assert ids(m.downgrade_plan(["e2", "c2"], "c1")) == ["c2"]
    # label@base takes out that branch only: the shared base and the other branch stay
    assert ids(m.downgrade_plan(["e2", "c2"], "contract@base")) == ["c2", "c1"]
    assert ids(m.downgrade_plan(["e2", "c2"], "base")) == ["e2", "e1", "c2", "c1", "base0"]
    assert ids(m.upgrade_plan(["e1", "c1"], "expand@+1")) == ["e2"]
    assert ids(m.upgrade_plan([], "contract@head")) == ["base0", "c1", "c2"]


def test_label_base_keeps_the_line_a_branch_forked_from(make_map, ids):
    m = make_map(("a1", None), ("b2", "a1"), ("f1", "a1", "feature"), ("f2", "f1"))
    assert ids(m.downgrade_plan(["b2", "f2"], "feature@base")) == ["f2", "f1"]
    # a merge built on the branch depends on it, so it comes out first
    merged = make_map(
        ("a1", None), ("b2", "a1"), ("f1", "a1", "feature"), ("f2", "f1"), ("m3", ("b2", "f2"))
    )
    assert ids(merged.downgrade_plan(["m3"], "feature@base")) == ["m3", "f2", "f1"]


def test_filter_for_lineage(expand_contract):
    m = expand_contract
    assert m.filter_for_lineage(m.heads, "expand") == ("e2",)
    assert m.filter_for_lineage(m.heads, "c1") == ("c2",)
    assert m.filter_for_lineage(["base0", "e2", "c2"], "contract") == ("base0", "c2")


def test_label_on_a_straight_line_reaches_down_to_the_start(make_map):
    m = make_map(("a0", None), ("a1", "a0"), ("a2", "a1", "feat"), ("a3", "a2"))
    assert all(r.branch_labels == {"feat"} for r in m)
    assert m.resolve("feat@base") == ()


def test_label_does_not_reach_down_when_its_branch_forks_above(make_map):
    m = make_map(("a0", None), ("a1", "a0", "lbl"), ("b1", "a1"), ("b2", "a1"))
    assert m.get("a0").branch_labels == frozenset()
    assert m.get("b1").branch_labels == {"lbl"} and m.get("b2").branch_labels == {"lbl"}


def test_merge_point_inherits_labels_of_both_parents(make_map):
    m = make_map(("r", None), ("a", "r", "left"), ("b", "r", "right"), ("m", ("a", "b")))
    assert m.get("m").branch_labels == {"left", "right"}
    assert m.resolve("left@head") == ("m",) and m.resolve("right@head") == ("m",)


@pytest.fixture
def with_dependencies(make_map):
    """An app history that depends on a library history, once by label and once by id."""
    return make_map(
        ("l0", None, "lib"),
        ("l1", "l0"),
        ("a0", None),
        ("a1", "a0", None, "lib"),
        ("a2", "a1", None, ("l1", "l0")),
    )


def test_depends_on_resolution_and_normalization(with_dependencies):
    m = with_dependencies
    assert m.get("a1").dependencies == ("l0",)
    assert m.get("a2").dependencies == ("l1", "l0")
    assert m.get("a2").normalized_dependencies == ("l1",)
    assert m.get("a2").depends_on == ("l1", "l0")
    assert m.heads == ("l1", "a2")
    assert m.real_heads == ("a2",)
    assert m.resolve_dependencies() == ("a2",)
    assert m.resolve("heads") == ("a2",)
    assert m.get("l1").nextrev == () and m.get("l1").all_nextrev == ("a2",)
    assert m.get("l1").is_head and not m.get("l1").is_real_head
    assert m.is_ancestor("l1", "a2")
    assert not m.is_ancestor("l1", "a2", dependencies=False)


def test_depends_on_orders_plans_but_is_not_lineage(with_dependencies, ids):
    m = with_dependencies
    assert ids(m.walk()) == ["a2", "a1", "a0", "l1", "l0"]
    assert ids(m.upgrade_plan([], "a2")) == ["l0", "l1", "a0", "a1", "a2"]
    assert ids(m.upgrade_plan(["a1"], "heads")) == ["l1", "a2"]
    # undoing the library's l1 must first undo a2, which depends on it
    assert ids(m.downgrade_plan(["a2"], "l0")) == ["a2", "l1"]
    assert m.resolve("a2-1") == ("a1",)


def test_diamond_dependency_applies_shared_revision_once(make_map, ids):
    m = make_map(
        ("r0", None),
        ("p1", None, None, "r0"),
        ("q1", None, None, "r0"),
        ("x1", None, None, ("p1", "q1")),
    )
    plan = ids(m.upgrade_plan([], "x1"))
    assert sorted(plan) == ["p1", "q1", "r0", "x1"]
    assert plan[0] == "r0" and plan[-1] == "x1"
    assert ids(m.downgrade_plan(["x1"], "base"))[0] == "x1"
    assert m.real_heads == ("x1",)
    assert m.heads == ("r0", "p1", "q1", "x1")
