"""Commands that create or read revision scripts: init, list_templates, revision, merge,
history, heads, branches, show, edit.

Each is a plain function taking a `Config` first, usable from programs and
tests; it prints human text through `config.print_stdout`, its machine result
through `config.emit` (--json), and returns that result as Python objects.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate_cli.config import DEFAULT_URL, Config
from migrate_cli.errors import CommandError
from migrate_cli.script import Script, ScriptDirectory
from migrate_cli.script.formatting import as_dict, comma, short_line, verbose_entry
from migrate_cli.script.writing import render_template
from revgraph import RevisionError

if TYPE_CHECKING:  # the runtime brings SQLAlchemy: imported where a command runs env.py
    from migrate_cli.runtime.autogenerate import Directives
    from migrate_cli.runtime.migration import MigrationContext
    from migrate_cli.runtime.steps import Step

log = logging.getLogger(__name__)

_CONFIG_TEMPLATES = ("migrate.ini.mako", "pyproject.toml.mako")


# -- init / list_templates -----------------------------------------------------------------------


def _templates_dir(config: Config) -> Path:
    return Path(config.get_template_directory())


def available_templates(config: Config) -> dict[str, str]:
    """Template name -> the first line of its README."""
    out: dict[str, str] = {}
    for entry in sorted(_templates_dir(config).iterdir()):
        readme = entry / "README"
        if entry.is_dir() and readme.is_file():
            out[entry.name] = readme.read_text(encoding="utf-8").splitlines()[0].strip()
    return out


def list_templates(config: Config) -> dict[str, str]:
    """Print the templates `init` can use."""
    templates = available_templates(config)
    config.print_stdout("Available templates:\n")
    for name, description in templates.items():
        config.print_stdout(f"  {name} - {description}")
    config.print_stdout(
        "\nUse one with init, e.g.:\n\n  migrate init --template generic ./migrations"
    )
    config.emit({"templates": [{"name": n, "description": d} for n, d in templates.items()]})
    return templates


def init(
    config: Config,
    directory: str | os.PathLike[str],
    template: str = "generic",
    package: bool = False,
) -> dict[str, Any]:
    """Create a migration environment from a template, and its config file if there is none."""
    try:
        return _init(config, directory, template, package)
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        raise CommandError(f"init failed writing{where}: {error.strerror or error}") from None


def _init(
    config: Config,
    directory: str | os.PathLike[str],
    template: str = "generic",
    package: bool = False,
) -> dict[str, Any]:
    templates = available_templates(config)
    if template not in templates:
        raise CommandError(
            f"no template named {template!r}; choose from {comma(list(templates))} "
            "(`migrate list-templates`)"
        )
    source = _templates_dir(config) / template
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandError(
            f"{target} already exists and is not empty; choose a new directory "
            "(init never overwrites files)"
        )
    config_path = Path(config.config_file_name or "migrate.ini")
    created: list[str] = []
    skipped: list[str] = []

    versions = target / "versions"
    for folder in (target, versions):
        folder.mkdir(parents=True, exist_ok=True)
        config.print_stdout(f"Creating directory {folder} ... done")
    created += [str(target), str(versions)]
    for item in sorted(source.iterdir()):
        if item.name in _CONFIG_TEMPLATES or item.name == "__pycache__":
            continue
        destination = target / item.name
        destination.write_bytes(item.read_bytes())
        created.append(str(destination))
        config.print_stdout(f"Generating {destination} ... done")
    if package:
        for folder in (target, versions):
            init_file = folder / "__init__.py"
            init_file.write_text("", encoding="utf-8")
            created.append(str(init_file))
            config.print_stdout(f"Generating {init_file} ... done")

    context = {
        "script_location": _script_location_for(config_path, target),
        "sqlalchemy_url": DEFAULT_URL,
    }
    ini_template = source / "migrate.ini.mako"
    if config_path.exists():
        skipped.append(str(config_path))
        config.print_stdout(f"File {config_path} already exists, skipping")
    else:
        config_path.parent.mkdir(parents=True, exist_ok=True)
        config_path.write_text(render_template(ini_template, **context), encoding="utf-8")
        created.append(str(config_path))
        config.print_stdout(f"Generating {config_path} ... done")
    toml_template = source / "pyproject.toml.mako"
    if toml_template.is_file():
        pyproject = config_path.parent / "pyproject.toml"
        wrote = _append_toml_section(pyproject, render_template(toml_template, **context))
        (created if wrote else skipped).append(str(pyproject))
        config.print_stdout(
            f"Writing [tool.migrate] to {pyproject} ... done"
            if wrote
            else f"{pyproject} already has [tool.migrate], skipping"
        )
    config.print_stdout(
        f"Edit the database URL and logging in {config_path} before running migrations."
    )
    result = {
        "directory": str(target),
        "template": template,
        "config_file": str(config_path),
        "created": created,
        "skipped": skipped,
    }
    config.emit(result)
    return result


def _script_location_for(config_path: Path, target: Path) -> str:
    """`%(here)s/<dir>` when the directory is below the config file's, else an absolute path."""
    base = config_path.resolve().parent
    absolute = target.resolve()
    try:
        return "%(here)s/" + absolute.relative_to(base).as_posix()
    except ValueError:
        return absolute.as_posix()


