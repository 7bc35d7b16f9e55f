"""Read the live schema once, in bulk, before any comparison runs.

`MetaData.reflect()` in SQLAlchemy 2 loads every table of a schema with one set
of `Inspector.get_multi_*` queries, so a 300-table database costs a handful of
round trips, not 300 times as many. Names are filtered with ``include_name``
before anything is loaded.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Inspector

from migrate_autogen.dialects import rules_for
from migrate_autogen.live_schema import ReflectedDatabase, TableKey

IncludeName = Callable[[str | None, str, Mapping[str, "str | None"]], bool]


def list_schemas(inspector: Inspector, include_name: IncludeName | None) -> list[str]:
    """Every non-system schema other than the default one that the include_name hook accepts.

    The default schema is not listed: it is the schema `None`, and the hook is asked
    about it under that name, as Alembic does.
    """
    names = []
    default = inspector.default_schema_name
    rules = rules_for(inspector.dialect)
    for name in inspector.get_schema_names():
        if rules.is_system_schema(name) or name == default:
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
    """Reflect the tables of ``schemas`` (None = default schema), minus ``excluded`` keys.

    The database's `DialectRules` then complete what SQLAlchemy's reflection leaves out.
    """
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
            # expression indexes SQLite cannot reflect are recorded as opaque (dialects.sqlite)
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
            # our inspector, so its cache (the table names just read) is shared
            metadata.reflect(inspector, schema=schema, only=names, resolve_fks=False)  # type: ignore[call-overload]
        for name in names:
            table = metadata.tables.get(f"{schema}.{name}" if schema else name)
            if table is not None:
                result.tables[(schema, name)] = table
    rules_for(conn.dialect).complete_reflection(conn, inspector, result)
    return result
