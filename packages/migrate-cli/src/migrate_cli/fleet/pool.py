"""Runs targets in worker processes: at most N at once, and at most M per database server.

Each target is its own process, forked from a multiprocessing fork server
that imported the toolkit once (a fresh interpreter per target would spend
a second importing), in its own session, so a terminal's Ctrl-C reaches
only the runner. The first Ctrl-C starts no new target and asks the running
ones (SIGUSR1) to stop after the migration in progress, keeping what ran; a
second one interrupts them (SIGINT: the migration in progress rolls back
where it can, as `migrate upgrade` does on Ctrl-C). A worker writes its
output and its result to files, never to a pipe, so a runner that dies
(SIGKILL) leaves its workers to finish their one target undisturbed;
`--resume` then finds them done."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import signal
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from migrate_cli.fleet import worker
from migrate_cli.fleet.targets import FleetTarget

__all__ = ["FleetPool", "PoolResult", "TargetResult"]

_POLL_SECONDS = 0.02
#: The signal that asks a worker to stop after the migration in progress (none on Windows).
_STOP_SOON: int | None = getattr(signal, "SIGUSR1", None)
#: What the fork server imports once, so each worker starts without importing them.
#: A module that is not installed is skipped.
_PRELOAD = [
    "migrate_cli.fleet.worker",
    "migrate_cli.context",
    "migrate_cli.runtime.migration",
    "migrate_cli.runtime.autogenerate",
    "ddl_ops",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.mysql",
    "psycopg",
    "psycopg2",
    "pymysql",
]
#: How long a worker told to stop (timeout, second Ctrl-C) has to roll back before SIGKILL.
_GRACE_SECONDS = 10.0


@dataclass
class TargetResult:
    """How one target's run ended; `outcome` is ok, failed, timeout, interrupted or crashed."""

    target: FleetTarget
    outcome: str
    seconds: float
    start: list[str] | None = None
    end: list[str] | None = None
    applied: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


@dataclass
class PoolResult:
    finished: list[TargetResult] = field(default_factory=list)
    not_started: list[FleetTarget] = field(default_factory=list)
    interrupted: bool = False


@dataclass
class _Running:
    target: FleetTarget
    process: Any  # a multiprocessing Process
    started: float
    result_path: Path
    log_path: Path
    keep_log: bool
    stop_sent: float | None = None
    stop_soon_sent: bool = False
    timed_out: bool = False


