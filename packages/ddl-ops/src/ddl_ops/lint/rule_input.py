"""What a rule's check may look at besides the operation: the database, the transaction,
the batch block, and what the migration did before this operation."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ddl_ops.dialects.base import DialectImpl, first_on_chain
from ddl_ops.dialects.registry import get_dialect_impl
from ddl_ops.lint.facts import Facts, NoFacts


@dataclass
class BatchInfo:
    """The operation was recorded inside `batch_alter_table`; `rebuilds`: by move-and-copy."""

    table_name: str
    schema: str | None
    rebuilds: bool


@dataclass
class HistoryState:
    """What the linted migrations have done so far, carried from one revision to the next.

    `created_tables` is per migration: a table made earlier in the same migration is empty
    when later operations run. `not_null_checks` are CHECK (col IS NOT NULL) constraints
    seen anywhere in the linted range (the safe way to SET NOT NULL on PostgreSQL).
    """

    created_tables: set[tuple[str | None, str]] = field(default_factory=set)
    not_null_checks: set[tuple[str | None, str, str]] = field(default_factory=set)
    #: (schema, table, column or None) the upgrade of the migration being linted dropped
    upgrade_drops: set[tuple[str | None, str, str | None]] = field(default_factory=set)
    #: (schema, table, column or None) it created: dropping those again is the plain reverse
    upgrade_creates: set[tuple[str | None, str, str | None]] = field(default_factory=set)
    #: False when recording the upgrade stopped early: what it created is not all known
    upgrade_complete: bool = True


@dataclass
class CheckContext:
    """Everything a check function gets besides the operation."""

    dialect: str
    dialect_chain: tuple[str, ...]
    facts: Facts = field(default_factory=NoFacts)
    state: HistoryState = field(default_factory=HistoryState)
    in_transaction: bool = True
    batch: BatchInfo | None = None
    from_sql: bool = False

    @cached_property
    def impl(self) -> DialectImpl:
        """The database's DialectImpl: what a check asks instead of comparing names."""
        return get_dialect_impl(self.dialect)

    def on(self, *names: str) -> bool:
        """Whether the database is one of `names` or falls back to one ("mysql" holds on
        MariaDB): for a project's own rules; built-in checks ask `impl`."""
        return first_on_chain(self.dialect_chain, names) is not None

    def table_is_new(self, table: str, schema: str | None) -> bool:
        """Created earlier in this migration, or absent from the database (created by an
        earlier migration not applied yet): either way it holds no rows."""
        if (schema, table) in self.state.created_tables:
            return True
        return self.facts.table_exists(table, schema) is False

    def may_hold_rows(self, table: str | None, schema: str | None) -> bool:
        """False only when we know the table is empty: new, or the database says so."""
        if table is None:
            return True
        if self.table_is_new(table, schema):
            return False
        return self.facts.table_has_rows(table, schema) is not False
