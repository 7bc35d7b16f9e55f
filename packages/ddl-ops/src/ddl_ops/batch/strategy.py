"""How one database rebuilds a table in batch mode: the questions batch asks a dialect.

`RebuildStrategy` is the generic answer (plain ANSI move-and-copy). Each database that
differs subclasses it in its own module under ``ddl_ops.dialects`` (``sqlite_rebuild``,
``postgresql_rebuild``, ``mysql_rebuild``) and its DialectImpl names it as ``rebuild``;
batch asks ``impl.rebuild`` and never compares database names. This module sits below
the dialects: it knows the table model and the statement runner, nothing higher.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.runner import StatementRunner

if TYPE_CHECKING:
    # Annotations only: every DialectImpl holds a strategy, and a run without a batch
    # block should not build the table model's dataclasses.
    from ddl_ops.batch.model import TableModel


@dataclass(frozen=True)
class Placement:
    """Which constraint kinds can be created with the temporary table on a dialect.

    Kinds whose names are unique per schema (not per table) would collide with the old table's
    and are added after the rename instead.
    """

    inline: frozenset[str]
    indexes_before_swap: bool = False


@dataclass
class IncomingForeignKey:
    """A foreign key of another table that points at the table being rebuilt."""

    table: str
    schema: str | None
    name: str | None
    columns: list[str]
    referred_columns: list[str]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class ServerExtras:
    """Statements to replay on the rebuilt table, in order."""

    after_swap: list[str] = field(default_factory=list)


@dataclass
class OfflineIncoming:
    """Statements around the swap: before the old table is dropped, and at the very end."""

    before_drop: list[str] = field(default_factory=list)
    after_rename: list[str] = field(default_factory=list)
    at_end: list[str] = field(default_factory=list)


def refuse_lossy_rebuild(model: TableModel, blockers: list[str]) -> None:
    """Refuse to start a rebuild that would lose what ``blockers`` name."""
    if blockers:
        raise BatchError(
            f"cannot rebuild {model.display_name!r}: it has {', '.join(blockers)}, which a "
            "rebuild would lose; drop them before this batch and re-create them after it, "
            "or change the table with recreate='never'"
        )


class CounterCarry:
    """Reads the old table's id counters before the swap and gives them to the new table.

    The generic database has no counters to carry; databases that do subclass this.
    """

    def __init__(self, runner: StatementRunner, model: TableModel, temp_table: sa.Table):
        self.runner = runner
        self.model = model
        self.temp_table = temp_table
        self.dialect = runner.dialect

    def before_swap(self) -> None:
        """Before the old table is dropped."""

    def after_swap(self) -> None:
        """After the new table took the old one's place."""


class RebuildStrategy:
    """The generic rebuild; every hook is a no-op or the plain ANSI behaviour."""

    #: constraint kinds created with the temporary table (see `Placement`)
    inline_constraints: frozenset[str] = frozenset()
    #: indexes are created on the temporary table before the swap (index names per table)
    indexes_before_swap: bool = False
    #: the copy CASTs changed types and new fill values (SQLite relies on column affinity)
    casts_copied_values: bool = True
    #: foreign keys of other tables that point at the table stay in place during the swap
    #: (SQLite: they refer to the table by name) rather than being dropped and re-added
    keeps_incoming_foreign_keys: bool = False
    #: the rebuild runs in a savepoint of its own whatever the driver does with DDL
    rebuilds_in_own_savepoint: bool = False
    #: alter_column's postgresql_using= becomes the copy expression of the column
    copies_with_using: bool = False
    #: reflection warnings that are expected on this database (the gap is filled otherwise)
    ignored_reflection_warnings: tuple[str, ...] = ()

    def placement(self, dialect: Dialect) -> Placement:
        return Placement(self.inline_constraints, indexes_before_swap=self.indexes_before_swap)

    # -- reading the table ------------------------------------------------------------------

    def after_reflect_table(self, connection: Connection, table: sa.Table) -> None:
        """Correct what SQLAlchemy's reflection of ``table`` got wrong on this database."""

    def adjust_model(self, model: TableModel) -> None:
        """Adjust a model built from a Table (reflected or ``copy_from``) to this database."""

    def adjust_declared_model(self, table: sa.Table, model: TableModel, dialect: Dialect) -> None:
        """Add to a ``copy_from`` model what the database made of that declaration."""

    def add_catalog_details(self, connection: Connection, model: TableModel) -> None:
        """Add what the catalog knows beyond SQLAlchemy's reflection."""

    # -- around the swap --------------------------------------------------------------------

    def order_incoming(
        self, connection: Connection, model: TableModel, found: list[IncomingForeignKey]
    ) -> None:
        """Put the foreign keys that point at the table in the order to re-create them."""

    def keep_rowid_key(self, model: TableModel, dialect: Dialect) -> TableModel:
        return model

    def read_server_extras(self, connection: Connection, model: TableModel) -> ServerExtras:
        """Read what must be replayed after the swap; raise BatchError for what would be lost."""
        return ServerExtras()

    def offline_incoming(self, model: TableModel, dialect: Dialect) -> OfflineIncoming:
        """Offline: statements that keep other tables' foreign keys working across the swap."""
        return OfflineIncoming()

    def counters(
        self, runner: StatementRunner, model: TableModel, temp_table: sa.Table
    ) -> CounterCarry:
        return CounterCarry(runner, model, temp_table)

    def create_new_types(self, runner: StatementRunner, model: TableModel, table: sa.Table) -> None:
        """Create the named types added or retyped columns need (CREATE TABLE does not)."""

    def rebuild_is_atomic(self, runner: StatementRunner) -> bool:
        return self.rebuilds_in_own_savepoint or runner.transactional_ddl

    @contextlib.contextmanager
    def atomic(self, runner: StatementRunner, model: TableModel) -> Iterator[None]:
        """A savepoint where DDL is transactional, so a failure leaves the original intact."""
        connection = runner.connection
        if connection is not None and runner.transactional_ddl:
            with connection.begin_nested():
                yield
        else:
            yield
