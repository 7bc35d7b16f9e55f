"""One target's run, in its own process (forked from a server that has imported the toolkit).

The process builds the same Config `migrate` would, points `sqlalchemy.url`
at the target and runs the ordinary command function, so env.py runs once,
takes its own lock and connection, and knows nothing of the fleet unless it
asks (`context.get_fleet_target()`). The result is one JSON document,
written atomically to a file when the run ends, never to a pipe: a runner
that dies leaves its workers to finish their target undisturbed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy.engine import make_url

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.fleet.commands import FLEET_COMMANDS
from migrate_cli.fleet.targets import FleetTarget
from migrate_cli.runtime.databases import database_for
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.transactions import describe_error

__all__ = ["TARGET_ATTRIBUTE", "WorkerConfig", "process_main", "run_target"]

#: Where env.py finds the target it runs for: `context.config.attributes["fleet_target"]`.
TARGET_ATTRIBUTE = "fleet_target"


class WorkerConfig(Config):
    """A Config that keeps the command's JSON document and notes where the run started."""

    def __init__(self, target: FleetTarget, **kw: Any) -> None:
        super().__init__(**kw)
        self.target = target
        self.start_heads: tuple[str, ...] | None = None
        self.documents: list[Any] = []
        self.stopped_early = False
        self.json_output = True  # the command reports through emit(), kept below

    #: Set by SIGUSR1 (the runner's first Ctrl-C): stop after the migration in progress.
    stop_wanted = False

    def stop_between_migrations(self) -> bool:
        """Asked by the runtime before each migration; True stops the run there."""
        if self.stop_wanted:
            self.stopped_early = True
        return self.stop_wanted

    def emit(self, data: Any) -> None:
        self.json_emitted = True
        self.documents.append(data)

    def observe_run_start(self, context: object, heads: tuple[str, ...]) -> None:
        """Called by the runtime under the lock, before planning: where the target starts.

        A schema target must really be in its schema: an env.py that builds its
        engine from somewhere other than sqlalchemy.url would otherwise migrate
        the wrong schema.
        """
        if self.start_heads is None:
            self.start_heads = tuple(heads)
        connection = context.connection if isinstance(context, MigrationContext) else None
        schema = self.target.schema
        database = database_for(connection.dialect) if connection is not None else None
        if schema and connection is not None and database is not None and database.tenant_schemas:
            current = database.current_schema(connection)
            if current != schema:
                raise CommandError(
                    f"the connection's schema is {current or 'none (the schema does not exist)'}, "
                    f"not the tenant schema {schema}: create the schema, and make env.py connect "
                    "with sqlalchemy.url (which carries the search_path)"
                )


def run_target(spec: dict[str, Any]) -> dict[str, Any]:
    """Run `spec["command"]` on `spec["target"]`; the result the state file records."""
    target = FleetTarget.from_dict(spec["target"])
    command = FLEET_COMMANDS[spec["command"]]
    opts = SimpleNamespace(
        config=spec.get("config_file"),
        name=spec.get("ini_section", "migrate"),
        x=list(spec.get("x") or []),
        raiseerr=False,
        quiet=False,
        json=False,
        cmd=command.name,
        fleet=True,
    )
    config = WorkerConfig(
        target,
        file_=spec.get("config_file"),
        ini_section=spec.get("ini_section", "migrate"),
        toml_file=spec.get("toml_file"),
        cmd_opts=opts,
        attributes={TARGET_ATTRIBUTE: target},
    )
    started = time.monotonic()
    result: dict[str, Any] = {"outcome": "ok", "error": None}
    try:
        for name, value in (spec.get("main_options") or {}).items():
            config.set_main_option(name, value)
        config.set_main_option("sqlalchemy.url", target.connection_url().replace("%", "%%"))
        command.run(config, spec.get("revision"))
    except CommandError as error:
        result.update(outcome="failed", error=_one_line(str(error)))
    except KeyboardInterrupt as error:
        message = str(error) or "interrupted before its migration finished"
        result.update(outcome="interrupted", error=_one_line(message))
    except Exception as error:  # env.py or a driver failing: one line, the log has the rest
        result.update(outcome="failed", error=_one_line(describe_error(error)))
    if config.stopped_early and result["outcome"] == "ok":
        result.update(
            outcome="interrupted",
            error="stopped between two migrations (Ctrl-C); the ones that ran are kept; "
            "resume to finish",
        )
    result["error"] = _without_password(result["error"], target)
    result["seconds"] = round(time.monotonic() - started, 3)
    start = list(config.start_heads) if config.start_heads is not None else None
    finished = result["outcome"] == "ok" or config.stopped_early
    end = _end_heads(config.documents, start) if finished else None
    result.update(start=start, end=end, applied=_applied(config.documents))
    return result


def _end_heads(documents: list[Any], start: list[str] | None) -> list[str] | None:
    for document in reversed(documents):
        if isinstance(document, dict) and "heads" in document:
            return sorted(document["heads"])
    return start


def _applied(documents: list[Any]) -> list[str]:
    applied: list[str] = []
    for document in documents:
        if isinstance(document, dict):
            applied.extend(step["revision"] for step in document.get("applied", ()))
    return applied


def _without_password(error: str | None, target: FleetTarget) -> str | None:
    """A driver's message could quote the URL it was given: never with the password."""
    if error is None:
        return None
    try:
        password = make_url(target.url).password
    except Exception:
        return error
    return error.replace(str(password), "***") if password else error


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines)[:2000] if lines else "unknown error"


def process_main(spec: dict[str, Any], result_path: str, log_path: str) -> None:
    """The worker process's entry: detach from the terminal, log to a file, run, save the result.

    Its own session means a terminal's Ctrl-C reaches the runner only, which
    decides whether to interrupt the worker. The process was forked from a
    server started earlier, so it takes the runner's directory and environment.
    """
    if hasattr(os, "setsid"):
        os.setsid()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(signal, "SIGUSR1"):

        def stop_soon(signum: int, frame: Any) -> None:
            WorkerConfig.stop_wanted = True

        signal.signal(signal.SIGUSR1, stop_soon)
    # Until this file exists the runner does not send SIGUSR1, whose default action kills.
    Path(result_path).with_suffix(".ready").touch()
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    os.chdir(spec["cwd"])
    os.environ.clear()
    os.environ.update(spec["environ"])
    result = run_target(spec)
    partial = Path(result_path).with_suffix(".partial")
    partial.write_text(json.dumps(result), encoding="utf-8")
    os.replace(partial, result_path)
    sys.stdout.flush()
    sys.stderr.flush()
