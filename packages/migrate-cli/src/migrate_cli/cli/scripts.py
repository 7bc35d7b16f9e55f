"""Click commands that write or read revision scripts: init, list-templates, revision,
merge, history, heads, branches, show, edit, port.

Each parses its options and calls the plain function in `migrate_cli.commands`
through `run_command`. The command modules are imported inside the callbacks:
`migrate --help` must not pay for Mako, SQLAlchemy or the autogenerate machinery.
"""

from __future__ import annotations

import click

from migrate_cli.cli.running import run_command


@click.command("init")
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
    from migrate_cli.commands import init as init_commands

    run_command(ctx, init_commands.init, directory, template=template, package=package)


@click.command("list-templates")
@click.pass_context
def list_templates_command(ctx: click.Context) -> None:
    """List the environment templates `migrate init` can use."""
    from migrate_cli.commands import init as init_commands

    run_command(ctx, init_commands.list_templates)


@click.command("revision")
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
    from migrate_cli.commands import revision as revision_commands

    run_command(
        ctx,
        revision_commands.revision,
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


@click.command("merge")
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
    from migrate_cli.commands import revision as revision_commands

    run_command(
        ctx,
        revision_commands.merge,
        list(revisions),
        message=message,
        branch_label=list(branch_label) or None,
        rev_id=rev_id,
        version_path=version_path,
    )


@click.command("history")
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


@click.command("heads")
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


@click.command("branches")
@click.option("-v", "--verbose", is_flag=True, help="Show each branch point in full.")
@click.pass_context
def branches_command(ctx: click.Context, verbose: bool) -> None:
    """Show the revisions where history branches."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.branches, verbose=verbose)


@click.command("show")
@click.argument("revisions", nargs=-1, required=True)
@click.pass_context
def show_command(ctx: click.Context, revisions: tuple[str, ...]) -> None:
    """Show one or more revisions in full (ids, prefixes, labels, head, base ...)."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.show, list(revisions) if len(revisions) > 1 else revisions[0])


@click.command("edit")
@click.argument("revision", default="current", required=False)
@click.pass_context
def edit_command(ctx: click.Context, revision: str) -> None:
    """Open a revision script in $EDITOR (default: the current revision's)."""
    from migrate_cli.commands import scripts

    run_command(ctx, scripts.edit, revision)


@click.command("port")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if some file would change.")
@click.pass_context
def port_command(ctx: click.Context, check: bool) -> None:
    """Rewrite an Alembic project's imports to migrate's own names (shows the diff)."""
    from migrate_cli.commands import port

    run_command(ctx, port.port, check=check)


SCRIPT_COMMANDS = (
    init_command,
    list_templates_command,
    revision_command,
    merge_command,
    history_command,
    heads_command,
    branches_command,
    show_command,
    edit_command,
    port_command,
)
