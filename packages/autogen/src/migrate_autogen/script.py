"""The migration a revision will contain, before it is rendered, and what hooks may do to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ddl_ops import MigrateOperation, MissingInformation


class IrreversibleOperation(MigrateOperation):
    """Stands in a downgrade for an operation that has no reverse; it renders as a comment.

    It has no SQL: a downgrade that needs hand-written steps says so instead of skipping them.
    """

    def __init__(self, original: MigrateOperation, reason: str):
        self.original = original
        self.reason = reason
        self.table_name = getattr(original, "table_name", None)
        self.schema = getattr(original, "schema", None)

    def reverse(self) -> MigrateOperation:
        return self.original


class OperationList(list[MigrateOperation]):
    """A plain list of operations that also answers the questions Alembic's UpgradeOps does.

    `process_revision_directives` hooks ported from Alembic call
    `script.upgrade_ops.is_empty()` or walk `script.upgrade_ops.ops`; both work here.
    """

    # the database the operations were compared on (None when built by hand); the
    # renderer batches SQLite's by default
    dialect_name: str | None = None

    def is_empty(self) -> bool:
        return not self

    @property
    def ops(self) -> OperationList:
        return self


_OPERATION_FIELDS = frozenset({"upgrade_ops", "downgrade_ops"})


@dataclass
class MigrationScript:
    """One revision's operations; migrate-cli fills the identity fields before rendering."""

    upgrade_ops: list[MigrateOperation] = field(default_factory=OperationList)
    downgrade_ops: list[MigrateOperation] = field(default_factory=OperationList)
    rev_id: str | None = None
    message: str | None = None
    head: str | None = None
    splice: bool | None = None
    branch_label: Any = None
    version_path: str | None = None
    depends_on: Any = None
    # the database the operations were compared on; rendering batches SQLite's by default
    dialect_name: str | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        # Hooks assign plain lists; keep them OperationLists so ported recipes keep working.
        if name in _OPERATION_FIELDS and not isinstance(value, OperationList):
            value = OperationList(value)
        super().__setattr__(name, value)

    @property
    def is_empty(self) -> bool:
        """True when the upgrade would do nothing."""
        return not self.upgrade_ops


def reverse_operations(ops: Sequence[MigrateOperation]) -> list[MigrateOperation]:
    """Each operation's reverse, last first; ops without one become `IrreversibleOperation`."""
    reversed_ops: list[MigrateOperation] = []
    for op in reversed(ops):
        try:
            reversed_ops.append(op.reverse())
        except (NotImplementedError, MissingInformation) as error:
            reversed_ops.append(IrreversibleOperation(op, str(error)))
    return reversed_ops


def drop_empty_migrations(context: Any, revision: Any, directives: list[MigrationScript]) -> None:
    """A ``process_revision_directives`` hook: write no file when nothing changed.

    Empties ``directives`` in place when every script's upgrade is empty, which tells
    ``migrate revision --autogenerate`` to create nothing.
    """
    if directives and all(script.is_empty for script in directives):
        directives[:] = []
