"""Index operations: create, drop."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ddl_ops.errors import MissingInformation
from ddl_ops.ops.base import MigrateOperation
from ddl_ops.ops.stubs import rebind_to


class CreateIndexOp(MigrateOperation):
    """CREATE [UNIQUE] INDEX on column names or SQL expressions (`sa.text("lower(name)")`).

    Dialect options follow SQLAlchemy's Index: `postgresql_where`, `sqlite_where`,
    `postgresql_using`, `postgresql_concurrently`, `mysql_length`, `mssql_include`, ...
    """

    def __init__(
        self,
        index_name: str | None,
        table_name: str,
        columns: Sequence[Any],
        *,
        schema: str | None = None,
        unique: bool = False,
        if_not_exists: bool = False,
        **dialect_kw: Any,
    ):
        self.index_name = index_name
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.unique = unique
        self.if_not_exists = if_not_exists
        self.dialect_kw = dialect_kw

    @classmethod
    def from_index(cls, index: sa.Index) -> CreateIndexOp:
        table = index.table
        if table is None:
            raise MissingInformation(f"index {index.name!r} is not attached to a table")
        columns = [e.name if isinstance(e, sa.Column) else e for e in index.expressions]
        return cls(
            index.name,
            table.name,
            columns,
            schema=table.schema,
            unique=index.unique,
            **index.kwargs,
        )

    def to_index(
        self, metadata: sa.MetaData | None = None, table: sa.Table | None = None
    ) -> sa.Index:
        """An Index on a stand-in Table with the columns the index names: a new one in
        `metadata`, or `table`, a stand-in shared with other indexes of this table (the
        columns it lacks are added to it)."""
        names = [c for c in self.columns if isinstance(c, str)]
        for key, value in self.dialect_kw.items():
            if key.endswith("_include"):
                names += [c for c in value if isinstance(c, str)]
        if table is None:
            table = sa.Table(
                self.table_name,
                metadata if metadata is not None else sa.MetaData(),
                *[sa.Column(name, sa.types.NullType()) for name in dict.fromkeys(names)],
                schema=self.schema,
            )
        else:
            for name in dict.fromkeys(names):
                if name not in table.c:
                    table.append_column(sa.Column(name, sa.types.NullType()))
        exprs = [table.c[c] if isinstance(c, str) else rebind_to(table, c) for c in self.columns]
        return sa.Index(
            self.index_name, *exprs, unique=self.unique, _table=table, **self.dialect_kw
        )

    def reverse(self) -> DropIndexOp:
        index = self.to_index()
        if index.name is None:
            raise MissingInformation(
                f"cannot reverse creating an unnamed index on {self.table_name}: give it a name"
            )
        return DropIndexOp(
            str(index.name), self.table_name, schema=self.schema, existing_index=index
        )


class DropIndexOp(MigrateOperation):
    """DROP INDEX; `existing_index` makes it reversible (MySQL and SQL Server need the table)."""

    def __init__(
        self,
        index_name: str,
        table_name: str | None = None,
        *,
        schema: str | None = None,
        if_exists: bool = False,
        existing_index: sa.Index | None = None,
        **dialect_kw: Any,
    ):
        self.index_name = index_name
        self.table_name = table_name
        self.schema = schema
        self.if_exists = if_exists
        self.existing_index = existing_index
        self.dialect_kw = dialect_kw

    @classmethod
    def from_index(cls, index: sa.Index) -> DropIndexOp:
        table = index.table
        return cls(
            str(index.name),
            table.name if table is not None else None,
            schema=table.schema if table is not None else None,
            existing_index=index,
        )

    def to_index(self, metadata: sa.MetaData | None = None) -> sa.Index:
        metadata = metadata if metadata is not None else sa.MetaData()
        table = sa.Table(self.table_name or "_unknown_", metadata, schema=self.schema)
        return sa.Index(self.index_name, _table=table, **self.dialect_kw)

    def reverse(self) -> CreateIndexOp:
        if self.existing_index is None:
            raise MissingInformation(
                f"cannot reverse dropping index {self.index_name}: "
                "the operation was made without existing_index"
            )
        return CreateIndexOp.from_index(self.existing_index)
