"""The `migrate` command line: parses options, builds the `Config`, calls `migrate_cli.command`.

Every subcommand is a thin wrapper over a plain function; the only behaviour
added here is turning `CommandError` into `ERROR: <one line>` on stderr with
exit status 1 (2 for usage errors, from Click), and `--json`, which every
subcommand accepts.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, TypeVar

import click

from migrate_cli._version import __version__
from migrate_cli.config import Config, find_config_files
from migrate_cli.errors import CommandError, MigrationInterrupted

T = TypeVar("T")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


def get_config(ctx: click.Context) -> Config:
    """The `Config` the group callback built for this run."""
    config = ctx.find_object(Config)
    if config is None:  # a subcommand invoked without the group, e.g. in a test
        config = Config()
        ctx.obj = config
    return config


def report_error(config: Config | None, message: str) -> None:
    """Print a user-facing error: one line on stderr, and a JSON document under --json.

    A command that printed its document before failing (`check`, `current
    --check-heads`) put the error in it: stdout must stay one JSON document.
    """
    click.echo(f"ERROR: {message or 'unknown error'}", err=True)
    if config is not None and config.json_output and not config.json_emitted:
        click.echo(_json_dumps({"error": message}))


def run_command(ctx: click.Context, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `fn(config, *args, **kwargs)`, turning a CommandError into a clean exit 1.

    Ctrl-C exits 130 with one line saying what the interrupted migration left
    behind (rolled back, or on MySQL/MariaDB what the version table records).
    With --raiseerr the exception propagates, so the user sees the full traceback.
    """
    config = get_config(ctx)
    _record_command_options(ctx, config)
    try:
        with _quiet_logs(config.quiet):
            return fn(config, *args, **kwargs)
    except (CommandError, KeyboardInterrupt) as error:
        if getattr(config.cmd_opts, "raiseerr", False):
            raise
        interrupted = isinstance(error, KeyboardInterrupt)
        if interrupted and not isinstance(error, MigrationInterrupted):
            message = "interrupted (Ctrl-C); run `migrate current` to see where the database is"
        else:
            message = str(error)
        report_error(config, message)
        ctx.exit(EXIT_INTERRUPTED if interrupted else EXIT_ERROR)
        raise AssertionError("unreachable") from None  # ctx.exit raises


#: The loggers the runtime reports progress on (Running upgrade ..., Waiting for the lock ...).
_RUNTIME_LOGGERS = (
    "migrate_cli.runtime.migration",
    "migrate_cli.runtime.environment",
    "migrate_cli.runtime.locking",
)


