"""`ddl_ops.lint`: find migrations that are correct and still hurt production.

Rules look at operation objects (the ones `op.*` builds, recorded by running a
migration's upgrade()/downgrade() offline), with the database dialect and, when a
connection is given, facts such as whether a table holds rows. Raw SQL is parsed into
the same operations with sqlglot (the `ddl-ops[lint]` extra).

    from ddl_ops.lint import LintRun, lint_module, load_script
    findings = lint_module(load_script("versions/ae10_add_plan.py"), LintRun.make("postgresql"))
"""

from ddl_ops.lint import (  # noqa: F401  (each module registers its rules)
    rules_columns,
    rules_constraints,
    rules_indexes,
    rules_script,
    rules_tables,
)
from ddl_ops.lint.config import LintConfig
from ddl_ops.lint.engine import (
    LintRun,
    lint_migration,
    lint_module,
    lint_operations,
    lint_sql,
    load_script,
)
from ddl_ops.lint.facts import ConnectionFacts, Facts, NoFacts
from ddl_ops.lint.findings import Finding, Severity
from ddl_ops.lint.recording import RecordedOp, Recording, RecordingOperations, record
from ddl_ops.lint.registry import ALL_DIALECTS, Rule, all_rules, get_rule, register_rule
from ddl_ops.lint.rule_input import BatchInfo, CheckContext, HistoryState
from ddl_ops.lint.sql import parse_sql, sqlglot_available

__all__ = [
    "ALL_DIALECTS",
    "BatchInfo",
    "CheckContext",
    "ConnectionFacts",
    "Facts",
    "Finding",
    "HistoryState",
    "LintConfig",
    "LintRun",
    "NoFacts",
    "RecordedOp",
    "Recording",
    "RecordingOperations",
    "Rule",
    "Severity",
    "all_rules",
    "get_rule",
    "lint_migration",
    "lint_module",
    "lint_operations",
    "lint_sql",
    "load_script",
    "parse_sql",
    "record",
    "register_rule",
    "sqlglot_available",
]
