"""Commands that talk to the database: upgrade, downgrade, stamp, current, check, ensure-version.

Each builds a plan function over the database's current heads and hands it to
env.py through `run_env`; env.py connects and calls `run_migrations()`, which
takes the lock, reads the heads, and only then asks the plan what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.revision_hints import command_error
from migrate_cli.runtime.environment import EnvironmentContext, run_env
from migrate_cli.runtime.heads import HeadTracker, as_squashes
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.steps import (
    EquivalenceStep,
    RevisionStep,
    StampStep,
    Step,
    revision_steps,
)
from migrate_cli.runtime.version_table import alembic_database_error, only_alembic_version
from migrate_cli.script import ScriptDirectory, formatting
from migrate_cli.script.heads_snapshot import HeadsSnapshot, HeadView
from revgraph import RevisionError

__all__ = ["check", "current", "downgrade", "ensure_version", "stamp", "upgrade"]


def _script_directory(config: Config) -> ScriptDirectory:
    return ScriptDirectory.from_config(config)


def _split_range(revision: str, sql: bool, command: str) -> tuple[str | None, str]:
    """`start:end` is only meaningful offline, where there is no database to read the start from."""
    if ":" not in revision:
        return None, revision
    if not sql:
        raise CommandError(
            f"a range like {revision!r} is only for `{command} --sql`; online, the database's "
            "current revision is the start"
        )
    start, _, end = revision.partition(":")
    if not end:
        raise CommandError(f"the range {revision!r} has no end revision; use START:END")
    return start or None, end


def _emit_report(config: Config, environment: EnvironmentContext, sql: bool) -> None:
    """--json: the steps that ran (with seconds each) and the heads afterwards; not with --sql.

    With several databases, `databases` gives each one's heads.
    """
    if sql:
        return
    report = dict(environment.report)
    if len(environment.database_heads) > 1:  # multidb: `heads` alone is the last database's
        report["databases"] = environment.database_heads
    config.emit(report)


def _plan_error(
    error: BaseException, heads: Sequence[str], script: ScriptDirectory
) -> CommandError:
    unknown = [head for head in heads if head not in script.revision_map]
    if unknown:
        return CommandError(
            f"the database records revision(s) {', '.join(unknown)} that no script defines; "
            "restore the missing script(s), or run `migrate stamp --purge <revision>` to "
            "record where the database really is"
        )
    at = ", ".join(heads) or "base"
    if isinstance(error, RevisionError):
        return command_error(error, suffix=f" (the database is at {at})")
    return CommandError(f"{error} (the database is at {at})")


def _check_offline_plan(
    script: ScriptDirectory,
    starting_rev: str | None,
    plan: Callable[[tuple[str, ...], Any], object],
) -> None:
    """--sql: plan once before env.py runs, so a bad range fails before any SQL is written
    (env.py's begin_transaction() writes BEGIN first)."""
    heads: tuple[str, ...] = ()
    if starting_rev not in (None, "base"):
        try:
            heads = tuple(script.revision_map.resolve(str(starting_rev)))
        except RevisionError as error:
            raise command_error(error, prefix=f"bad starting revision {starting_rev!r}: ") from None
    plan(heads, None)


def upgrade(config: Config, revision: str, sql: bool = False, tag: str | None = None) -> None:
    """Apply every revision between the database's current heads and `revision`."""
    starting_rev, destination = _split_range(revision, sql, "upgrade")
    _migrate(config, True, starting_rev, destination, sql, tag)


def downgrade(config: Config, revision: str, sql: bool = False, tag: str | None = None) -> None:
    """Undo revisions until the database is at `revision` (an id, -N, label@-N or base)."""
    starting_rev, destination = _split_range(revision, sql, "downgrade")
    if sql and starting_rev is None:
        raise CommandError(
            "downgrade --sql needs a range START:END (e.g. `downgrade ae10:base --sql`): "
            "offline there is no database to read the starting revision from"
        )
    _migrate(config, False, starting_rev, destination, sql, tag)


def _migrate(
    config: Config,
    is_upgrade: bool,
    starting_rev: str | None,
    destination: str,
    sql: bool,
    tag: str | None,
) -> None:
    """Run env.py with the plan from the heads it reads to `destination`, up or down."""
    script = _script_directory(config)

    def plan(
        heads: tuple[str, ...], context: MigrationContext
    ) -> list[RevisionStep | EquivalenceStep]:
        connection = context.connection if context is not None else None
        # Downgrading "from base" would undo nothing and exit 0: wrong, Alembic migrated it.
        if (
            not is_upgrade
            and not heads
            and connection is not None
            and only_alembic_version(connection, context.version)
        ):
            raise alembic_database_error(context.version, "nothing was downgraded")
        if is_upgrade and not sql and destination in ("head", "heads"):
            snapshot = script.heads_snapshot()  # a deploy with no new revision: at head
            if snapshot is not None and snapshot.upgrade_is_done(heads, destination):
                return []
        revision_map = script.revision_map
        plan_for: Callable[[Sequence[str], str], Sequence[Any]]
        plan_for = revision_map.upgrade_plan if is_upgrade else revision_map.downgrade_plan
        if revision_map.squashes:  # squashed ranges: the plan also says where paths cross
            plan_for = revision_map.upgrade_steps if is_upgrade else revision_map.downgrade_steps
        try:
            revisions = plan_for(heads, destination)
        except RevisionError as error:
            raise _plan_error(error, heads, script) from error
        return revision_steps(script, revisions, is_upgrade=is_upgrade)

    if sql:
        _check_offline_plan(script, starting_rev, plan)
    environment = run_env(
        config,
        script,
        plan,
        as_sql=sql,
        starting_rev=starting_rev,
        destination_rev=destination,
        tag=tag,
    )
    _emit_report(config, environment, sql)


def _refuse_overlapping_targets(script: ScriptDirectory, resolved: Sequence[str]) -> None:
    """`stamp a1 b2` where b2 builds on a1 would silently record only b2: say so instead."""
    revision_map = script.revision_map
    for lower in resolved:
        for upper in resolved:
            if lower != upper and revision_map.is_ancestor(lower, upper):
                raise CommandError(
                    f"stamp targets overlap: {lower} is below {upper}, so the database "
                    f"cannot be at both; stamp {upper} alone, or pick targets on separate "
                    "branches"
                )


def stamp(
    config: Config,
    revision: str | Sequence[str],
    sql: bool = False,
    tag: str | None = None,
    purge: bool = False,
) -> None:
    """Record revisions in the version table without running any migration.

    Several targets stamp several heads at once; `purge` first empties the
    table, which is how to recover from a revision id the scripts no longer have.
    """
    script = _script_directory(config)
    requested = [revision] if isinstance(revision, str) else list(revision)
    if not requested:
        raise CommandError("stamp needs at least one revision (an id, head, heads or base)")
    starting_rev = None
    targets: list[str] = []
    for item in requested:
        start, end = _split_range(item, sql, "stamp")
        if start is not None:
            if starting_rev is not None and start != starting_rev:
                raise CommandError("stamp --sql accepts one starting revision for all targets")
            starting_rev = start
        targets.append(end)

    def plan(heads: tuple[str, ...], context: MigrationContext) -> list[StampStep]:
        resolved: list[str] = []
        try:
            if not purge and any(_BRANCH_BASE.match(target) for target in targets):
                step = _branch_base_stamp(script, heads, targets)
                return [step] if set(step.targets) != set(heads) else []
            for target in targets:
                for rev in script.revision_map.resolve(target, () if purge else heads):
                    if rev not in resolved:
                        resolved.append(rev)
        except RevisionError as error:
            raise _plan_error(error, heads, script) from error
        _refuse_overlapping_targets(script, resolved)
        clear_all = purge or not resolved
        if set(resolved) == set(heads) and not purge:
            return []
        if not clear_all:
            unknown = [h for h in heads if h not in script.revision_map]
            if unknown:
                raise CommandError(
                    f"the database records revision(s) {', '.join(unknown)} that no script "
                    "defines; use `migrate stamp --purge <revision>` to replace them"
                )
        return [StampStep(tuple(resolved), purge=clear_all, from_heads=heads)]

    if sql:
        _check_offline_plan(script, starting_rev, plan)
    environment = run_env(
        config,
        script,
        plan,
        as_sql=sql,
        starting_rev=starting_rev,
        destination_rev=",".join(targets),
        tag=tag,
    )
    _emit_report(config, environment, sql)


_BRANCH_BASE = re.compile(r"^[^@]+@base$")


def _branch_base_stamp(
    script: ScriptDirectory, heads: tuple[str, ...], targets: Sequence[str]
) -> StampStep:
    """`stamp label@base`: that branch's revisions leave the table, other heads stay.

    The heads are those `downgrade label@base` would leave (a revision that
    depends on the branch goes too); other targets are then stamped as usual.
    """
    tracker = HeadTracker(script.revision_map, heads)
    others: list[str] = []
    for target in targets:
        if _BRANCH_BASE.match(target):
            for revision in script.revision_map.downgrade_plan(tracker.heads, target):
                tracker.downgrade(revision.revision)
        else:
            others.extend(script.revision_map.resolve(target, heads))
    if others:
        tracker.stamp(others)
    return StampStep(tuple(tracker.heads), purge=True, from_heads=heads)


def current(config: Config, verbose: bool = False, check_heads: bool = False) -> None:
    """Print the revision(s) the database is at; `check_heads` fails unless that is the head(s).

    An env.py that runs once per database (the multidb template) prints each
    database's revisions under its URL, and reports them all in one --json document.
    """
    script = _script_directory(config)
    # Unless a revision file changed since the last run, the heads are known without the graph.
    snapshot = script.heads_snapshot()
    records: list[dict[str, Any]] = []
    databases: list[tuple[str, tuple[str, ...], list[str]]] = []

    def show(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        url = ""
        if context.connection is not None:
            url = context.connection.engine.url.render_as_string(hide_password=True)
            if not heads and only_alembic_version(context.connection, context.version):
                # Printing nothing ("at base") would be wrong: Alembic migrated it.
                raise alembic_database_error(context.version, "its revision cannot be shown")
        if snapshot is not None and snapshot.shows(heads):
            lines = [_snapshot_line(snapshot.views[head], verbose, records) for head in heads]
        else:
            lines = [_current_line(script, head, verbose, heads, records) for head in heads]
        databases.append((url, heads, lines))
        return []

    run_env(config, script, show, lock=False)
    several = len(databases) > 1
    for url, _heads, lines in databases:
        if verbose:
            config.print_stdout(f"Current revision(s) for {url}:")
        elif several:
            config.print_stdout(f"{url}:")
        for line in lines or (["(base)"] if several else []):
            config.print_stdout(f"  {line}" if several and not verbose else line)
    behind = _behind(script, snapshot, [heads for _url, heads, _lines in databases])
    document: dict[str, Any] = {"current": records, "at_head": not behind}
    error = None
    if check_heads and behind:
        error = CommandError(
            f"the database is at {', '.join(behind[0]) or 'base'}, not at the head(s) "
            f"{', '.join(sorted(script.revision_map.real_heads))}; run `migrate upgrade heads`"
        )
        document["error"] = str(error)
    config.emit(document)
    if error is not None:
        raise error


def _behind(
    script: ScriptDirectory, snapshot: HeadsSnapshot | None, shown: list[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """Each database's heads that are not the script heads (what `--check-heads` refuses)."""
    if snapshot is not None and all(snapshot.shows(heads) for heads in shown):
        # No squash on either side here, so heads compare as they are.
        return [heads for heads in shown if set(heads) != set(snapshot.real_heads)]
    revision_map = script.revision_map
    # What `upgrade heads` records: a head that is only depended on is applied, not recorded.
    script_heads = set(revision_map.real_heads)
    return [heads for heads in shown if as_squashes(revision_map, heads) != script_heads]


def _snapshot_line(view: HeadView, verbose: bool, records: list[dict[str, Any]]) -> str:
    """`_current_line` for a head shown from the heads snapshot (it is current: it is shown)."""
    records.append({**view.record, "is_current": True})
    return view.verbose if verbose else view.line


def _current_line(
    script: ScriptDirectory,
    head: str,
    verbose: bool,
    heads: tuple[str, ...],
    records: list[dict[str, Any]],
) -> str:
    """How `current` shows one recorded revision; its --json record goes into `records`."""
    if head not in script.revision_map:
        records.append({"revision": head, "is_head": False, "unknown": True})
        return f"{head} (unknown: no script defines it)"
    entry = script.get_revision(head)
    records.append(formatting.as_dict(entry, heads))
    if verbose:
        return formatting.verbose_entry(entry)
    return formatting.short_line(entry, parents=False, doc=False, tree=False)


def ensure_version(config: Config, sql: bool = False) -> None:
    """Create the version table if it does not exist (or write its CREATE TABLE with --sql).

    One --json document however many databases env.py runs on; with several,
    `databases` says which had to be created.
    """
    script = _script_directory(config)
    databases: list[dict[str, Any]] = []
    names: list[str] = []

    def create(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        existed = not sql and context.version.exists(context.connection)  # type: ignore[arg-type]
        context.ensure_version_table()
        names.append(context.version.display_name)
        if context.connection is not None:
            url = context.connection.engine.url.render_as_string(hide_password=True)
            databases.append({"database": url, "created": not existed})
        return []

    run_env(config, script, create, as_sql=sql)
    if sql or not names:
        return
    document: dict[str, Any] = {
        "version_table": names[0],
        "created": any(entry["created"] for entry in databases),
    }
    if len(databases) > 1:
        document["databases"] = databases
    config.emit(document)


def check(config: Config) -> None:
    """Exit 1, listing the operations, when the models differ from the database; else 0."""
    from migrate_cli.runtime.autogenerate import ModelCheck

    script = _script_directory(config)
    model_check = ModelCheck(config, script)
    run_env(config, script, model_check.compare, lock=False)
    model_check.report()
