"""PostgreSQL enum type operations (CREATE TYPE ... AS ENUM, ALTER TYPE ... ADD VALUE)."""

from __future__ import annotations

from collections.abc import Sequence

from ddl_ops.errors import MissingInformation
from ddl_ops.ops.base import MigrateOperation


class CreateEnumTypeOp(MigrateOperation):
    """CREATE TYPE name AS ENUM (...)."""

    def __init__(self, name: str, values: Sequence[str], *, schema: str | None = None):
        self.name = name
        self.values = list(values)
        self.schema = schema

    def reverse(self) -> DropEnumTypeOp:
        return DropEnumTypeOp(self.name, schema=self.schema, existing_values=self.values)


class AddEnumValueOp(MigrateOperation):
    """ALTER TYPE name ADD VALUE; PostgreSQL cannot remove a value, so there is no reverse."""

    def __init__(
        self,
        name: str,
        value: str,
        *,
        schema: str | None = None,
        before: str | None = None,
        after: str | None = None,
        if_not_exists: bool = True,
    ):
        if before is not None and after is not None:
            raise ValueError(f"adding {value!r} to enum {name!r}: give before or after, not both")
        self.name = name
        self.value = value
        self.schema = schema
        self.before = before
        self.after = after
        self.if_not_exists = if_not_exists


class DropEnumTypeOp(MigrateOperation):
    """DROP TYPE name; `existing_values` makes it reversible."""

    def __init__(
        self,
        name: str,
        *,
        schema: str | None = None,
        existing_values: Sequence[str] | None = None,
        if_exists: bool = False,
    ):
        self.name = name
        self.schema = schema
        self.existing_values = list(existing_values) if existing_values is not None else None
        self.if_exists = if_exists

    def reverse(self) -> CreateEnumTypeOp:
        if self.existing_values is None:
            raise MissingInformation(
                f"cannot reverse dropping enum type {self.name}: "
                "the operation was made without existing_values"
            )
        return CreateEnumTypeOp(self.name, self.existing_values, schema=self.schema)
