"""`migrate lint`: check migrations for operations that are dangerous in production.

Which revisions: `A:B`, `--since REV`, or by default the ones the database has not applied
yet (when env.py can reach it), else the whole history. With a database, the rules also
know which tables exist and hold rows. The rules themselves are ddl-ops' (`ddl_ops.lint`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from ddl_ops import DDLOpsError
from ddl_ops.dialects import impl_name_for
from ddl_ops.lint import (
    ConnectionFacts,
    Facts,
    Finding,
    HistoryState,
    LintConfig,
    LintRun,
    Severity,
    lint_module,
    lint_sql,
)
from migrate_cli.alembic_compat import alembic_names
from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.steps import Step
from migrate_cli.script import Script, ScriptDirectory

FORMATS = ("text", "json", "github")
#: `--sql FILE` with no database named (no --dialect, lint setting or sqlalchemy.url): the
#: file is read as PostgreSQL's SQL, the dialect hand-written migration files (and
#: squawk's input) are most often in, and the one with the most rules.
SQL_FILE_DIALECT = "postgresql"


@dataclass
class LintReport:
    """What a lint run checked and found; `failed` decides the exit status."""

    findings: list[Finding]
    revisions: list[str] = field(default_factory=list)
    dialect: str = ""
    used_database: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Errors and warnings fail the run; info findings are shown only."""
        return any(f.severity is not Severity.INFO for f in self.findings)


# -- settings -------------------------------------------------------------------------------


def lint_settings(config: Config) -> tuple[LintConfig, str | None]:
    """`[tool.migrate.lint]` in pyproject.toml, else `[<section>.lint]` in the ini file.

    Returns the rule selection and the `dialect` setting (for linting without a database).
    """
    data: dict[str, Any] = {}
    where = ""
    toml_lint = config.toml_config.get("lint")
    if isinstance(toml_lint, Mapping):
        data, where = dict(toml_lint), f"{config.toml_file_name} [tool.migrate.lint]"
    else:
        section = f"{config.config_ini_section}.lint"
        ini = config.get_section(section)
        if ini:
            data, where = _from_ini(ini), f"{config.config_file_name} [{section}]"
    dialect = data.pop("dialect", None)
    try:
        return LintConfig.from_mapping(data, where or "lint settings"), dialect
    except DDLOpsError as error:
        raise CommandError(str(error)) from None


def _from_ini(section: Mapping[str, str]) -> dict[str, Any]:
    """Flat ini keys: `select`, `ignore`, `dialect`, and `postgresql.ignore` per database."""
    data: dict[str, Any] = {}
    for key, value in section.items():
        if key == "here":
            continue
        dialect, dot, name = key.rpartition(".")
        if dot:
            data.setdefault(dialect, {})[name] = value
        else:
            data[key] = value
    return data


def dialect_from_config(config: Config, explicit: str | None, setting: str | None) -> str | None:
    if explicit or setting:
        return explicit or setting
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        return None
    try:
        return sa.engine.make_url(url).get_backend_name()
    except sa.exc.ArgumentError:
        return None


# -- which revisions ------------------------------------------------------------------------


def _upgrade_order(scripts: Iterable[Script]) -> list[Script]:
    """Walk order is heads first; lint in the order upgrade applies them."""
    return list(reversed(list(scripts)))


def select_revisions(
    script_dir: ScriptDirectory, rev_range: str | None, since: str | None
) -> list[Script] | None:
    """The scripts a range or --since names; None when neither was given."""
    if rev_range and since:
        raise CommandError("give a range or --since, not both")
    if since:
        (start,) = script_dir.resolve(since) or (None,)
        if start is None:
            return [*_upgrade_order(script_dir.all_scripts())]
        scripts = script_dir.iterate_revisions("heads", start)
        return [s for s in _upgrade_order(scripts) if s.revision != start]
    if rev_range:
        if ":" not in rev_range:
            raise CommandError(
                f"lint range {rev_range!r} needs a colon: START:END, START: or :END "
                "(e.g. base:head, ae10:)"
            )
        lower, _, upper = rev_range.partition(":")
        return _upgrade_order(
            script_dir.iterate_revisions(upper.strip() or "heads", lower.strip() or "base")
        )
    return None


