"""Where revgraph answers differently from Alembic on purpose.

One test per entry of docs/differences-from-alembic.md (revgraph section), named after
it; the parity suite (tests-integration/parity/revgraph_allowed.py) skips exactly these
cases. ``label@base`` is pinned in test_branches.py and the GeoNature range in
test_corpus_depends.py.
"""

from __future__ import annotations

import pytest

from revgraph import (
    AmbiguousRevision,
    CycleDetected,
    DuplicateRevision,
    RelativeWalkError,
    Revision,
    RevisionMap,
    UnknownRevision,
)


def ids(revisions):
    return [r.revision for r in revisions]


@pytest.fixture
def two_labelled_branches() -> RevisionMap:
    """a -> b1 -> b2 (label 'bee') and a -> c1 -> c2 (label 'sea')."""
    return RevisionMap(
        [
            Revision("a", None),
            Revision("b1", "a", branch_labels="bee"),
            Revision("b2", "b1"),
            Revision("c1", "a", branch_labels="sea"),
            Revision("c2", "c1"),
        ]
    )


def test_label_at_rev_is_looked_up_on_that_branch_everywhere(two_labelled_branches):
    m = two_labelled_branches
    # Alembic upgrades to c2 here: it drops the label when finding the start revision.
    with pytest.raises(UnknownRevision, match="'c1' is not on branch 'bee'"):
        m.upgrade_plan([], "bee@c1+1")
    with pytest.raises(UnknownRevision, match="not on branch 'bee'"):
        m.downgrade_plan(["b2", "c2"], "bee@c1")
    # Alembic reads 'bee@head' as 'head' in a downgrade and fails on the two heads.
    assert ids(m.downgrade_plan(["b2", "c2"], "bee@head")) == []
    assert ids(m.downgrade_plan(["b2", "c2"], "bee@b1")) == ["b2"]


def test_heads_minus_n_works_with_several_heads(two_labelled_branches):
    m = two_labelled_branches
    assert m.resolve("heads-1") == ("b1", "c1")
    assert ids(m.upgrade_plan([], "heads-1")) == ["a", "c1", "b1"]


def test_relative_range_ends_in_history(two_labelled_branches):
    m = two_labelled_branches
    assert ids(m.iterate_range("b2-1", "b2")) == ["b2", "b1"]
    assert ids(m.iterate_range("heads-1", "heads")) == ["b2", "b1", "c2", "c1"]


def test_downgrade_minus_n_from_several_heads_is_refused(two_labelled_branches):
    m = two_labelled_branches
    with pytest.raises(AmbiguousRevision, match="'bee@-1' or 'sea@-1'"):
        m.downgrade_plan(["b2", "c2"], "-1")
    assert ids(m.downgrade_plan(["b2", "c2"], "sea@-1")) == ["c2"]


def test_history_range_follows_depends_on():
    m = RevisionMap(
        [
            Revision("a", None),
            Revision("b", "a"),
            Revision("x", None),
            Revision("y", "x", depends_on="b"),
        ]
    )
    # Alembic lists only b: y does not descend from b by down_revision.
    assert ids(m.iterate_range("b", "heads")) == ["y", "b"]


def test_label_heads_when_one_head_depends_on_another():
    m = RevisionMap(
        [
            Revision("a", None, branch_labels="core"),
            Revision("b", "a"),
            Revision("c", "a", depends_on="b"),
        ]
    )
    # Alembic: "Requested revision c overlaps with other requested revisions b".
    assert m.resolve("core@heads") == ("b", "c")
    assert ids(m.upgrade_plan([], "core@heads")) == ["a", "b", "c"]


def test_a_revision_reached_from_two_heads_is_listed_once(two_labelled_branches):
    m = two_labelled_branches
    assert ids(m.get_revisions("-2")) == ["a"]  # Alembic: (a, a)


def test_minus_n_below_the_base_is_an_error(two_labelled_branches):
    m = two_labelled_branches
    # Alembic answers (None, None): a placeholder for "walked past base".
    with pytest.raises(RelativeWalkError, match="only 3 exist below b2"):
        m.get_revisions("-4")


def test_where_alembic_stops_with_an_internal_error(two_labelled_branches):
    m = two_labelled_branches
    # Alembic: AssertionError in its upgrade planner ('a-1' is below the base).
    assert ids(m.upgrade_plan([], "a-1")) == []
    assert ids(m.upgrade_plan(["b1"], "a-1")) == []


def test_several_depends_on_keep_the_header_order():
    m = RevisionMap(
        [
            Revision("a", None),
            Revision("p", None),
            Revision("q", None),
            Revision("r", None),
            Revision("z", "a", depends_on=("r", "p", "q")),
        ]
    )
    assert m.get("z").normalized_dependencies == ("r", "p", "q")
    # Alembic's walk takes them in that order too once it is given it (reversed: heads first)
    assert ids(m.upgrade_plan([], "z")) == ["q", "p", "r", "a", "z"]


def test_two_revisions_with_one_id_are_refused():
    # Alembic warns "Revision a is present more than once" and keeps loading.
    with pytest.raises(DuplicateRevision, match="revision id 'a' is used more than once"):
        RevisionMap([Revision("a", None), Revision("b", "a"), Revision("a", None)])


def test_every_cycle_is_refused():
    # Alembic loads this (every revision is still reachable from head d and base x) and
    # plans x, b, c, d although b's down_revision is c.
    with pytest.raises(CycleDetected, match="b -> c -> b"):
        RevisionMap(
            [
                Revision("x", None),
                Revision("b", "c"),
                Revision("c", ("b", "x")),
                Revision("d", "c"),
            ]
        )


def test_branch_labels_containing_dash_digits():
    m = RevisionMap(
        [
            Revision("a", None),
            Revision("b1", "a", branch_labels="release-2024"),
            Revision("b2", "b1"),
            Revision("c1", "a"),
        ]
    )
    # Alembic reads 'release-2024@head' as 2024 steps below a revision 'release'.
    assert m.resolve("release-2024@head") == ("b2",)
    assert m.resolve("release-2024") == ("b1",)
    assert ids(m.upgrade_plan(["a"], "release-2024@+1")) == ["b1"]
    assert ids(m.downgrade_plan(["b2", "c1"], "release-2024@-1")) == ["b2"]


def test_prefixes_match_revision_ids_not_branch_labels():
    m = RevisionMap(
        [
            Revision("abc1dc524858", None),
            Revision("d71fa10f1495", None, branch_labels="abc1x"),
            Revision("ae3c95b34495", "d71fa10f1495", branch_labels="lblb0"),
        ]
    )
    # Alembic: 'abc1' is ambiguous ('abc1dc524858', 'abc1x'); 'lblb' finds ae3c95b34495.
    assert m.get("abc1").revision == "abc1dc524858"
    with pytest.raises(UnknownRevision, match="'lblb'"):
        m.get("lblb")
    assert m.get("lblb0").revision == "ae3c95b34495"
