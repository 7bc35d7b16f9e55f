"""Comparing models with the database from inside env.py: `revision --autogenerate` and `check`.

env.py gives target_metadata and the comparison hooks to `context.configure`;
the command's plan function runs once env.py calls `run_migrations()`, with
the connection and those options at hand, compares through migrate_autogen,
and returns no steps, so nothing is migrated.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.heads import as_squashes
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.script_source import ScriptSource
from migrate_cli.runtime.steps import Step
from migrate_cli.runtime.transactions import describe_error
from migrate_cli.runtime.version_table import alembic_database_error, only_alembic_version

if TYPE_CHECKING:  # migrate_autogen is imported when autogenerate runs
    from ddl_ops import MigrateOperation
    from migrate_autogen import MigrationScript

# configure() options that steer the comparison, and those that steer rendering.
COMPARE_OPTION_NAMES = (
    "compare_type",
    "compare_server_default",
    "include_schemas",
    "include_name",
    "include_object",
    "comparators",
)
RENDER_OPTION_NAMES = (
    "render_as_batch",
    "user_module_prefix",
    "render_item",
    "sqlalchemy_module_prefix",
)

DEFAULT_TOKENS = ("upgrades", "downgrades")

Directives = Callable[[MigrationContext, tuple[str, ...], list[Any]], None]


def compare_options(context: MigrationContext) -> dict[str, Any]:
    """The migrate_autogen compare options env.py configured, plus the version table to skip."""
    opts = context.opts
    chosen = {name: opts[name] for name in COMPARE_OPTION_NAMES if opts.get(name) is not None}
    if opts.get("user_options"):
        chosen["user_options"] = dict(opts["user_options"])
    chosen["version_table"] = context.version.table.name
    chosen["version_table_schema"] = context.version.table.schema
    chosen["include_name"] = _skip_log_table(context, chosen.get("include_name"))
    return chosen


def _skip_log_table(context: MigrationContext, include_name: Any) -> Any:
    """env.py's include_name, also leaving out the migration log table (no model has it)."""
    if not context.history.enabled:
        return include_name
    log_name, log_schema = context.history.table.name, context.history.table.schema

    def include(name: str | None, type_: str, parent_names: Any) -> bool:
        ours = type_ == "table" and name == log_name
        if ours and parent_names.get("schema_name") == log_schema:
            return False
        return include_name is None or bool(include_name(name, type_, parent_names))

    return include


def render_options(context: MigrationContext) -> dict[str, Any]:
    """The migrate_autogen render options env.py configured (Alembic's names mapped to ours)."""
    opts = context.opts
    chosen = {name: opts[name] for name in RENDER_OPTION_NAMES if opts.get(name) is not None}
    prefix = opts.get("op_module_prefix") or opts.get("alembic_module_prefix")
    if prefix is not None:
        chosen["op_prefix"] = prefix
    # unless env.py set render_as_batch, SQLite's changes render in batch blocks
    chosen["dialect_name"] = context.dialect.name
    return chosen


def target_metadata(context: MigrationContext) -> Any:
    metadata = context.opts.get("target_metadata")
    if metadata is None:
        raise CommandError(
            "autogenerate needs target_metadata: pass target_metadata=Base.metadata (or a list "
            "of MetaData) to context.configure() in env.py"
        )
    return metadata


def require_up_to_date(
    script_directory: ScriptSource,
    heads: Sequence[str],
    context: MigrationContext | None = None,
    outcome: str = "nothing was compared",
) -> None:
    """Comparing a database that is behind the scripts would re-detect unapplied migrations.

    The real heads are what `upgrade heads` records: a head that another revision only
    depends on (e.g. one branch needing another's root) is applied but not recorded.
    A database Alembic migrated is not "at base": saying `upgrade heads` would mislead.
    """
    connection = context.connection if context is not None else None
    if (
        not heads
        and context is not None
        and connection is not None
        and only_alembic_version(connection, context.version)
    ):
        raise alembic_database_error(context.version, outcome)
    script_heads = set(script_directory.revision_map.real_heads)
    if as_squashes(script_directory.revision_map, heads) != script_heads:
        raise CommandError(
            f"the database is at {', '.join(sorted(heads)) or 'base'}, not at the head(s) "
            f"{', '.join(sorted(script_heads)) or 'base'}; run `migrate upgrade heads` first"
        )


