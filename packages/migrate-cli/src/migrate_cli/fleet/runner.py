"""`migrate fleet <command>`: pick the targets, slice and resume, run the pool, report.

The plan is data: the list of targets (after --shard and --resume), the
goal string the state file compares against, and the spec every worker
gets; the pool then runs it, canaries first.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.fleet.commands import DEFAULT_MAX_PER_SERVER, FLEET_COMMANDS, FleetCommand
from migrate_cli.fleet.pool import FleetPool, PoolResult, TargetResult
from migrate_cli.fleet.report import FleetReport
from migrate_cli.fleet.state import StateFile, read_state
from migrate_cli.fleet.targets import (
    HOOK_NAME,
    FleetTarget,
    check_unique,
    parse_shard,
    read_url_file,
    schema_targets,
    targets_from_hook,
)
from migrate_cli.runtime.environment import EnvironmentContext, find_env_py
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.steps import Step
from migrate_cli.runtime.transactions import describe_error
from migrate_cli.script import ScriptDirectory
from revgraph import RevisionError

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "FleetOptions",
    "default_jobs",
    "run_fleet",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130

#: Connections one run may hold on one database server at once, unless --max-per-server says.


def default_jobs() -> int:
    """One worker per CPU: a worker spends much of its time starting Python and importing."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 32))


@dataclass
class FleetOptions:
    """Everything `migrate fleet <command>` takes besides the config."""

    command: str
    revision: str | None = None
    urls_file: str | None = None
    schemas: str | None = None
    schemas_query: str | None = None
    jobs: int | None = None
    max_per_server: int = DEFAULT_MAX_PER_SERVER
    fail_fast: bool = False
    canary: int = 0
    timeout: float | None = None
    state: str | None = None
    resume: str | None = None
    shard: str | None = None
    json_events: bool = False
    quiet: bool = False
    log_dir: str | None = None


