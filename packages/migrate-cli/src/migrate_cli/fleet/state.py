"""The fleet's state file: JSON Lines, one record per finished target, written as it goes.

Appending one flushed line per target means a runner killed at any moment
leaves every finished target recorded (at worst the last line is cut short,
and reading skips it). `--resume` reads the last record of each target:
a target whose last run reached this run's goal is skipped; every other one
(failed, timed out, interrupted, or never recorded) runs again. Running a
target again is safe: its run takes the database lock and reads the version
table first, so a migration that already committed is never applied twice.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from migrate_cli.errors import CommandError

__all__ = ["OUTCOME_OK", "PreviousRun", "StateFile", "read_state"]

OUTCOME_OK = "ok"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class StateFile:
    """Appends records to the state file; each line is flushed before the next target is told."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file: IO[str] = path.open("a", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write the state file {path}: {error.strerror}") from None

    def write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps({"at": _now(), **record}, default=str) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


@dataclass
class PreviousRun:
    """What a state file says: each target's last record, and the runs it holds."""

    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)

    def done(self, identity: str, goal: str) -> dict[str, Any] | None:
        """The record that makes this target skippable: it last reached this same goal."""
        record = self.targets.get(identity)
        if record and record.get("outcome") == OUTCOME_OK and record.get("goal") == goal:
            return record
        return None


def read_state(path: Path) -> PreviousRun:
    """Read a state file; a line cut short by a killed runner is ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise CommandError(
            f"no state file {path} to resume from; run without --resume first "
            "(or pass the --state file an earlier run wrote)"
        ) from None
    except OSError as error:
        raise CommandError(f"cannot read the state file {path}: {error.strerror}") from None
    previous = PreviousRun()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):
                continue  # the runner was killed while writing this line
            raise CommandError(
                f"{path}:{number}: not a JSON record; is this a `migrate fleet` state file?"
            ) from None
        if record.get("event") == "run":
            previous.runs.append(record)
        elif record.get("event") == "target" and "target" in record:
            previous.targets[record["target"]] = record
    return previous
