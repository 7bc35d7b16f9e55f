"""Table operations: create, drop, rename."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ddl_ops.errors import MissingInformation
from ddl_ops.ops.base import MigrateOperation
from ddl_ops.ops.stubs import add_referent_stubs


class CreateTableOp(MigrateOperation):
    """CREATE TABLE from columns, constraints and indexes; `to_table()` builds the sa.Table."""

    def __init__(
        self,
        table_name: str,
        columns: Sequence[sa.Column[Any] | sa.Constraint | sa.Index],
        *,
        schema: str | None = None,
        comment: str | None = None,
        **table_kw: Any,
    ):
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.comment = comment
        self.table_kw = table_kw
        self._built: sa.Table | None = None

    @classmethod
    def from_table(cls, table: sa.Table) -> CreateTableOp:
        items: list[Any] = list(table.columns)
        items += [c for c in table.constraints if not _is_implicit(c)]
        items += list(table.indexes)
        op = cls(
            table.name, items, schema=table.schema, comment=table.comment, **dict(table.kwargs)
        )
        op._built = table
        return op

    def to_table(self, metadata: sa.MetaData | None = None) -> sa.Table:
        """The sa.Table to create; each call after the first returns a fresh copy."""
        if self._built is not None:
            copy = self._built.to_metadata(metadata if metadata is not None else sa.MetaData())
            add_referent_stubs(copy)
            return copy
        if metadata is None:
            metadata = sa.MetaData()
        table = sa.Table(
            self.table_name,
            metadata,
            *self.columns,
            schema=self.schema,
            comment=self.comment,
            **self.table_kw,
        )
        add_referent_stubs(table)
        self._built = table
        return table

    def table_for_create(self, metadata: sa.MetaData | None = None) -> sa.Table:
        """The Table the SQL layer creates: the one already built or given, else a new one."""
        return self._built if self._built is not None else self.to_table(metadata)

    def reverse(self) -> DropTableOp:
        return DropTableOp(self.table_name, schema=self.schema, existing_table=self.to_table())


class DropTableOp(MigrateOperation):
    """DROP TABLE; `existing_table` makes it reversible."""

    def __init__(
        self,
        table_name: str,
        *,
        schema: str | None = None,
        existing_table: sa.Table | None = None,
        if_exists: bool = False,
        **table_kw: Any,
    ):
        self.table_name = table_name
        self.schema = schema
        self.existing_table = existing_table
        self.if_exists = if_exists
        self.table_kw = table_kw

    @classmethod
    def from_table(cls, table: sa.Table) -> DropTableOp:
        return cls(table.name, schema=table.schema, existing_table=table)

    def to_table(self, metadata: sa.MetaData | None = None) -> sa.Table:
        if self.existing_table is not None:
            return self.existing_table.to_metadata(metadata or sa.MetaData())
        return sa.Table(
            self.table_name, metadata or sa.MetaData(), schema=self.schema, **self.table_kw
        )

    def reverse(self) -> CreateTableOp:
        if self.existing_table is None:
            raise MissingInformation(
                f"cannot reverse dropping table {self.table_name}: "
                "the operation was made without existing_table"
            )
        return CreateTableOp.from_table(self.existing_table)


class RenameTableOp(MigrateOperation):
    """ALTER TABLE ... RENAME TO; the table stays in its schema."""

    def __init__(self, old_table_name: str, new_table_name: str, *, schema: str | None = None):
        self.table_name = old_table_name
        self.new_table_name = new_table_name
        self.schema = schema

    @property
    def old_table_name(self) -> str:
        return self.table_name

    def reverse(self) -> RenameTableOp:
        return RenameTableOp(self.new_table_name, self.old_table_name, schema=self.schema)


def _is_implicit(constraint: sa.Constraint) -> bool:
    """Constraints SQLAlchemy derives from column flags and types are not listed again."""
    if isinstance(constraint, sa.PrimaryKeyConstraint):
        return bool(constraint._implicit_generated) or not constraint.columns
    return bool(getattr(constraint, "_column_flag", False) or constraint._type_bound)
