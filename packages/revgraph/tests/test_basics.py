"""Linear histories: heads, bases, lookups and plans."""

from __future__ import annotations

import pytest

from revgraph import AmbiguousRevision, MultipleHeads, Revision, RevisionMap, UnknownRevision


@pytest.fixture
def linear(make_map):
    return make_map(("a1", None), ("b2", "a1"), ("c3", "b2"), ("d4", "c3"))


def test_heads_and_bases(linear):
    assert linear.heads == ("d4",)
    assert linear.bases == ("a1",)
    assert linear.branch_points == ()
    assert linear.merge_points == ()
    assert len(linear) == 4


def test_get_by_full_id_and_prefix(make_map):
    m = make_map(("abc123", None), ("abd456", "abc123"))
    assert m.get("abc123").revision == "abc123"
    assert m.get("abd").revision == "abd456"
    with pytest.raises(AmbiguousRevision) as err:
        m.get("ab")
    assert "abc123" in str(err.value) and "abd456" in str(err.value)
    assert err.value.candidates == ("abc123", "abd456")
    with pytest.raises(UnknownRevision, match="zzz"):
        m.get("zzz")


def test_symbols(linear):
    assert linear.resolve("head") == ("d4",)
    assert linear.resolve("heads") == ("d4",)
    assert linear.resolve("base") == ()
    assert linear.resolve("c3-2") == ("a1",)
    assert linear.resolve("a1+3") == ("d4",)
    assert linear.resolve("+2", current=["a1"]) == ("c3",)
    assert linear.resolve("+1") == ("a1",)
    assert linear.resolve("-1", current=["c3"]) == ("b2",)
    assert linear.resolve("head-1") == ("c3",)


def test_upgrade_and_downgrade_plans(linear, ids):
    assert ids(linear.upgrade_plan([], "head")) == ["a1", "b2", "c3", "d4"]
    assert ids(linear.upgrade_plan(["b2"], "heads")) == ["c3", "d4"]
    assert ids(linear.upgrade_plan(["b2"], "+1")) == ["c3"]
    assert ids(linear.downgrade_plan(["d4"], "base")) == ["d4", "c3", "b2", "a1"]
    assert ids(linear.downgrade_plan(["d4"], "b2")) == ["d4", "c3"]
    assert ids(linear.downgrade_plan(["d4"], "-1")) == ["d4"]


def test_walk_is_heads_first(linear, ids):
    assert ids(linear.walk()) == ["d4", "c3", "b2", "a1"]


def test_head_with_two_heads_is_an_error():
    m = RevisionMap([Revision("a1", None), Revision("b1", "a1"), Revision("c1", "a1")])
    with pytest.raises(MultipleHeads) as err:
        m.resolve("head")
    assert "b1" in str(err.value) and "c1" in str(err.value)