class FleetPool:
    """Starts workers for targets, watches them, and reports each one as it ends.

    `spec` is the part of the worker's spec every target shares (config file,
    section, -x, command, revision); `workdir` is a private directory for
    spec and result files; `log_dir`, when given, keeps each worker's output.
    """

    def __init__(
        self,
        spec: dict[str, Any],
        workdir: Path,
        *,
        jobs: int,
        max_per_server: int,
        timeout: float | None = None,
        log_dir: Path | None = None,
        on_start: Callable[[FleetTarget], None] = lambda target: None,
        on_finish: Callable[[TargetResult], None] = lambda result: None,
        on_tick: Callable[[int], None] = lambda running: None,
    ) -> None:
        self.spec = spec
        self.workdir = workdir
        self.jobs = max(1, jobs)
        self.max_per_server = max(1, max_per_server)
        self.timeout = timeout
        self.log_dir = log_dir
        self.on_start = on_start
        self.on_finish = on_finish
        self.on_tick = on_tick
        #: Ctrl-C presses so far: 1 = finish running targets, start no more; 2 = interrupt them.
        self.interrupts = 0
        self._serial = 0

    # -- public -------------------------------------------------------------------------------

    def run(self, targets: list[FleetTarget], stop_on_failure: bool = False) -> PoolResult:
        """Run every target (unless stopped); returns when no worker is left running."""
        result = PoolResult()
        pending = deque(targets)
        running: list[_Running] = []
        per_server: Counter[str] = Counter()
        stop_starting = False
        with self._ctrl_c_handled():
            while pending or running:
                if self.interrupts:
                    stop_starting = True
                    result.interrupted = True
                for job in running if self.interrupts else ():
                    self._stop(job, now=self.interrupts >= 2)
                if not stop_starting:
                    self._start_ready(pending, running, per_server)
                for job in list(running):
                    if job.process.exitcode is None:
                        self._enforce_timeout(job)
                        continue
                    running.remove(job)
                    per_server[job.target.server] -= 1
                    finished = self._collect(job)
                    result.finished.append(finished)
                    self.on_finish(finished)
                    if stop_on_failure and not finished.ok:
                        stop_starting = True
                if stop_starting and pending:
                    result.not_started.extend(pending)
                    pending.clear()
                self.on_tick(len(running))
                if running:
                    time.sleep(_POLL_SECONDS)
        return result

    # -- starting -----------------------------------------------------------------------------

    def _start_ready(
        self, pending: deque[FleetTarget], running: list[_Running], per_server: Counter[str]
    ) -> None:
        """Start pending targets, in order, while a slot and their server's budget allow."""
        skipped: list[FleetTarget] = []
        while pending and len(running) < self.jobs:
            target = pending.popleft()
            if per_server[target.server] >= self.max_per_server:
                skipped.append(target)
                continue
            per_server[target.server] += 1
            running.append(self._start(target))
            self.on_start(target)
        pending.extendleft(reversed(skipped))

    def _start(self, target: FleetTarget) -> _Running:
        self._serial += 1
        result_path = self.workdir / f"t{self._serial:06d}.result.json"
        keep_log = self.log_dir is not None
        log_path = (self.log_dir or self.workdir) / f"{_file_name(target)}.log"
        spec = {
            **self.spec,
            "target": target.to_dict(),
            "cwd": os.getcwd(),
            "environ": dict(os.environ),
        }
        process = _context().Process(
            target=worker.process_main,
            args=(spec, str(result_path), str(log_path)),
            name=f"migrate-fleet-{self._serial}",
        )
        process.start()
        return _Running(target, process, time.monotonic(), result_path, log_path, keep_log)

    # -- watching -----------------------------------------------------------------------------

    def _enforce_timeout(self, job: _Running) -> None:
        elapsed = time.monotonic() - job.started
        if self.timeout is not None and elapsed > self.timeout and job.stop_sent is None:
            job.timed_out = True
            self._stop(job)
        if job.stop_sent is not None and time.monotonic() - job.stop_sent > _GRACE_SECONDS:
            _signal(job.process, signal.SIGKILL)

    def _stop(self, job: _Running, now: bool = True) -> None:
        """Ask the worker to stop: `now` as Ctrl-C would (the migration in progress rolls
        back), else after the migration in progress (SIGUSR1, where there is one)."""
        if not now:
            ready = job.result_path.with_suffix(".ready").exists()
            if not job.stop_soon_sent and _STOP_SOON is not None and ready:
                job.stop_soon_sent = True
                _signal(job.process, _STOP_SOON)
            return
        if job.stop_sent is None:
            job.stop_sent = time.monotonic()
            _signal(job.process, signal.SIGINT)

    def _collect(self, job: _Running) -> TargetResult:
        seconds = round(time.monotonic() - job.started, 3)
        data: dict[str, Any] | None = None
        try:
            data = json.loads(job.result_path.read_text(encoding="utf-8"))
            job.result_path.unlink()
        except (OSError, ValueError):
            data = None
        error: str | None
        if data is None:
            outcome = "timeout" if job.timed_out else "crashed"
            error = _last_line(job.log_path) or f"the worker exited with {job.process.exitcode}"
            if job.timed_out:
                error = f"stopped after the {self.timeout:g}s timeout: {error}"
            finished = TargetResult(job.target, outcome, seconds, error=error)
        else:
            outcome = str(data.get("outcome", "crashed"))
            error = data.get("error")
            if job.timed_out and outcome != "ok":
                outcome, error = "timeout", f"stopped after the {self.timeout:g}s timeout: {error}"
            finished = TargetResult(
                job.target,
                outcome,
                seconds,
                start=data.get("start"),
                end=data.get("end"),
                applied=list(data.get("applied") or []),
                error=error,
            )
        job.process.close()
        if not job.keep_log:
            job.log_path.unlink(missing_ok=True)
        return finished

    @contextmanager
    def _ctrl_c_handled(self) -> Iterator[None]:
        """Count Ctrl-C presses instead of raising, while workers run (main thread only)."""

        def handler(signum: int, frame: FrameType | None) -> None:
            self.interrupts += 1

        try:
            previous = signal.signal(signal.SIGINT, handler)
        except ValueError:  # not the main thread: Ctrl-C keeps its default meaning
            yield
            return
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def _signal(process: Any, signum: int) -> None:
    try:
        os.kill(process.pid, signum)
    except ProcessLookupError:
        pass


def _context() -> Any:
    """The fork server where the platform has one (POSIX), else fresh interpreters (spawn)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _file_name(target: FleetTarget) -> str:
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", target.label)[-60:].strip("_")
    digest = hashlib.sha256(target.identity.encode()).hexdigest()[:8]
    return f"{readable}-{digest}"


def _last_line(path: Path) -> str | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return None
    return lines[-1].strip()[:500] if lines else None
