"""What `migrate fleet` shows: live progress, then a summary; or the same as JSON events.

On a terminal one status line is redrawn (done, failed, running, ETA) and
failures are printed as they happen; elsewhere (CI logs, files) every
finished target is one plain line. `--json` prints one JSON object per line
(event: run, start, finish, summary) on stdout instead, for programs.
Targets are named by their label or password-free identity only.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

from migrate_cli.fleet.pool import TargetResult
from migrate_cli.fleet.targets import FleetTarget

__all__ = ["FleetReport", "format_heads"]


def format_heads(heads: Sequence[str] | None) -> str:
    if heads is None:
        return "?"
    return ",".join(sorted(heads)) or "base"


def _duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class FleetReport:
    """Receives the pool's events; writes progress to `stream` (stderr) or JSON to `out`."""

    def __init__(
        self,
        total: int,
        *,
        json_events: bool = False,
        quiet: bool = False,
        stream: TextIO | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.total = total
        self.json_events = json_events
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.out = out or sys.stdout
        self.live = not json_events and not quiet and _is_tty(self.stream)
        self.started_at = time.monotonic()
        self.done = 0
        self.failed = 0
        self.running = 0
        self._last_draw = 0.0

    # -- events -------------------------------------------------------------------------------

    def event(self, kind: str, **data: Any) -> None:
        if self.json_events:
            self.out.write(json.dumps({"event": kind, **data}, default=str) + "\n")
            self.out.flush()

    def note(self, text: str) -> None:
        """A line for people (skipped targets, canary passed, Ctrl-C); a JSON event otherwise."""
        if self.json_events:
            self.event("note", message=text)
        elif not self.quiet:
            self._print(text)

    def target_started(self, target: FleetTarget) -> None:
        self.event("start", target=target.identity, name=target.label)

    def target_finished(self, result: TargetResult) -> None:
        self.done += 1
        if not result.ok:
            self.failed += 1
        self.event(
            "finish",
            target=result.target.identity,
            name=result.target.label,
            outcome=result.outcome,
            start=result.start,
            end=result.end,
            applied=result.applied,
            seconds=result.seconds,
            error=result.error,
        )
        if self.json_events or self.quiet and result.ok:
            return
        move = f"{format_heads(result.start)} -> {format_heads(result.end)}"
        if result.ok:
            if not self.live:
                self._print(f"ok      {result.target.label}  {move}  ({result.seconds:.1f}s)")
        else:
            self._print(f"{result.outcome.upper():<7} {result.target.label}: {result.error}")

    def tick(self, running: int) -> None:
        self.running = running
        now = time.monotonic()
        if self.live and now - self._last_draw > 0.2:
            self._last_draw = now
            self.stream.write("\r\x1b[K" + self.status_line())
            self.stream.flush()

    def status_line(self) -> str:
        elapsed = time.monotonic() - self.started_at
        left = self.total - self.done
        eta = f", ETA {_duration(elapsed / self.done * left)}" if self.done and left else ""
        return (
            f"[fleet] {self.done}/{self.total} done, {self.failed} failed, "
            f"{self.running} running, {_duration(elapsed)} elapsed{eta}"
        )

    # -- summary ------------------------------------------------------------------------------

    def summary(
        self,
        results: Sequence[TargetResult],
        skipped: Sequence[dict[str, Any]],
        not_started: Sequence[FleetTarget],
        goal: str,
        state_path: str,
    ) -> dict[str, Any]:
        """Targets per revision, then the failures one line each; returns the summary data."""
        per_revision: Counter[str] = Counter()
        for result in results:
            if result.ok:
                per_revision[format_heads(result.end)] += 1
        for record in skipped:
            per_revision[format_heads(record.get("end"))] += 1
        failed = [result for result in results if not result.ok]
        seconds = round(time.monotonic() - self.started_at, 3)
        data: dict[str, Any] = {
            "goal": goal,
            "targets": self.total,
            "ok": sum(1 for result in results if result.ok) + len(skipped),
            "already_done": len(skipped),
            "failed": [
                {
                    "target": r.target.identity,
                    "name": r.target.label,
                    "outcome": r.outcome,
                    "error": r.error,
                }
                for r in failed
            ],
            "not_started": [target.identity for target in not_started],
            "revisions": dict(sorted(per_revision.items())),
            "state_file": state_path,
            "seconds": seconds,
        }
        if self.json_events:
            self.event("summary", **data)
            return data
        if self.live:
            self.stream.write("\r\x1b[K")
        lines = [
            f"{data['ok']} of {self.total} target(s) at the goal ({goal}) "
            f"in {_duration(seconds)}"
            + (f", {len(skipped)} of them done by an earlier run" if skipped else "")
        ]
        if self.quiet:  # -q: only what went wrong (the failures were printed as they ended)
            lines = []
        elif per_revision:
            width = max(len(revision) for revision in per_revision)
            lines.append(f"  {'revision':<{width}}  targets")
            lines += [f"  {rev:<{width}}  {n:>7}" for rev, n in sorted(per_revision.items())]
        if failed and not self.quiet:
            lines.append(f"{len(failed)} failed:")
            lines += [f"  {r.target.label} [{r.outcome}]: {r.error}" for r in failed]
        if not_started:
            lines.append(f"{len(not_started)} not started")
        if failed or not_started:
            lines.append(f"state: {state_path} (fix, then run again with --resume {state_path})")
        for line in lines:
            self._print(line, self.out)
        return data

    def _print(self, text: str, stream: TextIO | None = None) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        target = stream or self.stream
        target.write(text + "\n")
        target.flush()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
