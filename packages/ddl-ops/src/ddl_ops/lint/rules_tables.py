"""Rules on tables: dropping and renaming them while code still uses them (MG4xx)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddl_ops.lint.findings import Severity
from ddl_ops.lint.registry import ALL_DIALECTS, Rule, register_rule
from ddl_ops.lint.rule_input import CheckContext
from ddl_ops.ops import DropTableOp, RenameTableOp

Fields = Mapping[str, Any] | None


def check_drop_table(op: DropTableOp, ctx: CheckContext) -> Fields:
    if (op.schema, op.table_name) in ctx.state.created_tables:
        return None
    return {"table": op.table_name}


def check_rename_table(op: RenameTableOp, ctx: CheckContext) -> Fields:
    if (op.schema, op.table_name) in ctx.state.created_tables:
        return None
    return {"table": op.table_name, "new": op.new_table_name}


DROP_TABLE = register_rule(
    Rule(
        code="MG401",
        name="drop-table",
        severity=Severity.WARNING,
        message="dropping table {table} breaks code that still uses it and loses its rows",
        hint="expand/contract: release code that no longer uses the table first, drop it in "
        "a later migration, and keep a backup if the data matters",
        dialects=ALL_DIALECTS,
        summary="An existing table is dropped.",
        why="The application version still running during the deploy queries the table and "
        "fails; every row is gone, and a downgrade can recreate the table but not its data.",
        bad_example='op.drop_table("legacy_audit")',
        safe_example="# after a release that stopped using legacy_audit:\n"
        'op.drop_table("legacy_audit")  # migrate: ignore[MG401] unused since 3.0, backed up',
        op_types=(DropTableOp,),
        check=check_drop_table,
    )
)

RENAME_TABLE = register_rule(
    Rule(
        code="MG402",
        name="rename-table",
        severity=Severity.WARNING,
        message="renaming table {table} to {new} breaks code still using the old name",
        hint="expand/contract: create the new table (or a view with the old name), move the "
        "code over, then drop the old one in a later release",
        dialects=ALL_DIALECTS,
        summary="An existing table is renamed.",
        why="Every query of the application version still running names the old table and "
        "fails from the moment the rename commits until the new code is deployed.",
        bad_example='op.rename_table("user_account", "account")',
        safe_example='op.create_table(\n    "account",\n    sa.Column("id", sa.Integer, '
        'primary_key=True),\n    sa.Column("email", sa.String(255)),\n)\n'
        "# the code writes both tables and reads move to account; a later release\n"
        "# copies what is left and drops user_account",
        op_types=(RenameTableOp,),
        check=check_rename_table,
    )
)