def _live(context: MigrationContext, what: str) -> Any:
    if context.as_sql or context.connection is None:
        raise CommandError(f"{what} compares with a live database and cannot run with --sql")
    return context.connection


@dataclass
class OperationTokens:
    """Which template argument each operation renders under.

    A multidb env.py calls run_migrations once per database, configuring
    upgrade_token="engine1_upgrades" and so on. The script's upgrade_ops and
    downgrade_ops stay the merged lists hooks see and edit; each operation still
    renders under the token of the run that produced it, and operations a hook
    adds render under the default `upgrades`/`downgrades`.
    """

    upgrade: dict[int, tuple[MigrateOperation, str]] = field(default_factory=dict)
    downgrade: dict[int, tuple[MigrateOperation, str]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    def record(self, produced: MigrationScript, upgrade_token: str, downgrade_token: str) -> None:
        for token in (upgrade_token, downgrade_token):
            if token not in self.names:
                self.names.append(token)
        for op in produced.upgrade_ops:
            self.upgrade[id(op)] = (op, upgrade_token)
        for op in produced.downgrade_ops:
            self.downgrade[id(op)] = (op, downgrade_token)

    def group(self, script: MigrationScript) -> dict[str, list[MigrateOperation]]:
        """Token -> the script's operations rendered under it, in the script's order."""
        groups: dict[str, list[MigrateOperation]] = {
            name: [] for name in (*DEFAULT_TOKENS, *self.names)
        }
        for ops, tagged, default in (
            (script.upgrade_ops, self.upgrade, DEFAULT_TOKENS[0]),
            (script.downgrade_ops, self.downgrade, DEFAULT_TOKENS[1]),
        ):
            for op in ops or ():
                entry = tagged.get(id(op))
                groups[entry[1] if entry is not None and entry[0] is op else default].append(op)
        return groups


def prepare_revision(
    config: Config,
    script_directory: ScriptSource,
    migration_script: MigrationScript,
    *,
    autogenerate: bool,
    process_revision_directives: Directives | None = None,
    sql: bool = False,
) -> tuple[list[Any], dict[str, Any]]:
    """Run env.py for `migrate revision`: fill the script's operations and apply the hooks.

    Returns the scripts to write (hooks may replace, split or empty the list)
    and the render options env.py configured, for
    migrate_autogen.render_migration_script; under "operation_tokens" an
    OperationTokens says which template argument each operation belongs to.
    """
    directives: list[Any] = [migration_script]
    rendered: dict[str, Any] = {}
    tokens = OperationTokens()
    hooks: list[Directives] = []
    last_run: list[tuple[MigrationContext, tuple[str, ...]]] = []

    def fill(heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        if autogenerate:
            from migrate_autogen import produce_migrations

            require_up_to_date(script_directory, heads, context, "no revision was written")
            produced = produce_migrations(
                _live(context, "revision --autogenerate"),
                target_metadata(context),
                **compare_options(context),
            )
            _extend_ops(migration_script, produced)
            tokens.record(
                produced,
                context.opts.get("upgrade_token") or DEFAULT_TOKENS[0],
                context.opts.get("downgrade_token") or DEFAULT_TOKENS[1],
            )
        rendered.update(render_options(context))
        template_args = dict(context.opts.get("template_args") or {})
        if template_args:
            rendered.setdefault("template_args", {}).update(template_args)
        hook = context.opts.get("process_revision_directives")
        if hook is not None and hook not in hooks:
            hooks.append(hook)
        last_run[:] = [(context, tuple(heads))]
        return []

    # Offline (revision --sql) nothing is migrated: the BEGIN/COMMIT env.py's transaction
    # would write is no output of `revision`, and would break --json.
    offline_output = {"output_buffer": io.StringIO()} if sql else {}
    run_env(config, script_directory, fill, as_sql=sql, lock=False, **offline_output)
    # Once every database is compared, so a hook sees the whole revision (multidb).
    if process_revision_directives is not None:
        hooks.append(process_revision_directives)
    for context, heads in last_run:
        for hook in hooks:
            _call_directives_hook(hook, context, heads, directives)
    rendered["operation_tokens"] = tokens
    return directives, rendered


def _call_directives_hook(
    hook: Directives, context: MigrationContext, heads: tuple[str, ...], directives: list[Any]
) -> None:
    """Run a process_revision_directives hook; its failure is one line naming it."""
    try:
        hook(context, heads, directives)
    except CommandError:
        raise
    except Exception as error:
        name = getattr(hook, "__qualname__", None) or repr(hook)
        raise CommandError(
            f"process_revision_directives hook {name} failed: {describe_error(error)}; "
            "no revision was written (run with --raiseerr for the traceback)"
        ) from error


def _extend_ops(migration_script: MigrationScript, produced: MigrationScript) -> None:
    """Add the comparison's operations; env.py calling run_migrations twice (multidb) adds twice."""
    for name in ("upgrade_ops", "downgrade_ops"):
        new = getattr(produced, name)
        existing = getattr(migration_script, name, None)
        if existing is None or existing is new:
            setattr(migration_script, name, new)
        elif isinstance(existing, list):
            existing.extend(new)
        else:
            setattr(migration_script, name, new)


class ModelCheck:
    """`migrate check`: compare each database env.py runs, then report once for them all.

    A multidb env.py runs the comparison once per database; one report (and one
    --json document) covers every database.
    """

    def __init__(self, config: Config, script_directory: ScriptSource) -> None:
        self.config = config
        self.script_directory = script_directory
        self.ops: list[Any] = []
        self.render_options: dict[str, Any] = {}

    def compare(self, heads: tuple[str, ...], context: MigrationContext) -> list[Step]:
        """The plan function for run_env: collects the differences, migrates nothing."""
        from migrate_autogen import produce_migrations

        require_up_to_date(self.script_directory, heads, context, "nothing was compared")
        produced = produce_migrations(
            _live(context, "check"), target_metadata(context), **compare_options(context)
        )
        # The same hook `revision --autogenerate` applies, so both agree on what is a change.
        directives = [produced]
        hook = context.opts.get("process_revision_directives")
        if hook is not None:
            hook(context, tuple(heads), directives)
        self.ops.extend(op for script in directives for op in script.upgrade_ops)
        self.render_options.update(render_options(context))
        return []

    def report(self) -> None:
        """Print the differences; raise (exit 1) when there are any."""
        from migrate_autogen import render_python_code

        config = self.config
        if not self.ops:
            config.print_stdout("No new upgrade operations detected.")
            config.emit({"changes": [], "up_to_date": True})
            return
        lines = str(render_python_code(self.ops, **self.render_options)).splitlines()
        config.print_stdout("New upgrade operations detected:")
        for line in lines:
            config.print_stdout(f"    {line}")
        error = CommandError(
            f"{len(self.ops)} upgrade operation(s) detected: the models differ from the "
            "database; run `migrate revision --autogenerate -m <message>` to write a migration"
        )
        # One entry per operation (a create_table spans several lines), and the error in
        # the same document, so --json output stays a single document a script can load.
        changes = [str(render_python_code([op], **self.render_options)).strip() for op in self.ops]
        config.emit({"changes": changes, "up_to_date": False, "error": str(error)})
        raise error
