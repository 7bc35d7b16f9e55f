"""Primary keys and CHECK constraints (unique constraints live with indexes, see indexes.py)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from ddl_ops import (
    CreateCheckConstraintOp,
    CreatePrimaryKeyOp,
    DropConstraintOp,
    MigrateOperation,
)
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.naming import column_checks, ddl_name, plain_name
from migrate_autogen.pairs import TablePair
from migrate_autogen.registry import comparators
from migrate_autogen.sqltext import condition_constants, normalize_expression, split_literals


@comparators.register("table", priority=20)
def compare_primary_key(ctx: CompareRun, pair: TablePair) -> Iterator[MigrateOperation]:
    meta_pk, conn_pk = pair.meta.primary_key, pair.conn.primary_key
    meta_cols = [c.name for c in meta_pk.columns]
    conn_cols = [c.name for c in conn_pk.columns]
    if meta_cols == conn_cols:
        return
    if not ctx.include(meta_pk, ddl_name(meta_pk, ctx.dialect), "primary_key", False, conn_pk):
        return
    if conn_cols:
        yield DropConstraintOp(
            plain_name(conn_pk) or _default_pk_name(ctx, pair),
            pair.name,
            "primary",
            schema=pair.schema,
            existing_constraint=_detached_pk(conn_pk),
        )
    if meta_cols:
        yield CreatePrimaryKeyOp(
            ddl_name(meta_pk, ctx.dialect) or _default_pk_name(ctx, pair),
            pair.name,
            meta_cols,
            schema=pair.schema,
        )


def _default_pk_name(ctx: CompareRun, pair: TablePair) -> str:
    return ctx.rules.default_primary_key_name(pair.name)


def _detached_pk(pk: sa.PrimaryKeyConstraint) -> sa.PrimaryKeyConstraint:
    """A copy on a bare table, so the downgrade's create_primary_key does not drag the reflected
    table's other constraints along."""
    table = sa.Table(
        pk.table.name,
        sa.MetaData(),
        *[sa.Column(c.name, c.type) for c in pk.columns],
        schema=pk.table.schema,
    )
    return sa.PrimaryKeyConstraint(*[table.c[c.name] for c in pk.columns], name=plain_name(pk))


@comparators.register("table", priority=40)
def compare_check_constraints(ctx: CompareRun, pair: TablePair) -> Iterator[MigrateOperation]:
    """Named CHECKs match by name; unnamed ones by their normalized condition.

    A CHECK kept under the same name is replaced when its condition's constants
    changed (`condition_constants`): `amount >= 0` becoming `amount >= 10`, a value
    added to an IN list. The rest of its form is not compared: databases rewrite it
    too freely to tell a real change from a respelling.
    """
    meta_checks = [c for c in _checks(pair.meta) if _created_on(c, ctx)]
    conn_checks = [c for c in _checks(pair.conn) if not _implicit_in_database(c, pair, ctx)]
    meta_checks = [
        c
        for c in meta_checks
        if ctx.include(c, ddl_name(c, ctx.dialect), "check_constraint", False, None)
    ]
    conn_checks = [
        c for c in conn_checks if ctx.include(c, plain_name(c), "check_constraint", True, None)
    ]
    unmatched_conn = list(conn_checks)
    unmatched_meta: list[sa.CheckConstraint] = []
    for check in meta_checks:
        name = ddl_name(check, ctx.dialect)
        found = next((c for c in unmatched_conn if name and c.name == name), None)
        if found is None:
            text = normalize_expression(_condition_sql(ctx, check))
            found = next(
                (c for c in unmatched_conn if normalize_expression(str(c.sqltext)) == text), None
            )
        if found is None or _condition_changed(ctx, check, found):
            unmatched_meta.append(check)
        else:
            unmatched_conn.remove(found)
    for check in unmatched_meta:
        if ddl_name(check, ctx.dialect) is None and unmatched_conn:
            # an unnamed CHECK the database respelled beyond recognition: assume it is there
            unmatched_conn.pop(0)
            continue
        yield CreateCheckConstraintOp(
            None if isinstance(check.name, sa.sql.base._NoneName) else check.name,
            pair.name,
            _detached_condition(ctx, check),
            schema=pair.schema,
            **check.dialect_kwargs,
        )  # not from_constraint(): a column-level CHECK's parent is its column
    for check in unmatched_conn:
        check_name = plain_name(check)
        if check_name is None:
            ctx.note(
                f"an unnamed CHECK on {pair.name} is not in the models; it has no name "
                "to drop it by: recreate the table (batch mode) by hand"
            )
            continue
        yield DropConstraintOp(
            check_name,
            pair.name,
            "check",
            schema=pair.schema,
            existing_constraint=check,
        )


def _checks(table: sa.Table) -> list[sa.CheckConstraint]:
    table_level = [c for c in table.constraints if isinstance(c, sa.CheckConstraint)]
    return table_level + column_checks(table)


def _detached_condition(ctx: CompareRun, check: sa.CheckConstraint) -> Any:
    """The condition as SQL text, unless it already is text.

    A condition built on the models' columns (a non-native Enum's ``state IN (...)``)
    would attach the CHECK the downgrade builds from it to the models' own table,
    which the next comparison in the same process then sees twice.
    """
    if isinstance(check.sqltext, sa.TextClause):
        return check.sqltext
    return sa.text(_condition_sql(ctx, check))


def _condition_changed(
    ctx: CompareRun, check: sa.CheckConstraint, found: sa.CheckConstraint
) -> bool:
    """Whether the database's CHECK of the same name (or condition) holds other constants.

    Kept under its name, the old CHECK would go on rejecting rows the models now
    allow, or letting in rows they now refuse.
    """
    if getattr(check, "_type_bound", False):
        return _enum_values_changed(check, found)
    escapes = ctx.rules.backslash_escapes
    wanted = condition_constants(_condition_sql(ctx, check), escapes)
    return wanted != condition_constants(str(found.sqltext), escapes)


def _enum_values_changed(check: sa.CheckConstraint, found: sa.CheckConstraint) -> bool:
    """A non-native Enum's CHECK whose values differ from the quoted strings in the database's.

    Its name stays the same when values are added, so without this the old CHECK
    would keep rejecting the values the models now allow. A Boolean's CHECK has
    nothing to change.
    """
    if not getattr(check, "_type_bound", False):
        return False
    enums = [c.type for c in check.columns if isinstance(c.type, sa.Enum)]
    if not enums:
        return False
    stored = {
        piece[1:-1].replace("''", "'")
        for is_literal, piece in split_literals(str(found.sqltext))
        if is_literal
    }
    return stored != set(enums[0].enums)


def _created_on(check: sa.CheckConstraint, ctx: CompareRun) -> bool:
    """Type-made CHECKs (Boolean, non-native Enum) exist only where the type creates them."""
    rule = getattr(check, "_create_rule", None)
    if rule is None:
        return True
    return bool(rule(SimpleNamespace(dialect=ctx.dialect)))


def _implicit_in_database(check: sa.CheckConstraint, pair: TablePair, ctx: CompareRun) -> bool:
    """A CHECK the database adds by itself (MariaDB's json_valid(col) on JSON columns)."""
    return ctx.rules.implicit_check(normalize_expression(str(check.sqltext)))


def _condition_sql(ctx: CompareRun, check: sa.CheckConstraint) -> str:
    compiler = ctx.ddl_compiler.sql_compiler
    return ctx.as_stored(
        str(compiler.process(check.sqltext, include_table=False, literal_binds=True))
    )
