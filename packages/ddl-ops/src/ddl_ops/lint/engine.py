"""Run the rules: over recorded operations, over a migration's upgrade and downgrade, over
plain SQL. Returns findings; printing them is the caller's business."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa

from ddl_ops.dialects.registry import get_dialect_impl
from ddl_ops.errors import DDLOpsError
from ddl_ops.lint.config import LintConfig
from ddl_ops.lint.facts import Facts, NoFacts
from ddl_ops.lint.findings import Finding
from ddl_ops.lint.ignores import IgnoreIndex, ignore_problems, sql_ignores
from ddl_ops.lint.recording import RecordedOp, record
from ddl_ops.lint.registry import Rule, get_rule, rules_for
from ddl_ops.lint.rule_input import CheckContext, HistoryState
from ddl_ops.lint.sql import ParsedStatement, not_null_check_column, parse_sql
from ddl_ops.ops import (
    AddColumnOp,
    CreateCheckConstraintOp,
    CreateTableOp,
    DropColumnOp,
    DropTableOp,
    ExecuteSQLOp,
    MigrateOperation,
    RenameTableOp,
)


@dataclass
class LintRun:
    """The settings shared by every script of one lint run."""

    dialect: str
    facts: Facts
    config: LintConfig
    state: HistoryState

    @property
    def dialect_chain(self) -> tuple[str, ...]:
        return get_dialect_impl(self.dialect).dialect_chain

    @classmethod
    def make(
        cls,
        dialect: str,
        facts: Facts | None = None,
        config: LintConfig | None = None,
        state: HistoryState | None = None,
    ) -> LintRun:
        return cls(dialect, facts or NoFacts(), config or LintConfig(), state or HistoryState())


def _finding(
    rule: Rule,
    fields: dict[str, Any],
    run: LintRun,
    path: str | None,
    line: int | None,
    revision: str | None,
) -> Finding:
    values = _Defaulting(fields)
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        message=rule.message.format_map(values),
        hint=rule.hint_for(run.dialect_chain).format_map(values),
        path=path,
        line=line,
        dialect=run.dialect,
        revision=revision,
    )


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def script_finding(
    code: str, run: LintRun, path: str | None, line: int | None, revision: str | None, **fields: Any
) -> Finding | None:
    """A finding of a script-level rule (MG0xx, MG501), unless the config turned it off."""
    rule = get_rule(code)
    if not run.config.enabled(rule, run.dialect_chain):
        return None
    return _finding(rule, fields, run, path, line, revision)


def lint_operations(
    recorded: Iterable[RecordedOp],
    run: LintRun,
    *,
    phase: str = "upgrade",
    path: str | None = None,
    revision: str | None = None,
) -> list[Finding]:
    """Check each recorded operation (raw SQL parsed into operations first)."""
    findings: list[Finding] = []
    chain = run.dialect_chain
    for item in recorded:
        ctx = CheckContext(
            run.dialect, chain, run.facts, run.state, item.in_transaction, item.batch
        )
        for op, sql_ctx in _expanded(item.op, ctx, run, path, item.line, revision, findings):
            for rule in rules_for(op, chain, phase):
                if not run.config.enabled(rule, chain):
                    continue
                fields = rule.check(op, sql_ctx) if rule.check else None
                if fields:
                    findings.append(_finding(rule, dict(fields), run, path, item.line, revision))
            update_state(op, run.state)
    return findings


def _expanded(
    op: MigrateOperation,
    ctx: CheckContext,
    run: LintRun,
    path: str | None,
    line: int | None,
    revision: str | None,
    findings: list[Finding],
) -> Iterable[tuple[MigrateOperation, CheckContext]]:
    """The operation itself, or for raw SQL text the operations its statements amount to."""
    if not isinstance(op, ExecuteSQLOp):
        yield op, ctx
        return
    text = _sql_text(op.sqltext)
    if text is None:
        return  # a SQLAlchemy insert()/update(): data, not schema
    sql_ctx = replace(ctx, from_sql=True)
    for statement in parse_sql(text, run.dialect):
        if statement.problem:
            found = script_finding(
                "MG001", run, path, line, revision, detail=_shorten(statement, 60)
            )
            if found:
                findings.append(found)
        if statement.transaction == "begin":
            sql_ctx = replace(sql_ctx, in_transaction=True)
        elif statement.transaction == "end":
            sql_ctx = replace(sql_ctx, in_transaction=False)
        for parsed in statement.ops:
            yield parsed, sql_ctx


def _sql_text(sqltext: Any) -> str | None:
    if isinstance(sqltext, str):
        return sqltext
    if isinstance(sqltext, sa.TextClause):
        return sqltext.text
    if isinstance(sqltext, sa.sql.ddl.ExecutableDDLElement):
        return None
    return None


def _shorten(statement: ParsedStatement, width: int) -> str:
    flat = " ".join(statement.text.split())
    shown = flat if len(flat) <= width else flat[: width - 3] + "..."
    return f"{shown!r} ({statement.problem})"


def update_state(op: MigrateOperation, state: HistoryState) -> None:
    """Remember what later checks need: tables made in this migration, NOT NULL checks."""
    if isinstance(op, CreateTableOp):
        state.created_tables.add((op.schema, op.table_name))
    elif isinstance(op, DropTableOp):
        state.created_tables.discard((op.schema, op.table_name))
    elif isinstance(op, RenameTableOp):
        if (op.schema, op.table_name) in state.created_tables:
            state.created_tables.discard((op.schema, op.table_name))
            state.created_tables.add((op.schema, op.new_table_name))
    elif isinstance(op, CreateCheckConstraintOp):
        column = not_null_check_column(op.condition)
        if column is not None:
            state.not_null_checks.add((op.schema, op.table_name, column))


# -- migrations -----------------------------------------------------------------------------


def lint_migration(
    upgrade: Callable[[], Any] | None,
    downgrade: Callable[[], Any] | None,
    run: LintRun,
    *,
    path: str | None = None,
    revision: str | None = None,
    source: str | None = None,
) -> list[Finding]:
    """Record and check one migration's upgrade and downgrade.

    `source` (the script's text) enables inline ignores and tells an empty downgrade
    (`pass`) from one that only does things lint cannot see.
    """
    findings: list[Finding] = []
    run.state.created_tables = set()
    upgrade_drops: set[tuple[str | None, str, str | None]] = set()
    upgrade_creates: set[tuple[str | None, str, str | None]] = set()
    upgrade_complete = True
    if upgrade is not None:
        found, recorded = _lint_function(upgrade, "upgrade", run, path, revision)
        findings += found
        upgrade_drops, upgrade_creates = _drops_and_creates(recorded)
        upgrade_complete = not any(f.code == "MG002" for f in found)
    missing = _missing_downgrade(downgrade, source)
    if missing is not None:
        line = _function_line(source, "downgrade")
        reported = script_finding(
            "MG501", run, path, line, revision, script=revision or "", detail=missing
        )
        if reported:
            findings.append(reported)
    elif downgrade is not None:
        saved = run.state
        run.state = HistoryState(
            set(), set(saved.not_null_checks), upgrade_drops, upgrade_creates, upgrade_complete
        )
        try:
            findings += _lint_function(downgrade, "downgrade", run, path, revision)[0]
        finally:
            run.state = saved
    if source is not None:
        findings = _apply_ignores(findings, source, run, path, revision)
    return sorted(findings, key=Finding.sort_key)


def _drops_and_creates(recorded: Iterable[RecordedOp]) -> tuple[set[Key], set[Key]]:
    """What an upgrade dropped and created: (schema, table, column or None for the table)."""
    drops: set[Key] = set()
    creates: set[Key] = set()
    for item in recorded:
        op = item.op
        if isinstance(op, DropTableOp):
            drops.add((op.schema, op.table_name, None))
        elif isinstance(op, DropColumnOp):
            drops.add((op.schema, op.table_name, op.column_name))
        elif isinstance(op, CreateTableOp):
            creates.add((op.schema, op.table_name, None))
        elif isinstance(op, AddColumnOp):
            creates.add((op.schema, op.table_name, op.column.name))
    return drops, creates


Key = tuple[str | None, str, str | None]


def _lint_function(
    fn: Callable[[], Any], phase: str, run: LintRun, path: str | None, revision: str | None
) -> tuple[list[Finding], list[RecordedOp]]:
    recording = record(fn, run.dialect, path)
    findings = lint_operations(recording.ops, run, phase=phase, path=path, revision=revision)
    deliberate = phase == "downgrade" and recording.raised_by_script
    if recording.error is not None and not deliberate:
        found = script_finding(
            "MG002",
            run,
            path,
            recording.error_line,
            revision,
            function=phase,
            detail=recording.error,
        )
        if found:
            findings.append(found)
    return findings, recording.ops


def _missing_downgrade(downgrade: Callable[[], Any] | None, source: str | None) -> str | None:
    if downgrade is None:
        return "no downgrade() function"
    if source is None:
        return None
    node = _function_node(source, "downgrade")
    if node is None:
        return None
    body = [
        stmt
        for stmt in node.body
        if not isinstance(stmt, ast.Pass)
        and not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
    ]
    return None if body else "its body is only `pass`"


def _function_node(source: str | None, name: str) -> ast.FunctionDef | None:
    if source is None:
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    return None


def _function_line(source: str | None, name: str) -> int | None:
    node = _function_node(source, name)
    return node.lineno if node is not None else None


def _apply_ignores(
    findings: Sequence[Finding], source: str, run: LintRun, path: str | None, revision: str | None
) -> list[Finding]:
    index = IgnoreIndex(source)
    kept = [f for f in findings if not index.suppresses(f.line, get_rule(f.code))]
    for line, detail in index.problems():
        found = script_finding("MG003", run, path, line, revision, detail=detail)
        if found:
            kept.append(found)
    return kept


def lint_module(module: ModuleType, run: LintRun, *, path: str | None = None) -> list[Finding]:
    """Lint an imported migration script (its `upgrade`, `downgrade` and source file)."""
    path = path or getattr(module, "__file__", None)
    source = None
    if path and str(path).endswith(".py") and os.path.isfile(path):
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    return lint_migration(
        _phase_function(module, "upgrade"),
        _phase_function(module, "downgrade"),
        run,
        path=str(path) if path else None,
        revision=getattr(module, "revision", None),
        source=source,
    )


def _phase_function(module: ModuleType, name: str) -> Callable[[], Any] | None:
    """`upgrade`, or for a multi-database script (`upgrade(engine_name)` dispatching to
    `upgrade_engine1()`, ...) all of its `upgrade_<name>` functions in turn."""
    fn: Callable[..., Any] | None = getattr(module, name, None)
    if fn is None or not _needs_arguments(fn):
        return fn
    parts = [
        value
        for key, value in vars(module).items()
        if key.startswith(f"{name}_") and callable(value) and not _needs_arguments(value)
    ]
    if not parts:
        return fn  # called without its argument, it fails, and lint says so (MG002)

    def each_database() -> None:
        for part in parts:
            part()

    return each_database


def _needs_arguments(fn: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        for p in parameters
    )


def load_script(path: str | os.PathLike[str]) -> ModuleType:
    """Import a migration script by file name (for users of ddl-ops without migrate-cli)."""
    spec = importlib.util.spec_from_file_location(f"_lint_{Path(path).stem}", path)
    if spec is None or spec.loader is None:
        raise DDLOpsError(f"{path} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- plain SQL ------------------------------------------------------------------------------


def lint_sql(text: str, run: LintRun, *, path: str | None = None) -> list[Finding]:
    """Check a SQL script: each statement parsed into operations, with its own line.

    The file is taken to run statement by statement (autocommit) until a BEGIN.
    """
    findings: list[Finding] = []
    chain = run.dialect_chain
    in_transaction = False
    for statement in parse_sql(text, run.dialect):
        if statement.problem:
            found = script_finding(
                "MG001", run, path, statement.line, None, detail=_shorten(statement, 60)
            )
            if found:
                findings.append(found)
        if statement.transaction is not None:
            in_transaction = statement.transaction == "begin"
            continue
        ctx = CheckContext(run.dialect, chain, run.facts, run.state, in_transaction, None, True)
        ignores = sql_ignores(statement.comments, statement.line)
        for op in statement.ops:
            for rule in rules_for(op, chain, "upgrade"):
                if not run.config.enabled(rule, chain):
                    continue
                if any(i.reason and i.matches(rule) for i in ignores):
                    continue
                fields = rule.check(op, ctx) if rule.check else None
                if fields:
                    findings.append(_finding(rule, dict(fields), run, path, statement.line, None))
            update_state(op, run.state)
        for line, detail in ignore_problems(ignores):
            found = script_finding("MG003", run, path, line, None, detail=detail)
            if found:
                findings.append(found)
    return sorted(findings, key=Finding.sort_key)
