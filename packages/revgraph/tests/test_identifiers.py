"""Identifier syntax and resolution, including every resolution error."""

from __future__ import annotations

import pytest

from revgraph import (
    AmbiguousRevision,
    InvalidRevision,
    MultipleHeads,
    RangeNotAncestor,
    RelativeWalkError,
    RevisionError,
    UnknownRevision,
)
from revgraph.identifiers import parse


@pytest.mark.parametrize(
    ("text", "label", "symbol", "steps"),
    [
        ("ae1027a6acf", None, "ae1027a6acf", None),
        ("ae10", None, "ae10", None),
        ("head", None, "head", None),
        ("heads", None, "heads", None),
        ("base", None, "base", None),
        ("+2", None, None, 2),
        ("-1", None, None, -1),
        ("ae10+2", None, "ae10", 2),
        ("ae10-1", None, "ae10", -1),
        ("heads-1", None, "heads", -1),
        ("head-2", None, "head", -2),
        ("lbl@head", "lbl", "head", None),
        ("lbl@heads", "lbl", "heads", None),
        ("lbl@base", "lbl", "base", None),
        ("lbl@ae10", "lbl", "ae10", None),
        ("lbl@+1", "lbl", None, 1),
        ("lbl@-2", "lbl", None, -2),
        ("lbl@head-1", "lbl", "head", -1),
        ("app-samples@head", "app-samples", "head", None),
        ("app-samples@-1", "app-samples", None, -1),
        ("  head  ", None, "head", None),
    ],
)
def test_parse_table(text, label, symbol, steps):
    parsed = parse(text)
    assert (parsed.label, parsed.symbol, parsed.steps) == (label, symbol, steps)


def test_a_known_label_with_a_dash_is_not_a_relative_step():
    assert parse("app-1").steps == -1
    assert parse("app-1", labels={"app-1"}).symbol == "app-1"


@pytest.mark.parametrize("text", ["", "   ", "@head", "lbl@", "a:b", "+0", "two words"])
def test_parse_errors(text):
    with pytest.raises(InvalidRevision) as err:
        parse(text)
    assert "\n" not in str(err.value)


def test_non_string_identifier():
    with pytest.raises(InvalidRevision, match="not a string"):
        parse(b"abc")  # type: ignore[arg-type]


@pytest.fixture
def forked(make_map):
    """a0 - a1 forks into b1-b2 and c1; c1 merges nothing; two heads."""
    return make_map(
        ("a0aa", None), ("a1aa", "a0aa"), ("b1bb", "a1aa"), ("b2bb", "b1bb"), ("c1cc", "a1aa"),
    )  # fmt: skip


def test_heads_and_ambiguous_head(forked):
    assert forked.resolve("heads") == ("b2bb", "c1cc")
    assert [r.revision for r in forked.get_revisions("heads")] == ["b2bb", "c1cc"]
    assert [r.revision for r in forked.get_revisions(["b2", "c1"])] == ["b2bb", "c1cc"]
    with pytest.raises(MultipleHeads) as err:
        forked.resolve("head")
    assert err.value.heads == ("b2bb", "c1cc")
    assert "merge" in str(err.value)
    with pytest.raises(MultipleHeads):
        forked.get("heads")


def test_relative_resolution_against_current(forked):
    assert forked.resolve("+1", current=["b1bb"]) == ("b2bb",)
    assert forked.resolve("-2", current=["b2bb"]) == ("a1aa",)
    assert forked.resolve("-3", current=["b2bb"]) == ("a0aa",)
    assert forked.resolve("-4", current=["b2bb"]) == ()
    assert forked.resolve("+2") == ("a1aa",)
    assert forked.resolve("b2bb-1") == ("b1bb",)
    assert forked.resolve("a0aa+1") == ("a1aa",)
    assert forked.resolve("b2bb@-1", current=["b2bb", "c1cc"]) == ("b1bb",)
    assert [r.revision for r in forked.get_revisions("heads-1")] == ["b1bb", "a1aa"]


