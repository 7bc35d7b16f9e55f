"""Foreign keys: matched by name, else by what they link; options (ON DELETE, ...) included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ddl_ops import (
    AlterColumnOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateUniqueConstraintOp,
    DropConstraintOp,
    DropIndexOp,
    MigrateOperation,
)
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.naming import ddl_name, plain_name, schema_key
from migrate_autogen.pairs import TablePair
from migrate_autogen.registry import comparators


@comparators.register("table", priority=50)
def compare_foreign_keys(ctx: CompareRun, pair: TablePair) -> Iterator[MigrateOperation]:
    meta_fks = [
        fk
        for fk in pair.meta.foreign_key_constraints
        if ctx.include(fk, ddl_name(fk, ctx.dialect), "foreign_key_constraint", False, None)
    ]
    conn_fks = [
        fk
        for fk in pair.conn.foreign_key_constraints
        if ctx.include(fk, plain_name(fk), "foreign_key_constraint", True, None)
    ]
    unmatched_conn = list(conn_fks)
    to_create: list[sa.ForeignKeyConstraint] = []
    to_drop: list[sa.ForeignKeyConstraint] = []
    for fk in meta_fks:
        name = ddl_name(fk, ctx.dialect)
        signature = fk_signature(ctx, fk, pair.schema)
        found = next((c for c in unmatched_conn if name and c.name == name), None)
        if found is None:
            found = next(
                (
                    c
                    for c in unmatched_conn
                    if fk_signature(ctx, c, pair.schema, True) == signature
                    and (name is None or c.name is None or c.name == name)
                ),
                None,
            )
            if found is None:
                to_create.append(fk)
                continue
        unmatched_conn.remove(found)
        if fk_signature(ctx, found, pair.schema, True) != signature:
            to_drop.append(found)
            to_create.append(fk)
    for fk in to_drop + unmatched_conn:
        fk_name = plain_name(fk)
        if fk_name is None and ctx.rules.drops_unnamed_foreign_keys_in_batch:
            # the table is rebuilt in batch mode, where the renderer names it
            # through batch_alter_table(naming_convention=...) to drop it
            yield DropConstraintOp.from_constraint(fk)
            continue
        if fk_name is None:
            ctx.note(
                f"an unnamed foreign key on {pair.name} differs from the models; it has "
                "no name to drop it by: recreate the table (batch mode) by hand"
            )
            continue
        yield DropConstraintOp(
            fk_name, pair.name, "foreignkey", schema=pair.schema, existing_constraint=fk
        )
    for fk in to_create:
        yield CreateForeignKeyOp.from_constraint(fk)


def fk_signature(
    ctx: CompareRun,
    fk: sa.ForeignKeyConstraint,
    table_schema: str | None,
    reflected: bool = False,
) -> tuple[Any, ...]:
    tokens = [element._column_tokens for element in fk.elements]
    referred_schema = schema_key(tokens[0][0], ctx.default_schema)
    rules = ctx.rules
    if referred_schema is None and reflected and rules.reflected_fk_omits_same_schema:
        referred_schema = table_schema  # e.g. MySQL omits the schema of a same-schema target
    no_deferral = not rules.reflects_fk_deferral
    return (
        tuple(c.name for c in fk.columns),
        referred_schema,
        tokens[0][1],
        tuple(t[2] for t in tokens),
        rules.fk_action((fk.ondelete or "NO ACTION").upper()),
        rules.fk_action((fk.onupdate or "NO ACTION").upper()),
        None if no_deferral else bool(fk.deferrable),
        None if no_deferral else (fk.initially or "IMMEDIATE").upper(),
    )


def rebuild_around_type_changes(
    ctx: CompareRun, ops: list[MigrateOperation]
) -> list[MigrateOperation]:
    """On MySQL/MariaDB, drop and re-add the foreign keys a change would otherwise break.

    MySQL refuses to MODIFY a column a foreign key uses, on either end
    (errors 1832/1833), so widening ``INT`` keys to ``BIGINT`` would not run; and
    it refuses to drop the only index a foreign key can use (error 1553).
    Foreign keys the comparison already drops or recreates are left as they are.
    """
    if not ctx.rules.rebuilds_foreign_keys_around_changes:
        return ops
    changed = {
        (schema_key(op.schema, ctx.default_schema), op.table_name, op.column_name)
        for op in ops
        if isinstance(op, AlterColumnOp) and op.type_ is not None
    }
    lost = _dropped_indexes(ctx, ops)
    if not changed and not lost:
        return ops
    dropped = {
        (schema_key(op.schema, ctx.default_schema), op.table_name, op.constraint_name)
        for op in ops
        if isinstance(op, (DropConstraintOp, CreateForeignKeyOp))
    }
    extra: list[MigrateOperation] = []
    for (schema, table_name), table in ctx.reflected.tables.items():
        model = ctx.meta_tables.get((schema, table_name))
        if model is None:
            continue
        for fk in table.foreign_key_constraints:
            name = plain_name(fk)
            if name is None or (schema, table_name, name) in dropped:
                continue
            typed = _columns_of(ctx, fk, schema, table_name) & changed
            if not typed and not _loses_its_index(ctx, fk, schema, table, lost):
                continue
            extra.append(
                DropConstraintOp(
                    name, table_name, "foreignkey", schema=schema, existing_constraint=fk
                )
            )
            wanted = _model_twin(ctx, model, fk, schema)
            if wanted is not None:
                extra.append(CreateForeignKeyOp.from_constraint(wanted))
    return ops + extra


def _dropped_indexes(ctx: CompareRun, ops: list[MigrateOperation]) -> set[tuple[Any, ...]]:
    """(schema, table, index name) of each index or unique constraint the ops drop."""
    return {
        (schema_key(op.schema, ctx.default_schema), op.table_name, op.index_name)
        for op in ops
        if isinstance(op, DropIndexOp)
    } | {
        (schema_key(op.schema, ctx.default_schema), op.table_name, op.constraint_name)
        for op in ops
        if isinstance(op, DropConstraintOp) and op.type_ == "unique"
    }


def _loses_its_index(
    ctx: CompareRun,
    fk: sa.ForeignKeyConstraint,
    schema: str | None,
    table: sa.Table,
    lost: set[tuple[Any, ...]],
) -> bool:
    """True when an index this foreign key could use goes and no index left can serve it."""
    local = tuple(c.name for c in fk.columns)
    serving = [
        (plain_name(index), tuple(getattr(e, "name", None) for e in index.expressions))
        for index in table.indexes
    ]
    serving += [(None, tuple(c.name for c in table.primary_key.columns))]
    usable = [name for name, columns in serving if columns[: len(local)] == local]
    gone = [name for name in usable if (schema, table.name, name) in lost]
    return bool(gone) and len(gone) == len(usable)


def _columns_of(
    ctx: CompareRun, fk: sa.ForeignKeyConstraint, schema: str | None, table_name: str
) -> set[tuple[Any, ...]]:
    """Both ends of a reflected foreign key, as (schema, table, column) keys."""
    ends: set[tuple[Any, ...]] = {(schema, table_name, column.name) for column in fk.columns}
    for element in fk.elements:
        ref_schema, ref_table, ref_column = element._column_tokens
        ref_key = schema_key(ref_schema, ctx.default_schema)
        ends.add((schema if ref_schema is None else ref_key, ref_table, ref_column))
    return ends


def _model_twin(
    ctx: CompareRun, model: sa.Table, fk: sa.ForeignKeyConstraint, schema: str | None
) -> sa.ForeignKeyConstraint | None:
    """The model's foreign key that the comparison matched to the reflected ``fk``."""
    candidates = list(model.foreign_key_constraints)
    named = next((c for c in candidates if ddl_name(c, ctx.dialect) == fk.name), None)
    if named is not None:
        return named
    signature = fk_signature(ctx, fk, schema, True)
    return next((c for c in candidates if fk_signature(ctx, c, schema) == signature), None)


