"""Rules on indexes: building and dropping them without blocking writes (MG2xx)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddl_ops.lint.findings import Severity
from ddl_ops.lint.registry import Rule, register_rule
from ddl_ops.lint.rule_input import CheckContext
from ddl_ops.ops import CreateIndexOp, DropIndexOp

Fields = Mapping[str, Any] | None


def concurrently(op: CreateIndexOp | DropIndexOp) -> bool:
    return bool(op.dialect_kw.get("postgresql_concurrently"))


def _index_name(op: CreateIndexOp | DropIndexOp) -> str:
    return str(op.index_name) if op.index_name else "(unnamed)"


def check_create_index(op: CreateIndexOp, ctx: CheckContext) -> Fields:
    if concurrently(op) or not ctx.may_hold_rows(op.table_name, op.schema):
        return None
    return {"index": _index_name(op), "table": op.table_name}


def check_concurrently_in_transaction(op: CreateIndexOp | DropIndexOp, ctx: CheckContext) -> Fields:
    if not concurrently(op) or not ctx.in_transaction:
        return None
    verb = "creating" if isinstance(op, CreateIndexOp) else "dropping"
    return {"index": _index_name(op), "verb": verb}


def check_drop_index(op: DropIndexOp, ctx: CheckContext) -> Fields:
    if concurrently(op):
        return None
    if op.table_name is not None and ctx.table_is_new(op.table_name, op.schema):
        return None
    return {"index": _index_name(op)}


CREATE_INDEX = register_rule(
    Rule(
        code="MG201",
        name="create-index-not-concurrently",
        severity=Severity.WARNING,
        message="creating index {index} on {table} blocks writes to the table while it builds",
        hint="pass postgresql_concurrently=True and run it inside `with op.autocommit_block():`",
        dialects=("postgresql",),
        summary="An index is built on an existing PostgreSQL table without CONCURRENTLY.",
        why="CREATE INDEX takes a SHARE lock: every INSERT, UPDATE and DELETE on the table "
        "waits until the whole index is built, minutes to hours on a large table. "
        "CREATE INDEX CONCURRENTLY builds it while writes go on (MySQL/MariaDB build "
        "indexes online by default, so this rule is PostgreSQL's).",
        bad_example='op.create_index("ix_event_created", "event", ["created_at"])',
        safe_example="with op.autocommit_block():\n    op.create_index(\n"
        '        "ix_event_created", "event", ["created_at"], postgresql_concurrently=True,\n'
        "    )",
        op_types=(CreateIndexOp,),
        check=check_create_index,
    )
)

CONCURRENTLY_IN_TRANSACTION = register_rule(
    Rule(
        code="MG202",
        name="concurrently-in-transaction",
        severity=Severity.ERROR,
        message="{verb} index {index} CONCURRENTLY inside a transaction fails on PostgreSQL",
        hint="move it into `with op.autocommit_block():`",
        dialects=("postgresql",),
        summary="CREATE/DROP INDEX CONCURRENTLY runs inside the migration's transaction.",
        why='PostgreSQL refuses CONCURRENTLY inside a transaction block ("cannot run inside '
        'a transaction block"), and migrations run in one. The migration fails every time; '
        "autocommit_block() commits the transaction first and begins a new one after.",
        bad_example='op.create_index(\n    "ix_event_created", "event", ["created_at"], '
        "postgresql_concurrently=True,\n)",
        safe_example="with op.autocommit_block():\n    op.create_index(\n"
        '        "ix_event_created", "event", ["created_at"], postgresql_concurrently=True,\n'
        "    )",
        op_types=(CreateIndexOp, DropIndexOp),
        check=check_concurrently_in_transaction,
    )
)

DROP_INDEX = register_rule(
    Rule(
        code="MG203",
        name="drop-index-not-concurrently",
        severity=Severity.WARNING,
        message="dropping index {index} without CONCURRENTLY blocks all use of its table",
        hint="pass postgresql_concurrently=True inside `with op.autocommit_block():`",
        dialects=("postgresql",),
        summary="An index is dropped on PostgreSQL without CONCURRENTLY.",
        why="DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: even SELECTs "
        "wait for it, and it waits for every running query first, so one long report "
        "stalls the whole application behind it.",
        bad_example='op.drop_index("ix_event_created", table_name="event")',
        safe_example="with op.autocommit_block():\n"
        '    op.drop_index("ix_event_created", table_name="event", '
        "postgresql_concurrently=True)",
        op_types=(DropIndexOp,),
        check=check_drop_index,
    )
)
