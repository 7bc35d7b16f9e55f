"""Column operations: add, drop, alter."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ddl_ops.errors import MissingInformation
from ddl_ops.ops.base import UNSET, MigrateOperation


class AddColumnOp(MigrateOperation):
    """ALTER TABLE ... ADD COLUMN; the column may carry FKs, a server default, a comment."""

    def __init__(self, table_name: str, column: sa.Column[Any], *, schema: str | None = None):
        self.table_name = table_name
        self.column = column
        self.schema = schema

    def reverse(self) -> DropColumnOp:
        return DropColumnOp(
            self.table_name, self.column.name, schema=self.schema, existing_column=self.column
        )


class DropColumnOp(MigrateOperation):
    """ALTER TABLE ... DROP COLUMN; `existing_column` makes it reversible.

    `dialect_kw` carries per-dialect options such as `mssql_drop_check=True`.
    """

    def __init__(
        self,
        table_name: str,
        column_name: str,
        *,
        schema: str | None = None,
        existing_column: sa.Column[Any] | None = None,
        **dialect_kw: Any,
    ):
        self.table_name = table_name
        self.column_name = column_name
        self.schema = schema
        self.existing_column = existing_column
        self.dialect_kw = dialect_kw

    def reverse(self) -> AddColumnOp:
        if self.existing_column is None:
            raise MissingInformation(
                f"cannot reverse dropping column {self.table_name}.{self.column_name}: "
                "the operation was made without existing_column"
            )
        return AddColumnOp(self.table_name, self.existing_column, schema=self.schema)


class AlterColumnOp(MigrateOperation):
    """Change one column: nullability, type, server default, name, comment, autoincrement.

    `server_default` and `comment` default to UNSET (leave alone); None removes them.
    The `existing_*` hints describe the column before the change: MySQL and SQL Server
    need them to restate the column, and `reverse()` needs them to undo the change.
    """

    def __init__(
        self,
        table_name: str,
        column_name: str,
        *,
        schema: str | None = None,
        nullable: bool | None = None,
        type_: Any = None,
        server_default: Any = UNSET,
        new_column_name: str | None = None,
        comment: Any = UNSET,
        autoincrement: bool | None = None,
        existing_type: Any = None,
        existing_nullable: bool | None = None,
        existing_server_default: Any = None,
        existing_comment: str | None = None,
        existing_autoincrement: bool | None = None,
        postgresql_using: str | None = None,
        **dialect_kw: Any,
    ):
        self.table_name = table_name
        self.column_name = column_name
        self.schema = schema
        self.nullable = nullable
        self.type_ = _type_instance(type_)
        self.server_default = server_default
        self.new_column_name = new_column_name
        self.comment = comment
        self.autoincrement = autoincrement
        self.existing_type = _type_instance(existing_type)
        self.existing_nullable = existing_nullable
        self.existing_server_default = existing_server_default
        self.existing_comment = existing_comment
        self.existing_autoincrement = existing_autoincrement
        self.postgresql_using = postgresql_using
        self.dialect_kw = dialect_kw

    @property
    def modifies(self) -> bool:
        """Whether anything at all is being changed."""
        return (
            self.nullable is not None
            or self.type_ is not None
            or self.server_default is not UNSET
            or self.new_column_name is not None
            or self.comment is not UNSET
            or self.autoincrement is not None
        )

    def reverse(self) -> AlterColumnOp:
        missing = []
        if self.nullable is not None and self.existing_nullable is None:
            missing.append("existing_nullable")
        if self.type_ is not None and self.existing_type is None:
            missing.append("existing_type")
        if missing:
            raise MissingInformation(
                f"cannot reverse altering column {self.table_name}.{self.column_name}: "
                f"give {' and '.join(missing)}"
            )
        name = self.new_column_name or self.column_name
        return AlterColumnOp(
            self.table_name,
            name,
            schema=self.schema,
            nullable=self.existing_nullable if self.nullable is not None else None,
            type_=self.existing_type if self.type_ is not None else None,
            server_default=(
                self.existing_server_default if self.server_default is not UNSET else UNSET
            ),
            new_column_name=self.column_name if self.new_column_name else None,
            comment=self.existing_comment if self.comment is not UNSET else UNSET,
            autoincrement=self.existing_autoincrement if self.autoincrement is not None else None,
            existing_type=self.type_ if self.type_ is not None else self.existing_type,
            existing_nullable=self.nullable
            if self.nullable is not None
            else self.existing_nullable,
            existing_server_default=(
                self.server_default
                if self.server_default is not UNSET
                else self.existing_server_default
            ),
            existing_comment=self.comment if self.comment is not UNSET else self.existing_comment,
            existing_autoincrement=(
                self.autoincrement
                if self.autoincrement is not None
                else self.existing_autoincrement
            ),
        )


def _type_instance(type_: Any) -> Any:
    """Accept `sa.Integer` as well as `sa.Integer()`, as SQLAlchemy does."""
    if isinstance(type_, type):
        return type_()
    return type_
