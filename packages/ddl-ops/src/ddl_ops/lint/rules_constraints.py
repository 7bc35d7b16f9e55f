"""Rules on constraints added to tables that hold rows (MG3xx)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddl_ops.lint.findings import Severity
from ddl_ops.lint.registry import Rule, register_rule
from ddl_ops.lint.rule_input import CheckContext
from ddl_ops.ops import (
    AddConstraintOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreatePrimaryKeyOp,
    CreateUniqueConstraintOp,
)

Fields = Mapping[str, Any] | None


def _not_valid(op: AddConstraintOp) -> bool:
    return bool(getattr(op, "dialect_kw", {}).get("postgresql_not_valid"))


def _fields(op: AddConstraintOp) -> dict[str, Any]:
    return {"name": op.constraint_name or "(unnamed)", "table": op.table_name}


def check_not_valid(op: AddConstraintOp, ctx: CheckContext) -> Fields:
    if _not_valid(op) or not ctx.may_hold_rows(op.table_name, op.schema):
        return None
    return _fields(op)


def check_direct_constraint(op: AddConstraintOp, ctx: CheckContext) -> Fields:
    if not ctx.may_hold_rows(op.table_name, op.schema):
        return None
    return _fields(op)


FOREIGN_KEY = register_rule(
    Rule(
        code="MG301",
        name="foreign-key-not-valid",
        severity=Severity.WARNING,
        message="adding foreign key {name} on {table} checks every row while both tables "
        "are locked",
        hint="add it with postgresql_not_valid=True, then run "
        "`ALTER TABLE ... VALIDATE CONSTRAINT {name}` in a later migration",
        dialects=("postgresql",),
        summary="A foreign key is added to an existing PostgreSQL table without NOT VALID.",
        why="ADD FOREIGN KEY scans the whole table to check existing rows while holding a "
        "SHARE ROW EXCLUSIVE lock on it and on the referenced table: writes to both wait. "
        "With NOT VALID only new rows are checked; VALIDATE CONSTRAINT later checks the old "
        "ones under a lock that lets writes go on.",
        bad_example='op.create_foreign_key(\n    "fk_order_account", "order", "account", '
        '["account_id"], ["id"],\n)',
        safe_example='op.create_foreign_key(\n    "fk_order_account", "order", "account", '
        '["account_id"], ["id"],\n    postgresql_not_valid=True,\n)\n'
        "# a later migration:\n"
        'op.execute("ALTER TABLE \\"order\\" VALIDATE CONSTRAINT fk_order_account")',
        op_types=(CreateForeignKeyOp,),
        check=check_not_valid,
    )
)

CHECK_CONSTRAINT = register_rule(
    Rule(
        code="MG302",
        name="check-not-valid",
        severity=Severity.WARNING,
        message="adding CHECK constraint {name} on {table} scans the table under an exclusive lock",
        hint="add it with postgresql_not_valid=True, then run "
        "`ALTER TABLE ... VALIDATE CONSTRAINT {name}` in a later migration",
        dialects=("postgresql",),
        summary="A CHECK constraint is added to an existing PostgreSQL table without NOT VALID.",
        why="ADD CONSTRAINT ... CHECK holds an ACCESS EXCLUSIVE lock while it checks every "
        "row: nothing can read or write the table meanwhile. NOT VALID skips the check of "
        "existing rows; VALIDATE CONSTRAINT does it later without blocking writes.",
        bad_example='op.create_check_constraint("ck_price_positive", "item", "price > 0")',
        safe_example='op.create_check_constraint(\n    "ck_price_positive", "item", '
        '"price > 0", postgresql_not_valid=True,\n)\n# a later migration:\n'
        'op.execute("ALTER TABLE item VALIDATE CONSTRAINT ck_price_positive")',
        op_types=(CreateCheckConstraintOp,),
        check=check_not_valid,
    )
)

UNIQUE_CONSTRAINT = register_rule(
    Rule(
        code="MG303",
        name="unique-constraint-directly",
        severity=Severity.WARNING,
        message="adding UNIQUE constraint {name} on {table} builds its index under an "
        "exclusive lock",
        hint="build a unique index with postgresql_concurrently=True first, then "
        "`ALTER TABLE ... ADD CONSTRAINT {name} UNIQUE USING INDEX <index>`",
        dialects=("postgresql",),
        summary="A UNIQUE constraint is added directly to an existing PostgreSQL table.",
        why="The constraint's index is built while the table is locked against reads and "
        "writes. Building the unique index CONCURRENTLY first and attaching it with "
        "USING INDEX takes the lock only for an instant.",
        bad_example='op.create_unique_constraint("uq_account_email", "account", ["email"])',
        safe_example="with op.autocommit_block():\n    op.create_index(\n"
        '        "uq_account_email", "account", ["email"], unique=True,\n'
        "        postgresql_concurrently=True,\n    )\nop.execute(\n"
        '    "ALTER TABLE account ADD CONSTRAINT uq_account_email "\n'
        '    "UNIQUE USING INDEX uq_account_email"\n)',
        op_types=(CreateUniqueConstraintOp,),
        check=check_direct_constraint,
    )
)

PRIMARY_KEY = register_rule(
    Rule(
        code="MG304",
        name="primary-key-directly",
        severity=Severity.WARNING,
        message="adding PRIMARY KEY {name} on {table} builds its index under an exclusive lock",
        hint="build a unique index with postgresql_concurrently=True first, then "
        "`ALTER TABLE ... ADD CONSTRAINT {name} PRIMARY KEY USING INDEX <index>`",
        dialects=("postgresql",),
        summary="A PRIMARY KEY is added directly to an existing PostgreSQL table.",
        why="As for UNIQUE: the index is built under an ACCESS EXCLUSIVE lock, and the "
        "columns are also made NOT NULL, which scans the table. Build the unique index "
        "concurrently, then attach it with USING INDEX.",
        bad_example='op.create_primary_key("pk_event", "event", ["id"])',
        safe_example="with op.autocommit_block():\n    op.create_index(\n"
        '        "pk_event", "event", ["id"], unique=True, postgresql_concurrently=True,\n'
        '    )\nop.execute("ALTER TABLE event ADD CONSTRAINT pk_event PRIMARY KEY USING INDEX '
        'pk_event")',
        op_types=(CreatePrimaryKeyOp,),
        check=check_direct_constraint,
    )
)
