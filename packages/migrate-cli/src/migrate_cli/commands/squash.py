"""`migrate squash`: one revision replacing a range; `--prune` once every database passed it.

The squash's operations are the schema difference between the two ends of the range, not
the replaced scripts' operations replayed: scratch databases are upgraded and reflected,
and compared through the project's env.py (its compare and render options). Data
migrations (`op.execute`, `op.bulk_insert`) and code squash cannot classify cannot be
derived from schemas: the range is cut at each revision holding some, the pure-schema runs
between them collapse into their own schema differences, and such a revision's upgrade()
is carried in its place, as written, flagged for review (squash_scripts.py reads the
scripts, squash_scratch.py measures the differences, squash_prune.py prunes).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from migrate_cli.commands.squash_prune import prune
from migrate_cli.commands.squash_scratch import Boundary, schema_differences
from migrate_cli.commands.squash_scripts import (
    Segment,
    carried_body,
    data_statements,
    has_real_downgrade,
    module_imports,
    read_source,
    segments,
)
from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import database_for_backend
from migrate_cli.script import ScriptDirectory
from migrate_cli.script.revision_file import Script

__all__ = ["prune", "squash"]


def squash(
    config: Config,
    revision_range: str,
    message: str | None = None,
    rev_id: str | None = None,
    scratch_url: str | None = None,
    scratch_prefix: str = "migrate_squash",
) -> Script:
    """Write one revision replacing ``A:B`` (both included) and return it.

    ``scratch_url`` names the server for the scratch databases; by default the configured
    ``sqlalchemy.url``'s kind is used (a new database on that server), or a SQLite file when
    no URL is configured or it is SQLite. ``scratch_prefix`` starts their names.
    """
    script = ScriptDirectory.from_config(config)
    lower, upper = _split(revision_range)
    members, parents, dependencies = _checked_range(script, lower, upper)
    cut = segments(members)
    bodies = _Bodies(members, cut)  # the scripts are read before any database is made
    template = script.template_path.read_text(encoding="utf-8")
    without_downgrade = _without_downgrade(template, members)
    url = scratch_url if scratch_url is not None else config.get_main_option("sqlalchemy.url")
    where = "two ends" if len(cut) == 1 else "segments"
    config.print_stdout(f"Building the range's {where} in scratch databases ({_kind(url)})")
    if not url:
        config.print_stdout(
            "  (no sqlalchemy.url in the config, e.g. env.py takes it from the application: "
            "the operations are SQLite's; give --scratch-url with a server of the kind you "
            "deploy on for its dialect)"
        )
    boundaries = _boundaries(script, cut, parents)
    differences = schema_differences(config, boundaries, url, scratch_prefix)
    upgrades, downgrades, imports = bodies.render(differences, template)
    if without_downgrade:
        config.print_stdout(
            f"{script.template_path.name} has no ${{downgrades}} and no replaced revision "
            "downgrades: the squash is written without a downgrade"
        )
    replaced = tuple(m.revision for m in members)
    created = script.generate_revision(
        rev_id,
        message or f"squash {replaced[0]} .. {replaced[-1]}",
        head=list(parents) or "base",
        splice=True,
        depends_on=list(dependencies) or None,
        operation_bodies=("upgrades",) if without_downgrade else ("upgrades", "downgrades"),
        upgrades=upgrades,
        downgrades=downgrades,
        imports=imports,
    )
    try:
        _add_replaces(created.path, replaced)
        script.refresh()
        written = script.get_revision(created.revision)
        if written.replaces != replaced:
            raise CommandError(
                f"the revision written from {script.template_path} does not keep `replaces` "
                "in its header; fix the template"
            )
    except BaseException:
        # Without `replaces` the file would be a second branch beside the range: remove it.
        created.path.unlink(missing_ok=True)
        script.refresh()
        raise
    notes = upgrades.count("# REVIEW") + downgrades.count("# REVIEW")
    config.print_stdout(
        f"Squashed {len(replaced)} revisions ({', '.join(replaced)}) into {written.revision}"
        + (f"; {notes} note(s) marked `# REVIEW` to check" if notes else "")
    )
    config.emit({"revision": written.revision, "path": str(written.path), "replaces": replaced})
    return written


def _without_downgrade(template: str, members: Sequence[Script]) -> bool:
    """Whether the template places no ${downgrades} (OpenStack's forbid downgrades) while
    no replaced revision's downgrade does anything: then the squash needs none either. With
    a real downgrade in the range, writing proceeds and the template is refused as lossy."""
    return "downgrades" not in template and not any(has_real_downgrade(m) for m in members)


def _boundaries(
    script: ScriptDirectory, cut: Sequence[Segment], parents: Sequence[str]
) -> list[Boundary]:
    """Each schema segment's start and end, as the heads a database there is at: the range's
    parents, then the heads of the revisions applied so far."""
    revision_map = script.revision_map
    applied: list[str] = []

    def heads() -> tuple[str, ...]:
        done = set(applied)
        if not done:
            return tuple(parents)
        return tuple(r for r in applied if not any(c in done for c in revision_map.get(r).nextrev))

    found: list[Boundary] = []
    for segment in cut:
        start = heads()
        applied.extend(m.revision for m in segment.members)
        if not segment.carried:
            found.append((start, heads()))
    return found


class _Bodies:
    """The squash's upgrade and downgrade: per segment, its schema difference or the carried
    revision's code as written, in application order (downgrade: the reverse)."""

    def __init__(self, members: Sequence[Script], cut: Sequence[Segment]) -> None:
        self.members = members
        self.cut = cut
        self.carried = {
            s.members[0].revision: (
                carried_body(s.members[0], "upgrade"),
                carried_body(s.members[0], "downgrade"),
            )
            for s in cut
            if s.carried
        }

    def render(self, differences: Sequence[dict[str, str]], template: str) -> tuple[str, str, str]:
        """Upgrade body, downgrade body and imports (but the template's own), for it."""
        if len(self.cut) == 1:  # no carried revision: one schema difference
            (found,) = differences
            first, last = self.members[0].revision, self.members[-1].revision
            note = (
                "# Generated by `migrate squash` from the schema difference between the start "
                f"and\n    # the end of the range ({first} .. {last})."
            )
            return f"{note}\n    {found['upgrades']}", found["downgrades"], found["imports"]
        ups: list[str] = []
        downs: list[str] = []
        imports: set[str] = set()
        schema = iter(differences)
        for segment in self.cut:
            if segment.carried:
                up, down = self._carried(segment.members[0])
                imports.update(i for i in module_imports(segment.members[0]) if i not in template)
            else:
                found = next(schema)
                up, down = _schema_blocks(segment, found)
                imports.update(line for line in found["imports"].splitlines() if line)
            ups.extend(up)
            downs[:0] = down
        return (
            _joined(ups) or "pass",
            _joined(downs) or "pass",
            "\n".join(sorted(imports)) + "\n" if imports else "",
        )

    def _carried(self, member: Script) -> tuple[list[str], list[str]]:
        upgrade, downgrade = self.carried[member.revision]
        name = f"{member.revision} ({member.path.name})"
        statements, _unknown = data_statements(member)
        what = (
            f"data migration carried over from {name}"
            if statements
            else f"{name} runs code squash cannot classify (neither an op.* schema operation "
            "nor op.execute/op.bulk_insert)"
        )
        up = [
            f"    # REVIEW: {what}:",
            "    # its upgrade() as written, in its place between the schema changes before and",
            "    # after it. Check it still applies, or delete its data part if it only fixed",
            "    # old rows.",
            *(upgrade or ["    pass"]),
        ]
        if downgrade is None:
            down = [f"    # {name} has no downgrade: nothing of it is undone here."]
        else:
            down = [f"    # REVIEW: downgrade() of {name}, carried over as written.", *downgrade]
        return ["\n".join(up)], ["\n".join(down)]


def _schema_blocks(segment: Segment, found: dict[str, str]) -> tuple[list[str], list[str]]:
    """A schema segment's operations under a note naming it; nothing when it nets to none."""
    note = f"    # Generated by `migrate squash` from the schema difference across {segment.label}."
    up = [] if found["upgrades"] == "pass" else [f"{note}\n    {found['upgrades']}"]
    down = [] if found["downgrades"] == "pass" else [f"{note}\n    {found['downgrades']}"]
    return up, down


def _joined(blocks: Sequence[str]) -> str:
    """Fully indented blocks as one body for `    ${upgrades}` (first line unindented);
    `pass` after them when they are only comments."""
    body = "\n\n".join(blocks)
    if body and all(line.lstrip().startswith("#") for line in body.splitlines() if line.strip()):
        body += "\n    pass"
    return body[4:]


def _kind(url: str | None) -> str:
    """Where scratch databases go, for the user: the server (no password) or SQLite."""
    if not url:
        return "temporary SQLite files"
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return "the configured URL"
    if database_for_backend(parsed.get_backend_name()).file_databases:
        return "temporary SQLite files"
    shown = parsed.set(database=None).render_as_string(hide_password=True)
    return f"new databases on {shown}"


def _split(revision_range: str) -> tuple[str, str]:
    lower, sep, upper = revision_range.partition(":")
    if not sep or not lower or not upper:
        raise CommandError(
            f"squash needs a range FIRST:LAST (both included), not {revision_range!r}"
        )
    return lower, upper


def _checked_range(
    script: ScriptDirectory, lower: str, upper: str
) -> tuple[list[Script], tuple[str, ...], tuple[str, ...]]:
    """The range's scripts in application order, what it builds on, and its outside depends_on.

    Refused: a range that is not closed (another revision enters or leaves it in the
    middle), one holding a squash not yet pruned, or one declaring branch labels.
    """
    revision_map = script.revision_map
    first = script.get_revision(lower).revision
    last = script.get_revision(upper).revision
    try:
        in_range = [r.revision for r in revision_map.iterate_range(first, last)]
    except Exception as error:
        raise CommandError(f"cannot squash {lower}:{upper}: {error}") from None
    in_range.reverse()  # application order
    if len(in_range) < 2:
        raise CommandError(f"{lower}:{upper} holds one revision; a squash needs at least two")
    members = set(in_range)
    scripts = [script.scripts[r] for r in in_range]
    for item in scripts:
        graph = revision_map.get(item.revision)
        outside_parents = [d for d in graph.down_revisions if d not in members]
        if outside_parents and item.revision != first:
            raise CommandError(
                f"cannot squash {lower}:{upper}: {item.revision} also builds on "
                f"{', '.join(outside_parents)}, outside the range; start the range lower"
            )
        children_out = [c for c in graph.nextrev if c not in members]
        if children_out and item.revision != last:
            raise CommandError(
                f"cannot squash {lower}:{upper}: {', '.join(children_out)} builds on "
                f"{item.revision}, inside the range; end the range at {item.revision} or later"
            )
        if item.revision in revision_map.squashes:
            raise CommandError(
                f"cannot squash {lower}:{upper}: {item.revision} is a squash whose replaced "
                f"files are still present; run `migrate squash --prune {item.revision}` first"
            )
        if item.branch_labels:
            raise CommandError(
                f"cannot squash {lower}:{upper}: {item.revision} declares branch label(s) "
                f"{', '.join(item.branch_labels)}, which the squash would lose; start the range "
                f"above {item.revision}"
            )
    parents = revision_map.get(first).down_revisions
    dependencies = tuple(
        dict.fromkeys(
            d for r in in_range for d in revision_map.get(r).dependencies if d not in members
        )
    )
    return scripts, parents, dependencies


# -- the header ----------------------------------------------------------------------------------


HEADER_NAMES = ("revision", "down_revision", "branch_labels", "depends_on")


def _add_replaces(path: Path, replaced: tuple[str, ...]) -> None:
    """Put `replaces = (...)` right after the last module-level header assignment
    (`depends_on` in the generated template; `down_revision` in older Alembic templates,
    such as Flask-Migrate's, that have no `depends_on`)."""
    text, encoding = read_source(path)
    line = f"replaces = {replaced!r}"
    ends = [
        node.end_lineno
        for node in ast.parse(text).body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        and any(
            isinstance(t, ast.Name) and t.id in HEADER_NAMES
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    if not ends or ends[-1] is None:
        raise CommandError(
            f"{path}: no `down_revision = ...` line to put `replaces` after; add `{line}` by hand"
        )
    lines = text.splitlines(keepends=True)
    lines.insert(ends[-1], line + "\n")
    path.write_text("".join(lines), encoding=encoding)
