"""Validation on load: every malformed history is refused with one clear line."""

from __future__ import annotations

import pytest

from revgraph import (
    CycleDetected,
    DanglingReference,
    DuplicateLabel,
    DuplicateRevision,
    InvalidRevision,
    Revision,
    RevisionError,
    RevisionMap,
)


def one_line(err: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(err.value)
    assert "\n" not in text
    return text


def test_duplicate_id_names_the_id_and_both_files():
    with pytest.raises(DuplicateRevision) as err:
        RevisionMap(
            [
                Revision("a1", None, path="versions/a1_first.py"),
                Revision("a1", None, path="versions/a1_again.py"),
            ]
        )
    text = one_line(err)
    assert "'a1'" in text and "a1_first.py" in text and "a1_again.py" in text
    assert "new id" in text
    assert isinstance(err.value, RevisionError)


def test_dangling_down_revision_names_revision_missing_id_and_file():
    with pytest.raises(DanglingReference) as err:
        RevisionMap([Revision("a1", None), Revision("b2", "zz9", path="v/b2.py")])
    text = one_line(err)
    assert "'b2'" in text and "'zz9'" in text and "v/b2.py" in text and "down_revision" in text
    assert err.value.missing == "zz9" and err.value.field == "down_revision"


def test_dangling_depends_on_says_to_add_or_remove_it():
    with pytest.raises(DanglingReference) as err:
        RevisionMap([Revision("a1", None), Revision("b2", "a1", depends_on="other_pkg_rev")])
    text = one_line(err)
    assert "depends_on" in text and "'other_pkg_rev'" in text and "remove it" in text


def test_cycle_on_down_revision_names_the_loop():
    with pytest.raises(CycleDetected) as err:
        RevisionMap(
            [
                Revision("base1", None),
                Revision("a1", ("base1", "c3")),
                Revision("b2", "a1"),
                Revision("c3", "b2"),
            ]
        )
    text = one_line(err)
    for rev in ("a1", "b2", "c3"):
        assert rev in err.value.revisions
    assert "base1" not in err.value.revisions
    assert "break the loop" in text


def test_cycle_without_any_base():
    with pytest.raises(CycleDetected) as err:
        RevisionMap([Revision("a1", "b2"), Revision("b2", "a1")])
    assert set(err.value.revisions) == {"a1", "b2"}


def test_cycle_names_the_files_to_edit():
    with pytest.raises(CycleDetected) as err:
        RevisionMap(
            [
                Revision("a1", "b2", path="versions/a1_first.py"),
                Revision("b2", "a1", path="versions/b2_second.py"),
            ]
        )
    text = one_line(err)
    assert "versions/a1_first.py" in text and "versions/b2_second.py" in text


def test_cycle_through_depends_on():
    with pytest.raises(CycleDetected) as err:
        RevisionMap(
            [
                Revision("a1", None),
                Revision("b2", "a1", depends_on="x2"),
                Revision("x1", None),
                Revision("x2", "x1", depends_on="b2"),
            ]
        )
    assert set(err.value.revisions) >= {"b2", "x2"}
    assert "depends_on" in str(err.value)


def test_self_reference_is_a_cycle_named_plainly():
    with pytest.raises(CycleDetected) as err:
        Revision("a1", "a1", path="versions/a1_x.py")
    assert str(err.value) == (
        "revision 'a1' (in versions/a1_x.py) names itself in its down_revision; "
        "remove it from its down_revision"
    )
    with pytest.raises(CycleDetected, match="names itself in its depends_on"):
        Revision("a1", None, depends_on=["a1"])


def test_self_dependency_through_own_label_is_a_cycle():
    with pytest.raises(CycleDetected):
        RevisionMap([Revision("a1", None, branch_labels="lbl", depends_on="lbl")])


def test_label_declared_twice_names_both_revisions():
    with pytest.raises(DuplicateLabel) as err:
        RevisionMap([Revision("a1", None, "main"), Revision("b1", None, "main")])
    text = one_line(err)
    assert "'main'" in text and "a1" in text and "b1" in text and "rename" in text


def test_label_equal_to_a_revision_id_is_refused():
    with pytest.raises(DuplicateLabel):
        RevisionMap([Revision("a1", None), Revision("b1", None, "a1")])


@pytest.mark.parametrize("bad_id", ["a@b", "a-b", "a+b", "a:b", "has space", "", "head", "base"])
def test_illegal_revision_ids(bad_id):
    with pytest.raises(InvalidRevision) as err:
        Revision(bad_id, None)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("bad_label", ["x@y", "heads", "a b"])
def test_illegal_labels(bad_label):
    with pytest.raises(InvalidRevision):
        Revision("a1", None, branch_labels=bad_label)


def test_labels_may_contain_dashes():
    m = RevisionMap([Revision("a1", None, "app-samples"), Revision("b2", "a1")])
    assert m.get("app-samples").revision == "a1"
    assert m.resolve("app-samples@head") == ("b2",)


def test_non_string_entries_are_refused():
    with pytest.raises(InvalidRevision):
        Revision("a1", ["x", 3])  # type: ignore[list-item]
    with pytest.raises(InvalidRevision):
        RevisionMap(["a1"])  # type: ignore[list-item]


def test_empty_map():
    m = RevisionMap([])
    assert m.heads == () and m.bases == ()
    assert list(m.walk()) == []
    assert m.upgrade_plan([], "heads") == []
    assert m.resolve("head") == ()


def test_a_revision_can_be_reused_in_a_second_map():
    shared = [Revision("a1", None), Revision("b2", "a1")]
    first = RevisionMap(shared)
    second = RevisionMap([*shared, Revision("c3", "b2")])
    assert first.heads == ("b2",) and first.get("b2").is_head
    assert second.heads == ("c3",) and not second.get("b2").is_head


def test_header_values_are_normalized():
    rev = Revision("m1", ["a1", "b1", "a1"], branch_labels="x", depends_on=("d1",))
    assert rev.down_revisions == ("a1", "b1")
    assert rev.down_revision == ("a1", "b1")
    assert rev.declared_branch_labels == ("x",)
    assert rev.depends_on == ("d1",)
    assert Revision("b", "a").down_revision == "a"
    assert Revision("b", ()).down_revision is None and Revision("b", ()).is_base
