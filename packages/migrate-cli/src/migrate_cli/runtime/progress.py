"""What a run tells the person watching: log lines with timings, and a terminal progress line.

Log lines go to the `migrate_cli.runtime.migration` logger (configured by the
environment's logging config, as Alembic's are), one before each step
(`Running upgrade a1 -> b2, message`) and one after it with its duration.
When many steps run and stderr is a terminal, a single self-rewriting line
shows how far the run is while each step runs (cleared before the next log
line, so the two never interleave); pipes, CI logs and tests never see it.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

log = logging.getLogger("migrate_cli.runtime.migration")

PROGRESS_THRESHOLD = 20


class Progress:
    """Reports each step of a run; a no-op display unless stderr is a TTY."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.show = not quiet and total >= PROGRESS_THRESHOLD and _is_tty(self.stream)
        self._started: float = 0.0

    def start(self, description: str) -> None:
        log.info("Running %s", description)
        if self.show:
            width = len(str(self.total))
            line = f"[{self.done + 1:>{width}}/{self.total}] {description}"
            self.stream.write("\r\x1b[K" + line[:200])
            self.stream.flush()
        self._started = time.perf_counter()

    def finish(self, movement: str) -> float:
        """End the step; `movement` is its description without the message (`upgrade a -> b`)."""
        elapsed = time.perf_counter() - self._started
        self.done += 1
        self._clear()  # before logging, so log lines on the same terminal stay whole
        if log.isEnabledFor(logging.INFO):
            log.info("Done %s in %s", movement, format_duration(elapsed))
        return elapsed

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.show and self.done:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def format_duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