def _warnings_and_errors(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


@contextmanager
def _quiet_logs(quiet: bool) -> Iterator[None]:
    """-q: the runtime's INFO lines are dropped; warnings and errors stay.

    A filter on each runtime logger, because env.py's fileConfig resets the
    levels below the `migrate_cli` logger on every run (it leaves filters alone).
    """
    if not quiet:
        yield
        return
    loggers = [logging.getLogger(name) for name in _RUNTIME_LOGGERS]
    for logger in loggers:
        logger.addFilter(_warnings_and_errors)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(_warnings_and_errors)


_GLOBAL_OPTIONS = frozenset({"config", "name", "x", "raiseerr", "quiet", "json"})


def _record_command_options(ctx: click.Context, config: Config) -> None:
    """Expose the subcommand and its options on config.cmd_opts, as env.py code may expect
    (e.g. `config.cmd_opts.autogenerate` in process_revision_directives)."""
    opts = config.cmd_opts
    if ctx.info_name and not hasattr(opts, "cmd"):
        opts.cmd = ctx.info_name
    for key, value in ctx.params.items():
        if key not in _GLOBAL_OPTIONS:
            setattr(opts, key, value)


def _json_dumps(data: Any) -> str:
    import json

    return json.dumps(data, indent=2, default=str)


def _set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        get_config(ctx).json_output = True
    return value


def json_option() -> click.Option:
    """`--json` on a subcommand (the same as the global `migrate --json`)."""
    return click.Option(
        ["--json"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_json,
        help="Print the result as one JSON document on stdout.",
    )


class MigrateGroup(click.Group):
    """A group that gives every subcommand, including cli-runtime's, a `--json` flag."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any("--json" in getattr(param, "opts", ()) for param in cmd.params):
            cmd.params.append(json_option())
        if any(isinstance(param, click.Argument) for param in cmd.params):
            _accept_relative_revisions(cmd)
        super().add_command(cmd, name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Also Alembic's spellings with underscores: `ensure_version`, `list_templates`."""
        found = super().get_command(ctx, cmd_name)
        if found is None and "_" in cmd_name:
            found = super().get_command(ctx, cmd_name.replace("_", "-"))
        return found


_RELATIVE_STEP = re.compile(r"^-\d+$")


def _accept_relative_revisions(cmd: click.Command) -> None:
    """Let `migrate downgrade -1` mean the revision `-1`, not an unknown option `-1`.

    Tokens like `-1` that are not an option's value are moved behind `--`, where Click
    takes them as arguments; every other token keeps its meaning.
    """
    takes_value = {
        opt
        for param in cmd.params
        if isinstance(param, click.Option) and not param.is_flag
        for opt in param.opts
    }
    parse_args = cmd.parse_args

    def parse_with_relative_steps(ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            return parse_args(ctx, args)
        moved: list[str] = []
        kept: list[str] = []
        for index, token in enumerate(args):
            previous = args[index - 1] if index else ""
            if _RELATIVE_STEP.match(token) and previous not in takes_value:
                moved.append(token)
            else:
                kept.append(token)
        return parse_args(ctx, [*kept, "--", *moved] if moved else kept)

    cmd.parse_args = parse_with_relative_steps  # type: ignore[method-assign]


@click.group(cls=MigrateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-c",
    "--config",
    "config_file",
    metavar="FILE",
    help="Config file (default: $MIGRATE_CONFIG, else ./migrate.ini, else [tool.migrate] "
    "in ./pyproject.toml).",
)
@click.option(
    "-n",
    "--name",
    "ini_section",
    default="migrate",
    show_default=True,
    help="Section of the config file to use.",
)
@click.option(
    "-x",
    "x_arguments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Extra argument for env.py (context.get_x_argument()); repeatable.",
)
@click.option("--raiseerr", is_flag=True, help="Show the full traceback on error.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "json_output", is_flag=True, help="Print results as one JSON document.")
@click.version_option(__version__, "--version", prog_name="migrate")
@click.pass_context
def cli(
    ctx: click.Context,
    config_file: str | None,
    ini_section: str,
    x_arguments: tuple[str, ...],
    raiseerr: bool,
    quiet: bool,
    json_output: bool,
) -> None:
    """Database schema migrations for SQLAlchemy."""
    ini, toml = find_config_files(config_file)
    opts = SimpleNamespace(
        config=config_file,
        name=ini_section,
        x=list(x_arguments),
        raiseerr=raiseerr,
        quiet=quiet,
        json=json_output,
    )
    config = Config(ini, ini_section=ini_section, toml_file=toml, cmd_opts=opts)
    config.json_output = json_output
    ctx.obj = config


# -- commands that write or read revision scripts ------------------------------------------------


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "-t",
    "--template",
    default="generic",
    show_default=True,
    help="Environment template (see `migrate list-templates`).",
)
@click.option("--package", is_flag=True, help="Also write __init__.py files (a Python package).")
@click.pass_context
def init_command(ctx: click.Context, directory: str, template: str, package: bool) -> None:
    """Create a new migration environment in DIRECTORY and its config file."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.init, directory, template=template, package=package)


@cli.command("list-templates")
@click.pass_context
def list_templates_command(ctx: click.Context) -> None:
    """List the environment templates `migrate init` can use."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.list_templates)


@cli.command("revision")
@click.option("-m", "--message", help="What the revision does (also its file name slug).")
@click.option(
    "--autogenerate",
    is_flag=True,
    help="Fill the script by comparing the models (target_metadata) with the database.",
)
@click.option("--sql", is_flag=True, help="Run env.py in offline mode (with revision_environment).")
@click.option(
    "--head",
    default="head",
    show_default=True,
    help="The head (or branch label@head) the new revision goes on top of.",
)
@click.option("--splice", is_flag=True, help="Allow --head to name a revision that is not a head.")
@click.option("--branch-label", multiple=True, help="Label for a new branch; repeatable.")
@click.option("--version-path", help="Version directory to write the script into.")
@click.option("--rev-id", help="Use this revision id instead of a generated one.")
@click.option(
    "--depends-on",
    multiple=True,
    help="Revision (id or label) this one depends on; repeatable.",
)
@click.pass_context
def revision_command(
    ctx: click.Context,
    message: str | None,
    autogenerate: bool,
    sql: bool,
    head: str,
    splice: bool,
    branch_label: tuple[str, ...],
    version_path: str | None,
    rev_id: str | None,
    depends_on: tuple[str, ...],
) -> None:
    """Create a new revision script."""
    from migrate_cli.commands import scripts

    run_command(
        ctx,
        scripts.revision,
        message=message,
        autogenerate=autogenerate,
        sql=sql,
        head=head,
        splice=splice,
        branch_label=list(branch_label) or None,
        version_path=version_path,
        rev_id=rev_id,
        depends_on=list(depends_on) or None,
    )


@cli.command("merge")
@click.argument("revisions", nargs=-1, required=True)
@click.option("-m", "--message", help="What the merge is for.")
@click.option("--branch-label", multiple=True, help="Label for the merged branch; repeatable.")
@click.option("--rev-id", help="Use this revision id instead of a generated one.")
@click.option(
    "--version-path",
    help="Version directory to write the merge into (when its parents live in several).",
)
@click.pass_context
def merge_command(
    ctx: click.Context,
    revisions: tuple[str, ...],
    message: str | None,
    branch_label: tuple[str, ...],
    rev_id: str | None,
    version_path: str | None,
) -> None:
    """Create a revision that merges REVISIONS (e.g. `heads`) into one."""
    from migrate_cli.commands import scripts

    run_command(
        ctx,
        scripts.merge,
        list(revisions),
        message=message,
        branch_label=list(branch_label) or None,
        rev_id=rev_id,
        version_path=version_path,
    )


@cli.command("history")
@click.option(
    "-r",
    "--rev-range",
    metavar="[START]:[END]",
    help="Range to show, e.g. base:head, ae10:, -3:current, current:+2.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show each revision in full.")
@click.option(
    "-i",
    "--indicate-current",
    is_flag=True,
    help="Mark the database's current revision(s) (runs env.py).",
)
@click.pass_context
def history_command(
    ctx: click.Context, rev_range: str | None, verbose: bool, indicate_current: bool
) -> None:
    """List revisions, newest first."""
    from migrate_cli.commands import scripts

    run_command(
        ctx,
        scripts.history,
        rev_range=rev_range,
        verbose=verbose,
        indicate_current=indicate_current,
    )


@cli.command("heads")
@click.option("-v", "--verbose", is_flag=True, help="Show each head in full.")
@click.option(
    "--resolve-dependencies",
    is_flag=True,
    help="Leave out heads that another head depends on.",
)
@click.pass_context
def heads_command(ctx: click.Context, verbose: bool, resolve_dependencies: bool) -> None:
    """Show the head revision(s) of the scripts."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.heads, verbose=verbose, resolve_dependencies=resolve_dependencies)


@cli.command("branches")
@click.option("-v", "--verbose", is_flag=True, help="Show each branch point in full.")
@click.pass_context
def branches_command(ctx: click.Context, verbose: bool) -> None:
    """Show the revisions where history branches."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.branches, verbose=verbose)


@cli.command("show")
@click.argument("revisions", nargs=-1, required=True)
@click.pass_context
def show_command(ctx: click.Context, revisions: tuple[str, ...]) -> None:
    """Show one or more revisions in full (ids, prefixes, labels, head, base ...)."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.show, list(revisions) if len(revisions) > 1 else revisions[0])


@cli.command("edit")
@click.argument("revision", default="current", required=False)
@click.pass_context
def edit_command(ctx: click.Context, revision: str) -> None:
    """Open a revision script in $EDITOR (default: the current revision's)."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.edit, revision)


# -- assembly ------------------------------------------------------------------------------------

_database_commands_added = False


def get_cli() -> click.Group:
    """The full `migrate` group: these commands plus the database ones (upgrade, ...)."""
    global _database_commands_added
    if not _database_commands_added:
        try:
            from migrate_cli.cli_database import add_database_commands
        except ModuleNotFoundError as error:
            if error.name != "migrate_cli.cli_database":
                raise
        else:
            add_database_commands(cli)
        from migrate_cli.cli_lint import lint_command

        cli.add_command(lint_command)

        from migrate_cli.cli_history import add_history_commands

        add_history_commands(cli)
        _database_commands_added = True
    return cli


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `migrate` console script."""
    group = get_cli()
    group.main(
        args=list(argv) if argv is not None else None,
        prog_name="migrate",
        auto_envvar_prefix=None,
    )


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
