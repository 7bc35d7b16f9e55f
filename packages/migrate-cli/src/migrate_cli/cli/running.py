"""What every `migrate` subcommand shares: the run's Config, errors as one line, --json.

The command modules beside this one (`scripts`, `database`, `history`, `lint`,
`fleet`, `squash`) import from here; `app` assembles them into the group.
The only behaviour added to the plain command functions is turning
`CommandError` into `ERROR: <one line>` on stderr with exit status 1 (2 for
usage errors, from Click), and `--json`, which every subcommand accepts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from migrate_cli.config import Config
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
    record_command_options(ctx, config)
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


def record_command_options(ctx: click.Context, config: Config) -> None:
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
            accept_relative_revisions(cmd)
        super().add_command(cmd, name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Also Alembic's spellings with underscores: `ensure_version`, `list_templates`."""
        found = super().get_command(ctx, cmd_name)
        if found is None and "_" in cmd_name:
            found = super().get_command(ctx, cmd_name.replace("_", "-"))
        return found


_RELATIVE_STEP = re.compile(r"^-\d+$")


def accept_relative_revisions(cmd: click.Command) -> None:
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