def keep_foreign_keys_served(
    ctx: CompareRun, upgrade: list[MigrateOperation], downgrade: list[MigrateOperation]
) -> list[MigrateOperation]:
    """On MySQL/MariaDB, let the downgrade drop an index the upgrade made for a foreign key.

    When a new index (or unique constraint) can serve an existing foreign key, the
    server drops the index it had made for that key itself; the downgrade's
    DROP INDEX is then refused (error 1553). The downgrade drops the foreign key
    first and adds it back after, when the server makes its own index again.
    """
    if not ctx.rules.rebuilds_foreign_keys_around_changes:
        return downgrade
    touched = {
        (schema_key(op.schema, ctx.default_schema), op.table_name, op.constraint_name)
        for op in upgrade
        if isinstance(op, (DropConstraintOp, CreateForeignKeyOp))
    }
    guarded: dict[int, sa.ForeignKeyConstraint] = {}
    for op in upgrade:
        if not isinstance(op, (CreateIndexOp, CreateUniqueConstraintOp)):
            continue
        schema = schema_key(op.schema, ctx.default_schema)
        model = ctx.meta_tables.get((schema, op.table_name))
        if model is None or (schema, op.table_name) not in ctx.reflected.tables:
            continue
        columns = tuple(getattr(c, "name", c) for c in op.columns)
        for fk in model.foreign_key_constraints:
            local = tuple(c.name for c in fk.columns)
            name = ddl_name(fk, ctx.dialect)
            if (
                name
                and columns[: len(local)] == local
                and (schema, model.name, name) not in touched
            ):
                guarded[id(op)] = fk
    if not guarded:
        return downgrade
    result: list[MigrateOperation] = []
    for op in downgrade:
        served = [guarded[id(o)] for o in guarded_origins(op, upgrade) if id(o) in guarded]
        if not served:
            result.append(op)
            continue
        fk = served[0]
        table = fk.table
        name = str(ddl_name(fk, ctx.dialect))
        result.append(DropConstraintOp(name, table.name, "foreignkey", schema=table.schema))
        result.append(op)
        result.append(CreateForeignKeyOp.from_constraint(fk))
    return result


def guarded_origins(op: MigrateOperation, upgrade: list[MigrateOperation]) -> list[Any]:
    """The upgrade operations ``op`` undoes (matched by kind, table and name)."""
    if isinstance(op, DropIndexOp):
        return [
            o
            for o in upgrade
            if isinstance(o, CreateIndexOp)
            and o.index_name == op.index_name
            and o.table_name == op.table_name
        ]
    if isinstance(op, DropConstraintOp) and op.type_ == "unique":
        return [
            o
            for o in upgrade
            if isinstance(o, CreateUniqueConstraintOp)
            and o.constraint_name == op.constraint_name
            and o.table_name == op.table_name
        ]
    return []
