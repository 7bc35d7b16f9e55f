"""BatchOperations: the ``batch`` object inside ``with op.batch_alter_table("t") as batch:``.

Its methods are the table-level operations without the table name. They only record; the
changes are carried out when the block ends (see :mod:`ddl_ops.batch.block`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ddl_ops.batch.steps import BatchStep
from ddl_ops.batch.target import OperationTarget
from ddl_ops.dialects.base import DialectImpl
from ddl_ops.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    ExecuteSQLOp,
)
from ddl_ops.ops.base import UNSET


class BatchOperations:
    """Records changes to one table; the enclosing ``batch_alter_table`` block applies them."""

    def __init__(self, operations: OperationTarget, table_name: str, schema: str | None = None):
        self.operations = operations
        self.table_name = table_name
        self.schema = schema
        self.steps: list[BatchStep] = []

    @property
    def impl(self) -> DialectImpl:
        return self.operations.impl

    def get_bind(self) -> Connection:
        """The live connection (raises in offline mode)."""
        return self.operations.get_bind()

    def _record(self, op: Any, **placement: str | None) -> None:
        self.steps.append(BatchStep(op, **placement))

    # -- columns -------------------------------------------------------------------------

    def add_column(
        self,
        column: sa.Column[Any],
        *,
        insert_before: str | None = None,
        insert_after: str | None = None,
    ) -> None:
        """Add a column; ``insert_before``/``insert_after`` place it when the table is rebuilt."""
        self._record(
            AddColumnOp(self.table_name, column, schema=self.schema),
            insert_before=insert_before,
            insert_after=insert_after,
        )

    def alter_column(
        self,
        column_name: str,
        *,
        nullable: bool | None = None,
        comment: str | None = UNSET,
        server_default: Any = UNSET,
        new_column_name: str | None = None,
        type_: Any = None,
        existing_type: Any = None,
        existing_server_default: Any = None,
        existing_nullable: bool | None = None,
        existing_comment: str | None = None,
        autoincrement: bool | None = None,
        existing_autoincrement: bool | None = None,
        postgresql_using: str | None = None,
        insert_before: str | None = None,
        insert_after: str | None = None,
        **kw: Any,
    ) -> None:
        """Change a column; ``server_default=None`` / ``comment=None`` remove them.

        ``insert_before``/``insert_after`` move the column when the table is rebuilt.
        """
        self._record(
            AlterColumnOp(
                self.table_name,
                column_name,
                schema=self.schema,
                nullable=nullable,
                type_=type_,
                server_default=server_default,
                new_column_name=new_column_name,
                comment=comment,
                autoincrement=autoincrement,
                existing_type=existing_type,
                existing_nullable=existing_nullable,
                existing_server_default=existing_server_default,
                existing_comment=existing_comment,
                existing_autoincrement=existing_autoincrement,
                postgresql_using=postgresql_using,
                **kw,
            ),
            insert_before=insert_before,
            insert_after=insert_after,
        )

    def drop_column(self, column_name: str, **kw: Any) -> None:
        """Drop a column, and (on a rebuild) every index and constraint that uses it."""
        self._record(DropColumnOp(self.table_name, column_name, schema=self.schema, **kw))

    # -- indexes -------------------------------------------------------------------------

    def create_index(
        self,
        index_name: str | None,
        columns: Sequence[str | sa.ColumnElement[Any] | sa.TextClause],
        *,
        unique: bool = False,
        **kw: Any,
    ) -> None:
        self._record(
            CreateIndexOp(
                index_name, self.table_name, columns, schema=self.schema, unique=unique, **kw
            )
        )

    def drop_index(self, index_name: str, **kw: Any) -> None:
        self._record(DropIndexOp(index_name, self.table_name, schema=self.schema, **kw))

    # -- constraints ---------------------------------------------------------------------

    def create_primary_key(self, constraint_name: str | None, columns: Sequence[str]) -> None:
        self._record(
            CreatePrimaryKeyOp(constraint_name, self.table_name, columns, schema=self.schema)
        )

    def create_unique_constraint(
        self, constraint_name: str | None, columns: Sequence[str], **kw: Any
    ) -> None:
        self._record(
            CreateUniqueConstraintOp(
                constraint_name, self.table_name, columns, schema=self.schema, **kw
            )
        )

    def create_foreign_key(
        self,
        constraint_name: str | None,
        referent_table: str,
        local_cols: Sequence[str],
        remote_cols: Sequence[str],
        *,
        referent_schema: str | None = None,
        onupdate: str | None = None,
        ondelete: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
        match: str | None = None,
        **dialect_kw: Any,
    ) -> None:
        self._record(
            CreateForeignKeyOp(
                constraint_name,
                self.table_name,
                referent_table,
                local_cols,
                remote_cols,
                source_schema=self.schema,
                referent_schema=referent_schema,
                onupdate=onupdate,
                ondelete=ondelete,
                deferrable=deferrable,
                initially=initially,
                match=match,
                **dialect_kw,
            )
        )

    def create_check_constraint(
        self,
        constraint_name: str | None,
        condition: str | sa.ColumnElement[Any] | sa.TextClause,
        **kw: Any,
    ) -> None:
        self._record(
            CreateCheckConstraintOp(
                constraint_name, self.table_name, condition, schema=self.schema, **kw
            )
        )

    def drop_constraint(
        self, constraint_name: str | None, type_: str | None = None, *, if_exists: bool = False
    ) -> None:
        """Drop a constraint by name; ``type_`` is "foreignkey", "unique", "check" or "primary".

        SQLite primary keys have no name: ``drop_constraint(None, type_="primary")`` drops it.
        """
        name = cast(str, constraint_name)  # None is resolved from the table before it runs
        self._record(
            DropConstraintOp(name, self.table_name, type_, schema=self.schema, if_exists=if_exists)
        )

    # -- comments and SQL ----------------------------------------------------------------

    def create_table_comment(self, comment: str, *, existing_comment: str | None = None) -> None:
        self._record(
            CreateTableCommentOp(
                self.table_name, comment, schema=self.schema, existing_comment=existing_comment
            )
        )

    def drop_table_comment(self, *, existing_comment: str | None = None) -> None:
        self._record(
            DropTableCommentOp(
                self.table_name, schema=self.schema, existing_comment=existing_comment
            )
        )

    def execute(
        self,
        sqltext: str | sa.Executable,
        *,
        execution_options: Mapping[str, Any] | None = None,
    ) -> None:
        """Run SQL at this point of the batch, after the changes recorded before it."""
        self._record(ExecuteSQLOp(sqltext, execution_options=execution_options))
