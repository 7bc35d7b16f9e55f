"""Build the :class:`TableModel` of an existing table, from the database or from ``copy_from``.

SQLAlchemy's reflection does most of the work; what a database's catalog adds (SQLite's
foreign-key actions, AUTOINCREMENT, index text and triggers, say) is read by that database's
rebuild strategy (``impl.rebuild``, in its module under ``ddl_ops.dialects``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import TextClause

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import (
    CheckSpec,
    ColumnDef,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableModel,
    UniqueSpec,
)
from ddl_ops.dialects.instances import text_preparer
from ddl_ops.dialects.registry import rebuild_strategy


def reflect_table(
    connection: Connection,
    table_name: str,
    *,
    schema: str | None = None,
    reflect_args: Sequence[Any] = (),
    reflect_kwargs: Mapping[str, Any] | None = None,
) -> sa.Table:
    """Reflect one table; ``reflect_args`` override reflected columns (e.g. a Boolean type)."""
    kwargs = {"resolve_fks": False, **(reflect_kwargs or {})}
    strategy = rebuild_strategy(connection.dialect)
    try:
        with warnings.catch_warnings():
            for expected in strategy.ignored_reflection_warnings:
                warnings.filterwarnings("ignore", expected)
            table = sa.Table(
                table_name,
                sa.MetaData(),
                *reflect_args,
                schema=schema,
                autoload_with=connection,
                **kwargs,
            )
    except sa.exc.NoSuchTableError:
        shown = f"{schema}.{table_name}" if schema else table_name
        raise BatchError(f"batch_alter_table: table {shown!r} does not exist") from None
    strategy.after_reflect_table(connection, table)
    return table


def model_from_table(table: sa.Table, dialect: Dialect) -> TableModel:
    """Describe ``table`` (reflected or a ``copy_from`` Table) as the starting point of a batch."""
    quote = text_preparer(dialect).quote
    columns = {c.name: ColumnDef.from_column(c, source=c.name) for c in table.columns}
    model = TableModel(
        name=table.name,
        schema=table.schema,
        columns=columns,
        quote=quote,
        comment=table.comment,
        table_kwargs=dict(table.dialect_kwargs),
    )
    pk = table.primary_key
    if pk is not None and len(pk.columns) > 0:
        model.primary_key = PrimaryKeySpec(_name(pk.name), [c.name for c in pk.columns])
    # a Column(..., sa.CheckConstraint(...)) of a copy_from Table is held by the column only
    column_checks = [k for c in table.columns for k in c.constraints if k not in table.constraints]
    constraints = [*table.constraints, *column_checks]
    for constraint in sorted(constraints, key=lambda c: str(_name(c.name) or "")):
        if isinstance(constraint, sa.UniqueConstraint):
            model.uniques.append(
                UniqueSpec(
                    _name(constraint.name),
                    [c.name for c in constraint.columns],
                    dict(constraint.dialect_kwargs),
                )
            )
        elif isinstance(constraint, sa.CheckConstraint):
            if _is_type_check(constraint):
                continue
            model.checks.append(CheckSpec(_name(constraint.name), _text_of(constraint.sqltext)))
        elif isinstance(constraint, sa.ForeignKeyConstraint):
            model.foreign_keys.append(_foreign_key_spec(constraint, table))
    for index in sorted(table.indexes, key=lambda ix: str(ix.name or "")):
        elements: list[Any] = []
        for expression in index.expressions:
            if isinstance(expression, sa.Column):
                elements.append(expression.name)
            elif isinstance(expression, str):
                elements.append(expression)
            else:
                elements.append(expression)
        model.indexes.append(
            IndexSpec(
                _name(index.name),
                elements,
                unique=bool(index.unique),
                dialect_kwargs=dict(index.dialect_kwargs),
            )
        )
    rebuild_strategy(dialect).adjust_model(model)
    return model


def declared_model(table: sa.Table, dialect: Dialect) -> TableModel:
    """The model of a ``copy_from`` Table, as the database created it from that declaration
    (on PostgreSQL, say, an autoincrementing integer key was created as SERIAL)."""
    model = model_from_table(table, dialect)
    rebuild_strategy(dialect).adjust_declared_model(table, model, dialect)
    return model


def reflect_model(
    connection: Connection,
    table_name: str,
    *,
    schema: str | None = None,
    reflect_args: Sequence[Any] = (),
    reflect_kwargs: Mapping[str, Any] | None = None,
) -> TableModel:
    """Reflect ``table_name`` and add what the catalog knows beyond SQLAlchemy reflection."""
    table = reflect_table(
        connection,
        table_name,
        schema=schema,
        reflect_args=reflect_args,
        reflect_kwargs=reflect_kwargs,
    )
    model = model_from_table(table, connection.dialect)
    rebuild_strategy(connection.dialect).add_catalog_details(connection, model)
    return model


def _foreign_key_spec(constraint: sa.ForeignKeyConstraint, table: sa.Table) -> ForeignKeySpec:
    targets = [element.target_fullname.split(".") for element in constraint.elements]
    first = targets[0]
    referred_schema = ".".join(first[:-2]) or None
    return ForeignKeySpec(
        name=_name(constraint.name),
        columns=[element.parent.name for element in constraint.elements],
        referred_table=first[-2],
        referred_columns=[parts[-1] for parts in targets],
        referred_schema=referred_schema,
        ondelete=constraint.ondelete,
        onupdate=constraint.onupdate,
        deferrable=constraint.deferrable,
        initially=constraint.initially,
        match=constraint.match,
    )


def _is_type_check(constraint: sa.CheckConstraint) -> bool:
    """CHECKs generated by a Boolean/Enum type come back with the column; do not add them twice."""
    return bool(getattr(constraint, "_type_bound", False))


def _text_of(sqltext: Any) -> str:
    return sqltext.text if isinstance(sqltext, TextClause) else str(sqltext)


def _name(name: Any) -> str | None:
    return str(name) if isinstance(name, str) and name else None
