"""Read the live schema once, in bulk, before any comparison runs.

`MetaData.reflect()` in SQLAlchemy 2 loads every table of a schema with one set
of `Inspector.get_multi_*` queries, so a 300-table database costs a handful of
round trips, not 300 times as many. Names are filtered with ``include_name``
before anything is loaded.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Inspector

from ddl_ops.dialects.sqlite_checks import reread_sqlite_checks
from migrate_autogen.naming import schema_key

TableKey = tuple["str | None", str]
IncludeName = Callable[[str | None, str, Mapping[str, "str | None"]], bool]

_SYSTEM_SCHEMAS = {
    "information_schema",
    "performance_schema",
    "mysql",
    "sys",
    "pg_catalog",
    "pg_toast",
}


@dataclass
class ReflectedDatabase:
    """The live schema: reflected tables by (schema, name), PostgreSQL enums, unreadable indexes."""

    metadata: sa.MetaData
    tables: dict[TableKey, sa.Table] = field(default_factory=dict)
    enums: dict[TableKey, list[str]] = field(default_factory=dict)
    # index names the dialect cannot reflect (SQLite expression indexes), per table
    opaque_indexes: dict[TableKey, set[str]] = field(default_factory=dict)


def list_schemas(inspector: Inspector, include_name: IncludeName | None) -> list[str]:
    """Every non-system schema other than the default one that the include_name hook accepts.

    The default schema is not listed: it is the schema `None`, and the hook is asked
    about it under that name, as Alembic does.
    """
    names = []
    default = inspector.default_schema_name
    for name in inspector.get_schema_names():
        if name in _SYSTEM_SCHEMAS or name.startswith("pg_") or name == default:
            continue
        if include_name is not None and not include_name(name, "schema", {}):
            continue
        names.append(name)
    return names


def reflect_database(
    conn: Connection,
    inspector: Inspector,
    schemas: list[str | None],
    *,
    include_name: IncludeName | None,
    excluded: set[TableKey],
) -> ReflectedDatabase:
    """Reflect the tables of ``schemas`` (None = default schema), minus ``excluded`` keys."""
    default_schema = inspector.default_schema_name
    metadata = sa.MetaData()
    result = ReflectedDatabase(metadata)
    for schema in schemas:
        names = [
            name
            for name in inspector.get_table_names(schema=schema)
            if (schema, name) not in excluded
            and (include_name is None or include_name(name, "table", {"schema_name": schema}))
        ]
        if not names:
            continue
        with warnings.catch_warnings():
            # expression indexes SQLite cannot reflect are recorded as opaque below
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
            metadata.reflect(conn, schema=schema, only=names, resolve_fks=False)
        for name in names:
            table = metadata.tables.get(f"{schema}.{name}" if schema else name)
            if table is not None:
                if conn.dialect.name == "postgresql":
                    _forget_serial_defaults(table)
                result.tables[(schema, name)] = table
    if conn.dialect.name == "postgresql":
        for enum in inspector.get_enums(schema="*"):  # type: ignore[attr-defined]
            key = (schema_key(enum["schema"], default_schema), enum["name"])
            result.enums[key] = list(enum["labels"])
    if conn.dialect.name == "sqlite":
        result.opaque_indexes = _sqlite_opaque_indexes(conn, result)
        for table in result.tables.values():
            reread_sqlite_checks(conn, table)  # SQLAlchemy's pattern misreads some CHECKs
        _read_sqlite_generated_expressions(conn, result)
    if conn.dialect.name in ("sqlite", "mysql", "mariadb"):
        _read_descending_index_columns(conn, result, default_schema)
    return result


def _forget_serial_defaults(table: sa.Table) -> None:
    """SERIAL columns reflect ``DEFAULT nextval('t_id_seq'::regclass)``; models never say so.

    Left in place, a dropped table's downgrade would recreate it with a default naming
    a sequence that no longer exists.
    """
    for column in table.columns:
        default = column.server_default
        if not isinstance(default, sa.DefaultClause):
            continue
        text = str(getattr(default.arg, "text", default.arg))
        if text.startswith("nextval("):
            column.server_default = None
            column.autoincrement = True
            found = re.match(r"nextval\('((?:[^']|'')+)'", text)
            if found:  # kept so a type change can resize the sequence with the column
                column.info["serial_sequence"] = found.group(1).replace("''", "'")


def _sqlite_opaque_indexes(conn: Connection, db: ReflectedDatabase) -> dict[TableKey, set[str]]:
    opaque: dict[TableKey, set[str]] = {}
    rows = conn.exec_driver_sql(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    )
    for index_name, table_name in rows:
        table = db.tables.get((None, table_name))
        if table is None:
            continue
        if any(ix.name == index_name for ix in table.indexes):
            continue
        opaque.setdefault((None, table_name), set()).add(index_name)
    return opaque


_GENERATED = re.compile(r"\bGENERATED\s+ALWAYS\s+AS\s*\(", re.IGNORECASE)


def _read_sqlite_generated_expressions(conn: Connection, db: ReflectedDatabase) -> None:
    """Fill in the expressions SQLAlchemy reflects as ``''`` on SQLite.

    Its pattern stops at the first comma, so ``x NUMERIC(12, 2) GENERATED ALWAYS AS
    (...)`` loses its expression: compared, it looks changed; dropped, the downgrade
    would recreate ``Computed('')``. The column's own definition is read instead.
    """
    for (schema, name), table in db.tables.items():
        missing = [
            c for c in table.columns if c.computed is not None and not str(c.computed.sqltext)
        ]
        if schema is not None or not missing:
            continue
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).scalar()
        definitions = _column_definitions(sql or "")
        for column in missing:
            definition = definitions.get(column.name.lower(), "")
            found = _GENERATED.search(definition)
            if found is not None and column.computed is not None:
                column.computed.sqltext = sa.text(_parenthesized(definition, found.end() - 1))


def _column_definitions(create_sql: str) -> dict[str, str]:
    """``CREATE TABLE t (a INT, b NUMERIC(1, 2) ...)`` as ``{"a": "a INT", "b": ...}``."""
    body = create_sql[create_sql.find("(") + 1 : create_sql.rfind(")")]
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    definitions = {}
    for part in parts:
        words = part.strip().split(None, 1)
        if words:
            definitions[words[0].strip('"`[]').lower()] = part.strip()
    return definitions


def _parenthesized(text: str, open_at: int) -> str:
    """The text inside the parenthesis opening at ``open_at`` (nesting respected)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i]
    return text[open_at + 1 :]


