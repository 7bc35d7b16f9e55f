"""The ready-made migration tests, collected by the pytest plugin only when asked.

Each takes the `migrate_runner` fixture (a fresh database per test) and fails with a
message that names the revision, its file and, for schema checks, the differences.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest

from migrate_cli.errors import CommandError
from migrate_cli.migration_runner import MigrationRunner
from migrate_cli.schema_snapshot import schema_differences


class MigrationTestWarning(UserWarning):
    """Something a ready-made test could not check (and says why)."""


def _where(runner: MigrationRunner, rev: str) -> str:
    return f"{rev} ({runner.script.get_revision(rev).path})"


def _fail(message: str) -> None:
    pytest.fail(message, pytrace=False)


def _attempt(step: Callable[[str], None], target: str) -> str | None:
    """Run one command; its error message, or None (failing outside the except block keeps
    the report to our one message)."""
    try:
        step(target)
    except CommandError as error:
        return str(error)
    return None


def test_migrate_single_head(migrate_runner: MigrationRunner) -> None:
    """The history has one head: two means a branch nobody merged."""
    heads = migrate_runner.script.get_heads()
    if len(heads) > 1:
        _fail(
            f"the history has {len(heads)} heads ({', '.join(heads)}): two migrations were "
            "written on the same parent; merge them with `migrate merge heads`"
        )


def test_migrate_upgrade_step_by_step(migrate_runner: MigrationRunner) -> None:
    """Every revision upgrades, one at a time, from an empty database to the head(s)."""
    for rev in migrate_runner.history:
        failure = _attempt(migrate_runner.upgrade, rev)
        if failure:
            _fail(f"upgrade {_where(migrate_runner, rev)} failed: {failure}")
    assert set(migrate_runner.heads()) == set(migrate_runner.script.revision_map.real_heads)


def test_migrate_models_match_ddl(migrate_runner: MigrationRunner) -> None:
    """After upgrading to the head, autogenerate finds nothing to change (env.py's
    target_metadata is what the migrations build)."""
    from migrate_cli import command

    migrate_runner.upgrade("heads")
    start = migrate_runner.output.tell()
    problem = None
    try:
        migrate_runner.run(command.check)
    except CommandError as error:
        problem = str(error)
    if problem is None:
        return
    if "needs target_metadata" in problem:
        pytest.skip("env.py gives no target_metadata, so there are no models to compare")
    printed = migrate_runner.output.getvalue()[start:].strip()
    _fail(
        f"the models differ from the schema the migrations build (at "
        f"{', '.join(migrate_runner.heads())}): {problem}\n{printed}"
    )


def test_migrate_downgrades_restore_the_schema(migrate_runner: MigrationRunner) -> None:
    """Each step's downgrade returns the schema exactly to what it was before the step."""
    for rev in migrate_runner.history:
        before_heads = migrate_runner.heads()
        before = migrate_runner.schema()
        migrate_runner.upgrade(rev)
        if len(before_heads) > 1:
            continue  # a merge: undoing it alone has no single "before" to compare with
        target = before_heads[0] if before_heads else "base"
        failure = _attempt(migrate_runner.downgrade, target)
        if failure:
            _fail(f"downgrade {_where(migrate_runner, rev)} failed: {failure}")
        differences = schema_differences(before, migrate_runner.schema())
        if differences:
            _fail(
                f"downgrade {_where(migrate_runner, rev)} does not return the schema to what "
                f"it was before {rev}:\n  " + "\n  ".join(differences)
            )
        migrate_runner.upgrade(rev)


def test_migrate_steps_keep_existing_rows(migrate_runner: MigrationRunner) -> None:
    """A row in every table before a step is still there after it, unless the step drops
    its table (or its key columns): no silent data loss."""
    skipped: dict[str, str] = {}
    for rev in migrate_runner.history:
        inserted = migrate_runner.insert_sample_rows()
        for table, reason in inserted.skipped.items():
            skipped.setdefault(table, f"before {rev}: {reason}")
        failure = _attempt(migrate_runner.upgrade, rev)
        if failure:
            _fail(
                f"upgrade {_where(migrate_runner, rev)} fails on a database with a row in every "
                f"table ({', '.join(sorted({r.table for r in inserted.rows})) or 'none'}): "
                f"{failure}"
            )
        missing = migrate_runner.rows_missing(inserted)
        if missing:
            _fail(
                f"upgrade {_where(migrate_runner, rev)} lost rows it did not drop:\n  "
                + "\n  ".join(missing)
            )
    if skipped:
        warnings.warn(
            MigrationTestWarning(
                "no row could be made for some tables, so their data was not checked: "
                + "; ".join(f"{table} ({reason})" for table, reason in sorted(skipped.items()))
            ),
            stacklevel=1,
        )


def test_migrate_lint_clean(migrate_runner: MigrationRunner) -> None:
    """`migrate lint` over the whole history finds nothing, for the database kind under
    test (its rule selection from the project's lint settings)."""
    try:
        from migrate_cli.commands import lint as lint_commands
    except ImportError:  # an optional dependency: ddl-ops' [lint] extra (sqlglot)
        pytest.skip("migrate lint is not available here (install ddl-ops[lint])")
    report = migrate_runner.run(lint_commands.lint, use_database=False)
    if report.failed:
        _fail(
            f"migrate lint finds problems for {report.dialect} (fix them, or ignore a rule "
            "in the project's lint settings):\n  "
            + "\n  ".join(lint_commands.format_text(report.findings))
        )
