"""A failed or interrupted step in one line: which step, why, and what it left behind.

Plain functions over plain values, so the runner (`migration`) only decides
when a step failed; the wording a user acts on lives here.
"""

from __future__ import annotations

from collections.abc import Sequence

from migrate_cli.errors import CommandError, MigrationInterrupted
from migrate_cli.runtime.steps import Step
from migrate_cli.runtime.transactions import describe_error


def _where(step: Step) -> str:
    return f" ({step.path})" if step.path else ""


def step_error(step: Step, error: BaseException, outcome: str) -> BaseException:
    """The exception to raise for `error` in `step` (`error` itself when it is not ours to word)."""
    if isinstance(error, CommandError):
        if step.path and step.path in str(error):
            # Already names the file (an import error, a missing upgrade()).
            return CommandError(f"{step.direction} {step.revision_id}: {error}; {outcome}")
        return step_failure(step, error, outcome)
    if isinstance(error, KeyboardInterrupt):
        return MigrationInterrupted(
            f"{step.direction} {step.revision_id}{_where(step)} was interrupted (Ctrl-C); {outcome}"
        )
    if isinstance(error, Exception):
        return step_failure(step, error, outcome)
    return error


def step_failure(step: Step, error: BaseException, outcome: str) -> CommandError:
    return CommandError(
        f"{step.direction} {step.revision_id}{_where(step)} failed: {describe_error(error)}; "
        f"{outcome}"
    )


def offline_step_error(step: Step, error: BaseException) -> CommandError:
    """A failing script names itself; the command then writes none of the script."""
    return CommandError(
        f"{step.direction} {step.revision_id}{_where(step)} failed: {describe_error(error)}; "
        "the SQL script was not finished, so none of it was written"
    )


def run_outcome(
    *,
    before: Sequence[str],
    run_start: Sequence[str],
    transactional_ddl: bool,
    per_migration: bool,
    external: bool,
    earlier: Sequence[str] | None,
    here: str | None,
) -> str:
    """What a step that stopped half-way leaves behind; `before` is what it started from.

    `earlier` are the databases env.py migrated before this one in the same command
    (multidb), `here` this one's URL without its password.
    """
    recorded = ", ".join(before) or "no revision (base)"
    if transactional_ddl and not external:
        if per_migration:
            outcome = f"it was rolled back; the database is at {recorded}"
        else:
            start = ", ".join(run_start) or "no revision (base)"
            outcome = f"the whole run was rolled back; the database is still at {start}"
    elif external:
        outcome = "the caller's transaction must be rolled back"
    else:
        outcome = (
            f"the version table still records {recorded}; this database has no transactional "
            "DDL, so changes the migration made before the error stay: undo them by hand"
        )
    if earlier and here is not None:
        # env.py migrates several databases (multidb): say which one this was.
        outcome = (
            f"on {here}, {outcome}; migrated earlier in this command, and kept: "
            f"{', '.join(earlier)}"
        )
    return outcome
