"""Squashed revisions (``replaces``): one revision standing for a range, Django's semantics.

The simulation below runs plans against a model database: each revision's upgrade adds its
"effects" (a squash's effects are those of what it replaces), the version table is a list of
heads moved the way a runner moves them (parents out, revision in; an Equivalence renames a
row). Every start state must end with the same effects and the same recorded heads as the
original history.
"""

from __future__ import annotations

import pytest

from revgraph import (
    Equivalence,
    InvalidReplaces,
    Revision,
    RevisionError,
    RevisionMap,
)

LINE = ["a", "b", "c", "d", "e", "f"]


def line_with_squash(first: str, last: str, squash: str = "s", extra=()) -> list[Revision]:
    revs = [Revision(LINE[0], None)] + [Revision(r, LINE[i]) for i, r in enumerate(LINE[1:])]
    start, stop = LINE.index(first), LINE.index(last)
    replaced = tuple(LINE[start : stop + 1])
    down = LINE[start - 1] if start else None
    return [*revs, Revision(squash, down, replaces=replaced), *extra]


def effects(revision_map: RevisionMap, rev_id: str) -> set[str]:
    squash = revision_map.squashes.get(rev_id)
    if squash is not None:
        return set(squash.replaced)
    rev = revision_map.get(rev_id)
    return set(rev.replaces) if rev.replaces else {rev_id}


class ModelDatabase:
    """Effects applied, and the version table as a runner keeps it."""

    def __init__(self, revision_map: RevisionMap, heads: list[str], applied: set[str]):
        self.map = revision_map
        self.heads = list(heads)
        self.applied = set(applied)

    def run(self, entries: list[Revision | Equivalence], upgrade: bool) -> None:
        for entry in entries:
            if isinstance(entry, Equivalence):
                assert entry.recorded in self.heads, (entry, self.heads)
                self.heads = [entry.becomes if h == entry.recorded else h for h in self.heads]
                continue
            rev = self.map.get(entry.revision)
            change = effects(self.map, entry.revision)
            if upgrade:
                assert not change & self.applied, f"{entry.revision} applied twice"
                self.applied |= change
                self.heads = [h for h in self.heads if h not in rev.down_revisions]
                self.heads.append(rev.revision)
            else:
                assert change <= self.applied, f"{entry.revision} undone but not applied"
                self.applied -= change
                assert rev.revision in self.heads, (rev.revision, self.heads)
                self.heads.remove(rev.revision)
                self.heads.extend(rev.down_revisions)


def at(revision_map: RevisionMap, rev_id: str | None) -> ModelDatabase:
    """A database stamped at ``rev_id`` of the original line (None = empty)."""
    if rev_id is None:
        return ModelDatabase(revision_map, [], set())
    return ModelDatabase(revision_map, [rev_id], set(LINE[: LINE.index(rev_id) + 1]))


@pytest.mark.parametrize("first,last", [("a", "c"), ("b", "d"), ("c", "f"), ("a", "f"), ("d", "e")])
@pytest.mark.parametrize("start", [None, *LINE])
def test_every_start_upgrades_to_the_same_state(first, last, start):
    revision_map = RevisionMap(line_with_squash(first, last))
    db = at(revision_map, start)
    db.run(revision_map.upgrade_steps(db.heads, "heads"), upgrade=True)
    assert db.applied == set(LINE)
    # A database recorded at the top of the range (nothing to run) is at the squash.
    assert [revision_map.replaced_by(h) or h for h in db.heads] == list(revision_map.heads)


@pytest.mark.parametrize("start", [None, "a", "b", "c", "d"])
def test_which_path_each_start_takes(start):
    revision_map = RevisionMap(line_with_squash("b", "d"))
    plan = revision_map.upgrade_steps([start] if start else [], "heads")
    shown = [
        f"{e.recorded}={e.becomes}" if isinstance(e, Equivalence) else e.revision for e in plan
    ]
    expected = {
        None: ["a", "s", "e", "f"],  # before the range: the squash
        "a": ["s", "e", "f"],
        "b": ["c", "d", "d=s", "e", "f"],  # inside: the rest of the range, then "at s"
        "c": ["d", "d=s", "e", "f"],
        "d": ["d=s", "e", "f"],  # at the top: already at s
    }
    assert shown == expected[start]