def run_fleet(
    config: Config,
    options: FleetOptions,
    *,
    stream: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    """Run the command on every selected target; returns the exit status (0: all at the goal)."""
    command = FLEET_COMMANDS[options.command]
    targets = collect_targets(config, options)
    if options.shard:
        shard = parse_shard(options.shard)
        targets = [target for target in targets if shard.owns(target)]
    goal = goal_of(config, command, options.revision)
    state_path = Path(options.state or options.resume or _default_state_name())
    skipped: list[dict[str, Any]] = []
    if options.resume:
        previous = read_state(Path(options.resume))
        remaining = []
        for target in targets:
            record = previous.done(target.identity, goal)
            if record is None:
                remaining.append(target)
            else:
                skipped.append(record)
    else:
        remaining = list(targets)
    report = FleetReport(
        len(targets), json_events=options.json_events, quiet=options.quiet, stream=stream, out=out
    )
    report.done = len(skipped)
    state = StateFile(state_path)
    state.write(
        {
            "event": "run",
            "command": command.name,
            "revision": options.revision,
            "goal": goal,
            "shard": options.shard,
            "targets": len(targets),
            "to_run": len(remaining),
            "resumed_from": options.resume,
        }
    )
    report.event(
        "run",
        goal=goal,
        targets=len(targets),
        to_run=len(remaining),
        shard=options.shard,
        state_file=str(state_path),
    )
    if skipped:
        report.note(f"{len(skipped)} target(s) already at the goal in {options.resume}: skipped")

    def finished(result: TargetResult) -> None:
        state.write(_record(result, goal))
        report.target_finished(result)

    workdir = Path(tempfile.mkdtemp(prefix="migrate-fleet-"))
    try:
        log_dir = Path(options.log_dir) if options.log_dir else None
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
        pool = FleetPool(
            _worker_spec(config, command, options.revision),
            workdir,
            jobs=options.jobs or default_jobs(),
            max_per_server=options.max_per_server,
            timeout=options.timeout,
            log_dir=log_dir,
            on_start=report.target_started,
            on_finish=finished,
            on_tick=report.tick,
        )
        outcome = _run_with_canary(pool, remaining, options, report.note)
    finally:
        state.close()
        shutil.rmtree(workdir, ignore_errors=True)
    if outcome.interrupted:
        report.note(
            "interrupted (Ctrl-C): no new target started; running ones stopped after "
            "their migration in progress"
        )
    report.summary(outcome.finished, skipped, outcome.not_started, goal, str(state_path))
    if outcome.interrupted:
        return EXIT_INTERRUPTED
    all_ok = all(result.ok for result in outcome.finished) and not outcome.not_started
    return EXIT_OK if all_ok else EXIT_FAILED


def _run_with_canary(
    pool: FleetPool, targets: list[FleetTarget], options: FleetOptions, note: Callable[[str], None]
) -> PoolResult:
    """--canary K: the first K targets run before the rest, which start only if all K succeed."""
    canaries, rest = targets[: options.canary], targets[options.canary :]
    if not canaries:
        return pool.run(rest, stop_on_failure=options.fail_fast)
    first = pool.run(canaries, stop_on_failure=options.fail_fast)
    if first.interrupted or not all(result.ok for result in first.finished) or first.not_started:
        if not first.interrupted:
            note(f"canary failed: {len(rest)} other target(s) not started")
        first.not_started.extend(rest)
        return first
    note(f"canary passed ({len(canaries)} target(s)); starting the other {len(rest)}")
    second = pool.run(rest, stop_on_failure=options.fail_fast)
    second.finished[:0] = first.finished
    return second


def _record(result: TargetResult, goal: str) -> dict[str, Any]:
    return {
        "event": "target",
        "target": result.target.identity,
        "name": result.target.label,
        "goal": goal,
        "outcome": result.outcome,
        "start": result.start,
        "end": result.end,
        "applied": result.applied,
        "seconds": result.seconds,
        "error": result.error,
    }


def _default_state_name() -> str:
    """Named by time and process, so two runs started in the same second never share one."""
    return time.strftime(f"migrate-fleet-%Y%m%dT%H%M%SZ-{os.getpid()}.jsonl", time.gmtime())


def _worker_spec(config: Config, command: FleetCommand, revision: str | None) -> dict[str, Any]:
    """What every worker needs to rebuild this Config: the files, plus the main section's
    options as this process sees them (so options set in code, not only in a file, carry over)."""
    section = config.config_ini_section
    main_options = config.get_section(section, {}) or {}
    return {
        "config_file": _absolute(config.config_file_name),
        "toml_file": _absolute(config.toml_file_name),
        "ini_section": section,
        "main_options": {key: value.replace("%", "%%") for key, value in main_options.items()},
        "x": list(getattr(config.cmd_opts, "x", None) or []),
        "command": command.name,
        "revision": revision,
    }


def _absolute(path: str | None) -> str | None:
    return os.path.abspath(path) if path else None


# -- targets and goal ---------------------------------------------------------------------------


def collect_targets(config: Config, options: FleetOptions) -> list[FleetTarget]:
    """The targets from exactly one source: --urls, --schemas / --schemas-query, or env.py."""
    given = [
        name
        for name, value in (
            ("--urls", options.urls_file),
            ("--schemas", options.schemas),
            ("--schemas-query", options.schemas_query),
        )
        if value
    ]
    if len(given) > 1:
        raise CommandError(f"give one source of targets, not {' and '.join(given)}")
    if options.urls_file:
        targets = read_url_file(options.urls_file)
    elif options.schemas or options.schemas_query:
        base_url = config.get_main_option("sqlalchemy.url")
        if not base_url:
            raise CommandError(
                "--schemas needs sqlalchemy.url in the config: the PostgreSQL database "
                "whose schemas are the tenants"
            )
        names = options.schemas.split(",") if options.schemas else None
        targets = schema_targets(base_url, names, options.schemas_query)
    else:
        targets = _targets_from_env_py(config)
    check_unique(targets)
    return targets


def _targets_from_env_py(config: Config) -> list[FleetTarget]:
    """env.py's `fleet_targets(config)`, found by executing env.py in offline mode, where it
    only writes SQL to a discarded buffer. If env.py fails after defining the function (say,
    offline configure() needs a sqlalchemy.url the hook makes up for), the function still counts."""
    script = ScriptDirectory.from_config(config)
    env_path = find_env_py(script)
    namespace: dict[str, Any] = {
        "__name__": f"_migrate_fleet_env_{id(config)}",
        "__file__": str(env_path),
    }

    def nothing(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        return []

    failure: BaseException | None = None
    with EnvironmentContext(config, script, fn=nothing, as_sql=True, output_buffer=io.StringIO()):
        try:
            code = compile(env_path.read_text(encoding="utf-8"), str(env_path), "exec")
            exec(code, namespace)
        except Exception as error:
            failure = error
    hook = namespace.get(HOOK_NAME)
    if not callable(hook):
        if failure is not None:
            raise CommandError(
                f"{env_path} failed while looking for {HOOK_NAME}(): {describe_error(failure)}"
            ) from failure
        raise CommandError(
            f"no targets: give --urls FILE, --schemas a,b,c or --schemas-query SQL, "
            f"or define `def {HOOK_NAME}(config): yield url` in {env_path}"
        )
    try:
        return targets_from_hook(hook, config, str(env_path))
    except CommandError:
        raise
    except Exception as error:
        raise CommandError(f"{env_path}: {HOOK_NAME}() failed: {describe_error(error)}") from error


_RELATIVE = re.compile(r"(^|@)[+-]\d+$|^heads?[+-]\d+$")


def goal_of(config: Config, command: FleetCommand, revision: str | None) -> str:
    """What reaching the goal means, for --resume: the command and the revisions it resolves to.

    `upgrade head` records the head's id, so after a new revision is added a
    resumed run does not skip targets that reached the old head. A relative
    target (-1, +2) stays as written: resuming must not move a target twice.
    """
    if not command.takes_revision or revision is None:
        return command.name
    if _RELATIVE.search(revision):
        return f"{command.name} {revision}"
    script = ScriptDirectory.from_config(config)
    try:
        resolved = script.revision_map.resolve(revision)
    except RevisionError as error:
        raise CommandError(f"{command.name} {revision}: {error}") from None
    return f"{command.name} {','.join(sorted(resolved)) or 'base'}"
