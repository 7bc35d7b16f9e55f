"""Cases the differential suite against Alembic found (tests-integration/parity).

Each test is named after what went wrong and pins the answer Alembic gives, which is the
right one; its docstring names the parity seed that found it.
"""

from __future__ import annotations

from revgraph import Revision, RevisionMap


def _dependency_heads() -> RevisionMap:
    """Three children of one labelled base; the last one depends on the other two, so
    they are heads by down_revision but not heads of the history (``real_heads``)."""
    return RevisionMap(
        [
            Revision("a", None, branch_labels="core"),
            Revision("b", "a"),
            Revision("c", "a"),
            Revision("d", "a"),
            Revision("e", "d", depends_on=("b", "c")),
        ]
    )


def test_minus_n_lookup_counts_from_heads_nothing_depends_on():
    """Seed 23: ``get_revisions('core@-1')`` also stepped down from b and c."""
    m = _dependency_heads()
    assert m.heads == ("b", "c", "e")
    assert m.real_heads == ("e",)
    assert [r.revision for r in m.get_revisions("-1")] == ["d"]
    assert [r.revision for r in m.get_revisions("core@-1")] == ["d"]
    assert [r.revision for r in m.get_revisions("-2")] == ["a"]


def test_heads_minus_n_counts_from_heads_nothing_depends_on():
    """Seed 46: ``upgrade heads-1`` targeted b and c too, so the plan was ordered for
    three targets instead of Alembic's one."""
    m = _dependency_heads()
    assert m.resolve("heads-1") == ("d",)
    assert [r.revision for r in m.upgrade_plan([], "heads-1")] == ["a", "d"]


def test_minus_n_lookup_does_not_walk_through_a_merge_below_a_dependency_head():
    """Seed 101: a head that another head depends on was walked down through a merge,
    raising AmbiguousRevision where Alembic answers."""
    m = RevisionMap(
        [
            Revision("a", None),
            Revision("b", None),
            Revision("m", ("a", "b")),
            Revision("x", "m"),
            Revision("c", None),
            Revision("d", "c", depends_on="x"),
        ]
    )
    assert m.real_heads == ("d",)
    assert [r.revision for r in m.get_revisions("-2")] == []
    assert [r.revision for r in m.get_revisions("-1")] == ["c"]
