"""Click command for `migrate squash` (the work is in `migrate_cli.commands.squash`)."""

from __future__ import annotations

import click

from migrate_cli.cli.running import run_command


@click.command("squash")
@click.argument("revision")
@click.option("-m", "--message", help="The squash's message (default: the range it replaces).")
@click.option("--rev-id", help="Use this revision id instead of a generated one.")
@click.option(
    "--scratch-url",
    help="Server for the two scratch databases (default: a new database on the configured "
    "URL's server, or a SQLite file).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="REVISION is a squash: delete the files it replaces and drop its `replaces` (only "
    "once the database has passed it).",
)
@click.pass_context
def squash_command(
    ctx: click.Context,
    revision: str,
    message: str | None,
    rev_id: str | None,
    scratch_url: str | None,
    prune: bool,
) -> None:
    """Replace the revisions FIRST:LAST (both included) by one revision, or prune a squash."""
    from migrate_cli.commands import squash

    if prune:
        if message or rev_id or scratch_url:
            raise click.UsageError("--prune takes only the squash's revision")
        run_command(ctx, squash.prune, revision)
        return
    run_command(
        ctx, squash.squash, revision, message=message, rev_id=rev_id, scratch_url=scratch_url
    )
