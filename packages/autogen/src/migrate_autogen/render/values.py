"""Python literals and SQL snippets as source text."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from migrate_autogen.naming import is_convention_name
from migrate_autogen.render.render_run import RenderRun


def literal(value: Any) -> str:
    """``repr`` for plain values; always valid Python source."""
    if isinstance(value, (list, tuple)):
        inner = ", ".join(literal(v) for v in value)
        return f"[{inner}]"
    if isinstance(value, sa.sql.elements.quoted_name):
        return repr(str(value))
    if isinstance(value, str):
        return repr(str(value))
    return repr(value)


def name(value: Any, rctx: RenderRun) -> str:
    """A constraint/index name; naming-convention names are wrapped in ``op.f()``, kept verbatim."""
    if value is None or isinstance(value, sa.sql.base._NoneName):
        return "None"
    if is_convention_name(value):
        return f"{rctx.op}f({literal(str(value))})"
    return literal(str(value))


def sql_text(clause: Any, rctx: RenderRun, *, as_text: bool = True) -> str:
    """An SQL expression as ``sa.text('...')`` (or a plain string when ``as_text`` is false)."""
    if isinstance(clause, str):
        text = clause
    elif isinstance(clause, sa.TextClause):
        text = clause.text
    else:
        text = str(clause.compile(compile_kwargs={"literal_binds": True, "include_table": False}))
    return f"{rctx.sa}text({literal(text)})" if as_text else literal(text)
