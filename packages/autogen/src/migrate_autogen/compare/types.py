"""Column types: the DDL each side would emit, reduced per dialect, decides.

Comparing the compiled type strings follows what the database really stores:
``sa.String(50)`` and a reflected ``VARCHAR(50)`` both compile to ``VARCHAR(50)``.
What the database spells differently (MariaDB's TINYINT(1) for BOOLEAN, display
widths, PostgreSQL's DOUBLE PRECISION for FLOAT) is folded by the database's
`DialectRules.fold_type_sql` (see `migrate_autogen.dialects`).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from migrate_autogen.compare_run import CompareRun
from migrate_autogen.dialects import rules_for
from migrate_autogen.dialects.default import compiled_type
from migrate_autogen.pairs import ColumnChange, ColumnPair
from migrate_autogen.registry import comparators


@comparators.register("column", priority=20)
def compare_type(ctx: CompareRun, pair: ColumnPair, change: ColumnChange) -> None:
    option = ctx.options.compare_type
    if option is False:
        return
    if pair.meta.computed is not None and not ctx.rules.compares_computed_column_types:
        return
    verdict: bool | None = None
    if callable(option):
        verdict = option(ctx, pair.conn, pair.meta, pair.conn.type, pair.meta.type)
    if verdict is None:
        for fn in ctx.comparators_for("type"):
            verdict = fn(ctx, pair)
            if verdict is not None:
                break
    if verdict:
        change.type_ = pair.meta.type


@comparators.register("type", priority=10)
def type_says_itself(ctx: CompareRun, pair: ColumnPair) -> bool | None:
    """A type that implements ``compare_against_backend`` decides for itself."""
    if isinstance(pair.conn.type, sa.types.NullType):
        return False  # the database type was not recognised: nothing to compare
    method = getattr(pair.meta.type, "compare_against_backend", None)
    if method is None:
        return None
    answer = method(ctx.dialect, pair.conn.type)
    return None if answer is None else not answer


@comparators.register("type", priority=50)
def dialect_type_rule(ctx: CompareRun, pair: ColumnPair) -> bool | None:
    """The database's own verdict where spellings mislead (MySQL's ``TEXT(n)`` kinds)."""
    return ctx.rules.types_differ(pair.meta.type, pair.conn.type, ctx.dialect)


@comparators.register("type", priority=100)
def compiled_types_differ(ctx: CompareRun, pair: ColumnPair) -> bool | None:
    meta_sql = compiled_type(pair.meta.type, ctx.dialect)
    conn_sql = compiled_type(pair.conn.type, ctx.dialect)
    if meta_sql is None or conn_sql is None:
        meta_aff = pair.meta.type._type_affinity
        conn_aff = pair.conn.type._type_affinity
        return meta_aff is not None and conn_aff is not None and meta_aff is not conn_aff
    return ctx.rules.fold_type_sql(meta_sql) != ctx.rules.fold_type_sql(conn_sql)


def _fold(sql: str, dialect: Dialect) -> str:
    return rules_for(dialect).fold_type_sql(sql)
