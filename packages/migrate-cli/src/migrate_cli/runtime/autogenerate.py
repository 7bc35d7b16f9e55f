"""Comparing models with the database from inside env.py: `revision --autogenerate` and `check`.

env.py gives target_metadata and the comparison hooks to `context.configure`;
the command's plan function runs once env.py calls `run_migrations()`, with
the connection and those options at hand, compares through migrate_autogen,
and returns no steps, so nothing is migrated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from migrate_cli.errors import CommandError
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext

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

Directives = Callable[[MigrationContext, tuple[str, ...], list[Any]], None]


def compare_options(context: MigrationContext) -> dict[str, Any]:
    """The migrate_autogen compare options env.py configured, plus the version table to skip."""
    opts = context.opts
    chosen = {name: opts[name] for name in COMPARE_OPTION_NAMES if opts.get(name) is not None}
    if opts.get("user_options"):
        chosen["user_options"] = dict(opts["user_options"])
    chosen["version_table"] = context.version.table.name
    chosen["version_table_schema"] = context.version.table.schema
    return chosen


def render_options(context: MigrationContext) -> dict[str, Any]:
    """The migrate_autogen render options env.py configured (Alembic's names mapped to ours)."""
    opts = context.opts
    chosen = {name: opts[name] for name in RENDER_OPTION_NAMES if opts.get(name) is not None}
    prefix = opts.get("op_module_prefix") or opts.get("alembic_module_prefix")
    if prefix is not None:
        chosen["op_prefix"] = prefix
    return chosen


def target_metadata(context: MigrationContext) -> Any:
    metadata = context.opts.get("target_metadata")
    if metadata is None:
        raise CommandError(
            "autogenerate needs target_metadata: pass target_metadata=Base.metadata (or a list "
            "of MetaData) to context.configure() in env.py"
        )
    return metadata


def require_up_to_date(script_directory: Any, heads: Sequence[str]) -> None:
    """Comparing a database that is behind the scripts would re-detect unapplied migrations."""
    script_heads = set(script_directory.revision_map.heads)
    if set(heads) != script_heads:
        raise CommandError(
            f"the database is at {', '.join(sorted(heads)) or 'base'}, not at the head(s) "
            f"{', '.join(sorted(script_heads)) or 'base'}; run `migrate upgrade heads` first"
        )


def _live(context: MigrationContext, what: str) -> Any:
    if context.as_sql or context.connection is None:
        raise CommandError(f"{what} compares with a live database and cannot run with --sql")
    return context.connection


def prepare_revision(
    config: Any,
    script_directory: Any,
    migration_script: Any,
    *,
    autogenerate: bool,
    process_revision_directives: Directives | None = None,
    sql: bool = False,
) -> tuple[list[Any], dict[str, Any]]:
    """Run env.py for `migrate revision`: fill the script's operations and apply the hooks.

    Returns the scripts to write (hooks may replace, split or empty the list)
    and the render options env.py configured, for
    migrate_autogen.render_migration_script.
    """
    directives: list[Any] = [migration_script]
    rendered: dict[str, Any] = {}
    token_args: dict[str, str] = {}

    def fill(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
        if autogenerate:
            from migrate_autogen import produce_migrations

            require_up_to_date(script_directory, heads)
            produced = produce_migrations(
                _live(context, "revision --autogenerate"),
                target_metadata(context),
                **compare_options(context),
            )
            _extend_ops(migration_script, produced)
            token_args.update(_token_template_args(context, produced))
        rendered.update(render_options(context))
        template_args = {**token_args, **dict(context.opts.get("template_args") or {})}
        if template_args:
            rendered["template_args"] = template_args
        hook = context.opts.get("process_revision_directives")
        for fn in (hook, process_revision_directives):
            if fn is not None:
                fn(context, tuple(heads), directives)
        return []

    run_env(config, script_directory, fill, as_sql=sql, lock=False)
    return directives, rendered


def _token_template_args(context: MigrationContext, produced: Any) -> dict[str, str]:
    """multidb: env.py names each database's operations with upgrade_token/downgrade_token.

    The script template then places `${context.get("engine1_upgrades")}` per
    database, so each run's operations are rendered under its own names.
    """
    from migrate_autogen import render_python_code

    up = context.opts.get("upgrade_token") or "upgrades"
    down = context.opts.get("downgrade_token") or "downgrades"
    if up == "upgrades" and down == "downgrades":
        return {}
    options = render_options(context)
    return {
        up: _indented(render_python_code(produced.upgrade_ops, **options)),
        down: _indented(render_python_code(produced.downgrade_ops, **options)),
    }


def _indented(source: str) -> str:
    lines = str(source).strip("\n").splitlines()
    return "\n    ".join(lines) if lines else "pass"


def _extend_ops(migration_script: Any, produced: Any) -> None:
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


def check_database(
    config: Any, script_directory: Any, heads: tuple[str, ...], context: MigrationContext
) -> list[Any]:
    """`migrate check`'s plan: raise (exit 1) listing the operations when models differ."""
    from migrate_autogen import produce_migrations, render_python_code

    require_up_to_date(script_directory, heads)
    produced = produce_migrations(
        _live(context, "check"), target_metadata(context), **compare_options(context)
    )
    # The same hook `revision --autogenerate` applies, so both agree on what is a change.
    directives = [produced]
    hook = context.opts.get("process_revision_directives")
    if hook is not None:
        hook(context, tuple(heads), directives)
    ops = [op for script in directives for op in script.upgrade_ops]
    if not ops:
        config.print_stdout("No new upgrade operations detected.")
        config.emit({"changes": [], "up_to_date": True})
        return []
    source = render_python_code(ops, **render_options(context))
    config.print_stdout("New upgrade operations detected:")
    for line in str(source).splitlines():
        config.print_stdout(f"    {line}")
    config.emit(
        {
            "changes": [line for line in str(source).splitlines() if line.strip()],
            "up_to_date": False,
        }
    )
    raise CommandError(
        f"{len(ops)} upgrade operation(s) detected: the models differ from the database; "
        "run `migrate revision --autogenerate -m <message>` to write a migration"
    )
