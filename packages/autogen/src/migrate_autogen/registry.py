"""An explicit registry of comparator functions, keyed by (object kind, dialect).

Kinds and the signatures their functions have:

- ``"schema"``: ``fn(ctx) -> Iterable[op]``; database-wide work (tables added or
  removed, PostgreSQL enum types).
- ``"table"``: ``fn(ctx, pair: TablePair) -> Iterable[op]``; a table present on
  both sides (columns, constraints, indexes, comments).
- ``"column"``: ``fn(ctx, pair: ColumnPair, change: ColumnChange) -> None``; a
  column present on both sides; fills ``change``, which becomes at most one
  ``AlterColumnOp``.
- ``"type"``: ``fn(ctx, pair: ColumnPair) -> bool | None``; True when the types
  differ, False when they match, None to let the next function decide.

A function registered for ``dialect="default"`` runs on every database; one
registered for a dialect name (``"postgresql"``, ``"mysql"``, ``"sqlite"``) only
there, and on the databases whose dialect chain leads through it (MariaDB -> MySQL).
Functions run in ascending ``priority`` (ties: registration order).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from migrate_autogen.dialects import dialect_chain

KINDS = ("schema", "table", "column", "type")
Comparator = Callable[..., Any]
"""A comparator function; its signature depends on its kind (see above)."""
F = TypeVar("F", bound=Comparator)


@dataclass(frozen=True)
class Registration:
    kind: str
    dialect: str
    priority: int
    order: int
    fn: Comparator


@dataclass
class ComparatorRegistry:
    """Comparators by (kind, dialect). Copy the global one with `copy()` to extend it privately."""

    entries: list[Registration] = field(default_factory=list)

    def register(
        self, kind: str, dialect: str = "default", priority: int = 100
    ) -> Callable[[F], F]:
        """Decorator: register ``fn`` as a comparator of ``kind`` on ``dialect``."""
        if kind not in KINDS:
            raise ValueError(f"unknown comparator kind {kind!r}; choose from {', '.join(KINDS)}")

        def decorate(fn: F) -> F:
            self.add(kind, fn, dialect=dialect, priority=priority)
            return fn

        return decorate

    def add(self, kind: str, fn: Comparator, dialect: str = "default", priority: int = 100) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown comparator kind {kind!r}; choose from {', '.join(KINDS)}")
        self.entries.append(Registration(kind, dialect, priority, len(self.entries), fn))

    def remove(self, fn: Comparator) -> None:
        """Unregister every registration of ``fn`` (to replace a built-in comparator)."""
        self.entries = [e for e in self.entries if e.fn is not fn]

    def copy(self) -> ComparatorRegistry:
        return ComparatorRegistry(list(self.entries))

    def for_kind(self, kind: str, dialect: str | Sequence[str]) -> list[Comparator]:
        """The functions that apply to ``kind`` on ``dialect``, in priority order.

        ``dialect``: a dialect name, whose chain is looked up, or the chain itself.
        """
        names = set(dialect_chain(dialect) if isinstance(dialect, str) else dialect)
        chosen = [e for e in self.entries if e.kind == kind and e.dialect in names]
        return [entry.fn for entry in sorted(chosen, key=lambda e: (e.priority, e.order))]

    def merged(self, other: ComparatorRegistry | None) -> ComparatorRegistry:
        if other is None:
            return self
        merged = self.copy()
        offset = len(merged.entries)
        for e in other.entries:
            merged.entries.append(
                Registration(e.kind, e.dialect, e.priority, offset + e.order, e.fn)
            )
        return merged


comparators = ComparatorRegistry()
"""The global registry: built-in comparators, plus any a project registers."""
