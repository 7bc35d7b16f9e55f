"""Click commands for the database half: upgrade, downgrade, stamp, current, check, ensure-version.

`migrate_cli.cli.app` adds `DATABASE_COMMANDS` to the `migrate` group; each command
parses its options and calls the plain function in `migrate_cli.commands.database`
through `run_command`, which turns a CommandError into `ERROR: <one line>`
and exit status 1.
"""

from __future__ import annotations

import click

from migrate_cli.cli.running import run_command

_SQL_HELP = "Write the SQL to stdout instead of running it (offline mode); takes START:END."
_TAG_HELP = "An arbitrary string env.py can read with context.get_tag_argument()."


@click.command("upgrade")
@click.argument("revision")
@click.option("--sql", is_flag=True, help=_SQL_HELP)
@click.option("--tag", help=_TAG_HELP)
@click.pass_context
def upgrade_command(ctx: click.Context, revision: str, sql: bool, tag: str | None) -> None:
    """Upgrade the database to REVISION (head, heads, +N, label@head, an id or prefix)."""
    from migrate_cli.commands import database

    run_command(ctx, database.upgrade, revision, sql=sql, tag=tag)


@click.command("downgrade")
@click.argument("revision")
@click.option("--sql", is_flag=True, help=_SQL_HELP)
@click.option("--tag", help=_TAG_HELP)
@click.pass_context
def downgrade_command(ctx: click.Context, revision: str, sql: bool, tag: str | None) -> None:
    """Downgrade the database to REVISION (-N, label@-N, an id, or base)."""
    from migrate_cli.commands import database

    run_command(ctx, database.downgrade, revision, sql=sql, tag=tag)


@click.command("stamp")
@click.argument("revisions", nargs=-1, required=True)
@click.option("--sql", is_flag=True, help=_SQL_HELP)
@click.option("--tag", help=_TAG_HELP)
@click.option(
    "--purge", is_flag=True, help="Empty the version table first (drops unknown revisions)."
)
@click.pass_context
def stamp_command(
    ctx: click.Context, revisions: tuple[str, ...], sql: bool, tag: str | None, purge: bool
) -> None:
    """Record REVISIONS in the version table without running any migration."""
    from migrate_cli.commands import database

    run_command(ctx, database.stamp, list(revisions), sql=sql, tag=tag, purge=purge)


@click.command("current")
@click.option("-v", "--verbose", is_flag=True, help="Show each current revision in full.")
@click.option(
    "--check-heads",
    is_flag=True,
    help="Exit 1 unless the database is at the head revision(s).",
)
@click.pass_context
def current_command(ctx: click.Context, verbose: bool, check_heads: bool) -> None:
    """Show the revision(s) the database is at."""
    from migrate_cli.commands import database

    run_command(ctx, database.current, verbose=verbose, check_heads=check_heads)


@click.command("check")
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Exit 1, listing the operations, if the models differ from the database."""
    from migrate_cli.commands import database

    run_command(ctx, database.check)


@click.command("ensure-version")
@click.option("--sql", is_flag=True, help="Write the CREATE TABLE instead of running it.")
@click.pass_context
def ensure_version_command(ctx: click.Context, sql: bool) -> None:
    """Create the version table if it does not exist yet."""
    from migrate_cli.commands import database

    run_command(ctx, database.ensure_version, sql=sql)


DATABASE_COMMANDS = (
    upgrade_command,
    downgrade_command,
    stamp_command,
    current_command,
    check_command,
    ensure_version_command,
)