def _read_descending_index_columns(
    conn: Connection, db: ReflectedDatabase, default_schema: str | None
) -> None:
    """Mark DESC index columns, which SQLAlchemy reflects as ascending on SQLite and MySQL.

    Without this, ``Index("ix", Post.published.desc())`` would be reported as
    changed on every comparison. A DESC column becomes ``sa.text('col DESC')``.
    """
    found = (
        _sqlite_descending(conn, db)
        if conn.dialect.name == "sqlite"
        else _mysql_descending(conn, db, default_schema)
    )
    for (schema, name, index_name), columns in found.items():
        table = db.tables.get((schema, name))
        if table is None:
            continue
        index = next((i for i in table.indexes if i.name == index_name), None)
        if index is not None:
            _replace_index(conn, table, index, columns)


def _sqlite_descending(conn: Connection, db: ReflectedDatabase) -> dict[Any, set[str]]:
    found: dict[Any, set[str]] = {}
    quote = conn.dialect.identifier_preparer.quote_identifier
    for (schema, name), table in db.tables.items():
        for index in table.indexes:
            if index.name is None:
                continue
            rows = conn.exec_driver_sql(f"PRAGMA index_xinfo({quote(index.name)})")
            # (seqno, cid, name, desc, coll, key): key columns whose desc flag is set
            columns = {row[2] for row in rows if row[5] and row[3] and row[2] is not None}
            if columns:
                found[(schema, name, index.name)] = columns
    return found


def _mysql_descending(
    conn: Connection, db: ReflectedDatabase, default_schema: str | None
) -> dict[Any, set[str]]:
    """One query for every schema compared: information_schema marks DESC with 'D'."""
    if not db.tables:
        return {}
    names = {schema or default_schema: schema for schema, _ in db.tables}
    rows = conn.execute(
        sa.text(
            "SELECT table_schema, table_name, index_name, column_name "
            "FROM information_schema.statistics "
            "WHERE collation = 'D' AND table_schema IN :schemas"
        ).bindparams(sa.bindparam("schemas", expanding=True)),
        {"schemas": sorted(n for n in names if n is not None)},
    )
    found: dict[Any, set[str]] = {}
    for schema, table, index, column in rows:
        found.setdefault((names.get(schema), table, index), set()).add(column)
    return found


def _replace_index(
    conn: Connection, table: sa.Table, index: sa.Index, descending: set[str]
) -> None:
    quote = conn.dialect.identifier_preparer.quote
    elements = [
        sa.text(f"{quote(e.name)} DESC") if isinstance(e, sa.Column) and e.name in descending else e
        for e in index.expressions
    ]
    table.indexes.discard(index)
    sa.Index(index.name, *elements, unique=index.unique, _table=table, **index.kwargs)
