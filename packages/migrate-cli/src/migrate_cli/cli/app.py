"""The `migrate` command line: the root group, its global options, and the assembly.

The root group parses the global options into a `Config`; every subcommand
comes from one module of this package (`scripts`, `database`, `history`,
`lint`, `fleet`, `squash`) and calls `migrate_cli.commands`.
"""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Sequence
from types import SimpleNamespace

import click

from migrate_cli._version import __version__
from migrate_cli.cli.database import DATABASE_COMMANDS
from migrate_cli.cli.fleet import fleet_group
from migrate_cli.cli.history import HISTORY_COMMANDS
from migrate_cli.cli.lint import lint_command
from migrate_cli.cli.running import MigrateGroup
from migrate_cli.cli.scripts import SCRIPT_COMMANDS
from migrate_cli.cli.squash import squash_command
from migrate_cli.config import Config, locate_config


@click.group(cls=MigrateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-c",
    "--config",
    "config_file",
    metavar="FILE",
    help="Config file (default: $MIGRATE_CONFIG, else ./migrate.ini, else [tool.migrate] "
    "in ./pyproject.toml, else an Alembic project's ./alembic.ini or [tool.alembic]).",
)
@click.option(
    "-n",
    "--name",
    "ini_section",
    default="migrate",
    show_default=True,
    help="Section of the config file to use ([alembic] in an Alembic project's alembic.ini).",
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
    source = ctx.get_parameter_source("ini_section")
    given = source not in (None, click.core.ParameterSource.DEFAULT)
    location = locate_config(config_file, ini_section if given else None)
    ini_section = location.ini_section
    opts = SimpleNamespace(
        config=config_file,
        name=ini_section,
        x=list(x_arguments),
        raiseerr=raiseerr,
        quiet=quiet,
        json=json_output,
    )
    config = Config(
        location.ini,
        ini_section=ini_section,
        toml_file=location.toml,
        toml_section=location.toml_section,
        cmd_opts=opts,
    )
    config.json_output = json_output
    ctx.obj = config


for _command in (
    *SCRIPT_COMMANDS,
    squash_command,
    *DATABASE_COMMANDS,
    lint_command,
    fleet_group,
    *HISTORY_COMMANDS,
):
    cli.add_command(_command)


def get_cli() -> click.Group:
    """The full `migrate` group (kept for programs and tests that ask for it)."""
    return cli


def _skip_final_collection() -> None:
    """Set everything aside from the collection the interpreter makes as it exits.

    That collection walks every object still alive (the modules, SQLAlchemy's, the
    revision map: about 80 ms of a 0.5 s `migrate current` with 10,000 revisions) only to
    find the little garbage a command leaves, and the process ends right after. Runs at
    exit, so a program that calls `main()` and goes on keeps its collector as it was.
    """
    gc.freeze()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `migrate` console script."""
    atexit.unregister(_skip_final_collection)
    atexit.register(_skip_final_collection)
    cli.main(
        args=list(argv) if argv is not None else None,
        prog_name="migrate",
        auto_envvar_prefix=None,
    )


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
