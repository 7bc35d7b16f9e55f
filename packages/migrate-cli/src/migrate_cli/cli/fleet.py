"""The `migrate fleet` Click group: one subcommand per entry of `fleet.commands.FLEET_COMMANDS`.

The options are shared by every subcommand and parsed into `FleetOptions`;
`migrate_cli.fleet.runner.run_fleet` does the work and gives the exit status
(0 all targets at the goal, 1 some failed or not started, 130 Ctrl-C).
"""

from __future__ import annotations

from typing import Any

import click

from migrate_cli.cli.running import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    accept_relative_revisions,
    get_config,
    record_command_options,
    report_error,
)
from migrate_cli.errors import CommandError
from migrate_cli.fleet.commands import DEFAULT_MAX_PER_SERVER, FLEET_COMMANDS, FleetCommand

_OPTIONS: list[click.Option] = [
    click.Option(
        ["--urls", "urls_file"],
        metavar="FILE",
        help="Targets: one database URL per line; # comments; ${VAR} and $VAR expanded.",
    ),
    click.Option(
        ["--schemas"],
        metavar="A,B,...",
        help="Targets: these PostgreSQL schemas of sqlalchemy.url's database (one tenant each).",
    ),
    click.Option(
        ["--schemas-query"],
        metavar="SQL",
        help="Targets: the schemas this query returns (first column), run on sqlalchemy.url.",
    ),
    click.Option(
        ["-j", "--jobs"],
        type=click.IntRange(min=1),
        help="Targets run at once (default: the number of CPUs).",
    ),
    click.Option(
        ["--max-per-server"],
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_PER_SERVER,
        show_default=True,
        help="Targets run at once on one database server (host:port).",
    ),
    click.Option(["--fail-fast"], is_flag=True, help="Start no new target after a failure."),
    click.Option(
        ["--canary"],
        type=click.IntRange(min=0),
        default=0,
        metavar="K",
        help="Run the first K targets first; stop if any of them fails.",
    ),
    click.Option(
        ["--timeout"],
        type=click.FloatRange(min=0, min_open=True),
        metavar="SECONDS",
        help="Stop a target that runs longer (its migration in progress is interrupted).",
    ),
    click.Option(
        ["--state"],
        metavar="FILE",
        help="State file to write (JSON Lines; default migrate-fleet-<time>.jsonl).",
    ),
    click.Option(
        ["--resume"],
        metavar="STATEFILE",
        help="Skip the targets STATEFILE records at the goal; run the rest (appends to it).",
    ),
    click.Option(
        ["--shard"],
        metavar="K/N",
        help="Run only the K-th of N stable slices of the targets (K from 0).",
    ),
    click.Option(
        ["--log-dir"],
        metavar="DIR",
        help="Keep each target's output (env.py's log) in DIR.",
    ),
    click.Option(["--json", "json_events"], is_flag=True, help="Print JSON Lines events."),
]


def _fleet_command(command: FleetCommand) -> click.Command:
    def callback(revision: str | None = None, **kw: Any) -> None:
        # The runner needs SQLAlchemy; `migrate --help` must not pay for it.
        from migrate_cli.fleet.runner import FleetOptions, run_fleet

        ctx = click.get_current_context()
        config = get_config(ctx)
        record_command_options(ctx, config)
        options = FleetOptions(
            command=command.name,
            revision=revision,
            quiet=bool(getattr(config.cmd_opts, "quiet", False)),
            **{**kw, "json_events": kw["json_events"] or config.json_output},
        )
        try:
            status = run_fleet(config, options)
        except CommandError as error:
            if getattr(config.cmd_opts, "raiseerr", False):
                raise
            report_error(config, str(error))
            status = EXIT_ERROR
        except KeyboardInterrupt:  # while listing the targets: nothing has started
            report_error(config, "interrupted (Ctrl-C) before any target started")
            status = EXIT_INTERRUPTED
        ctx.exit(status)

    params: list[click.Parameter] = list(_OPTIONS)
    if command.takes_revision:
        params.insert(0, click.Argument(["revision"]))
    cli_command = click.Command(command.name, callback=callback, params=params, help=command.help)
    if command.takes_revision:
        accept_relative_revisions(cli_command)
    return cli_command


@click.group("fleet")
def fleet_group() -> None:
    """Run a command on many databases or tenant schemas, in parallel and resumable."""


for _command in FLEET_COMMANDS.values():
    fleet_group.add_command(_fleet_command(_command))