def test_relative_errors(forked):
    with pytest.raises(AmbiguousRevision, match="several branches") as err:
        forked.resolve("+1", current=["a1aa"])
    assert set(err.value.candidates) == {"b1bb", "c1cc"}
    with pytest.raises(AmbiguousRevision, match="several revisions"):
        forked.resolve("+1", current=["b2bb", "c1cc"])
    with pytest.raises(AmbiguousRevision, match="several revisions"):
        forked.resolve("-1", current=["b2bb", "c1cc"])
    with pytest.raises(RelativeWalkError, match="only 0"):
        forked.resolve("+1", current=["b2bb"])
    with pytest.raises(RelativeWalkError, match="only 4"):
        forked.resolve("-5", current=["b2bb"])
    with pytest.raises(RelativeWalkError, match="applied revision"):
        forked.resolve("-1")
    with pytest.raises(RelativeWalkError):
        forked.get_revisions("+1")


def test_walking_down_through_a_merge_is_ambiguous(make_map):
    m = make_map(("r", None), ("a", "r"), ("b", "r"), ("m", ("a", "b")))
    with pytest.raises(AmbiguousRevision, match="merge") as err:
        m.resolve("m-1")
    assert err.value.candidates == ("a", "b")


def test_prefixes(forked):
    assert forked.get("b2").revision == "b2bb"
    with pytest.raises(AmbiguousRevision) as err:
        forked.get("b")
    assert err.value.candidates == ("b1bb", "b2bb")
    assert "b1bb" in str(err.value) and "b2bb" in str(err.value) and "more characters" in str(err)
    with pytest.raises(UnknownRevision) as unknown:
        forked.get("zz")
    assert "'zz'" in str(unknown.value) and "\n" not in str(unknown.value)
    assert isinstance(unknown.value, LookupError)


def test_prefix_is_narrowed_by_branch_label(make_map):
    m = make_map(("r0", None), ("ab1", "r0", "left"), ("ab2", "r0", "right"))
    assert m.resolve("left@ab") == ("ab1",)
    assert m.resolve("right@ab") == ("ab2",)
    with pytest.raises(AmbiguousRevision):
        m.resolve("ab")


def test_get_of_base_is_an_error(forked):
    with pytest.raises(UnknownRevision, match="base"):
        forked.get("base")


def test_iterate_range(forked, ids):
    assert ids(forked.iterate_range("a1aa", "b2bb")) == ["b2bb", "b1bb", "a1aa"]
    assert ids(forked.iterate_range("base", "heads")) == ids(forked.walk())
    assert ids(forked.iterate_range("a1aa", "heads")) == ["b2bb", "b1bb", "c1cc", "a1aa"]
    assert ids(forked.iterate_range("b1bb", "+1")) == ["b2bb", "b1bb"]
    with pytest.raises(RangeNotAncestor) as err:
        forked.iterate_range("b2bb", "a1aa")
    assert "b2bb" in str(err.value) and "a1aa" in str(err.value)
    with pytest.raises(RangeNotAncestor):
        forked.iterate_range("c1cc", "b2bb")


def test_plan_errors(forked):
    with pytest.raises(RelativeWalkError, match="above the current"):
        forked.downgrade_plan(["b2bb"], "+1")
    with pytest.raises(RangeNotAncestor, match="nothing to downgrade") as err:
        forked.downgrade_plan(["c1cc"], "b1bb")
    assert "b1bb" in str(err.value)
    with pytest.raises(RevisionError, match="overlap"):
        forked.upgrade_plan(["a1aa", "b2bb"], "heads")
    with pytest.raises(UnknownRevision):
        forked.upgrade_plan(["nope"], "heads")


def test_plans_from_several_current_heads(forked, ids):
    assert ids(forked.upgrade_plan(["b1bb", "c1cc"], "heads")) == ["b2bb"]
    assert ids(forked.upgrade_plan(["a0aa"], "c1cc")) == ["a1aa", "c1cc"]
    assert ids(forked.downgrade_plan(["b2bb", "c1cc"], "a1aa")) == ["b2bb", "b1bb", "c1cc"]
    assert ids(forked.downgrade_plan(["b2bb", "c1cc"], "b1bb")) == ["b2bb"]
    assert ids(forked.downgrade_plan(["b2bb", "c1cc"], "base")) == [
        "b2bb", "b1bb", "c1cc", "a1aa", "a0aa",
    ]  # fmt: skip
    assert forked.upgrade_plan(["b2bb", "c1cc"], "heads") == []
    assert forked.downgrade_plan(["b2bb", "c1cc"], "b2bb") == []
