"""Move-and-copy: build the new table under a temporary name, copy the rows, swap it in.

The steps, in order: CREATE TABLE <temp> with the new definition; INSERT INTO <temp> SELECT the
rows (renamed and reordered columns mapped); carry identity/AUTO_INCREMENT counters over; DROP the
old table; RENAME <temp> to the old name; add the constraints whose names are schema-wide on this
database; recreate indexes, triggers and comments; restore foreign keys that point at the table.

Rows are never lost: on databases with transactional DDL the whole sequence runs in a savepoint of
the caller's transaction, so any failure leaves the original table as it was; elsewhere (MySQL,
MariaDB) every step that can fail on the data runs before the old table is dropped, and a failed
copy removes the temporary table again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ENUM, CreateEnumType
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.schema import (
    AddConstraint,
    CreateIndex,
    CreateTable,
    DropConstraint,
    DropTable,
    SetColumnComment,
    SetTableComment,
)

from ddl_ops.batch.counters import CounterCarry
from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import TableModel
from ddl_ops.batch.offline_incoming import OfflineIncoming, offline_incoming_statements
from ddl_ops.batch.render import (
    build_table,
    constraints_of,
    copy_rows,
    index_objects,
)
from ddl_ops.batch.runner import StatementRunner
from ddl_ops.batch.server_extras import ServerExtras, read_server_extras
from ddl_ops.batch.sqlite_guard import offline_sqlite_rebuild, sqlite_rebuild_guard
from ddl_ops.batch.sqltext import in_schema, verbatim
from ddl_ops.dialects import text_preparer
from ddl_ops.dialects.postgresql import native_enums

TEMP_PREFIX = "_batch_tmp_"

__all__ = ["StatementRunner", "keep_sqlite_rowid_key", "rebuild_table"]


@dataclass(frozen=True)
class Placement:
    """Which constraint kinds can be created with the temporary table on a dialect.

    Kinds whose names are unique per schema (not per table) would collide with the old table's
    and are added after the rename instead.
    """

    inline: frozenset[str]
    indexes_before_swap: bool = False


def placement_for(dialect: Dialect) -> Placement:
    if dialect.name == "sqlite":
        return Placement(frozenset({"primary", "unique", "check", "foreignkey"}))
    if dialect.name == "postgresql":
        return Placement(frozenset({"check"}))
    if dialect.name in ("mysql", "mariadb"):
        inline = {"primary", "unique"}
        if getattr(dialect, "is_mariadb", False):
            inline.add("check")
        return Placement(frozenset(inline), indexes_before_swap=True)
    return Placement(frozenset())


def temporary_name(table_name: str, dialect: Dialect) -> str:
    limit = dialect.max_identifier_length or 63
    return (TEMP_PREFIX + table_name)[:limit]


@dataclass
class IncomingForeignKey:
    """A foreign key of another table that points at the table being rebuilt."""

    table: str
    schema: str | None
    name: str | None
    columns: list[str]
    referred_columns: list[str]
    options: dict[str, Any] = field(default_factory=dict)


def incoming_foreign_keys(connection: Connection, model: TableModel) -> list[IncomingForeignKey]:
    """Foreign keys of other tables in the same schema that refer to ``model``'s table."""
    inspector = sa.inspect(connection)
    found: list[IncomingForeignKey] = []
    for (schema, table), fks in inspector.get_multi_foreign_keys(schema=model.schema).items():
        if table == model.name:
            continue
        for fk in fks:
            if fk["referred_table"] == model.name and fk.get("referred_schema") in (
                None,
                model.schema,
            ):
                found.append(
                    IncomingForeignKey(
                        table=table,
                        schema=schema,
                        name=fk.get("name"),
                        columns=list(fk["constrained_columns"]),
                        referred_columns=list(fk["referred_columns"]),
                        options=dict(fk.get("options") or {}),
                    )
                )
    if connection.dialect.name == "postgresql":
        found.sort(key=_creation_order(connection, model))
    return found


def _creation_order(connection: Connection, model: TableModel) -> Any:
    """PostgreSQL runs the actions of foreign keys in the order they were created (their
    triggers fire by OID): re-create them in that order, not reflection's order by name."""
    table = text_preparer(connection.dialect).format_table(
        sa.table(model.name, schema=model.schema)
    )
    rows = connection.execute(
        sa.text(
            "SELECT t.relname, c.conname FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE c.contype = 'f' AND c.confrelid = CAST(:table AS regclass) ORDER BY c.oid"
        ),
        {"table": table},
    ).all()
    position = {(relname, name): index for index, (relname, name) in enumerate(rows)}
    return lambda fk: position.get((fk.table, fk.name), len(position))


