"""Foreign keys: matched by name, else by what they link; options (ON DELETE, ...) included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ddl_ops import CreateForeignKeyOp, DropConstraintOp, MigrateOperation
from migrate_autogen.context import AutogenContext
from migrate_autogen.naming import ddl_name, plain_name, schema_key
from migrate_autogen.pairs import TablePair
from migrate_autogen.registry import comparators


@comparators.register("table", priority=50)
def compare_foreign_keys(ctx: AutogenContext, pair: TablePair) -> Iterator[MigrateOperation]:
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
    ctx: AutogenContext,
    fk: sa.ForeignKeyConstraint,
    table_schema: str | None,
    reflected: bool = False,
) -> tuple[Any, ...]:
    tokens = [element._column_tokens for element in fk.elements]
    referred_schema = schema_key(tokens[0][0], ctx.default_schema)
    if referred_schema is None and reflected and ctx.dialect_name in ("mysql", "mariadb"):
        referred_schema = table_schema  # MySQL omits the schema of a same-schema target
    mysql = ctx.dialect_name in ("mysql", "mariadb")
    no_deferral = mysql or ctx.dialect_name == "sqlite"
    return (
        tuple(c.name for c in fk.columns),
        referred_schema,
        tokens[0][1],
        tuple(t[2] for t in tokens),
        _action(fk.ondelete, mysql),
        _action(fk.onupdate, mysql),
        None if no_deferral else bool(fk.deferrable),
        None if no_deferral else (fk.initially or "IMMEDIATE").upper(),
    )


def _action(value: str | None, mysql: bool) -> str:
    action = (value or "NO ACTION").upper()
    if mysql and action == "RESTRICT":
        return "NO ACTION"
    return action