def test_graph_shows_the_squash_in_place_of_its_range():
    revision_map = RevisionMap(line_with_squash("b", "d"))
    assert revision_map.heads == ("f",)
    assert [r.revision for r in revision_map.walk()] == ["f", "e", "s", "a"]
    assert revision_map.get("e").down_revision == "s"
    assert revision_map.branch_points == ()
    assert revision_map.squashes["s"].replaced == ("b", "c", "d")
    assert revision_map.squashes["s"].top == "d"
    assert revision_map.replaced_by("c") == "s"
    assert revision_map.replaced_by("e") is None
    # Replaced revisions stay addressable, with their own header's links.
    assert "c" in revision_map
    assert revision_map.get("c").down_revision == "b"


def test_upgrade_plan_without_equivalences_lists_scripts_to_run():
    revision_map = RevisionMap(line_with_squash("b", "d"))
    assert [r.revision for r in revision_map.upgrade_plan(["c"], "heads")] == ["d", "e", "f"]
    assert [r.revision for r in revision_map.upgrade_plan([], "e")] == ["a", "s", "e"]


def test_past_the_range_nothing_runs():
    revision_map = RevisionMap(line_with_squash("b", "d"))
    assert revision_map.upgrade_steps(["f"], "heads") == []
    assert revision_map.upgrade_steps(["s"], "s") == []


def test_target_inside_the_range_takes_the_old_path():
    revision_map = RevisionMap(line_with_squash("b", "d"))
    db = at(revision_map, "a")
    db.run(revision_map.upgrade_steps(db.heads, "c"), upgrade=True)
    assert db.heads == ["c"] and db.applied == {"a", "b", "c"}
    db.run(revision_map.upgrade_steps(db.heads, "heads"), upgrade=True)
    assert db.heads == ["f"] and db.applied == set(LINE)


def test_target_at_the_top_means_the_squash():
    revision_map = RevisionMap(line_with_squash("b", "d"))
    steps = revision_map.upgrade_steps(["a"], "d")
    assert [getattr(e, "revision", None) for e in steps] == ["s"]


@pytest.mark.parametrize("target", ["base", "a", "b", "c", "d", "e"])
@pytest.mark.parametrize("start", ["f", "d", "c"])
def test_downgrades_reach_the_same_state(start, target):
    revision_map = RevisionMap(line_with_squash("b", "d"))
    db = at(revision_map, start)
    db.run(revision_map.upgrade_steps(db.heads, "heads"), upgrade=True)  # records s
    db.run(revision_map.downgrade_steps(db.heads, target), upgrade=False)
    expected = set() if target == "base" else set(LINE[: LINE.index(target) + 1])
    assert db.applied == expected
    wanted = {"base": [], "d": ["s"]}.get(target, [target])
    assert db.heads == wanted


def test_pruned_squash_stands_alone():
    revs = [Revision("a", None), Revision("s", "a", replaces=("b", "c")), Revision("e", "s")]
    revision_map = RevisionMap(revs)
    assert revision_map.squashes == {}
    assert revision_map.heads == ("e",)
    assert [r.revision for r in revision_map.upgrade_plan([], "heads")] == ["a", "s", "e"]


def test_squash_of_a_base_range():
    revision_map = RevisionMap(line_with_squash("a", "c"))
    assert revision_map.bases == ("s",)
    assert [r.revision for r in revision_map.upgrade_plan([], "heads")] == ["s", "d", "e", "f"]


