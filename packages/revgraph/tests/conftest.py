"""Shared helpers for revgraph's tests: build maps from compact specs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from revgraph import Revision, RevisionMap

Spec = tuple


def build(*specs: Spec) -> RevisionMap:
    """``("b", "a")``, ``("m", ("b", "c"))``, ``("x", None, "label", ("dep",))``."""
    return RevisionMap(Revision(*spec) for spec in specs)


@pytest.fixture
def make_map() -> Callable[..., RevisionMap]:
    return build


@pytest.fixture
def ids() -> Callable[..., list[str]]:
    def to_ids(revisions: object) -> list[str]:
        return [r.revision for r in revisions]  # type: ignore[attr-defined]

    return to_ids
