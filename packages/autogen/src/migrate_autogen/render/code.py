"""Operations to Python source: one op, a list of ops, or a whole migration script."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ddl_ops import (
    AddColumnOp,
    AddEnumValueOp,
    AlterColumnOp,
    CreateTableOp,
    DropConstraintOp,
    MigrateOperation,
)
from migrate_autogen.options import RenderOptions
from migrate_autogen.render.ops import renderers
from migrate_autogen.render.renames import rename_hints
from migrate_autogen.render.render_run import Call, RenderRun
from migrate_autogen.script import MigrationScript, OperationList

INDENT = "    "
BASE_IMPORTS = ("import sqlalchemy as sa", "from ddl_ops import op")


@dataclass
class RenderedScript:
    """The bodies of ``upgrade()`` and ``downgrade()`` and the imports they need."""

    upgrade: str
    downgrade: str
    imports: list[str] = field(default_factory=list)


def render_op(op: MigrateOperation, **render_options: Any) -> str:
    """One operation as Python source (``op.add_column(...)``), for APIs and messages."""
    rctx = RenderRun(RenderOptions.from_kwargs(render_options))
    return "\n".join(_lines_for_calls(renderers.find(op)(op, rctx), rctx, batch=False))


def render_python_code(ops: Sequence[MigrateOperation], **render_options: Any) -> str:
    """A list of operations as Python statements using ``op.`` and ``sa.``; ``pass`` when empty."""
    rctx = RenderRun(RenderOptions.from_kwargs(render_options))
    return render_body(ops, rctx, ops.dialect_name if isinstance(ops, OperationList) else None)


def render_migration_script(script: MigrationScript, **render_options: Any) -> RenderedScript:
    """Both bodies of a script, and the imports beyond ``sqlalchemy as sa`` and ``op``."""
    rctx = RenderRun(RenderOptions.from_kwargs(render_options))
    upgrade_ops = script.upgrade_ops
    dialect_name = script.dialect_name or (
        upgrade_ops.dialect_name if isinstance(upgrade_ops, OperationList) else None
    )
    upgrade = render_body(script.upgrade_ops, rctx, dialect_name)
    downgrade = render_body(script.downgrade_ops, rctx, dialect_name)
    imports = sorted(i for i in rctx.imports if i not in BASE_IMPORTS)
    return RenderedScript(upgrade=upgrade, downgrade=downgrade, imports=imports)


def render_body(
    ops: Sequence[MigrateOperation], rctx: RenderRun, dialect_name: str | None = None
) -> str:
    """``dialect_name``: the database the ops are for, which decides batch mode when unset."""
    if not ops:
        return "pass"
    as_batch = rctx.options.batch_wanted(dialect_name)
    hints = rename_hints(ops, rctx) if rctx.options.rename_hints else {}
    lines: list[str] = []
    group: list[tuple[int, MigrateOperation]] = []

    def flush() -> None:
        if group:
            lines.extend(_batch_block([op for _, op in group], rctx))
            group.clear()

    committed_first = _enum_values_used_later(ops)
    for position, op in enumerate(ops):
        calls = renderers.find(op)(op, rctx)
        for hint in hints.get(position, []):
            flush()
            lines.append(hint)
        if position in committed_first:
            flush()
            lines.append(f"with {rctx.op}autocommit_block():  # used below: commit it first")
            lines.extend(INDENT + line for line in _lines_for_calls(calls, rctx, batch=False))
            continue
        batchable = as_batch and all(c.batchable for c in calls)
        if batchable:
            if group and _table_of(group[0][1]) != _table_of(op):
                flush()
            group.append((position, op))
            continue
        flush()
        lines.extend(_lines_for_calls(calls, rctx, batch=False))
    flush()
    return "\n".join(lines) if lines else "pass"


def _enum_values_used_later(ops: Sequence[MigrateOperation]) -> set[int]:
    """Positions of enum values added that a later server default names.

    PostgreSQL refuses a new enum value in the transaction that added it ("unsafe
    use of new value"), so such an ``add_enum_value`` runs in ``autocommit_block()``.
    """
    found: set[int] = set()
    for position, op in enumerate(ops):
        if not isinstance(op, AddEnumValueOp):
            continue
        quoted = "'" + op.value.replace("'", "''") + "'"
        later = ops[position + 1 :]
        if any(quoted in text or op.value == text for text in _server_default_texts(later)):
            found.add(position)
    return found


def _server_default_texts(ops: Sequence[MigrateOperation]) -> Iterator[str]:
    for op in ops:
        defaults: list[Any] = []
        if isinstance(op, AlterColumnOp):
            defaults.append(op.server_default)
        elif isinstance(op, AddColumnOp):
            defaults.append(op.column.server_default)
        elif isinstance(op, CreateTableOp):
            defaults += [c.server_default for c in op.columns if isinstance(c, sa.Column)]
        for default in defaults:
            arg = getattr(default, "arg", default)
            text = getattr(arg, "text", arg)
            if isinstance(text, str):
                yield text


# how a batch block names an unnamed foreign key it must drop (SQLite reflects no name)
UNNAMED_FK_CONVENTION = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _batch_block(ops: list[MigrateOperation], rctx: RenderRun) -> list[str]:
    schema, table_name = _table_of(ops[0])
    schema_arg = f", schema={schema!r}" if schema else ""
    ops = [_named_for_batch(op) for op in ops]
    if any(isinstance(op, _NamedByConvention) for op in ops):
        schema_arg += f", naming_convention={UNNAMED_FK_CONVENTION!r}"
    lines = [f"with {rctx.op}batch_alter_table({table_name!r}{schema_arg}) as batch_op:"]
    for op in ops:
        calls = renderers.find(op)(op, rctx)
        lines.extend(INDENT + line for line in _lines_for_calls(calls, rctx, batch=True))
    return lines


class _NamedByConvention(DropConstraintOp):
    """Dropping an unnamed foreign key by the name `UNNAMED_FK_CONVENTION` gives it."""


def _named_for_batch(op: MigrateOperation) -> MigrateOperation:
    """An unnamed foreign key to drop, named as the block's naming_convention will name it."""
    if (
        not isinstance(op, DropConstraintOp)
        or op.constraint_name is not None
        or op.type_ != "foreignkey"
        or not isinstance(op.existing_constraint, sa.ForeignKeyConstraint)
        or not op.existing_constraint.elements
    ):
        return op
    fk = op.existing_constraint
    column = fk.elements[0].parent.name
    referred = fk.elements[0]._column_tokens[1]
    return _NamedByConvention(
        f"fk_{op.table_name}_{column}_{referred}",
        op.table_name,
        "foreignkey",
        schema=op.schema,
        existing_constraint=fk,
    )


def _lines_for_calls(calls: list[Call], rctx: RenderRun, *, batch: bool) -> list[str]:
    lines: list[str] = []
    for call in calls:
        lines.extend(call.comments)
        if not call.method:
            continue
        args = list(call.args)
        kwargs = list(call.kwargs)
        prefix = rctx.op
        if batch:
            prefix = "batch_op."
            if call.table_arg is not None:
                del args[call.table_arg]
            kwargs = [(k, v) for k, v in kwargs if k != "schema" and k != call.table_kwarg]
        rendered = args + [f"{k}={v}" for k, v in kwargs]
        lines.extend(_format_call(f"{prefix}{call.method}", rendered).split("\n"))
    return lines


def _format_call(callee: str, args: list[str]) -> str:
    one_line = f"{callee}({', '.join(args)})"
    if len(one_line) <= 96 and "\n" not in one_line:
        return one_line
    inner = ",\n".join(INDENT + a for a in args)
    return f"{callee}(\n{inner},\n)"


def _table_of(op: MigrateOperation) -> tuple[Any, Any]:
    return (getattr(op, "schema", None), getattr(op, "table_name", None))
