"""Rows made up from a reflected schema, to check that a migration keeps existing data.

For every table a row is built from its columns' reflected types: numbers count up from a
high base (clear of sequences a data migration may use), strings fit their length, foreign
keys point at a row already in the referred table. A table for which no valid row can be
made (a type we cannot invent, a required reference to an empty table, a CHECK that
rejects the row) is skipped, and the reason is kept so the caller can say so.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

NUMBER_BASE = 900_000


class NoValue(Exception):
    """No value of this column's type can be made up."""


@dataclass
class InsertedRow:
    """One row put into ``table``; ``key`` identifies it (primary key, else every value)."""

    table: str
    values: dict[str, Any]
    key: dict[str, Any]


@dataclass
class SampleRows:
    """The rows inserted before a step, and the tables skipped with the reason."""

    rows: list[InsertedRow] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


class RowMaker:
    """Makes rows whose values never repeat within one test (unique constraints hold)."""

    def __init__(self) -> None:
        self.counter = 0

    def insert_into_every_table(
        self, engine: sa.Engine, exclude: Collection[str] = ()
    ) -> SampleRows:
        """Insert one row per table (parents before children), each in its own transaction."""
        metadata = sa.MetaData()
        with engine.connect() as conn:
            metadata.reflect(conn, only=lambda name, _m: name not in exclude)
        result = SampleRows()
        for table in metadata.sorted_tables:
            try:
                with engine.begin() as conn:
                    values = self.row_for(conn, table)
                    conn.execute(table.insert().values(**values))
            except NoValue as reason:
                result.skipped[table.name] = str(reason)
                continue
            except sa.exc.DBAPIError as error:
                first = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
                result.skipped[table.name] = f"the database refused a made-up row ({first})"
                continue
            pk = [c.name for c in table.primary_key.columns]
            key = {name: values[name] for name in pk} if pk else dict(values)
            result.rows.append(InsertedRow(table.name, values, key))
        return result

    def row_for(self, conn: sa.Connection, table: sa.Table) -> dict[str, Any]:
        self.counter += 1
        values: dict[str, Any] = {}
        referenced = self._referenced_values(conn, table)
        for column in table.columns:
            if column.computed is not None or column.identity is not None:
                continue
            if column.name in referenced:
                value = referenced[column.name]
                if value is None and not column.nullable:
                    raise NoValue(f"column {column.name} must reference a row of an empty table")
                values[column.name] = value
                continue
            try:
                values[column.name] = self.value_for(column.type)
            except NoValue as reason:
                if column.nullable or column.server_default is not None:
                    continue
                raise NoValue(
                    f"no value can be made up for column {column.name}: {reason}"
                ) from None
        return values

    def _referenced_values(self, conn: sa.Connection, table: sa.Table) -> dict[str, Any]:
        """For each foreign key, the referred columns' values of one existing row."""
        out: dict[str, Any] = {}
        for fk in table.foreign_key_constraints:
            referred = fk.referred_table
            columns = [element.column for element in fk.elements]
            row = (
                conn.execute(sa.select(*columns).limit(1)).first() if referred is not None else None
            )
            for element, position in zip(fk.elements, range(len(columns))):
                out[element.parent.name] = row[position] if row is not None else None
        return out

    def value_for(self, type_: Any) -> Any:
        """A value of ``type_`` that no earlier call returned."""
        n = self.counter
        if isinstance(type_, sa.Enum):
            if not type_.enums:
                raise NoValue("enum without values")
            return type_.enums[0]
        if isinstance(type_, sa.Boolean):
            return True
        if type(type_).__name__ in ("TINYINT", "BIT"):
            return 1  # MySQL's booleans are reflected as TINYINT(1)
        if isinstance(type_, sa.SmallInteger):
            return 9_000 + n
        if isinstance(type_, sa.Integer):
            return NUMBER_BASE + n
        if isinstance(type_, sa.Numeric):
            scale = getattr(type_, "scale", None) or 0
            return decimal.Decimal(n) if scale == 0 else decimal.Decimal(f"{n}.5")
        if isinstance(type_, sa.Float):
            return float(n)
        if isinstance(type_, sa.DateTime):
            return datetime.datetime(2000, 1, 1) + datetime.timedelta(minutes=n)
        if isinstance(type_, sa.Date):
            return datetime.date(2000, 1, 1) + datetime.timedelta(days=n)
        if isinstance(type_, sa.Time):
            return datetime.time(n % 24, n % 60)
        if isinstance(type_, sa.Uuid):
            return uuid.uuid4() if type_.as_uuid else str(uuid.uuid4())
        if isinstance(type_, sa.JSON):
            return {"row": n}
        if isinstance(type_, sa.LargeBinary):
            return f"r{n}".encode()
        if isinstance(type_, (sa.String, sa.Text)):
            text = f"r{n}"
            length = getattr(type_, "length", None)
            if length is not None and len(text) > length:
                raise NoValue(f"{type_} too short for unique made-up values")
            return text
        raise NoValue(f"no made-up value for type {type_}")


def rows_missing(engine: sa.Engine, rows: list[InsertedRow]) -> list[str]:
    """Rows no longer found, as lines naming the table and key; a dropped table or key
    column is not a loss (the migration dropped them on purpose)."""
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        tables = set(inspector.get_table_names())
        columns = {t: {c["name"] for c in inspector.get_columns(t)} for t in tables}
        missing = []
        for row in rows:
            if row.table not in tables:
                continue
            key = {k: v for k, v in row.key.items() if k in columns[row.table]}
            if not key:
                continue
            if not _found(conn, row.table, key):
                missing.append(f"table {row.table}: row {key} is gone")
        return missing


def _found(conn: sa.Connection, table_name: str, key: dict[str, Any]) -> bool:
    table = sa.table(table_name, *(sa.column(k) for k in key))
    query = sa.select(sa.func.count()).select_from(table)
    try:
        with conn.begin_nested() if conn.in_transaction() else conn.begin():
            count = conn.execute(query.where(*(table.c[k] == v for k, v in key.items())))
            return bool(count.scalar())
    except sa.exc.DBAPIError:
        # The step changed a key column's type: compare as text instead.
        textual = query.where(*(sa.cast(table.c[k], sa.String) == str(v) for k, v in key.items()))
        with conn.begin_nested() if conn.in_transaction() else conn.begin():
            return bool(conn.execute(textual).scalar())
