"""revgraph is a library: its errors speak of revisions and maps, never of a CLI command.

Each message names the revisions at fault and the fix in terms a library user can act
on; `problem` is the same message without the fix, for tools that add their own advice.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from revgraph import (
    MultipleHeads,
    OverlappingRevisions,
    Revision,
    RevisionError,
    RevisionMap,
    UnknownRevision,
)

FORKED = RevisionMap(
    [
        Revision("a0aa", None),
        Revision("a1aa", "a0aa"),
        Revision("b1bb", "a1aa", branch_labels="audit"),
        Revision("b2bb", "b1bb"),
        Revision("b3bb", "b1bb"),
        Revision("c1cc", "a1aa"),
    ]
)

FAILURES: dict[str, tuple[Callable[[], object], type[RevisionError], list[str]]] = {
    "unknown id": (lambda: FORKED.get("zzzz"), UnknownRevision, ["'zzzz'"]),
    "unknown short prefix": (lambda: FORKED.resolve("zz"), UnknownRevision, ["'zz'", "prefix"]),
    "unknown current": (lambda: FORKED.upgrade_plan(["nope"], "heads"), UnknownRevision, []),
    "several heads": (lambda: FORKED.resolve("head"), MultipleHeads, ["b2bb", "b3bb", "c1cc"]),
    "several heads on a branch": (
        lambda: FORKED.resolve("audit@head"),
        MultipleHeads,
        ["b2bb", "b3bb", "'audit@heads'"],
    ),
    "overlapping current": (
        lambda: FORKED.upgrade_plan(["a1aa", "b2bb"], "heads"),
        OverlappingRevisions,
        ["a1aa", "b2bb"],
    ),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_errors_name_the_revisions_and_no_command(case: str) -> None:
    call, error_type, named = FAILURES[case]
    with pytest.raises(error_type) as raised:
        call()
    message = str(raised.value)
    assert "migrate" not in message and "`" not in message
    assert "\n" not in message
    for word in named:
        assert word in message
    assert message.startswith(raised.value.problem)
    assert message != raised.value.problem, "the message must also say what to do"


def test_multiple_heads_says_how_to_join_them_in_library_terms() -> None:
    with pytest.raises(MultipleHeads) as raised:
        FORKED.resolve("head")
    assert raised.value.every == "heads"
    assert "merge revision whose down_revision names them all" in str(raised.value)


def test_overlapping_current_revisions_carry_their_ids() -> None:
    with pytest.raises(OverlappingRevisions) as raised:
        FORKED.upgrade_plan(["a1aa", "b2bb"], "heads")
    assert raised.value.lower == ("a1aa",) and raised.value.upper == "b2bb"
