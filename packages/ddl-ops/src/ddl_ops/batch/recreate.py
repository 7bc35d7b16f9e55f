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

import sqlalchemy as sa
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

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import TableModel
from ddl_ops.batch.render import (
    build_table,
    constraints_of,
    copy_rows,
    index_objects,
)
from ddl_ops.batch.runner import StatementRunner
from ddl_ops.batch.sqltext import in_schema, verbatim
from ddl_ops.batch.strategy import (
    IncomingForeignKey,
    OfflineIncoming,
    Placement,
    RebuildStrategy,
    ServerExtras,
)
from ddl_ops.dialects.registry import rebuild_strategy

TEMP_PREFIX = "_batch_tmp_"

__all__ = ["StatementRunner", "keep_sqlite_rowid_key", "rebuild_table"]


def temporary_name(table_name: str, dialect: Dialect) -> str:
    limit = dialect.max_identifier_length or 63
    return (TEMP_PREFIX + table_name)[:limit]


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
    rebuild_strategy(connection.dialect).order_incoming(connection, model, found)
    return found


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
            if (
                by_source[column] != column
                and rebuild_strategy(dialect).keeps_incoming_foreign_keys
            ):
                raise BatchError(
                    f"cannot rename column {column!r} of {model.display_name!r} during a rebuild: "
                    f"table {fk.table!r} has a foreign key to it; rename it in a batch of its own "
                    "(SQLite's RENAME COLUMN then updates the referencing table)"
                )
            mapping[column] = by_source[column]
    return mapping


def keep_sqlite_rowid_key(model: TableModel, dialect: Dialect) -> TableModel:
    """SQLite: a key that was ``INTEGER PRIMARY KEY`` stays spelled INTEGER when retyped
    (see ``ddl_ops.dialects.sqlite_rebuild``); other databases keep the model as it is."""
    return rebuild_strategy(dialect).keep_rowid_key(model, dialect)


def rebuild_table(runner: StatementRunner, model: TableModel) -> None:
    """Replace the table ``model.name`` by the definition in ``model``, keeping its rows."""
    dialect = runner.dialect
    connection = runner.connection
    strategy = rebuild_strategy(dialect)
    placement = strategy.placement(dialect)
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
        extras = strategy.read_server_extras(connection, model)

    temp_table = build_table(
        model, temp, sa.MetaData(), parts=placement.inline, self_name=model.name
    )
    final_table = build_table(model, model.name, sa.MetaData(), parts=())
    with strategy.atomic(runner, model):
        counters = strategy.counters(runner, model, temp_table)
        strategy.create_new_types(runner, model, temp_table)
        _create_and_fill(runner, model, temp_table, placement)
        old_dropped = False
        try:
            counters.before_swap()
            if not strategy.keeps_incoming_foreign_keys:
                for fk in incoming:
                    runner.run(DropConstraint(_incoming_constraint(fk, final_table, renamed)))
            around = OfflineIncoming()
            if connection is None:
                around = strategy.offline_incoming(model, dialect)
            for statement in around.before_drop:
                runner.run(verbatim(statement))
            runner.run(DropTable(sa.Table(model.name, sa.MetaData(), schema=model.schema)))
            old_dropped = True
            runner.rename_table(temp, model.name, model.schema)
            for statement in around.after_rename:
                runner.run(verbatim(statement))
            _finish(runner, model, final_table, placement, incoming, strategy)
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
    if runner.connection is None or rebuild_strategy(runner.dialect).rebuild_is_atomic(runner):
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
        if runner.connection is not None and not rebuild_strategy(runner.dialect).rebuild_is_atomic(
            runner
        ):
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
    strategy: RebuildStrategy,
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
    if not strategy.keeps_incoming_foreign_keys:
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
