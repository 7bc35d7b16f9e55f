"""`migrate squash`: one revision replacing a range; `--prune` once every database passed it.

The squash's operations are the schema difference between the two ends of the range, not
the replaced scripts' operations replayed: two scratch databases are upgraded, one to what
the range builds on and one to its top; the top is reflected and compared, through the
project's env.py (its compare and render options), with the start. Data migrations
(`op.execute`, `op.bulk_insert`) cannot be derived from schemas, so they are copied from
the replaced scripts in order, after the schema changes, each flagged for review.
"""

from __future__ import annotations

import ast
import hashlib
import logging
import re
import tokenize
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from migrate_cli.commands.database import upgrade
from migrate_cli.commands.scripts import _rendered_operations
from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.autogenerate import compare_options, render_options
from migrate_cli.runtime.databases import database_for, database_for_backend
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.migration_log import UNSTAMP
from migrate_cli.runtime.steps import EquivalenceStep
from migrate_cli.scratch import config_for_connection, disposable_database, require_env_on
from migrate_cli.script import ScriptDirectory
from migrate_cli.script.header import read_header
from migrate_cli.script.revision_file import Script

__all__ = ["prune", "squash"]

DATA_CALLS = ("execute", "bulk_insert")


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
    url = scratch_url if scratch_url is not None else config.get_main_option("sqlalchemy.url")
    config.print_stdout(f"Building the range's two ends in scratch databases ({_kind(url)})")
    if not url:
        config.print_stdout(
            "  (no sqlalchemy.url in the config, e.g. env.py takes it from the application: "
            "the operations are SQLite's; give --scratch-url with a server of the kind you "
            "deploy on for its dialect)"
        )
    upgrades, downgrades, imports = _schema_difference(
        config, parents, members[-1].revision, members, url, scratch_prefix
    )
    data = _data_migrations(members)
    if data:
        upgrades = f"{upgrades}\n\n{data}" if upgrades.strip() != "pass" else data
    replaced = tuple(m.revision for m in members)
    created = script.generate_revision(
        rev_id,
        message or f"squash {replaced[0]} .. {replaced[-1]}",
        head=list(parents) or "base",
        splice=True,
        depends_on=list(dependencies) or None,
        operation_bodies=("upgrades", "downgrades"),
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
    config.print_stdout(
        f"Squashed {len(replaced)} revisions ({', '.join(replaced)}) into {written.revision}"
        + (f"; {data.count('# REVIEW')} note(s) marked `# REVIEW` to check" if data else "")
    )
    config.emit({"revision": written.revision, "path": str(written.path), "replaces": replaced})
    return written


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


# -- the schema difference ---------------------------------------------------------------------


def _schema_difference(
    config: Config,
    parents: Sequence[str],
    top: str,
    members: Sequence[Script],
    url: str | None,
    prefix: str,
) -> tuple[str, str, str]:
    """Rendered upgrade and downgrade bodies (and imports) taking the start schema to the end."""
    from migrate_autogen import produce_migrations  # heavy: only when squashing

    with ExitStack() as stack:
        stack.enter_context(_scratch_runs_quiet())
        end = stack.enter_context(_scratch_at(config, [top], url, f"{prefix}_end"))
        start = stack.enter_context(_scratch_at(config, list(parents), url, f"{prefix}_start"))
        version_table = _version_table_name(end.config)
        end_schema = sa.MetaData()
        end_schema.reflect(end.connection, only=lambda name, _meta: name != version_table)
        database_for(end.connection.dialect).as_declared(end_schema, end.connection)
        found: dict[str, Any] = {}

        def compare(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
            assert context.connection is not None  # online: run_env connected
            if context.opts.get("include_schemas"):
                raise CommandError(
                    "squash compares the default schema only, and env.py sets "
                    "include_schemas=True (other schemas' tables would be dropped); "
                    "turn it off for this run, e.g. with an -x argument env.py reads"
                )
            found["produced"] = produce_migrations(
                context.connection, end_schema, **compare_options(context)
            )
            found["render"] = render_options(context)
            return []

        run_env(start.config, ScriptDirectory.from_config(start.config), compare, lock=False)
    produced = found["produced"]
    bodies = _rendered_operations(
        {"upgrades": list(produced.upgrade_ops), "downgrades": list(produced.downgrade_ops)},
        found["render"],
    )
    note = (
        "# Generated by `migrate squash` from the schema difference between the start and\n"
        f"    # the end of the range ({members[0].revision} .. {members[-1].revision})."
    )
    return f"{note}\n    {bodies['upgrades']}", bodies["downgrades"], bodies["imports"]


@contextmanager
def _scratch_runs_quiet() -> Iterator[None]:
    """No "Running upgrade ..." lines from the scratch databases: a user reading them would
    think the real database moved. env.py reconfigures logging from the ini file on every
    run, so per-logger levels would not hold; INFO is disabled process-wide meanwhile."""
    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(previous)


class _Scratch:
    def __init__(self, connection: sa.Connection, config: Config) -> None:
        self.connection = connection
        self.config = config


@contextmanager
def _scratch_at(
    config: Config, targets: Sequence[str], url: str | None, prefix: str
) -> Iterator[_Scratch]:
    """A scratch database upgraded to ``targets`` (none: left empty) through env.py."""
    with (
        disposable_database(url, prefix=prefix) as engine,
        engine.connect() as connection,
    ):
        clone = config_for_connection(config, connection, "a scratch database of `migrate squash`")
        require_env_on(clone, engine, "a scratch database of `migrate squash`")
        for target in targets:
            upgrade(clone, target)
        if connection.in_transaction():
            connection.commit()
        yield _Scratch(connection, clone)


def _version_table_name(config: Config) -> str:
    names: list[str] = []

    def capture(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
        names.append(context.version.table.name)
        return []

    run_env(config, ScriptDirectory.from_config(config), capture, lock=False)
    return names[0] if names else "migrate_version"


# -- data migrations ---------------------------------------------------------------------------


def _data_migrations(members: Sequence[Script]) -> str:
    """The replaced scripts' data statements, in application order, each flagged for review;
    code that is neither a schema operation nor data is named in a comment, not copied."""
    blocks: list[str] = []
    for member in members:
        statements, unknown = _data_statements(member)
        lines = []
        if statements:
            lines += [
                f"# REVIEW: data migration carried over from {member.revision} "
                f"({member.path.name}).",
                "# It ran after that revision's schema changes; here it runs after the whole",
                "# range's. Check it still applies, or delete it if it only fixed old data.",
                *(line for text in statements for line in text.splitlines()),
            ]
        if unknown:
            lines += [
                f"# REVIEW: {member.revision} ({member.path.name}) also ran code squash did not "
                "copy (neither an op.* schema",
                "# operation nor op.execute/op.bulk_insert); add it here if its effect is needed:",
                *(f"#     {text.splitlines()[0]}" for text in unknown),
            ]
        if lines:
            blocks.append("\n".join("    " + line for line in lines))
    return "\n\n".join(blocks)


def _data_statements(member: Script) -> tuple[list[str], list[str]]:
    """Source of upgrade()'s top-level statements calling op.execute / op.bulk_insert (with
    the assignments they may use, e.g. a sa.table()), and of those squash cannot classify."""
    source, _ = _read(member.path)
    tree = ast.parse(source)
    upgrade = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None
    )
    if upgrade is None:
        return [], []
    calls_data = [_calls_data(node) for node in upgrade.body]
    carried: list[str] = []
    unknown: list[str] = []
    for node, is_data in zip(upgrade.body, calls_data):
        text = ast.get_source_segment(source, node) or ""
        if is_data or (
            any(calls_data)
            and isinstance(node, (ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom))
        ):
            carried.append(text)
        elif not _is_schema_operation(node) and text:
            unknown.append(text)
    return carried, unknown


def _is_schema_operation(node: ast.stmt) -> bool:
    """`op.add_column(...)`, a `with op.batch_alter_table(...)` block, a docstring, `pass`,
    or an assignment (setup for those): covered by the schema difference."""
    if isinstance(node, (ast.Pass, ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        return (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "op"
        )
    if isinstance(node, ast.With):
        return all(_is_schema_operation(inner) or _is_batch_call(inner) for inner in node.body)
    return False


def _is_batch_call(node: ast.stmt) -> bool:
    """`batch_op.add_column(...)` inside `with op.batch_alter_table(...) as batch_op:`."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
    )


def _calls_data(node: ast.AST) -> bool:
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr in DATA_CALLS
            and isinstance(inner.func.value, ast.Name)
            and inner.func.value.id == "op"
        ):
            return True
    return False


# -- the header ----------------------------------------------------------------------------------


def _read(path: Path) -> tuple[str, str]:
    """A script's text and encoding (its coding line, as Python reads it; utf-8 by default)."""
    with path.open("rb") as handle:
        encoding, _ = tokenize.detect_encoding(handle.readline)
    return path.read_text(encoding=encoding), encoding


HEADER_NAMES = ("revision", "down_revision", "branch_labels", "depends_on")


def _add_replaces(path: Path, replaced: tuple[str, ...]) -> None:
    """Put `replaces = (...)` right after the last module-level header assignment
    (`depends_on` in the generated template; `down_revision` in older Alembic templates,
    such as Flask-Migrate's, that have no `depends_on`)."""
    text, encoding = _read(path)
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


# -- pruning -------------------------------------------------------------------------------------


def prune(config: Config, revision: str) -> list[Path]:
    """Delete the files squash ``revision`` replaces and drop its ``replaces``.

    Refused unless the configured database has passed the squash (at it or beyond); a
    database recorded at the range's top is first recorded at the squash (same schema).
    Revisions built on the top are moved onto the squash.
    """
    script = ScriptDirectory.from_config(config)
    squash_script = script.get_revision(revision)
    squash_id = squash_script.revision
    found = script.revision_map.squashes.get(squash_id)
    if found is None:
        if squash_script.replaces:
            _write(_without_replaces(squash_script.path))
            config.print_stdout(f"{squash_id}: replaced files already gone; dropped `replaces`")
            return []
        raise CommandError(f"revision {squash_id} is not a squash (it declares no `replaces`)")
    replaced = set(found.replaced)
    # Every edit is made and checked in memory first: a failure leaves the files as they were.
    rewritten = [
        item
        for item in script.scripts.values()
        if item.revision not in replaced
        and item.revision != squash_id
        and replaced & {*item.down_revisions, *item.dependencies}
    ]
    edits = [_rebased(item.path, replaced, squash_id) for item in rewritten]
    edits.append(_without_replaces(squash_script.path))
    checksums = {
        item.revision: _checksum(text, encoding)
        for item, (_path, text, encoding) in zip([*rewritten, squash_script], edits)
    }
    _require_database_past(config, script, squash_id, found.top, found.replaced, checksums)
    for edit in edits:
        _write(edit)
    removed = [script.scripts[r].path for r in found.replaced]
    for path in removed:
        path.unlink()
    script.refresh()
    _ = script.revision_map  # the history must still load
    config.print_stdout(
        f"Pruned {squash_id}: deleted {len(removed)} replaced file(s); it is now an ordinary "
        "revision"
    )
    return removed


def _require_database_past(
    config: Config,
    script: ScriptDirectory,
    squash_id: str,
    top: str,
    replaced: Sequence[str],
    checksums: dict[str, str],
) -> None:
    """Refuse unless the database passed the squash; then record the prune in its log, so
    `migrate verify` stays clean there: an `unstamp` row per pruned revision (no script
    will define it) and a `baseline` row with the new checksum per script prune rewrites."""
    revision_map = script.revision_map

    def check(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
        inside = [h for h in heads if h in replaced and h != top]
        if inside:
            raise CommandError(
                f"cannot prune {squash_id}: the database is at {', '.join(inside)}, inside the "
                f"range it replaces; run `migrate upgrade {squash_id}` (or later) on every "
                "database first"
            )
        at_top = [h for h in heads if h == top]
        past = any(
            h in (squash_id, top) or revision_map.is_ancestor(squash_id, h)
            for h in heads
            if h in revision_map and h not in replaced
        ) or bool(at_top)
        if not past:
            raise CommandError(
                f"cannot prune {squash_id}: the database is at {', '.join(heads) or 'base'}, "
                f"before it; run `migrate upgrade {squash_id}` (or later) on every database "
                "first, since after pruning only databases past it keep working"
            )
        if context.connection is not None and context.history.enabled:
            _record_prune(context, replaced, checksums)
        return [EquivalenceStep(top, squash_id)] if at_top else []

    run_env(config, script, check)


def _record_prune(
    context: MigrationContext, replaced: Sequence[str], checksums: dict[str, str]
) -> None:
    connection = context.connection
    assert connection is not None
    history = context.history
    if not history.exists(connection):
        return  # no log here: nothing for verify to compare
    rows = []
    for revision in replaced:
        row = history.baseline_row(connection, revision)
        rows.append({**row, "direction": UNSTAMP, "checksum": None})
    for revision, checksum in checksums.items():
        rows.append({**history.baseline_row(connection, revision), "checksum": checksum})
    connection.execute(history.table.insert(), rows)


def _checksum(text: str, encoding: str) -> str:
    """What `script_checksum` will read from the file once ``text`` is written (line
    endings made LF, as it does)."""
    data = text.encode(encoding).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return hashlib.sha256(data).hexdigest()


Edit = tuple[Path, str, str]  # path, new text, encoding


def _write(edit: Edit) -> None:
    path, text, encoding = edit
    path.write_text(text, encoding=encoding)


def _rebased(path: Path, replaced: set[str], squash_id: str) -> Edit:
    """The script with down_revision / depends_on entries naming a replaced revision moved
    to the squash (checked to still be a valid header)."""
    text, encoding = _read(path)
    lines = text.splitlines(keepends=True)
    for node in ast.parse(text).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if not isinstance(target, ast.Name) or target.id not in ("down_revision", "depends_on"):
            continue
        for index in range(node.lineno - 1, (node.end_lineno or node.lineno)):
            for old in replaced:
                lines[index] = re.sub(
                    rf"(['\"]){re.escape(old)}\1",
                    lambda m: f"{m.group(1)}{squash_id}{m.group(1)}",
                    lines[index],
                )
    new_text = "".join(lines)
    read_header(path, source=new_text)
    return path, new_text, encoding


def _without_replaces(path: Path) -> Edit:
    """The squash's script without its `replaces` assignment."""
    text, encoding = _read(path)
    lines = text.splitlines(keepends=True)
    for node in ast.parse(text).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "replaces"
        ):
            del lines[node.lineno - 1 : node.end_lineno or node.lineno]
            break
    new_text = "".join(lines)
    read_header(path, source=new_text)
    return path, new_text, encoding
