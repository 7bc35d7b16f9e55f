"""Squashes on real projects' histories (../shared/corpus): every start state reaches the end.

In each corpus a linear stretch of revisions is replaced by a squash. Databases at every
revision around and inside the stretch (and empty ones) are upgraded to the heads with the
squash present: each applies every revision's effect exactly once (a squash's effect is its
range's) and its version table ends at the heads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from revgraph import Equivalence, Revision, RevisionMap

# Beside the repository (../shared/corpus), or beside a worktree's parent folder.
_ROOT = Path(__file__).resolve().parents[3]
CORPUS = next(
    (
        p
        for p in (_ROOT.parent / "shared" / "corpus", _ROOT.parents[1] / "shared" / "corpus")
        if p.is_dir()
    ),
    _ROOT.parent / "shared" / "corpus",
)
NAMES = sorted(p.name[: -len(".expected.json")] for p in CORPUS.glob("*.expected.json"))

WINDOW = 5


def squashable_stretch(revision_map: RevisionMap) -> list[str]:
    """A run of up to WINDOW revisions on one line: one parent, one child, no labels, no
    revision depending on them; taken from the middle of the longest such run."""

    def plain(rev: Revision) -> bool:
        return (
            len(rev.down_revisions) == 1
            and len(rev.nextrev) == 1
            and rev.all_nextrev == rev.nextrev
            and not rev.declared_branch_labels
            and not rev.depends_on
        )

    best: list[str] = []
    for rev in revision_map:
        if not plain(rev) or (
            rev.down_revisions and plain(revision_map.get(rev.down_revisions[0]))
        ):
            continue  # not the start of a run
        run = [rev.revision]
        nxt = revision_map.get(rev.nextrev[0])
        while plain(nxt):
            run.append(nxt.revision)
            nxt = revision_map.get(nxt.nextrev[0])
        if len(run) > len(best):
            best = run
    middle = max(0, len(best) // 2 - WINDOW // 2)
    return best[middle : middle + WINDOW]


def run(revision_map: RevisionMap, heads: list[str], applied: set[str], target: str) -> None:
    """Apply the plan to a model database (effects, and heads moved as a runner moves them)."""
    for entry in revision_map.upgrade_steps(heads, target):
        if isinstance(entry, Equivalence):
            heads[heads.index(entry.recorded)] = entry.becomes
            continue
        squash = revision_map.squashes.get(entry.revision)
        effects = set(squash.replaced) if squash else set(entry.replaces or (entry.revision,))
        assert not effects & applied, f"{entry.revision} applied twice"
        applied |= effects
        rev = revision_map.get(entry.revision)
        heads[:] = [h for h in heads if h not in rev.all_down_revisions] + [rev.revision]


def revisions(name: str) -> list[Revision]:
    """The corpus's headers; depends_on naming another project's revisions is left out."""
    entries = json.loads((CORPUS / f"{name}.json").read_text())["revisions"]
    known = {e["revision"] for e in entries}
    for e in entries:
        labels = e["branch_labels"] or ()
        known.update([labels] if isinstance(labels, str) else labels)
    out = []
    for e in entries:
        deps = e["depends_on"]
        deps = [deps] if isinstance(deps, str) else deps or []
        kept = [d for d in deps if d in known] or None
        out.append(Revision(e["revision"], e["down_revision"], e["branch_labels"], kept))
    return out


def test_the_corpus_is_there():
    if not NAMES:
        message = f"revision corpus not found at {CORPUS}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: the corpus must be present)")
        pytest.skip(message)


@pytest.mark.parametrize("name", NAMES)
def test_squash_a_stretch_of_a_real_history(name):
    original = RevisionMap(revisions(name))
    stretch = squashable_stretch(original)
    if len(stretch) < 2:
        pytest.skip(f"{name} has no linear stretch of two revisions")
    first = original.get(stretch[0])
    squash = Revision("squash0", first.down_revisions, replaces=stretch)
    squashed = RevisionMap([*revisions(name), squash])
    assert set(squashed.heads) == set(original.heads)
    assert squashed.squashes["squash0"].top == stretch[-1]
    everything = {r.revision for r in original}
    after = original.get(stretch[-1]).nextrev[0]
    for start in [None, first.down_revisions[0], *stretch, after]:
        heads = [] if start is None else [start]
        applied = set() if start is None else {r.revision for r in original.upgrade_plan([], start)}
        reference_heads, reference_applied = list(heads), set(applied)
        run(original, reference_heads, reference_applied, "heads")
        run(squashed, heads, applied, "heads")
        assert applied == reference_applied == everything, (name, start)
        # The same heads as the original history, the range's top read as the squash.
        assert {squashed.replaced_by(h) or h for h in heads} == {
            "squash0" if h == stretch[-1] else h for h in reference_heads
        }, (name, start)
