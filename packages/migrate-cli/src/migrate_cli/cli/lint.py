"""The `migrate lint` Click command: options in, `migrate_cli.commands.lint` called,
exit status 0 (clean), 1 (findings), 2 (lint could not run)."""

from __future__ import annotations

import click

from migrate_cli.cli.running import get_config, record_command_options, report_error
from migrate_cli.errors import CommandError

#: The report formats of `migrate_cli.commands.lint` (FORMATS there), named here so that
#: building the command line does not import the linter, sqlglot and SQLAlchemy.
FORMATS = ("text", "json", "github")

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_LINT_ERROR = 2


@click.command("lint")
@click.argument("rev_range", required=False, metavar="[START:END]")
@click.option("--since", metavar="REV", help="Lint the revisions after REV (up to the heads).")
@click.option(
    "--sql",
    "sql_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Lint a plain SQL file instead of migration scripts.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text (path:line: RULE message), json, or github (workflow annotations).",
)
@click.option(
    "--dialect",
    help="Database to lint for (postgresql, mysql, mariadb, sqlite, ...); default: the "
    "connected database, else [tool.migrate.lint] dialect, else sqlalchemy.url's.",
)
@click.option(
    "--no-database",
    is_flag=True,
    help="Do not run env.py to reach the database (no facts; whole history by default).",
)
@click.pass_context
def lint_command(
    ctx: click.Context,
    rev_range: str | None,
    since: str | None,
    sql_file: str | None,
    output_format: str,
    dialect: str | None,
    no_database: bool,
) -> None:
    """Find operations that are dangerous in production (locks, rewrites, data loss).

    By default: the revisions the database has not applied yet, or the whole history
    when there is no database to ask. START:END and --since choose revisions.
    """
    from migrate_cli.commands import lint as lint_commands  # only when linting: see FORMATS

    config = get_config(ctx)
    record_command_options(ctx, config)
    try:
        report = lint_commands.lint(
            config,
            rev_range=rev_range,
            since=since,
            sql_file=sql_file,
            dialect=dialect,
            use_database=not no_database,
        )
    except CommandError as error:
        if getattr(config.cmd_opts, "raiseerr", False):
            raise
        report_error(config, str(error))
        ctx.exit(EXIT_LINT_ERROR)
        return
    lint_commands.print_report(config, report, output_format)
    ctx.exit(EXIT_FINDINGS if report.failed else EXIT_CLEAN)