def _append_toml_section(pyproject: Path, section: str) -> bool:
    if pyproject.exists():
        text = pyproject.read_text(encoding="utf-8")
        if "[tool.migrate]" in text:
            return False
        joined = text if text.endswith("\n") or not text else text + "\n"
        pyproject.write_text(joined + section, encoding="utf-8")
    else:
        pyproject.write_text(section.lstrip("\n"), encoding="utf-8")
    return True


# -- revision / merge ----------------------------------------------------------------------------


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
        bodies = _rendered_operations(tokens.group(item), render_options)
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


def _rendered_operations(
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


# -- reading -------------------------------------------------------------------------------------


def current_heads(config: Config, script_dir: ScriptDirectory) -> tuple[str, ...]:
    """The database's current revisions, read by running env.py (nothing is migrated)."""
    found: list[str] = []

    def capture(heads: tuple[str, ...], _context: MigrationContext) -> list[Step]:
        found.extend(heads)
        return []

    # Imported here: the runtime brings SQLAlchemy, which the script commands never need.
    from migrate_cli.runtime.environment import run_env

    run_env(script_dir.require_env_py(), script_dir, capture, lock=False)
    return tuple(found)


def known_current_heads(config: Config, script_dir: ScriptDirectory) -> tuple[str, ...]:
    """The database's current revisions, each of which a script must define (to show or edit)."""
    revision_map = script_dir.revision_map  # validated, and each Script placed in the graph
    heads = current_heads(config, script_dir)
    unknown = [head for head in heads if head not in revision_map]
    if unknown:
        raise CommandError(
            f"the database records revision(s) {comma(unknown)} that no script defines; "
            "restore the missing script(s), or run `migrate stamp --purge <revision>` to "
            "record where the database really is"
        )
    return heads


def _split_range(rev_range: str | None) -> tuple[str, str]:
    if not rev_range:
        return "base", "heads"
    if ":" not in rev_range:
        raise CommandError(
            f"history range {rev_range!r} needs a colon: START:END, START: or :END "
            "(e.g. base:head, ae10:, -3:current)"
        )
    lower, _, upper = rev_range.partition(":")
    return lower.strip() or "base", upper.strip() or "heads"


# `-2` or `label@-2` as START counts down from END; `+2` / `label@+2` as END up from START.
_RELATIVE_DOWN = re.compile(r"^(?:[^@]+@)?-\d+$")
_RELATIVE_UP = re.compile(r"^(?:[^@]+@)?\+\d+$")


def history(
    config: Config,
    rev_range: str | None = None,
    verbose: bool = False,
    indicate_current: bool = False,
) -> list[Script]:
    """Revisions in a range, newest first: `base:heads` by default."""
    script_dir = ScriptDirectory.from_config(config)
    lower, upper = _split_range(rev_range)
    current: tuple[str, ...] = ()
    if "current" in (lower, upper):
        current = known_current_heads(config, script_dir)
    elif indicate_current:
        current = current_heads(config, script_dir)

    def ids(ident: str, relative_to: Sequence[str]) -> tuple[str, ...]:
        if ident == "current":
            return current
        return script_dir.resolve(ident, relative_to)

    if _RELATIVE_DOWN.match(lower) and _RELATIVE_UP.match(upper):
        raise CommandError(
            f"history range {rev_range!r} is relative at both ends; anchor one of them"
        )
    if _RELATIVE_DOWN.match(lower):
        upper_ids = ids(upper, ())
        lower_ids = ids(lower, upper_ids)
    else:
        lower_ids = ids(lower, ())
        upper_ids = ids(upper, lower_ids)
    scripts = _range(script_dir, lower_ids, upper_ids, lower, upper)

    marks = current if indicate_current else ()
    if config.json_output:
        config.emit([as_dict(s, current) for s in scripts])
    elif scripts:
        entry = verbose_entry if verbose else short_line
        config.print_stdout("\n".join(entry(script, marks) for script in scripts))
    return scripts


def _range(
    script_dir: ScriptDirectory,
    lower_ids: Sequence[str],
    upper_ids: Sequence[str],
    lower: str,
    upper: str,
) -> list[Script]:
    scripts = script_dir.scripts
    revision_map = script_dir.revision_map
    if not lower_ids and set(upper_ids) == set(revision_map.heads):
        return [scripts[r.revision] for r in revision_map.walk()]
    below_upper = _closure(
        upper_ids, lambda s: s.graph.all_down_revisions if s.graph else (), scripts
    )
    for rev in lower_ids:
        if rev not in below_upper:
            named = f"revision {rev}" + (f" ({lower})" if lower != rev else "")
            resolved = comma(upper_ids) or "base"
            target = upper + (f" ({resolved})" if resolved != upper else "")
            raise CommandError(
                f"{named} is not below {target}; swap the range ends or use one branch"
            )
    selected = below_upper
    if lower_ids:
        # Upwards through depends_on too, as `below_upper` goes down through it: a revision
        # that only depends on START is above it (upgrade applies START first).
        selected &= _closure(lower_ids, lambda s: s.graph.all_nextrev if s.graph else (), scripts)
    return [scripts[r.revision] for r in revision_map.walk() if r.revision in selected]


def _closure(
    starts: Iterable[str], edges: Callable[[Script], Iterable[str]], scripts: Mapping[str, Script]
) -> set[str]:
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        rev = stack.pop()
        if rev in seen:
            continue
        seen.add(rev)
        stack.extend(edges(scripts[rev]))
    return seen


def heads(
    config: Config, verbose: bool = False, resolve_dependencies: bool = False
) -> list[Script]:
    """The head revisions; with resolve_dependencies, heads another head depends on are left out."""
    script_dir = ScriptDirectory.from_config(config)
    revision_map = script_dir.revision_map
    ids = revision_map.real_heads if resolve_dependencies else revision_map.heads
    result = [script_dir.scripts[r] for r in ids]
    if config.json_output:
        config.emit([as_dict(s) for s in result])
    elif result:
        config.print_stdout(
            "\n".join(
                verbose_entry(s) if verbose else short_line(s, parents=False, doc=False, tree=False)
                for s in result
            )
        )
    return result


def branches(config: Config, verbose: bool = False) -> list[Script]:
    """Revisions where history forks, each with the revisions that build on it."""
    script_dir = ScriptDirectory.from_config(config)
    scripts = script_dir.scripts
    points = [scripts[r] for r in script_dir.revision_map.branch_points]
    for point in points:
        config.print_stdout(verbose_entry(point) if verbose else short_line(point))
        pad = " " * len(point.revision)
        for child in point.nextrev:
            config.print_stdout(
                f"{pad} -> {short_line(scripts[child], parents=False, doc=verbose)}"
            )
    config.emit(
        [{**as_dict(p), "branches_into": [as_dict(scripts[c]) for c in p.nextrev]} for p in points]
    )
    return points


def show(config: Config, rev: str | Sequence[str]) -> list[Script]:
    """Revisions in full: ids, prefixes, labels, `head`, `heads`, `base` (nothing) or `current`."""
    script_dir = ScriptDirectory.from_config(config)
    wanted = [rev] if isinstance(rev, str) else list(rev)
    current: tuple[str, ...] = ()
    found: list[Script] = []
    for ident in wanted:
        if ident == "current":
            current = known_current_heads(config, script_dir)
            found.extend(script_dir.scripts[r] for r in current)
        else:
            found.extend(script_dir.get_revisions(ident))
    result = list(dict.fromkeys(found))
    if not result:
        config.print_stdout("(no revision: base)")
    for script in result:
        config.print_stdout(verbose_entry(script, current))
    config.emit([{**as_dict(s, current), "docstring": s.longdoc} for s in result])
    return result


def edit(config: Config, rev: str = "current") -> Script:
    """Open one revision's file in $EDITOR (or $VISUAL)."""
    script_dir = ScriptDirectory.from_config(config)
    if rev == "current":
        ids = known_current_heads(config, script_dir)
        candidates = [script_dir.scripts[r] for r in ids]
        if not candidates:
            raise CommandError("the database is at base: there is no current revision to edit")
    else:
        candidates = list(script_dir.get_revisions(rev))
    if len(candidates) != 1:
        raise CommandError(
            f"{rev!r} means {len(candidates)} revisions "
            f"({comma([c.revision for c in candidates])}); name one"
        )
    script = candidates[0]
    import shlex
    import subprocess

    editor = os.environ.get("EDITOR") or os.environ.get("VISUAL")
    if not editor:
        raise CommandError(f"set $EDITOR to edit {script.path} (e.g. EDITOR=nano)")
    try:
        completed = subprocess.run([*shlex.split(editor), str(script.path)], check=False)
    except OSError as error:
        raise CommandError(f"cannot start editor {editor!r}: {error}") from None
    if completed.returncode != 0:
        raise CommandError(f"editor {editor!r} exited with status {completed.returncode}")
    config.emit(as_dict(script))
    return script
