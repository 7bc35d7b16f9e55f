"""Turn ``table_args`` (constraints and indexes for the new table) into model entries.

They then get names from the naming convention and are created where the database allows,
like every other constraint. The objects are read, never attached, so the same list can be
passed to several batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from ddl_ops.batch.apply import sql_text
from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import ForeignKeySpec, IndexSpec, TableModel


def add_table_args(model: TableModel, table_args: Sequence[Any], dialect: Dialect) -> None:
    """Add each constraint or index in ``table_args`` to ``model``."""
    for item in table_args:
        name = item.name if isinstance(getattr(item, "name", None), str) else None
        if isinstance(item, sa.ForeignKeyConstraint):
            targets = [element.target_fullname.split(".") for element in item.elements]
            model.add_foreign_key(
                ForeignKeySpec(
                    name=name,
                    columns=list(item.column_keys),
                    referred_table=targets[0][-2],
                    referred_columns=[parts[-1] for parts in targets],
                    referred_schema=".".join(targets[0][:-2]) or None,
                    ondelete=item.ondelete,
                    onupdate=item.onupdate,
                    deferrable=item.deferrable,
                    initially=item.initially,
                    match=item.match,
                )
            )
        elif isinstance(item, sa.PrimaryKeyConstraint):
            model.add_primary_key(name, _column_names(item))
        elif isinstance(item, sa.UniqueConstraint):
            model.add_unique(name, _column_names(item), **dict(item.dialect_kwargs))
        elif isinstance(item, sa.CheckConstraint):
            model.add_check(name, sql_text(item.sqltext, dialect))
        elif isinstance(item, sa.Index):
            elements: list[Any] = [
                e.name if isinstance(e, sa.Column) else e for e in item.expressions
            ]
            model.add_index(
                IndexSpec(
                    name,
                    elements,
                    unique=bool(item.unique),
                    dialect_kwargs=dict(item.dialect_kwargs),
                )
            )
        else:
            raise BatchError(
                f"table_args for {model.display_name!r} may hold constraints and indexes, "
                f"not {item!r}; add columns with batch.add_column()"
            )


def _column_names(constraint: Any) -> list[str]:
    pending = getattr(constraint, "_pending_colargs", None) or list(constraint.columns)
    return [c if isinstance(c, str) else c.name for c in pending]
