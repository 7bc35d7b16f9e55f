"""revision and merge: new revision scripts, empty or filled by autogenerate.

Plain functions taking a `Config` first, as every command (see `migrate_cli.command`);
the runtime (and with it SQLAlchemy) is imported only where a command runs env.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.script import Script, ScriptDirectory
from migrate_cli.script.formatting import as_dict, comma
from revgraph import RevisionError

if TYPE_CHECKING:  # the runtime brings SQLAlchemy: imported where a command runs env.py
    from migrate_cli.runtime.autogenerate import Directives

log = logging.getLogger(__name__)


def revision(
    config: Config,
    message: str | None = None,
    autogenerate: bool = False,
    sql: bool = False,
    head: str = "head",
    splice: bool = False,
    branch_label: str | Sequence[str] | None = None,
    version_path: str | None = None,
    rev_id: str | None = None,
    depends_on: str | Sequence[str] | None = None,
    process_revision_directives: Directives | None = None,
) -> Script | list[Script] | None:
    """Write a new revision script (filled from the models with autogenerate).

    Returns the new Script, a list when env.py's hooks split it in several, or
    None when the hooks emptied the list.
    """
    script_dir = ScriptDirectory.from_config(config)
    if sql and autogenerate:
        raise CommandError(
            "--sql and --autogenerate cannot be combined: autogenerate needs a live database"
        )
    run_environment = autogenerate or config.get_bool_option("revision_environment")
    if not run_environment and process_revision_directives is None:
        created = script_dir.generate_revision(
            rev_id,
            message,
            head=head,
            splice=splice,
            branch_labels=branch_label,
            version_path=version_path,
            depends_on=depends_on,
        )
        _report_written(config, [created])
        return created

    from migrate_autogen import MigrationScript
    from migrate_cli.runtime.autogenerate import OperationTokens, prepare_revision

    # Resolve and check the parents before env.py runs, so bad input fails fast.
    try:
        _check_head_argument(script_dir, head, splice)
    except (CommandError, RevisionError):
        if head != "head" or len(script_dir.revision_map.heads) < 2:
            raise
        # Several heads and no --head: env.py's process_revision_directives may give each
        # new script its own (Keystone's expand@head / contract@head), as in Alembic; a
        # script still on 'head' afterwards fails when it is written, nothing written.
    migration = MigrationScript(
        rev_id=rev_id,
        message=message,
        head=head,
        splice=splice,
        branch_label=branch_label,
        version_path=version_path,
        depends_on=depends_on,
    )
    scripts, render_options = prepare_revision(
        config,
        script_dir,
        migration,
        autogenerate=autogenerate,
        process_revision_directives=process_revision_directives,
        sql=sql,
    )
    extra_args = dict(render_options.pop("template_args", {}) or {})
    tokens = render_options.pop("operation_tokens", None) or OperationTokens()
    for item in scripts:  # every parent resolves before the first file is written
        _check_head_argument(script_dir, item.head or "head", bool(item.splice))
    written: list[Script] = []
    for item in scripts:
        _warn_unnamed_drops(item.rev_id, tokens.group(item))
        bodies = rendered_operations(tokens.group(item), render_options)
        template_args = {**extra_args, **bodies}
        written.append(
            script_dir.generate_revision(
                item.rev_id,
                item.message,
                head=item.head or "head",
                splice=bool(item.splice),
                branch_labels=item.branch_label,
                version_path=item.version_path,
                depends_on=item.depends_on,
                operation_bodies=[name for name in bodies if name != "imports"],
                **template_args,
            )
        )
    _report_written(config, written)
    if not written:
        config.print_stdout("No revision written: process_revision_directives emptied the list.")
        return None
    if autogenerate:
        # Imported here: the linter brings sqlglot and SQLAlchemy, which heads, history
        # and the other script commands never need (a third of their start-up).
        from migrate_cli.commands.lint import lint_new_revisions

        lint_new_revisions(config, written)
    return written[0] if len(written) == 1 else written


def _check_head_argument(script_dir: ScriptDirectory, head: str, splice: bool) -> None:
    if head in ("head", "base") and not script_dir.scripts:
        return
    for parent in script_dir.get_revisions(head):
        if not splice and not parent.is_head:
            raise CommandError(
                f"revision {parent.revision} is not a head; pass --splice to branch from it"
            )


def _warn_unnamed_drops(rev_id: str, groups: Mapping[str, Sequence[Any]]) -> None:
    """The script gets a comment above each such drop; the terminal gets one line too."""
    from ddl_ops import DropConstraintOp

    for token, ops in groups.items():
        for op in ops:
            if isinstance(op, DropConstraintOp) and op.constraint_name is None:
                log.warning(
                    "revision %s: %s has drop_constraint(None, %r), which fails as written: "
                    "the constraint has no name in the models; write the database's name for "
                    "it, or use a naming convention (see the WARNING comment in the file)",
                    rev_id,
                    token,
                    op.table_name,
                )


def rendered_operations(
    groups: Mapping[str, Sequence[Any]], options: Mapping[str, Any]
) -> dict[str, Any]:
    """Template arguments: each token's operations as a body (upgrades, downgrades,
    engine1_upgrades, ...), and the imports all of them need."""
    from migrate_autogen import MigrationScript, render_migration_script

    bodies: dict[str, Any] = {}
    imports: set[str] = set()
    for token, ops in groups.items():
        rendered = render_migration_script(MigrationScript(upgrade_ops=list(ops)), **options)
        bodies[token] = _indented(rendered.upgrade)
        imports.update(line for line in rendered.imports if line.strip())
    bodies["imports"] = "\n".join(sorted(imports)) + "\n" if imports else ""
    return bodies


def _indented(source: Any) -> str:
    lines = str(source).strip("\n").splitlines()
    return "\n    ".join(lines) if lines else "pass"


def _report_written(config: Config, scripts: Iterable[Script]) -> None:
    config.emit([as_dict(s) for s in scripts])


def merge(
    config: Config,
    revisions: str | Sequence[str],
    message: str | None = None,
    branch_label: str | Sequence[str] | None = None,
    rev_id: str | None = None,
    version_path: str | None = None,
) -> Script:
    """Write a revision whose down_revision is every one of `revisions` (e.g. "heads").

    `version_path` says where it goes when the parents live in different version
    locations.
    """
    script_dir = ScriptDirectory.from_config(config)
    parents = script_dir.get_revisions(revisions)
    ids = list(dict.fromkeys(p.revision for p in parents))
    if len(ids) < 2:
        asked = revisions if isinstance(revisions, str) else comma(list(revisions))
        raise CommandError(
            f"merge needs at least two revisions to join; {asked!r} gives {comma(ids) or 'none'}"
        )
    created = script_dir.generate_revision(
        rev_id,
        message,
        head=ids,
        splice=True,
        branch_labels=branch_label,
        version_path=version_path,
    )
    _report_written(config, [created])
    return created
