"""One comparison run: its settings, the database it reads, both schemas, what it noted.

Passed to every comparator and hook as ``ctx`` (Alembic calls it ``AutogenContext``,
still importable under that name).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Inspector

from migrate_autogen.dialects import DialectRules, dialect_chain, rules_for
from migrate_autogen.errors import AutogenWarning
from migrate_autogen.live_schema import ReflectedDatabase, TableKey
from migrate_autogen.options import CompareOptions
from migrate_autogen.registry import Comparator, ComparatorRegistry


@dataclass
class CompareRun:
    """Passed to every comparator and hook as ``ctx``."""

    connection: Connection
    metadata: Sequence[sa.MetaData]
    options: CompareOptions
    registry: ComparatorRegistry
    inspector: Inspector
    schemas: list[str | None]
    reflected: ReflectedDatabase
    meta_tables: dict[TableKey, sa.Table]
    notes: list[str] = field(default_factory=list)
    comparator_cache: dict[str, list[Comparator]] = field(default_factory=dict, repr=False)

    @property
    def dialect(self) -> Dialect:
        return self.connection.dialect

    @property
    def dialect_name(self) -> str:
        return self.connection.dialect.name

    @cached_property
    def dialect_chain(self) -> tuple[str, ...]:
        """Where comparators and rules are looked up, most specific first."""
        return dialect_chain(self.connection.dialect)

    @cached_property
    def rules(self) -> DialectRules:
        """What this database does differently (see `migrate_autogen.dialects`)."""
        return rules_for(self.connection.dialect)

    @property
    def default_schema(self) -> str | None:
        return self.inspector.default_schema_name

    @property
    def opts(self) -> dict[str, Any]:
        """Free-form values a project passed as ``user_options``."""
        return self.options.user_options or {}

    @cached_property
    def ddl_compiler(self) -> Any:
        return self.dialect.ddl_compiler(self.dialect, None)  # type: ignore[arg-type]

    def as_stored(self, compiled_sql: str) -> str:
        """SQL compiled for this dialect, as the database stores it.

        For drivers taking %-formatted SQL (psycopg, pymysql) the compiler writes
        a literal ``%`` as ``%%``; the driver, and so the database, sees one.
        """
        if self.dialect.paramstyle in ("format", "pyformat"):
            return compiled_sql.replace("%%", "%")
        return compiled_sql

    def comparators_for(self, kind: str) -> list[Comparator]:
        """The registry's functions for ``kind`` on this dialect (looked up once per run)."""
        if kind not in self.comparator_cache:
            self.comparator_cache[kind] = self.registry.for_kind(kind, self.dialect_chain)
        return self.comparator_cache[kind]

    def include(
        self, obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
    ) -> bool:
        """The include_object hook's verdict (True when no hook is set)."""
        hook = self.options.include_object
        return True if hook is None else bool(hook(obj, name, type_, reflected, compare_to))

    def note(self, message: str) -> None:
        """Record and warn about a difference no operation can express."""
        self.notes.append(message)
        warnings.warn(message, AutogenWarning, stacklevel=2)


AutogenContext = CompareRun
"""Alembic's name for the comparison run, kept for hooks and comparators written against it."""
