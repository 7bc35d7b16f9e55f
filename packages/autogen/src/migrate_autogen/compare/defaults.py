"""Server defaults, compared after reducing both sides per `migrate_autogen.sqltext`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from migrate_autogen.column_copies import default_arg
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.pairs import ColumnChange, ColumnPair
from migrate_autogen.registry import comparators
from migrate_autogen.sqltext import normalize_default


@comparators.register("column", priority=30)
def compare_server_default(ctx: CompareRun, pair: ColumnPair, change: ColumnChange) -> None:
    option = ctx.options.compare_server_default
    if option is False:
        return
    meta, conn = pair.meta, pair.conn
    if meta.computed is not None or conn.computed is not None:
        return
    if meta.identity is not None or conn.identity is not None:
        return
    meta_sql = metadata_default_sql(ctx, meta)
    conn_arg = default_arg(conn)
    conn_sql = None if conn_arg is None else str(getattr(conn_arg, "text", conn_arg))
    if _is_autoincrement_default(meta_sql) or _is_autoincrement_default(conn_sql):
        return
    verdict: bool | None = None
    if callable(option):
        verdict = option(ctx, conn, meta, conn_sql, meta.server_default, meta_sql)
    if verdict is None:
        verdict = normalize_default(meta_sql) != normalize_default(conn_sql)
        if verdict and meta_sql is not None and conn_sql is not None:
            verdict = not ctx.rules.defaults_equal_in_database(
                ctx.connection, conn, meta_sql, conn_sql
            )
    if verdict:
        change.server_default = default_arg(meta)


def metadata_default_sql(ctx: CompareRun, column: sa.Column[Any]) -> str | None:
    """The DEFAULT clause text CREATE TABLE would emit for ``column``."""
    if not isinstance(column.server_default, sa.DefaultClause):
        return None
    try:
        rendered = ctx.ddl_compiler.get_column_default_string(column)
    except sa.exc.CompileError:
        arg = column.server_default.arg
        rendered = arg if isinstance(arg, str) else str(arg)
    return None if rendered is None else ctx.as_stored(str(rendered))


def _is_autoincrement_default(sql: str | None) -> bool:
    """PostgreSQL SERIAL columns reflect ``nextval('seq'::regclass)``; the models say nothing."""
    return sql is not None and sql.strip().lower().startswith("nextval(")