def _check_incoming(
    model: TableModel, incoming: list[IncomingForeignKey], dialect: Dialect
) -> dict[str, str]:
    """Map each referenced old column to its new name, refusing to break a referencing FK."""
    by_source = {c.source: c.name for c in model.columns.values() if c.source is not None}
    mapping: dict[str, str] = {}
    for fk in incoming:
        for column in fk.referred_columns:
            if column not in by_source:
                raise BatchError(
                    f"cannot drop column {column!r} of {model.display_name!r}: foreign key "
                    f"{fk.name or '(unnamed)'} of table {fk.table!r} refers to it; drop that "
                    "foreign key first"
                )
            if by_source[column] != column and dialect.name == "sqlite":
                raise BatchError(
                    f"cannot rename column {column!r} of {model.display_name!r} during a rebuild: "
                    f"table {fk.table!r} has a foreign key to it; rename it in a batch of its own "
                    "(SQLite's RENAME COLUMN then updates the referencing table)"
                )
            mapping[column] = by_source[column]
    return mapping


def keep_sqlite_rowid_key(model: TableModel, dialect: Dialect) -> TableModel:
    """SQLite: a key that was ``INTEGER PRIMARY KEY`` stays spelled INTEGER when retyped.

    Only that exact spelling makes the column the rowid, which fills in new ids; ``BIGINT
    PRIMARY KEY`` is an ordinary column, so inserts without an id would fail NOT NULL. SQLite's
    INTEGER already holds 64 bits, so BIGINT (or SMALLINT) would change nothing but that.
    """
    pk = model.primary_key
    if dialect.name != "sqlite" or pk is None or len(pk.columns) != 1:
        return model
    column = model.columns.get(pk.columns[0])
    if column is None or column.source is None or not column.type_changed:
        return model
    was_rowid = _spelled_integer(column.type_before, dialect)
    if not was_rowid or not isinstance(column.type, sa.Integer):
        return model
    kept = model.copy()
    kept.columns[column.name].type = sa.INTEGER()
    return kept


def _spelled_integer(type_: Any, dialect: Dialect) -> bool:
    if type_ is None:
        return False
    try:
        return str(type_.compile(dialect=dialect)).strip().upper() == "INTEGER"
    except sa.exc.CompileError:
        return False


def rebuild_table(runner: StatementRunner, model: TableModel) -> None:
    """Replace the table ``model.name`` by the definition in ``model``, keeping its rows."""
    dialect = runner.dialect
    connection = runner.connection
    placement = placement_for(dialect)
    temp = temporary_name(model.name, dialect)
    incoming: list[IncomingForeignKey] = []
    renamed: dict[str, str] = {}
    extras = ServerExtras()
    if connection is not None:
        if sa.inspect(connection).has_table(temp, schema=model.schema):
            raise BatchError(
                f"cannot rebuild {model.display_name!r}: a table named {temp!r} already exists, "
                "probably left by an interrupted batch on a database without transactional DDL; "
                "check its rows, then drop it"
            )
        incoming = incoming_foreign_keys(connection, model)
        renamed = _check_incoming(model, incoming, dialect)
        extras = read_server_extras(connection, model)

    temp_table = build_table(
        model, temp, sa.MetaData(), parts=placement.inline, self_name=model.name
    )
    final_table = build_table(model, model.name, sa.MetaData(), parts=())
    with _atomic(runner, model):
        counters = CounterCarry(runner, model, temp_table)
        _create_new_enum_types(runner, model, temp_table)
        _create_and_fill(runner, model, temp_table, placement)
        old_dropped = False
        try:
            counters.before_swap()
            if dialect.name != "sqlite":
                for fk in incoming:
                    runner.run(DropConstraint(_incoming_constraint(fk, final_table, renamed)))
            around = OfflineIncoming()
            if connection is None:
                around = offline_incoming_statements(model, dialect)
            for statement in around.before_drop:
                runner.run(verbatim(statement))
            runner.run(DropTable(sa.Table(model.name, sa.MetaData(), schema=model.schema)))
            old_dropped = True
            runner.rename_table(temp, model.name, model.schema)
            for statement in around.after_rename:
                runner.run(verbatim(statement))
            _finish(runner, model, final_table, placement, incoming)
            for statement in around.at_end:
                runner.run(verbatim(statement))
            counters.after_swap()
            for statement in extras.after_swap:
                runner.run(verbatim(statement))
        except sa.exc.DBAPIError as error:
            raise _swap_failed(runner, model, temp_table, error, old_dropped) from error


def _swap_failed(
    runner: StatementRunner,
    model: TableModel,
    temp_table: sa.Table,
    error: sa.exc.DBAPIError,
    old_dropped: bool,
) -> BatchError:
    """Say what state the table is in after a failure past the copy, and what to do."""
    reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
    shown = model.display_name
    if runner.connection is None or _rebuild_is_atomic(runner):
        return BatchError(
            f"rebuilding {shown!r} failed while putting the new table in place, so the table "
            f"was left unchanged: {reason}"
        )
    if not old_dropped:
        with contextlib.suppress(sa.exc.DBAPIError):
            runner.run(DropTable(temp_table))
        return BatchError(
            f"rebuilding {shown!r} failed before the old table was dropped, so it was left "
            f"unchanged (foreign keys pointing at it may need re-creating): {reason}"
        )
    return BatchError(
        f"rebuilding {shown!r} failed after the old table was dropped: {reason}; the rows are "
        f"safe in {temp_table.name!r} - rename it to {model.name!r} and re-create the missing "
        "constraints and indexes by hand"
    )


