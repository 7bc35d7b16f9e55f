"""Rules on column operations: NOT NULL, type changes, drops and renames (MG1xx)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddl_ops.lint.findings import Severity
from ddl_ops.lint.registry import ALL_DIALECTS, Rule, register_rule
from ddl_ops.lint.rule_input import CheckContext
from ddl_ops.lint.types import classify, type_text
from ddl_ops.ops import AddColumnOp, AlterColumnOp, DropColumnOp

Fields = Mapping[str, Any] | None


def check_add_not_null(op: AddColumnOp, ctx: CheckContext) -> Fields:
    column = op.column
    if column.nullable or column.server_default is not None:
        return None
    if column.computed is not None or column.identity is not None:
        return None
    # SQLite's ADD COLUMN refuses it even on an empty table; a batch copy only with rows
    refused = ctx.impl.add_not_null_column_needs_default and not (ctx.batch and ctx.batch.rebuilds)
    if not refused and not ctx.may_hold_rows(op.table_name, op.schema):
        return None
    return {"table": op.table_name, "column": column.name}


def check_set_not_null(op: AlterColumnOp, ctx: CheckContext) -> Fields:
    if op.nullable is not False or op.existing_nullable is False:
        return None
    if not ctx.may_hold_rows(op.table_name, op.schema):
        return None
    if ctx.impl.set_not_null_uses_check and (op.schema, op.table_name, op.column_name) in (
        ctx.state.not_null_checks
    ):
        return None  # a validated CHECK (col IS NOT NULL) lets PostgreSQL 12+ skip the scan
    return {"table": op.table_name, "column": op.column_name}


def _type_change(op: AlterColumnOp, ctx: CheckContext) -> Any:
    if op.type_ is None or not ctx.may_hold_rows(op.table_name, op.schema):
        return None
    rebuild = bool(ctx.batch and ctx.batch.rebuilds)
    return classify(op.existing_type, op.type_, ctx.impl, rebuild)


def _type_fields(op: AlterColumnOp, reason: str, ctx: CheckContext) -> dict[str, Any]:
    old = op.existing_type
    return {
        "table": op.table_name,
        "column": op.column_name,
        "old": type_text(old, ctx.dialect) if old is not None else "?",
        "new": type_text(op.type_, ctx.dialect),
        "reason": reason,
    }


def check_type_rewrite(op: AlterColumnOp, ctx: CheckContext) -> Fields:
    change = _type_change(op, ctx)
    if change is None or not change.rewrites:
        return None
    reason = change.reason if not change.narrows else "every row is rewritten"
    return _type_fields(op, reason, ctx)


def check_type_narrowing(op: AlterColumnOp, ctx: CheckContext) -> Fields:
    change = _type_change(op, ctx)
    if change is None or not change.narrows:
        return None
    return _type_fields(op, change.reason, ctx)


def check_drop_column(op: DropColumnOp, ctx: CheckContext) -> Fields:
    if ctx.table_is_new(op.table_name, op.schema):
        return None
    return {"table": op.table_name, "column": op.column_name}


def check_rename_column(op: AlterColumnOp, ctx: CheckContext) -> Fields:
    if op.new_column_name is None or op.new_column_name == op.column_name:
        return None
    if ctx.table_is_new(op.table_name, op.schema):
        return None
    return {"table": op.table_name, "column": op.column_name, "new": op.new_column_name}


ADD_NOT_NULL_COLUMN = register_rule(
    Rule(
        code="MG101",
        name="add-not-null-column",
        severity=Severity.ERROR,
        message="adding NOT NULL column {table}.{column} without a server default",
        hint={
            "default": "add it nullable (or with server_default=), backfill, then set NOT NULL",
            "mysql": "MySQL/MariaDB silently fill existing rows with 0 or ''; give "
            "server_default= with the value you mean, or add it nullable and backfill",
            "sqlite": "SQLite refuses this ADD COLUMN: give server_default=, or add it "
            "nullable and make it NOT NULL in a batch_alter_table block after a backfill",
        },
        dialects=ALL_DIALECTS,
        summary="A NOT NULL column without a server default is added to a table that has rows.",
        why="The existing rows need a value for the new column and there is none: PostgreSQL, "
        "SQL Server and Oracle refuse the statement as soon as the table holds a row, SQLite "
        "refuses it always, and MySQL/MariaDB quietly store the type's zero value in every "
        "row. The migration passes on an empty development database and fails in production.",
        bad_example='op.add_column("account", sa.Column("plan", sa.String(20), nullable=False))',
        safe_example='op.add_column(\n    "account",\n    sa.Column("plan", sa.String(20), '
        'nullable=False, server_default="free"),\n)',
        op_types=(AddColumnOp,),
        check=check_add_not_null,
    )
)

SET_NOT_NULL = register_rule(
    Rule(
        code="MG102",
        name="set-not-null",
        severity=Severity.WARNING,
        message="setting NOT NULL on {table}.{column} scans the whole table under a lock",
        hint={
            "default": "backfill NULLs first and run it when the table is quiet",
            "postgresql": "add CHECK ({column} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT "
            "in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop "
            "the check",
            "mysql": "MySQL/MariaDB rebuild the table for this change; backfill NULLs first "
            "and run it off-peak, or with an online schema-change tool",
            "sqlite": "the batch copy fails if a row holds NULL: backfill first",
        },
        dialects=ALL_DIALECTS,
        summary="An existing column is made NOT NULL.",
        why="The database must check every row. PostgreSQL does it while holding an ACCESS "
        "EXCLUSIVE lock, so reads and writes of the table wait for the whole scan; "
        "MySQL/MariaDB rebuild the table. Any NULL left makes the migration fail halfway.",
        bad_example='op.alter_column("account", "email", nullable=False)',
        safe_example="# migration 1: checked for new rows only, no scan\n"
        'op.create_check_constraint(\n    "account_email_not_null", "account", '
        '"email IS NOT NULL",\n    postgresql_not_valid=True,\n)\n'
        "# migration 2: scans without blocking writes\n"
        'op.execute("ALTER TABLE account VALIDATE CONSTRAINT account_email_not_null")\n'
        "# migration 3: PostgreSQL 12+ trusts the valid check, no scan\n"
        'op.alter_column("account", "email", nullable=False)\n'
        'op.drop_constraint("account_email_not_null", "account", type_="check")',
        op_types=(AlterColumnOp,),
        check=check_set_not_null,
    )
)

TYPE_CHANGE_REWRITES = register_rule(
    Rule(
        code="MG103",
        name="type-change-rewrites-table",
        severity=Severity.WARNING,
        message="changing {table}.{column} from {old} to {new} rewrites the table: {reason}",
        hint={
            "default": "add a new column of the new type, backfill it in batches, switch the "
            "code over, then drop the old column (expand/contract)",
            "sqlite": "expected on SQLite (batch copies the table); make sure nothing else "
            "writes to it meanwhile",
        },
        dialects=ALL_DIALECTS,
        summary="A column type change that makes the database rewrite or copy every row.",
        why="PostgreSQL rewrites the table under an ACCESS EXCLUSIVE lock for most type "
        "changes (integer to bigint included) and only skips it for binary-compatible "
        "widenings such as a longer VARCHAR or VARCHAR to TEXT. InnoDB (MySQL, MariaDB) copies "
        "the table with ALGORITHM=COPY, blocking writes, except for VARCHAR widening that "
        "keeps the length prefix size and ENUM values appended at the end. SQLite has no "
        "ALTER COLUMN: batch mode copies the table.",
        bad_example='op.alter_column(\n    "event", "id", type_=sa.BigInteger(), '
        "existing_type=sa.Integer(),\n)",
        safe_example='op.alter_column(\n    "account", "name", type_=sa.String(200), '
        "existing_type=sa.String(100),\n)  # binary-compatible widening: no rewrite\n"
        "# for int -> bigint: add a bigint column, backfill in batches, swap in a later release",
        op_types=(AlterColumnOp,),
        check=check_type_rewrite,
    )
)

TYPE_NARROWING = register_rule(
    Rule(
        code="MG104",
        name="type-narrowing",
        severity=Severity.ERROR,
        message="changing {table}.{column} from {old} to {new} can lose data: {reason}",
        hint="check that every value fits first (or keep the wider type); MySQL in "
        "non-strict mode truncates silently",
        dialects=ALL_DIALECTS,
        summary="A column type change to a narrower type (shorter string, smaller integer, "
        "fewer digits).",
        why="Values that do not fit either make the migration fail halfway through (strict "
        "databases) or are truncated without a word (MySQL/MariaDB outside strict mode, and "
        "SQLite's batch copy keeps them as they are, so the model then lies).",
        bad_example='op.alter_column(\n    "account", "name", type_=sa.String(50), '
        "existing_type=sa.String(200),\n)",
        safe_example="# verify first: SELECT count(*) FROM account WHERE length(name) > 50\n"
        'op.alter_column(\n    "account", "name", type_=sa.String(200), '
        "existing_type=sa.String(50),\n)  # or only ever widen",
        op_types=(AlterColumnOp,),
        check=check_type_narrowing,
    )
)

DROP_COLUMN = register_rule(
    Rule(
        code="MG105",
        name="drop-column",
        severity=Severity.WARNING,
        message="dropping column {table}.{column} breaks code that still uses it",
        hint="expand/contract: release code that no longer reads or writes the column first, "
        "then drop it in a later migration (and back up the data if it matters)",
        dialects=ALL_DIALECTS,
        summary="A column is dropped from an existing table.",
        why="During a deploy the old application version keeps running while the migration "
        "runs: its SELECTs and INSERTs naming the column fail at once. SQLAlchemy models "
        "that still map the column fail too. And the data is gone for good.",
        bad_example='op.drop_column("account", "legacy_flag")',
        safe_example="# release 1: remove the column from the model and all queries\n"
        "# release 2 (this migration, after release 1 is everywhere):\n"
        'op.drop_column("account", "legacy_flag")  # migrate: ignore[MG105] code stopped '
        "using it in 4.2",
        op_types=(DropColumnOp,),
        check=check_drop_column,
    )
)

RENAME_COLUMN = register_rule(
    Rule(
        code="MG106",
        name="rename-column",
        severity=Severity.WARNING,
        message="renaming column {table}.{column} to {new} breaks code still using the old name",
        hint="expand/contract: add the new column, write both, backfill, move reads over, "
        "then drop the old one in a later release",
        dialects=ALL_DIALECTS,
        summary="A column of an existing table is renamed.",
        why="The application version running during the deploy still uses the old name and "
        "fails on every query that mentions it, until the new code is out.",
        bad_example='op.alter_column("account", "mail", new_column_name="email")',
        safe_example='op.add_column("account", sa.Column("email", sa.String(255)))\n'
        "# the code writes both columns; backfill; reads move to email;\n"
        '# a later migration: op.drop_column("account", "mail")',
        op_types=(AlterColumnOp,),
        check=check_rename_column,
    )
)
