"""The entry points: compare models with a database, and produce a migration script."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

import migrate_autogen.compare  # noqa: F401  (registers the built-in comparators)
from ddl_ops import MigrateOperation
from migrate_autogen.compare.foreign_keys import (
    keep_foreign_keys_served,
    rebuild_around_type_changes,
)
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.errors import AutogenError, AutogenWarning
from migrate_autogen.live_schema import TableKey
from migrate_autogen.naming import schema_key, settle_convention_names
from migrate_autogen.options import CompareOptions
from migrate_autogen.ordering import order_operations
from migrate_autogen.reflection import list_schemas, reflect_database
from migrate_autogen.registry import ComparatorRegistry, comparators
from migrate_autogen.script import MigrationScript, OperationList, reverse_operations


def compare_metadata(
    conn: Connection, metadata: sa.MetaData | Sequence[sa.MetaData], **options: Any
) -> list[MigrateOperation]:
    """The operations that turn the database ``conn`` into ``metadata``; ``[]`` when in sync.

    The list remembers the database's dialect (``.dialect_name``), so rendering it
    batches SQLite's changes without being told.
    """
    ctx = start_compare_run(conn, metadata, CompareOptions.from_kwargs(options))
    ops = OperationList(run_comparison(ctx))
    ops.dialect_name = ctx.dialect_name
    return ops


def produce_migrations(
    conn: Connection, metadata: sa.MetaData | Sequence[sa.MetaData], **options: Any
) -> MigrationScript:
    """A `MigrationScript` whose upgrade is the comparison and whose downgrade undoes it."""
    ctx = start_compare_run(conn, metadata, CompareOptions.from_kwargs(options))
    upgrade = OperationList(run_comparison(ctx))
    upgrade.dialect_name = ctx.dialect_name
    downgrade = keep_foreign_keys_served(ctx, upgrade, reverse_operations(upgrade))
    return MigrationScript(
        upgrade_ops=upgrade, downgrade_ops=downgrade, dialect_name=ctx.dialect_name
    )


def start_compare_run(
    conn: Connection, metadata: sa.MetaData | Sequence[sa.MetaData], options: CompareOptions
) -> CompareRun:
    collections = [metadata] if isinstance(metadata, sa.MetaData) else list(metadata)
    if not collections or not all(isinstance(m, sa.MetaData) for m in collections):
        raise AutogenError(
            "compare_metadata needs a MetaData or a sequence of MetaData objects "
            "(target_metadata in env.py)"
        )
    inspector = sa.inspect(conn)
    default_schema = inspector.default_schema_name
    existing: list[str | None] = [None]
    if options.include_schemas:
        if options.include_name is not None and not options.include_name(None, "schema", {}):
            existing = []  # the hook left out the default schema (it is asked as None)
        existing += list_schemas(inspector, options.include_name)
    schemas = existing + _schemas_only_in_models(collections, existing, default_schema, options)
    meta_tables = _metadata_tables(collections, schemas, default_schema, options)
    excluded = _version_table_keys(options, default_schema)
    reflected = reflect_database(
        conn, inspector, existing, include_name=options.include_name, excluded=excluded
    )
    registry: ComparatorRegistry = comparators.merged(options.comparators)
    return CompareRun(
        connection=conn,
        metadata=collections,
        options=options,
        registry=registry,
        inspector=inspector,
        schemas=schemas,
        reflected=reflected,
        meta_tables={k: t for k, t in meta_tables.items() if k not in excluded},
    )


def run_comparison(ctx: CompareRun) -> list[MigrateOperation]:
    ops: list[MigrateOperation] = []
    for fn in ctx.comparators_for("schema"):
        ops.extend(fn(ctx) or ())
    return order_operations(
        rebuild_around_type_changes(ctx, ops),
        foreign_keys_in_table_block=ctx.rules.foreign_keys_in_table_block,
    )


def _metadata_tables(
    collections: list[sa.MetaData],
    schemas: list[str | None],
    default_schema: str | None,
    options: CompareOptions,
) -> dict[TableKey, sa.Table]:
    tables: dict[TableKey, sa.Table] = {}
    for metadata in collections:
        for table in metadata.tables.values():
            key = (schema_key(table.schema, default_schema), table.name)
            if key[0] not in schemas:
                continue
            hook = options.include_name
            if hook is not None and not hook(table.name, "table", {"schema_name": key[0]}):
                continue
            if key in tables and tables[key] is not table:
                raise AutogenError(
                    f"table {table.fullname} is defined in more than one MetaData; "
                    "give each table to exactly one of the collections passed to autogenerate"
                )
            settle_convention_names(table)
            tables[key] = table
    return tables


def _schemas_only_in_models(
    collections: list[sa.MetaData],
    existing: list[str | None],
    default_schema: str | None,
    options: CompareOptions,
) -> list[str | None]:
    """Schemas the models name that the database lacks: their tables are all new.

    Creating the schema itself is left to the migration author (a warning says so).
    """
    if not options.include_schemas:
        return []
    found: list[str | None] = []
    for metadata in collections:
        for table in metadata.tables.values():
            schema = schema_key(table.schema, default_schema)
            if schema in existing or schema in found:
                continue
            if options.include_name is None or options.include_name(schema, "schema", {}):
                found.append(schema)
                warnings.warn(
                    f"schema {schema!r} of table {table.fullname} does not exist in the "
                    "database; create it (op.execute('CREATE SCHEMA ...')) before its tables",
                    AutogenWarning,
                    stacklevel=4,
                )
    return found


def _version_table_keys(options: CompareOptions, default_schema: str | None) -> set[TableKey]:
    return {(schema_key(options.version_table_schema, default_schema), options.version_table)}