def pending(script_dir: ScriptDirectory, current: Sequence[str]) -> list[Script]:
    """Scripts not below (or at) the database's current revisions, in upgrade order."""
    applied: set[str] = set()
    stack = list(current)
    revision_map = script_dir.revision_map  # (also places each script in the graph)
    scripts = script_dir.scripts
    if revision_map.squashes:  # only the plan knows which path a squashed range takes
        plan = revision_map.upgrade_plan([h for h in current if h in revision_map], "heads")
        return [scripts[rev.revision] for rev in plan]
    while stack:
        rev = stack.pop()
        if rev in applied or rev not in scripts:
            continue
        applied.add(rev)
        graph = scripts[rev].graph
        stack.extend(graph.all_down_revisions if graph is not None else ())
    return [s for s in _upgrade_order(script_dir.all_scripts()) if s.revision not in applied]


# -- running --------------------------------------------------------------------------------


def lint(
    config: Config,
    rev_range: str | None = None,
    since: str | None = None,
    sql_file: str | None = None,
    dialect: str | None = None,
    use_database: bool = True,
) -> LintReport:
    """Lint migration scripts (or a SQL file) and return what was found; prints nothing."""
    selection, dialect_setting = lint_settings(config)
    if sql_file is not None:
        name = dialect_from_config(config, dialect, dialect_setting) or SQL_FILE_DIALECT
        try:
            text = Path(sql_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read SQL file {sql_file}: {error}") from None
        run = _run(name, None, selection)
        return LintReport(lint_sql(text, run, path=display_path(sql_file)), dialect=name)

    script_dir = ScriptDirectory.from_config(config)
    chosen = select_revisions(script_dir, rev_range, since)
    report = LintReport([])
    if use_database:
        done = _lint_with_database(config, script_dir, chosen, selection, dialect, report)
        if done:
            return report
    offline_dialect = dialect_from_config(config, dialect, dialect_setting)
    if offline_dialect is None:
        raise CommandError(
            "lint needs to know the database: pass --dialect (postgresql, mysql, mariadb, "
            "sqlite, ...), set `dialect` in [tool.migrate.lint], or set sqlalchemy.url"
        )
    scripts = chosen if chosen is not None else _upgrade_order(script_dir.all_scripts())
    report.dialect = offline_dialect
    # No env.py run here, yet an Alembic project's scripts `from alembic import op`:
    # migrate's names, not the real Alembic's (whose op is not set up outside its runs).
    with alembic_names():
        _lint_scripts(scripts, _run(offline_dialect, None, selection), report)
    return report


def _run(dialect: str, facts: Facts | None, selection: LintConfig) -> LintRun:
    try:
        run = LintRun.make(dialect, facts=facts, config=selection, state=HistoryState())
        run.dialect_chain  # noqa: B018  (an unknown dialect name fails here, not mid-run)
        return run
    except DDLOpsError as error:
        raise CommandError(str(error)) from None


def _lint_with_database(
    config: Config,
    script_dir: ScriptDirectory,
    chosen: list[Script] | None,
    selection: LintConfig,
    dialect: str | None,
    report: LintReport,
) -> bool:
    """Run env.py to reach the database; lint inside, with its facts. False if unreachable."""

    def inside(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        if report.used_database:
            return []  # a multi-database env.py calls back once per database: lint once
        connection = context.connection
        if connection is None:
            raise CommandError("env.py gave no connection")
        name = dialect or impl_name_for(connection.dialect)
        scripts = chosen if chosen is not None else pending(script_dir, heads)
        report.dialect = name
        report.used_database = True
        _lint_scripts(scripts, _run(name, ConnectionFacts(connection), selection), report)
        return []

    try:
        run_env(script_dir.require_env_py(), script_dir, inside, lock=False)
    except CommandError as error:
        if report.used_database:
            raise
        scope = "the whole history" if chosen is None else "the given revisions"
        report.notes.append(f"database not used ({error}); linting {scope} without it")
        return False
    return True


def _lint_scripts(scripts: Sequence[Script], run: LintRun, report: LintReport) -> None:
    for script in scripts:
        report.revisions.append(script.revision)
        report.findings += lint_module(script.module, run, path=display_path(script.path))


def display_path(path: str | os.PathLike[str]) -> str:
    """Relative to the current directory when below it (what editors and CI link)."""
    absolute = Path(path).resolve()
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# -- output ---------------------------------------------------------------------------------


def format_text(findings: Sequence[Finding]) -> list[str]:
    lines = []
    for finding in findings:
        where = f"{finding.path or '<ops>'}:{finding.line or 0}"
        lines.append(f"{where}: {finding.code} [{finding.severity.value}] {finding.message}")
        if finding.hint:
            lines.append(f"  hint: {finding.hint}")
    return lines


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(findings: Sequence[Finding]) -> list[str]:
    """GitHub Actions workflow commands: one annotation per finding on the script line."""
    lines = []
    for finding in findings:
        props = [f"file={_escape(finding.path or '', True)}"]
        if finding.line:
            props.append(f"line={finding.line}")
        props.append(f"title={_escape(f'{finding.code} {finding.name}', True)}")
        text = f"{finding.message} (hint: {finding.hint})" if finding.hint else finding.message
        lines.append(f"::{_GITHUB_LEVEL[finding.severity]} {','.join(props)}::{_escape(text)}")
    return lines


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def summary(report: LintReport) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    if not report.findings:
        return f"All checks passed ({_checked(report)})."
    parts = [f"{n} {s.value}" for s, n in counts.items() if n]
    return f"Found {len(report.findings)} finding(s): {', '.join(parts)} ({_checked(report)})."


def _checked(report: LintReport) -> str:
    if not report.revisions:
        return f"{report.dialect}"
    where = "with the database" if report.used_database else "offline"
    return f"{len(report.revisions)} revision(s), {report.dialect}, {where}"


def print_report(config: Config, report: LintReport, output_format: str) -> None:
    """Write the findings in the chosen format (notes go to stderr, never into JSON)."""
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    findings = sorted(report.findings, key=Finding.sort_key)
    if output_format == "json" or config.json_output:
        config.json_output = True
        config.emit(
            {
                "dialect": report.dialect,
                "revisions": report.revisions,
                "used_database": report.used_database,
                "findings": [f.to_dict() for f in findings],
            }
        )
        return
    lines = format_github(findings) if output_format == "github" else format_text(findings)
    for line in lines:
        click.echo(line)
    if output_format == "text" and not config.quiet:
        click.echo(summary(report))


def lint_new_revisions(config: Config, scripts: Sequence[Script]) -> list[Finding]:
    """After `revision --autogenerate`: lint what was written and print it; never fails.

    Offline, for the dialect of sqlalchemy.url or the lint settings (skipped when neither
    names one), so the developer sees the findings before committing the script.
    """
    try:
        selection, setting = lint_settings(config)
        name = dialect_from_config(config, None, setting)
        if name is None:
            return []
        report = LintReport([], dialect=name)
        _lint_scripts(scripts, _run(name, None, selection), report)
    except CommandError as error:
        config.print_stdout(f"lint skipped: {error}")
        return []
    if report.findings:
        config.print_stdout("Lint findings in the new revision (see `migrate lint`):")
        for line in format_text(sorted(report.findings, key=Finding.sort_key)):
            config.print_stdout(line)
    return report.findings
