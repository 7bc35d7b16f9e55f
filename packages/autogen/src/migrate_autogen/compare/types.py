"""Column types: the DDL each side would emit, reduced per dialect, decides.

Comparing the compiled type strings follows what the database really stores:
``sa.String(50)`` and a reflected ``VARCHAR(50)`` both compile to ``VARCHAR(50)``.
What the database spells differently (MariaDB's TINYINT(1) for BOOLEAN, display
widths, PostgreSQL's DOUBLE PRECISION for FLOAT) is folded by `_fold`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from migrate_autogen.context import AutogenContext
from migrate_autogen.pairs import ColumnChange, ColumnPair
from migrate_autogen.registry import comparators

_COLLATION = re.compile(r"\s+(CHARACTER SET|CHARSET|COLLATE)\s+\"?[\w]+\"?", re.IGNORECASE)
_MYSQL_INT_WIDTH = re.compile(r"^(TINYINT|SMALLINT|MEDIUMINT|INTEGER|INT|BIGINT)\(\d+\)")


@comparators.register("column", priority=20)
def compare_type(ctx: AutogenContext, pair: ColumnPair, change: ColumnChange) -> None:
    option = ctx.options.compare_type
    if option is False:
        return
    if pair.meta.computed is not None and ctx.dialect_name == "sqlite":
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
def type_says_itself(ctx: AutogenContext, pair: ColumnPair) -> bool | None:
    """A type that implements ``compare_against_backend`` decides for itself."""
    if isinstance(pair.conn.type, sa.types.NullType):
        return False  # the database type was not recognised: nothing to compare
    method = getattr(pair.meta.type, "compare_against_backend", None)
    if method is None:
        return None
    answer = method(ctx.dialect, pair.conn.type)
    return None if answer is None else not answer


_SIZED = re.compile(r"(TEXT|BLOB)\((\d+)\)")
_SIZE_KINDS = ((255, "TINY"), (65535, ""), (16777215, "MEDIUM"))


@comparators.register("type", dialect="mysql", priority=50)
def mysql_sized_text(ctx: AutogenContext, pair: ColumnPair) -> bool | None:
    """``Text(n)`` / ``LargeBinary(n)`` against the TEXT / BLOB kind MySQL chose for ``n``.

    MySQL stores ``TEXT(100000)`` as MEDIUMTEXT and ``BLOB(1000)`` as BLOB: the
    smallest kind that holds ``n`` bytes (for TEXT, ``n`` characters of 1 to 4 bytes).
    """
    meta_sql = compiled_type(pair.meta.type, ctx.dialect)
    conn_sql = compiled_type(pair.conn.type, ctx.dialect)
    if meta_sql is None or conn_sql is None:
        return None
    match = _SIZED.fullmatch(_fold(meta_sql, ctx.dialect))
    if match is None:
        return None
    kind, length = match.group(1), int(match.group(2))
    widths = (length,) if kind == "BLOB" else (length, 4 * length)
    return _fold(conn_sql, ctx.dialect) not in {_size_kind(kind, w) for w in widths}


def _size_kind(kind: str, size: int) -> str:
    for limit, prefix in _SIZE_KINDS:
        if size <= limit:
            return prefix + kind
    return "LONG" + kind


@comparators.register("type", priority=100)
def compiled_types_differ(ctx: AutogenContext, pair: ColumnPair) -> bool | None:
    meta_sql = compiled_type(pair.meta.type, ctx.dialect)
    conn_sql = compiled_type(pair.conn.type, ctx.dialect)
    if meta_sql is None or conn_sql is None:
        meta_aff = pair.meta.type._type_affinity
        conn_aff = pair.conn.type._type_affinity
        return meta_aff is not None and conn_aff is not None and meta_aff is not conn_aff
    return _fold(meta_sql, ctx.dialect) != _fold(conn_sql, ctx.dialect)


def compiled_type(type_: Any, dialect: Dialect) -> str | None:
    try:
        return str(type_.compile(dialect=dialect))
    except (sa.exc.CompileError, sa.exc.UnsupportedCompilationError, NotImplementedError):
        return None


def _fold(sql: str, dialect: Dialect) -> str:
    return _fold_for(sql, dialect.name)


@lru_cache(maxsize=4096)
def _fold_for(sql: str, name: str) -> str:
    text = _COLLATION.sub("", sql.upper())
    text = re.sub(r"\s*,\s*", ",", re.sub(r"\s+", " ", text)).strip()
    if name in ("mysql", "mariadb"):
        return _fold_mysql(text)
    if name == "postgresql":
        return _fold_postgresql(text)
    return text


def _fold_mysql(text: str) -> str:
    if text in ("BOOL", "BOOLEAN"):
        return "TINYINT(1)"
    if text == "TINYINT(1)":
        return text
    text = _MYSQL_INT_WIDTH.sub(r"\1", text)
    text = re.sub(r"^INT\b", "INTEGER", text)
    text = re.sub(r"^NUMERIC\b", "DECIMAL", text)
    if text == "DECIMAL":
        text = "DECIMAL(10,0)"
    text = text.replace("DOUBLE PRECISION", "DOUBLE")
    if text == "REAL":
        text = "DOUBLE"  # unless REAL_AS_FLOAT is set, MySQL's REAL is DOUBLE
    match = re.fullmatch(r"FLOAT\((\d+)\)", text)
    if match:
        text = "FLOAT" if int(match.group(1)) <= 24 else "DOUBLE"
    if text == "JSON":
        text = "LONGTEXT"
    return text


def _fold_postgresql(text: str) -> str:
    match = re.fullmatch(r"FLOAT(?:\((\d+)\))?", text)
    if match:
        precision = int(match.group(1) or 53)
        return "REAL" if precision <= 24 else "DOUBLE PRECISION"
    text = re.sub(r"^INT\b", "INTEGER", text)
    text = re.sub(r"^DECIMAL\b", "NUMERIC", text)
    return text
