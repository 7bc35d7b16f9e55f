"""Stand-in tables for foreign-key targets, so a lone Table can be compiled.

An operation builds its Table in a MetaData of its own; the tables its foreign
keys point at are not there, and SQLAlchemy needs them to render REFERENCES.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import visitors


def split_column_target(fullname: str) -> tuple[str | None, str, str]:
    """ "schema.table.column" or "table.column" -> (schema, table, column)."""
    parts = fullname.split(".")
    if len(parts) < 2:
        raise ValueError(f"foreign key target {fullname!r} must be 'table.column'")
    return (".".join(parts[:-2]) or None), parts[-2], parts[-1]


def add_referent_stubs(table: sa.Table) -> None:
    """Give every foreign key of `table` a target table (with the column) in its MetaData."""
    metadata = table.metadata
    # Look the target up in the MetaData rather than asking the ForeignKey to
    # resolve itself: resolving raises once the stub exists without this column,
    # which is exactly the case of two keys pointing at one table.
    for fk in table.foreign_keys:
        schema, name, column = split_column_target(fk.target_fullname)
        key = f"{schema}.{name}" if schema else name
        target = metadata.tables.get(key)
        if target is None:
            target = sa.Table(name, metadata, schema=schema)
        if column not in target.c:
            target.append_column(sa.Column(column, sa.types.NullType()))


def rebind_to(table: sa.Table, expression: Any) -> Any:
    """`expression` with columns of any other Table swapped for same-named ones of `table`.

    An index or CHECK taken from a model is bound to the model's Table; building the
    operation's own on a stand-in table must not touch (or attach to) the model's.
    Missing columns are added to `table` untyped, as stand-ins are.
    """

    def swap(element: Any, **_kw: Any) -> Any:
        if isinstance(element, sa.Column) and element.table is not table:
            if element.name not in table.c:
                table.append_column(sa.Column(element.name, sa.types.NullType()))
            return table.c[element.name]
        return None

    opts: dict[str, Any] = {}
    return visitors.replacement_traverse(expression, opts, swap)
