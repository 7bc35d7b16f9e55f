"""Columns, constraints and index elements as source, for create_table and friends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from migrate_autogen.naming import is_convention_name, name_by_convention
from migrate_autogen.render.render_run import RenderRun
from migrate_autogen.render.types import render_type
from migrate_autogen.render.values import literal, name, sql_text
from migrate_autogen.sqltext import index_expression


def render_column(
    column: sa.Column[Any],
    rctx: RenderRun,
    *,
    with_fks: bool = False,
    type_checks: bool = True,
) -> str:
    """``type_checks=False`` leaves out the CHECK the type would make (see `unchecked`)."""
    hooked = rctx.hook("column", column)
    if hooked is not None:
        return hooked
    type_ = _type_naming_its_check(column) if type_checks else unchecked(column.type)
    args = [literal(column.name), render_type(type_, rctx)]
    if with_fks:
        for fk in column.foreign_keys:
            if fk.constraint is not None and len(fk.constraint.elements) > 1:
                continue
            args.append(f"{rctx.sa}ForeignKey({literal(fk.target_fullname)})")
    if column.computed is not None:
        args.append(render_computed(column.computed, rctx))
    elif column.identity is not None:
        args.append(render_identity(column.identity, rctx))
    kwargs: list[str] = []
    if column.key != column.name:
        kwargs.append(f"key={literal(column.key)}")
    if column.primary_key and column.table is None:
        kwargs.append("primary_key=True")
    if column.primary_key and column.autoincrement is False:
        kwargs.append("autoincrement=False")
    default = server_default(column.server_default, rctx)
    if default is not None:
        kwargs.append(f"server_default={default}")
    if column.computed is None:
        kwargs.append(f"nullable={bool(column.nullable)!r}")
    if column.comment:
        kwargs.append(f"comment={literal(column.comment)}")
    return f"{rctx.sa}Column({', '.join(args + kwargs)})"


def unchecked(type_: Any) -> Any:
    """The type without the CHECK a non-native Enum or Boolean would make.

    For add_column and alter_column, where that CHECK has its own operations;
    made again by the type, batch mode's rebuilt table would carry a second copy
    named after the type.
    """
    if not getattr(type_, "create_constraint", False):
        return type_
    copy = type_.copy()
    copy.create_constraint = False
    return copy


def _type_naming_its_check(column: sa.Column[Any]) -> Any:
    """The column's type, named after the CHECK it makes when a naming convention renamed it.

    A non-native Enum or a Boolean with ``create_constraint=True`` names its
    CHECK after the type; under a ``ck`` convention the models call it e.g.
    ``ck_account_state``. The script's tables have no convention, so the type is
    rendered with that final name (``name=op.f(...)``) to create the same CHECK.
    """
    type_: Any = column.type
    if not getattr(type_, "create_constraint", False) or getattr(type_, "native_enum", False):
        return type_
    table = column.table
    checks = table.constraints if isinstance(table, sa.Table) else ()
    for check in checks:
        if not isinstance(check, sa.CheckConstraint) or not getattr(check, "_type_bound", False):
            continue
        if not is_convention_name(check.name):
            continue
        if any(c is column for c in check.columns) and check.name != type_.name:
            renamed = type_.copy()
            renamed.name = check.name
            return renamed
    return type_


def server_default(default: Any, rctx: RenderRun) -> str | None:
    """A server default as ``server_default=`` source; None when there is none."""
    if default is None or isinstance(default, (sa.Computed, sa.Identity)):
        return None
    hooked = rctx.hook("server_default", default)
    if hooked is not None:
        return hooked
    if isinstance(default, sa.DefaultClause):
        default = default.arg
    if isinstance(default, str):
        return literal(default)
    portable = portable_expression(default, rctx)
    return portable if portable is not None else sql_text(default, rctx)


def portable_expression(clause: Any, rctx: RenderRun) -> str | None:
    """``sa.true()``, ``sa.func.now()``...: source that compiles right on every database."""
    if isinstance(clause, sa.sql.elements.True_):
        return f"{rctx.sa}true()"
    if isinstance(clause, sa.sql.elements.False_):
        return f"{rctx.sa}false()"
    if isinstance(clause, sa.sql.functions.FunctionElement) and not list(clause.clauses):
        fn_name = getattr(clause, "name", None)
        if isinstance(fn_name, str) and fn_name.isidentifier() and not clause.packagenames:
            return f"{rctx.sa}func.{fn_name}()"
    return None


def render_computed(computed: sa.Computed, rctx: RenderRun) -> str:
    parts = [sql_text(computed.sqltext, rctx, as_text=False)]
    if computed.persisted is not None:
        parts.append(f"persisted={computed.persisted!r}")
    return f"{rctx.sa}Computed({', '.join(parts)})"


def render_identity(identity: sa.Identity, rctx: RenderRun) -> str:
    parts = []
    for attr in (
        "always",
        "on_null",
        "start",
        "increment",
        "minvalue",
        "maxvalue",
        "cycle",
        "cache",
    ):
        value = getattr(identity, attr, None)
        if value is not None and not (attr == "always" and value is False):
            parts.append(f"{attr}={value!r}")
    return f"{rctx.sa}Identity({', '.join(parts)})"


def render_constraint(constraint: sa.Constraint, rctx: RenderRun) -> str | None:
    """A table-level constraint inside create_table; None for ones SQLAlchemy makes itself."""
    hooked = rctx.hook(type(constraint).__name__.lower(), constraint)
    if hooked is not None:
        return hooked
    kw = _constraint_kwargs(constraint, rctx)
    if isinstance(constraint, sa.PrimaryKeyConstraint):
        if not constraint.columns:
            return None
        cols = [literal(c.name) for c in constraint.columns]
        return f"{rctx.sa}PrimaryKeyConstraint({', '.join(cols + kw)})"
    if isinstance(constraint, sa.UniqueConstraint):
        cols = [literal(c.name) for c in constraint.columns]
        return f"{rctx.sa}UniqueConstraint({', '.join(cols + kw)})"
    if isinstance(constraint, sa.ForeignKeyConstraint):
        local = literal([c.name if hasattr(c, "name") else str(c) for c in _fk_local(constraint)])
        remote = literal([_fk_target(e) for e in constraint.elements])
        extra = [
            f"{attr}={literal(getattr(constraint, attr))}"
            for attr in ("onupdate", "ondelete", "deferrable", "initially", "match")
            if getattr(constraint, attr) is not None
        ]
        if constraint.use_alter:  # CREATE TABLE leaves it out; a create_foreign_key follows
            extra.append("use_alter=True")
        return f"{rctx.sa}ForeignKeyConstraint({', '.join([local, remote, *extra, *kw])})"
    if isinstance(constraint, sa.CheckConstraint):
        text = sql_text(constraint.sqltext, rctx, as_text=False)
        return f"{rctx.sa}CheckConstraint({', '.join([text, *kw])})"
    return None


def _constraint_kwargs(constraint: sa.Constraint, rctx: RenderRun) -> list[str]:
    resolved = convention_name(constraint)
    return [] if resolved is None else [f"name={name(resolved, rctx)}"]


def convention_name(item: sa.Constraint | sa.Index) -> Any:
    """The item's name, with a naming convention applied now rather than at CREATE time."""
    if isinstance(item.name, sa.sql.base._NoneName) and item.table is not None:
        return name_by_convention(item, item.table)
    return item.name


def _fk_local(constraint: sa.ForeignKeyConstraint) -> list[Any]:
    if constraint.columns:
        return list(constraint.columns)
    return [e.parent for e in constraint.elements]


def _fk_target(element: sa.ForeignKey) -> str:
    schema, table, column = element._column_tokens
    return f"{schema}.{table}.{column}" if schema else f"{table}.{column}"


def index_elements(expressions: Sequence[Any], rctx: RenderRun) -> str:
    """Column names as strings, expressions as ``sa.text()`` (never bound to a table)."""
    parts = []
    for expr in expressions:
        if isinstance(expr, sa.Column):
            parts.append(literal(expr.name))
        elif isinstance(expr, str):
            parts.append(literal(expr))
        else:
            parts.append(sql_text(index_expression(expr), rctx))
    return f"[{', '.join(parts)}]"


def index_dialect_kwargs(options: Mapping[str, Any], rctx: RenderRun) -> list[tuple[str, str]]:
    out = []
    for key, value in sorted(options.items()):
        if value is None or value == [] or value == {}:
            continue
        if key.endswith("_where") or isinstance(value, sa.sql.ClauseElement):
            out.append((key, sql_text(value, rctx)))
        else:
            out.append((key, literal(value)))
    return out
