"""Table comment operations (column comments go through alter_column)."""

from __future__ import annotations

from ddl_ops.errors import MissingInformation
from ddl_ops.ops.base import MigrateOperation


class CreateTableCommentOp(MigrateOperation):
    """Set a table's comment; `existing_comment` makes it reversible."""

    def __init__(
        self,
        table_name: str,
        comment: str,
        *,
        schema: str | None = None,
        existing_comment: str | None = None,
    ):
        self.table_name = table_name
        self.comment = comment
        self.schema = schema
        self.existing_comment = existing_comment

    def reverse(self) -> MigrateOperation:
        if self.existing_comment is None:
            return DropTableCommentOp(
                self.table_name, schema=self.schema, existing_comment=self.comment
            )
        return CreateTableCommentOp(
            self.table_name,
            self.existing_comment,
            schema=self.schema,
            existing_comment=self.comment,
        )


class DropTableCommentOp(MigrateOperation):
    """Remove a table's comment; `existing_comment` makes it reversible."""

    def __init__(
        self, table_name: str, *, schema: str | None = None, existing_comment: str | None = None
    ):
        self.table_name = table_name
        self.schema = schema
        self.existing_comment = existing_comment

    def reverse(self) -> CreateTableCommentOp:
        if self.existing_comment is None:
            raise MissingInformation(
                f"cannot reverse dropping the comment of table {self.table_name}: "
                "the operation was made without existing_comment"
            )
        return CreateTableCommentOp(self.table_name, self.existing_comment, schema=self.schema)