def _create_new_enum_types(runner: StatementRunner, model: TableModel, table: sa.Table) -> None:
    """PostgreSQL: CREATE TABLE does not create the named enum types of added or retyped
    columns; create them as create_table does (live, a type that exists is left alone)."""
    if runner.dialect.name != "postgresql":
        return
    changed = [
        table.c[column.name]
        for column in model.columns.values()
        if column.source is None or column.type_changed
    ]
    connection = runner.connection
    for type_ in native_enums(changed):
        if connection is not None and connection.dialect.has_type(  # type: ignore[attr-defined]
            connection, type_.name, schema=type_.schema
        ):
            continue
        runner.run(CreateEnumType(ENUM(*type_.enums, name=type_.name, schema=type_.schema)))


def _create_and_fill(
    runner: StatementRunner, model: TableModel, temp_table: sa.Table, placement: Placement
) -> None:
    try:
        runner.run(CreateTable(temp_table))
    except sa.exc.DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
        raise BatchError(
            f"the database rejected the new definition of {model.display_name!r}, so the table "
            f"was left unchanged: {reason}"
        ) from error
    try:
        if placement.indexes_before_swap:
            for index in index_objects(model, temp_table):
                runner.run(CreateIndex(index))
        insert = copy_rows(model, temp_table, runner.dialect)
        if insert is not None:
            runner.run(insert)
    except sa.exc.DBAPIError as error:
        if runner.connection is not None and not _rebuild_is_atomic(runner):
            with contextlib.suppress(sa.exc.DBAPIError):
                runner.run(DropTable(temp_table))
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
        raise BatchError(
            f"copying the rows of {model.display_name!r} into its new definition failed, so the "
            f"table was left unchanged: {reason}"
        ) from error


def _finish(
    runner: StatementRunner,
    model: TableModel,
    final_table: sa.Table,
    placement: Placement,
    incoming: list[IncomingForeignKey],
) -> None:
    dialect = runner.dialect
    later = {"primary", "unique", "check", "foreignkey"} - placement.inline
    for constraint in constraints_of(model, final_table, later):
        runner.run(AddConstraint(constraint))
    if not placement.indexes_before_swap:
        for index in index_objects(model, final_table):
            runner.run(CreateIndex(index))
    for spec in model.indexes:
        if spec.raw_sql is not None:
            runner.run(verbatim(in_schema(spec.raw_sql, model.schema, model.quote)))
    for trigger in model.triggers:
        runner.run(verbatim(in_schema(trigger, model.schema, model.quote)))
    if dialect.supports_comments and not dialect.inline_comments:
        if model.comment is not None:
            runner.run(SetTableComment(final_table))
        for column in final_table.columns:
            if column.comment is not None:
                runner.run(SetColumnComment(column))
    if dialect.name != "sqlite":
        mapping = {c.source: c.name for c in model.columns.values() if c.source is not None}
        for fk in incoming:
            runner.run(AddConstraint(_incoming_constraint(fk, final_table, mapping)))


_FK_OPTIONS = ("ondelete", "onupdate", "deferrable", "initially", "match")


def _incoming_constraint(
    fk: IncomingForeignKey, final_table: sa.Table, mapping: dict[str, str]
) -> sa.ForeignKeyConstraint:
    """The referencing table's foreign key, bound to a stub of that table for ADD/DROP."""
    metadata = final_table.metadata
    key = f"{fk.schema}.{fk.table}" if fk.schema else fk.table
    child = metadata.tables.get(key)
    if child is None:
        child = sa.Table(fk.table, metadata, schema=fk.schema)
    for column in fk.columns:
        if column not in child.c:
            child.append_column(sa.Column(column, sa.types.NullType()))
    options = {k: v for k, v in fk.options.items() if k in _FK_OPTIONS}
    constraint = sa.ForeignKeyConstraint(
        fk.columns,
        [final_table.c[mapping.get(c, c)] for c in fk.referred_columns],
        name=fk.name,
        **options,
    )
    child.append_constraint(constraint)
    return constraint


def _rebuild_is_atomic(runner: StatementRunner) -> bool:
    """SQLite rebuilds in a savepoint of their own, whatever the driver does with DDL."""
    return runner.dialect.name == "sqlite" or runner.transactional_ddl


@contextlib.contextmanager
def _atomic(runner: StatementRunner, model: TableModel) -> Iterator[None]:
    """A savepoint where DDL is transactional, so a failure leaves the original table intact."""
    connection = runner.connection
    if connection is None and runner.dialect.name == "sqlite":
        with offline_sqlite_rebuild(runner, model):
            yield
    elif connection is None:
        yield
    elif runner.dialect.name == "sqlite":
        with sqlite_rebuild_guard(connection, model):
            yield
    elif runner.transactional_ddl:
        with connection.begin_nested():
            yield
    else:
        yield