def test_squash_over_a_merge():
    revs = [
        Revision("a", None),
        Revision("b1", "a"),
        Revision("b2", "a"),
        Revision("m", ("b1", "b2")),
        Revision("z", "m"),
        Revision("s", "a", replaces=("b1", "b2", "m")),
    ]
    revision_map = RevisionMap(revs)
    assert revision_map.heads == ("z",)
    assert revision_map.merge_points == ()
    assert revision_map.squashes["s"].top == "m"
    plan = revision_map.upgrade_steps(["b1"], "heads")
    shown = [e.revision if isinstance(e, Revision) else f"={e.becomes}" for e in plan]
    assert shown == ["b2", "m", "=s", "z"]
    assert [r.revision for r in revision_map.upgrade_plan(["b1", "b2"], "heads")] == ["m", "z"]


def test_depends_on_a_replaced_revision_moves_to_the_squash():
    revs = [*line_with_squash("b", "d"), Revision("x", None, depends_on="c")]
    revision_map = RevisionMap(revs)
    assert revision_map.get("x").depends_on == ("s",)
    assert [r.revision for r in revision_map.upgrade_plan([], "x")] == ["a", "s", "x"]


def test_no_replaces_keeps_plain_maps_plain():
    revs = [Revision("a", None), Revision("b", "a")]
    revision_map = RevisionMap(revs)
    assert revision_map.squashes == {}
    assert revision_map.upgrade_steps([], "heads") == revision_map.upgrade_plan([], "heads")


@pytest.mark.parametrize(
    "revs,message",
    [
        (
            [Revision("a", None), Revision("b", "a"), Revision("s", "a", replaces=("b", "zz"))],
            "zz is missing",
        ),
        (
            [
                Revision("a", None),
                Revision("b", "a"),
                Revision("c", "b"),
                Revision("s", "b", replaces=("b", "c")),
            ],
            "set down_revision to that",
        ),
        (
            [
                Revision("a", None),
                Revision("b", "a"),
                Revision("c", "b"),
                Revision("x", "b"),
                Revision("s", "a", replaces=("b", "c")),
            ],
            "x builds on it from outside the range",
        ),
        (
            [
                Revision("a", None),
                Revision("b", "a"),
                Revision("c", "a"),
                Revision("s", "a", replaces=("b", "c")),
            ],
            "2 tops",
        ),
        (
            [
                Revision("a", None),
                Revision("b", "a"),
                Revision("s", "a", replaces=("b",)),
                Revision("t", "a", replaces=("b",)),
            ],
            "which s replaces too",
        ),
    ],
)
def test_bad_squashes_are_refused_with_the_fix(revs, message):
    with pytest.raises(InvalidReplaces, match=message) as error:
        RevisionMap(revs)
    assert isinstance(error.value, RevisionError)
    assert "squash" in str(error.value)


def test_replaces_itself_is_refused():
    with pytest.raises(RevisionError, match="names itself in replaces"):
        Revision("s", None, replaces=("s",))


def test_copy_and_repr_keep_replaces():
    rev = Revision("s", "a", replaces=("b", "c"))
    assert rev.copy().replaces == ("b", "c")
    assert "replaces=('b', 'c')" in repr(rev)


@pytest.mark.parametrize("start", ["b", "c"])
def test_downgrade_from_inside_the_range_uses_the_old_path(start):
    revision_map = RevisionMap(line_with_squash("b", "d"))
    db = at(revision_map, start)
    db.run(revision_map.downgrade_steps(db.heads, "a"), upgrade=False)
    assert db.heads == ["a"] and db.applied == {"a"}


def test_replaced_ids_resolve_to_themselves():
    revision_map = RevisionMap(line_with_squash("b", "d"))
    assert revision_map.resolve("c") == ("c",)
    assert revision_map.resolve("s") == ("s",)
    assert revision_map.resolve("heads") == ("f",)


def test_ranges_name_the_squash_instead_of_a_replaced_end():
    revision_map = RevisionMap(line_with_squash("b", "d"))
    assert [r.revision for r in revision_map.iterate_range("s", "heads")] == ["f", "e", "s"]
    with pytest.raises(RevisionError, match="c is replaced by squash s.*use s as the range end"):
        revision_map.iterate_range("c", "heads")
