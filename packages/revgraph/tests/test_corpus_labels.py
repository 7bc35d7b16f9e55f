"""Relative targets on a real history with one label over two lines (lsst daf_butler_migrate).

The ``collections`` tree has a pseudo-root labelled ``collections`` that forks into two
managers, each with its own label. With both managers applied, ``collections@-1`` cannot
say which line to step down; the error must point at the labels that do.
"""

from __future__ import annotations

import pytest

from revgraph import AmbiguousRevision, MultipleHeads, Revision, RevisionMap

# (revision, down_revision, branch_labels) as published in migrations/collections/.
COLLECTIONS = (
    ("079a1bc77f25", "8d2e9de2f21f", ["collections-SynthIntKeyCollectionManager"]),
    ("1a93ca89bc27", "079a1bc77f25", None),
    ("3ce2d3adf1f5", "a56af31bd899", None),
    ("5e75e5391603", "e866114194e1", None),
    ("8c57494cabcc", "97a6aabd8998", None),
    ("8d2e9de2f21f", None, ["collections"]),
    ("93341d68b814", "5e75e5391603", None),
    ("97a6aabd8998", "b4073b638219", None),
    ("a56af31bd899", "8d2e9de2f21f", ["collections-NameKeyCollectionManager"]),
    ("b4073b638219", "1a93ca89bc27", None),
    ("e866114194e1", "3ce2d3adf1f5", None),
)
HEADS = ("8c57494cabcc", "93341d68b814")


@pytest.fixture
def collections() -> RevisionMap:
    return RevisionMap(Revision(rev, down, labels) for rev, down, labels in COLLECTIONS)


@pytest.mark.parametrize("target", ["collections@-1", "collections@+1"])
def test_an_ambiguous_label_names_the_labels_that_pick_one_line(collections, target):
    current = HEADS if target.endswith("-1") else ("1a93ca89bc27", "3ce2d3adf1f5")
    with pytest.raises(AmbiguousRevision) as caught:
        collections.resolve(target, current)
    message = str(caught.value)
    step = target.split("@")[1]
    assert f"'collections-SynthIntKeyCollectionManager@{step}'" in message
    assert f"'collections-NameKeyCollectionManager@{step}'" in message
    assert "write 'label@" not in message


def test_a_bare_relative_target_still_asks_for_a_label(collections):
    with pytest.raises(AmbiguousRevision) as caught:
        collections.resolve("-1", HEADS)
    assert "'collections-SynthIntKeyCollectionManager@-1'" in str(caught.value)


def test_the_line_specific_label_steps_down_its_own_line(collections):
    assert collections.resolve("collections-NameKeyCollectionManager@-1", HEADS) == (
        "5e75e5391603",
    )
    downgrade = collections.downgrade_plan(HEADS, "collections-SynthIntKeyCollectionManager@-1")
    assert [r.revision for r in downgrade] == ["8c57494cabcc"]


def test_label_head_over_two_lines_suggests_the_label_s_heads(collections):
    with pytest.raises(MultipleHeads) as caught:
        collections.resolve("collections@head")
    message = str(caught.value)
    assert "use 'collections@heads'" in message
    assert "use 'heads'" not in message  # that would upgrade every other tree as well
    assert collections.resolve("collections@heads") == HEADS


def test_bare_head_still_suggests_heads(collections):
    with pytest.raises(MultipleHeads) as caught:
        collections.resolve("head")
    assert "use 'heads'" in str(caught.value)
