"""Commands over the migration log and the graph: verify, log, graph.

`verify` and `log` read the log on the database env.py connects to (with
several databases, each in turn); `graph` needs a database only with
`current=True`. All print text, or one JSON document under --json.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from migrate_cli.commands.scripts import current_heads
from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.history.graph import FORMATS, Node, render
from migrate_cli.history.verify import Verification
from migrate_cli.history.verify import verify as check_history
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.migration_log import UNSTAMP
from migrate_cli.runtime.steps import Step
from migrate_cli.script import ScriptDirectory

__all__ = ["graph", "log", "verify"]


def _url(context: MigrationContext) -> str:
    connection = context.connection
    return connection.engine.url.render_as_string(hide_password=True) if connection else ""


def _online(context: MigrationContext, command: str) -> sa.Connection:
    if context.connection is None:
        raise CommandError(
            f"`migrate {command}` reads the database: env.py must connect "
            "(context.configure(connection=...)), not run offline"
        )
    return context.connection


def verify(
    config: Config, baseline: bool = False, accept: Sequence[str] = ()
) -> list[Verification]:
    """Check the scripts, the version table and the migration log agree; raise if not.

    `baseline` records checksums (`baseline` rows) for applied revisions that have none
    (applied before the log existed); `accept` records the scripts of the named revisions
    as they are now (an edit that changes nothing, an out-of-order revision already in the
    database), or, for a revision the log applied whose script is gone on purpose (a range
    `migrate squash --prune` deleted), that the database no longer needs it.
    """
    script = ScriptDirectory.from_config(config)
    results: list[tuple[str, Verification, list[str]]] = []

    def run(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        connection = _online(context, "verify")
        history = context.history
        recorded: list[str] = []
        rows = history.read_rows(connection, newest_first=False)
        found = check_history(script.revision_map, script.scripts, heads, rows)
        wanted = list(found.unchecked) if baseline else []
        gone = {p.revision for p in found.problems if p.kind == "missing-script"}
        forget = [ident for ident in accept if ident in gone and ident not in heads]
        for ident in accept:
            if ident not in forget:
                wanted += [r for r in script.resolve(ident) if r not in wanted]
        if wanted or forget:
            history.create(connection, heads)
            new_rows = [history.baseline_row(connection, revision) for revision in wanted]
            # A revision the log applied whose script is gone on purpose (a pruned squash
            # range): an `unstamp` row records that the database no longer needs it.
            new_rows += [
                {**history.baseline_row(connection, r), "direction": UNSTAMP, "checksum": None}
                for r in forget
            ]
            connection.execute(history.table.insert(), new_rows)
            recorded = [*wanted, *forget]
            rows = history.read_rows(connection, newest_first=False)
            found = check_history(script.revision_map, script.scripts, heads, rows)
        results.append((_url(context), found, recorded))
        return []

    writes = baseline or bool(accept)
    run_env(config, script, run, lock=writes)
    _report_verification(config, results)
    return [found for _url_, found, _recorded in results]


def _report_verification(
    config: Config, results: list[tuple[str, Verification, list[str]]]
) -> None:
    several = len(results) > 1
    documents = []
    problems = 0
    for url, found, recorded in results:
        problems += len(found.problems)
        where = f" in {url}" if several else ""
        for revision in recorded:
            config.print_stdout(f"recorded a baseline checksum for {revision}{where}")
        for problem in found.problems:
            config.print_stdout(f"{problem.kind}: {problem.revision}{where}: {problem.message}")
        if found.unchecked:
            config.print_stdout(
                f"note: {len(found.unchecked)} applied revision(s){where} have no checksum on "
                "record (applied before the log existed or stamped without a script); "
                "`migrate verify --baseline` records them"
            )
        if found.ok:
            checked = len(found.applied) - len(found.unchecked)
            config.print_stdout(
                f"OK{where}: {len(found.applied)} applied revision(s), {checked} checked "
                "against their recorded checksum"
            )
        document = {
            "ok": found.ok,
            "problems": [p.as_dict() for p in found.problems],
            "applied": found.applied,
            "unchecked": found.unchecked,
            "recorded": recorded,
        }
        documents.append({"database": url, **document} if several else document)
    error = None
    if problems:
        first = next(p for _u, found, _r in results for p in found.problems)
        error = f"{first.kind}: {first.revision}: {first.message}"
        if problems > 1:
            error += f" (and {problems - 1} more problem(s), listed above)"
    if several:
        config.emit({"databases": documents, **({"error": error} if error else {})})
    elif documents:
        config.emit({**documents[0], **({"error": error} if error else {})})
    if error:
        raise CommandError(error)


def _as_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (f"{value.isoformat()}Z" if isinstance(value, datetime) else value)
        for key, value in row.items()
    }


def _log_line(row: dict[str, Any]) -> str:
    started = row["started_at"]
    duration = row["duration_seconds"]
    took = f"{duration:.3f}s" if duration is not None else "-"
    who = "@".join(part for part in (row["os_user"], row["host"]) if part) or "-"
    if row["db_user"]:
        who += f" (db {row['db_user']})"
    line = (
        f"{started:%Y-%m-%d %H:%M:%S}Z  {row['direction']:<9} {row['revision']:<12} "
        f"{row['outcome']:<7} {took:>8}  {who}  migrate {row['tool_version']}"
    )
    if row["error"]:
        line += f"\n    error: {row['error']}"
    return line


def log(
    config: Config, limit: int | None = None, revision: str | None = None
) -> list[dict[str, Any]]:
    """The migration log, newest first: what ran, when, by whom, how long, and how it ended."""
    if limit is not None and limit < 1:
        raise CommandError(f"-n must be at least 1 (got {limit})")
    script = ScriptDirectory.from_config(config)
    wanted: tuple[str, ...] = ()
    if revision is not None:
        try:
            wanted = script.resolve(revision)
        except CommandError:
            wanted = (revision,)  # a revision whose script is gone is still in the log
    found: list[tuple[str, list[dict[str, Any]], bool]] = []

    def read(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        connection = _online(context, "log")
        history = context.history
        exists = history.exists(connection)
        rows = history.read_rows(connection, limit=limit, revisions=wanted) if exists else []
        found.append((_url(context), rows, exists or not history.enabled))
        if not history.enabled:
            config.print_stdout(
                f"note: the migration log is turned off (migration_log = false); "
                f"{history.display_name} gets no new rows"
            )
        return []

    run_env(config, script, read, lock=False)
    several = len(found) > 1
    everything: list[dict[str, Any]] = []
    for url, rows, exists in found:
        if several:
            config.print_stdout(f"{url}:")
        if not exists:
            config.print_stdout(
                "no migration log in this database yet: the next upgrade, downgrade or "
                "stamp creates it"
            )
        for row in rows:
            config.print_stdout(_log_line(row))
            everything.append({"database": url, **row} if several else row)
    config.emit([_as_json(row) for row in everything])
    return everything


def graph_nodes(script: ScriptDirectory) -> list[Node]:
    """The revisions as graph nodes, newest first, each before its parents."""
    revision_map = script.revision_map
    heads = set(revision_map.heads)
    nodes = []
    for revision in revision_map.walk():
        entry = script.scripts.get(revision.revision)
        nodes.append(
            Node(
                revision=revision.revision,
                parents=tuple(revision.down_revisions),
                depends_on=tuple(revision.dependencies),
                labels=tuple(revision.declared_branch_labels),
                message=(entry.doc if entry is not None else "") or "",
                is_head=revision.revision in heads,
            )
        )
    return nodes


def graph(
    config: Config, output_format: str = "ascii", current: bool = False, width: int = 80
) -> list[str]:
    """Print the revision graph; `current` marks the revisions the database is at."""
    if output_format not in FORMATS:
        raise CommandError(
            f"unknown graph format {output_format!r}; use one of {', '.join(FORMATS)}"
        )
    script = ScriptDirectory.from_config(config)
    nodes = graph_nodes(script)
    marks = current_heads(config, script) if current else ()
    lines = render(nodes, output_format, marks, width)
    if config.json_output:
        config.emit(
            {
                "format": output_format,
                "graph": "\n".join(lines),
                "heads": list(script.revision_map.heads),
                "current": list(marks),
            }
        )
    else:
        config.print_stdout("\n".join(lines))
    return lines
