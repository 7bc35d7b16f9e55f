"""`migrate squash --prune`: delete a squash's replaced files once every database passed it."""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from migrate_cli.commands.squash_scripts import read_source
from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.environment import run_env
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.runtime.migration_log import UNSTAMP
from migrate_cli.runtime.steps import EquivalenceStep
from migrate_cli.script import ScriptDirectory
from migrate_cli.script.header import read_header

__all__ = ["prune"]


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
    text, encoding = read_source(path)
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
    text, encoding = read_source(path)
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
