"""Names as the database sees them: naming-convention names, truncation, default schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


def ddl_name(item: sa.Constraint | sa.Index, dialect: Dialect) -> str | None:
    """The name CREATE gives ``item`` on ``dialect``: conventions applied, long names truncated."""
    if item.name is None:
        return None
    try:
        return dialect.identifier_preparer.format_constraint(item, _alembic_quote=False)
    except (sa.exc.InvalidRequestError, sa.exc.IdentifierError, KeyError, AttributeError):
        return str(item.name)


def name_by_convention(item: Any, table: sa.Table) -> Any:
    """The name ``table``'s naming convention gives ``item`` now (SQLAlchemy's own rule,
    which it otherwise applies only when it emits DDL)."""
    from sqlalchemy.sql import naming

    rule: Callable[[Any, sa.Table], Any] = naming._constraint_name_for_table  # untyped
    return rule(item, table)


def settle_convention_names(table: sa.Table) -> None:
    """Give deferred naming-convention names their final value, as CREATE TABLE would.

    SQLAlchemy names some constraints only when it emits DDL; operations copied
    from the model would lose that name, so it is fixed on the model first.
    """

    items: list[Any] = [*table.constraints, *column_checks(table), *table.indexes]
    for item in items:
        if isinstance(item.name, sa.sql.base._NoneName):
            try:
                resolved = name_by_convention(item, table)
            except (sa.exc.InvalidRequestError, sa.exc.NoReferencedTableError, KeyError):
                continue
            if resolved is not None:
                item.name = resolved


def column_checks(table: sa.Table) -> list[sa.CheckConstraint]:
    """CHECKs given on a column (``Column("n", Integer, CheckConstraint("n > 0"))``).

    SQLAlchemy keeps them in ``column.constraints``, not ``table.constraints``,
    and emits them inline in CREATE TABLE; autogenerate treats them as the
    table's own.
    """
    return [
        c
        for column in table.columns
        for c in column.constraints
        if isinstance(c, sa.CheckConstraint)
    ]


def plain_name(item: sa.Constraint | sa.Index) -> str | None:
    """A reflected item's name as a str, or None (SQLite's unnamed constraints)."""
    name = item.name
    if name is None or isinstance(name, sa.sql.base._NoneName):
        return None
    return str(name)


def is_convention_name(name: Any) -> bool:
    """True for names a naming convention made (rendered with ``op.f()`` to keep them verbatim)."""
    return isinstance(name, sa.sql.elements.conv)


def schema_key(schema: str | None, default_schema: str | None) -> str | None:
    """The default schema, spelled or not, is keyed as None."""
    if schema is not None and schema == default_schema:
        return None
    return schema


def qualified(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name
