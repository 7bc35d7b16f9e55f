"""Rules on the script as a whole and on lint itself (MG0xx, MG5xx).

MG0xx and MG501 have no per-operation check: the lint engine reports them while reading
and recording the script. They are registered so they can be selected, ignored and
documented like the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ddl_ops.lint.findings import Severity
from ddl_ops.lint.registry import ALL_DIALECTS, Rule, register_rule
from ddl_ops.lint.rule_input import CheckContext
from ddl_ops.lint.types import narrowing
from ddl_ops.ops import AddColumnOp, AlterColumnOp, CreateTableOp, DropColumnOp, DropTableOp

Fields = Mapping[str, Any] | None


def check_lossy_downgrade(
    op: DropColumnOp | DropTableOp | AlterColumnOp | AddColumnOp | CreateTableOp,
    ctx: CheckContext,
) -> Fields:
    drops = ctx.state.upgrade_drops
    if isinstance(op, AddColumnOp) and (op.schema, op.table_name, op.column.name) in drops:
        name = f"{op.table_name}.{op.column.name}"
        return {"what": f"re-creates column {name} empty", "lost": "its values"}
    if isinstance(op, CreateTableOp) and (op.schema, op.table_name, None) in drops:
        return {"what": f"re-creates table {op.table_name} empty", "lost": "its rows"}
    # dropping what the upgrade created is the plain reverse: only older data counts
    created = ctx.state.upgrade_creates
    if isinstance(op, (DropColumnOp, DropTableOp)) and not ctx.state.upgrade_complete:
        return None  # the upgrade was not recorded to its end: it may have created it
    if isinstance(op, DropColumnOp):
        if (op.schema, op.table_name, op.column_name) in created:
            return None
        return {"what": f"drops column {op.table_name}.{op.column_name}", "lost": "its values"}
    if isinstance(op, DropTableOp):
        if (op.schema, op.table_name, None) in created:
            return None
        return {"what": f"drops table {op.table_name}", "lost": "its rows"}
    if not isinstance(op, AlterColumnOp):
        return None
    known = op.type_ is not None and op.existing_type is not None
    if known and narrowing(op.existing_type, op.type_):
        name = f"{op.table_name}.{op.column_name}"
        return {"what": f"narrows {name}", "lost": "values that are cut"}
    return None


UNPARSEABLE_SQL = register_rule(
    Rule(
        code="MG001",
        name="unparseable-sql",
        severity=Severity.WARNING,
        message="SQL not understood, so not checked: {detail}",
        hint="check this statement by hand, or use the op.* method for it",
        dialects=ALL_DIALECTS,
        summary="Raw SQL (op.execute or a --sql file) that the SQL parser cannot read.",
        why="Rules apply to raw SQL by parsing it (with sqlglot) into the same operations "
        "op.* builds. A statement the parser does not know is passed over, so a dangerous "
        "change in it would go unnoticed: lint says so instead of staying quiet.",
        bad_example='op.execute("ALTER TABLE account SOMETHING VENDOR SPECIFIC")',
        safe_example='op.execute("ALTER TABLE account ADD COLUMN note TEXT")',
        phase="script",
    )
)

NOT_RECORDED = register_rule(
    Rule(
        code="MG002",
        name="script-not-fully-checked",
        severity=Severity.WARNING,
        message="{function}() stopped before its end, the rest is not checked: {detail}",
        hint="guard steps that need a live database with `if not op.is_offline:`, or "
        "ignore this line with a reason",
        dialects=ALL_DIALECTS,
        summary="The migration could not be run to its end without a database.",
        why="Lint runs upgrade() and downgrade() offline to record their operations. A "
        "script that reads from the database (op.get_bind()) or raises stops there; the "
        "operations after that point are not checked.",
        bad_example='rows = op.get_bind().execute(sa.text("SELECT id FROM account")).all()',
        safe_example="if not op.is_offline:\n"
        '    rows = op.get_bind().execute(sa.text("SELECT id FROM account")).all()',
        phase="script",
    )
)

BAD_IGNORE = register_rule(
    Rule(
        code="MG003",
        name="ignore-without-reason",
        severity=Severity.WARNING,
        message="ignore comment {detail}",
        hint="write `# migrate: ignore[RULE] why it is safe here`, naming existing rules",
        dialects=ALL_DIALECTS,
        summary="A `# migrate: ignore[...]` comment without a reason, or naming no known rule.",
        why="An ignore is a decision someone made about production; the reason is what lets "
        "the next reader trust it. A misspelt rule silences nothing.",
        bad_example='op.drop_column("account", "legacy")  # migrate: ignore[MG105]',
        safe_example='op.drop_column("account", "legacy")  # migrate: ignore[MG105] unused '
        "since 4.2",
        phase="script",
    )
)

MISSING_DOWNGRADE = register_rule(
    Rule(
        code="MG501",
        name="missing-downgrade",
        severity=Severity.WARNING,
        message="migration {script} has no downgrade ({detail})",
        hint="write the downgrade (autogenerate writes it as the reverse of the upgrade), "
        "or raise an error that says why it cannot be undone",
        dialects=ALL_DIALECTS,
        summary="The script has no downgrade(), or its body is only `pass`.",
        why="`migrate downgrade` then reports success without undoing anything, and the "
        "version table no longer matches the schema. If a migration cannot be undone, "
        "raising says so at the moment it matters.",
        bad_example="def downgrade():\n    pass",
        safe_example='def downgrade():\n    op.drop_column("account", "plan")',
        phase="script",
    )
)

LOSSY_DOWNGRADE = register_rule(
    Rule(
        code="MG502",
        name="lossy-downgrade",
        severity=Severity.INFO,
        message="the downgrade {what}; {lost} cannot be restored",
        hint="expected for most downgrades; back up before downgrading a production database",
        dialects=ALL_DIALECTS,
        summary="The downgrade drops a column or table, narrows a type, or re-creates what "
        "the upgrade dropped (empty).",
        why="A downgrade restores the schema, not the data: a column or table the upgrade "
        "dropped comes back empty, a type the downgrade narrows cuts values, and a column or "
        "table it drops that the upgrade did not create takes older data with it. "
        "Informational: whoever downgrades a production database should know, and back up "
        "first. Dropping what the upgrade itself created is the plain reverse and is not "
        "reported.",
        bad_example='def upgrade():\n    op.drop_column("account", "legacy")\n\n\n'
        'def downgrade():\n    op.add_column("account", sa.Column("legacy", sa.String(50)))',
        safe_example="def upgrade():\n    # keep the values: set the column aside, drop it "
        'later\n    op.alter_column("account", "legacy", new_column_name="legacy_old")\n\n\n'
        'def downgrade():\n    op.alter_column("account", "legacy_old", new_column_name="legacy")',
        op_types=(DropColumnOp, DropTableOp, AlterColumnOp, AddColumnOp, CreateTableOp),
        check=check_lossy_downgrade,
        phase="downgrade",
    )
)
