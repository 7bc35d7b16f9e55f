"""Commands that read revision scripts: history, heads, branches, show, edit.

Each is a plain function taking a `Config` first, usable from programs and
tests; it prints human text through `config.print_stdout`, its machine result
through `config.emit` (--json), and returns that result as Python objects.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.script import Script, ScriptDirectory
from migrate_cli.script.formatting import as_dict, comma, short_line, verbose_entry

if TYPE_CHECKING:  # the runtime brings SQLAlchemy: imported where a command runs env.py
    from migrate_cli.runtime.migration import MigrationContext
    from migrate_cli.runtime.steps import Step


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
