"""Relative steps: walking N revisions up or down a single line of the history."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from revgraph.errors import AmbiguousRevision, RelativeWalkError
from revgraph.revision import Revision

LineageFilter = Callable[[Sequence[str]], Sequence[str]]


def walk_up(
    by_id: dict[str, Revision],
    bases: Sequence[str],
    start: str | None,
    steps: int,
    on_branch: LineageFilter | None,
    text: str,
) -> str:
    """The revision ``steps`` above ``start`` (None = base), staying on one branch."""
    current = start
    for taken in range(steps):
        children: Sequence[str] = bases if current is None else by_id[current].nextrev
        if on_branch is not None:
            children = on_branch(children)
        if not children:
            raise RelativeWalkError(
                f"{text!r} asks for {steps} step(s) up but only {taken} exist above "
                f"{start or 'base'}; use a smaller number or 'heads'"
            )
        if len(children) > 1:
            raise AmbiguousRevision(
                text,
                children,
                f"{text!r} is ambiguous: {current or 'base'} continues into several "
                f"branches ({', '.join(children)}); write 'label@+N' or name a revision",
            )
        current = children[0]
    assert current is not None
    return current


def walk_down(by_id: dict[str, Revision], start: str, steps: int, text: str) -> str | None:
    """The revision ``steps`` below ``start``; None means base (one step below a base)."""
    current: str | None = start
    for taken in range(steps):
        if current is None:
            raise RelativeWalkError(
                f"{text!r} asks for {steps} step(s) down but only {taken} exist below "
                f"{start}; use a smaller number or 'base'"
            )
        parents = by_id[current].down_revisions
        if len(parents) > 1:
            raise AmbiguousRevision(
                text,
                parents,
                f"{text!r} is ambiguous: {current} is a merge of {', '.join(parents)}; "
                "name the revision to go to instead",
            )
        current = parents[0] if parents else None
    return current
