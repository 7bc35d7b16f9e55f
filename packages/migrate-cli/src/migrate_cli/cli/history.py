"""Click commands for the history: verify, log, graph.

`migrate_cli.cli.app` adds `HISTORY_COMMANDS` to the `migrate` group; each command
parses its options and calls the plain function in `migrate_cli.commands.history_log`
through `run_command`.
"""

from __future__ import annotations

import click

from migrate_cli.cli.running import run_command
from migrate_cli.history.graph import FORMATS


@click.command("verify")
@click.option(
    "--baseline",
    is_flag=True,
    help="Record checksums for applied revisions that have none (applied before the log).",
)
@click.option(
    "--accept",
    multiple=True,
    metavar="REV",
    help="Record REV's script as it is now (an edit that changes nothing), or that REV's "
    "missing script was deleted on purpose (a pruned squash range); repeatable.",
)
@click.pass_context
def verify_command(ctx: click.Context, baseline: bool, accept: tuple[str, ...]) -> None:
    """Exit 1 if the scripts, the version table and the migration log disagree."""
    from migrate_cli.commands import history_log

    run_command(ctx, history_log.verify, baseline=baseline, accept=list(accept))


@click.command("log")
@click.option("-n", "limit", type=int, help="Show only the newest N entries.")
@click.option("-r", "--revision", help="Only this revision (id, prefix or label).")
@click.pass_context
def log_command(ctx: click.Context, limit: int | None, revision: str | None) -> None:
    """Show the migration log, newest first: what ran, when, by whom, how long, outcome."""
    from migrate_cli.commands import history_log

    run_command(ctx, history_log.log, limit=limit, revision=revision)


@click.command("graph")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="ascii",
    show_default=True,
    help="Text with lanes, a Mermaid flowchart, or Graphviz dot.",
)
@click.option("--current", is_flag=True, help="Mark the database's current revisions (connects).")
@click.pass_context
def graph_command(ctx: click.Context, output_format: str, current: bool) -> None:
    """Draw the revision graph: branches, merges, labels, dependencies, heads."""
    from migrate_cli.commands import history_log

    run_command(ctx, history_log.graph, output_format=output_format, current=current)


HISTORY_COMMANDS = (verify_command, log_command, graph_command)
