"""The terminal progress line: shown for long runs on a TTY, never in pipes or short runs."""

from __future__ import annotations

import io
import logging

import pytest

from migrate_cli.runtime.progress import PROGRESS_THRESHOLD, Progress, format_duration
from migrate_cli.runtime.transactions import describe_error


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_steps(progress: Progress, count: int) -> None:
    for number in range(count):
        progress.start(f"upgrade r{number} -> r{number + 1}, step")
        progress.finish(f"upgrade r{number} -> r{number + 1}")
    progress.close()


def test_long_run_on_a_terminal_shows_a_rewriting_line() -> None:
    terminal = FakeTerminal()
    run_steps(Progress(PROGRESS_THRESHOLD, terminal), PROGRESS_THRESHOLD)
    shown = terminal.getvalue()
    assert f"[ 1/{PROGRESS_THRESHOLD}] upgrade r0 -> r1" in shown
    assert f"[{PROGRESS_THRESHOLD}/{PROGRESS_THRESHOLD}]" in shown
    assert "\n" not in shown and shown.endswith("\r\x1b[K")


def test_pipes_and_short_runs_show_nothing() -> None:
    pipe = io.StringIO()
    run_steps(Progress(100, pipe), 100)
    assert pipe.getvalue() == ""
    terminal = FakeTerminal()
    run_steps(Progress(PROGRESS_THRESHOLD - 1, terminal), PROGRESS_THRESHOLD - 1)
    assert terminal.getvalue() == ""


def test_each_step_is_logged_with_its_duration(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="migrate_cli.runtime.migration")
    run_steps(Progress(1, io.StringIO()), 1)
    assert [r.getMessage().split(" in ")[0] for r in caplog.records] == [
        "Running upgrade r0 -> r1, step",
        "Done upgrade r0 -> r1",
    ]


def test_durations_read_naturally() -> None:
    assert format_duration(0.0123) == "12.3 ms"
    assert format_duration(3.5) == "3.50 s"


def test_database_errors_are_described_on_one_line() -> None:
    import sqlalchemy as sa

    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn, pytest.raises(sa.exc.OperationalError) as raised:
        conn.exec_driver_sql("SELECT * FROM missing_table")
    assert describe_error(raised.value) == "OperationalError: no such table: missing_table"
    assert describe_error(ValueError("bad\nsecond line")) == "ValueError: bad"


def test_quiet_runs_show_no_progress() -> None:
    terminal = FakeTerminal()
    run_steps(Progress(100, terminal, quiet=True), 100)
    assert terminal.getvalue() == ""
