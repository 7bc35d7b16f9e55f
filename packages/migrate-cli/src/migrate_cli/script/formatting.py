"""How history, heads, branches and show display revisions: text for people, dicts for --json."""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from typing import Any

from migrate_cli.script.revision_file import Script


def comma(values: Collection[str] | str | None) -> str:
    """Ids joined for display: `a, b`; also the Mako filter `comma` of script.py.mako."""
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    return ", ".join(values)


def _down_revisions(script: Script) -> tuple[str, ...]:
    """As the graph reads them: a revision built on a squashed range's top is on the squash."""
    graph = script.graph
    return graph.down_revisions if graph is not None else script.down_revisions


def _parents(script: Script) -> str:
    text = comma(_down_revisions(script)) or "<base>"
    if script.dependencies:
        text += f" ({comma(script.dependencies)})"
    return text


def flags(script: Script, current: Collection[str] = (), tree: bool = True) -> str:
    """` (head)`, ` (current)`, ` (branchpoint)`, ` (mergepoint)` markers."""
    out = ""
    graph = script.graph
    if script.replaced_by is not None:
        out += f" (replaced by {script.replaced_by})"
    elif graph is not None and graph.is_real_head:
        out += " (head)"
    elif script.is_head:
        out += " (effective head)"
    if script.revision in current:
        out += " (current)"
    if tree:
        if script.is_branch_point:
            out += " (branchpoint)"
        if script.is_merge_point:
            out += " (mergepoint)"
    return out


def short_line(
    script: Script,
    current: Collection[str] = (),
    parents: bool = True,
    doc: bool = True,
    tree: bool = True,
) -> str:
    """One line, e.g. `ae10 -> 27c6 (mybranch) (head), add account table`."""
    text = f"{_parents(script)} -> {script.revision}" if parents else script.revision
    if script.all_branch_labels:
        text += f" ({comma(script.all_branch_labels)})"
    if script.replaces:
        text += f" (squashes {_squashed(script)})"
    text += flags(script, current, tree)
    if doc:
        text += f", {script.doc}"
    return text


def _squashed(script: Script) -> str:
    """`b2, c3` for a short squash; `12 revisions, b2 .. m9` for a long one."""
    if len(script.replaces) <= 3:
        return comma(script.replaces)
    return f"{len(script.replaces)} revisions, {script.replaces[0]} .. {script.replaces[-1]}"


def verbose_entry(script: Script, current: Collection[str] = ()) -> str:
    """The full entry: id with markers, parents, branching, labels, path and the docstring."""
    lines = [f"Rev: {script.revision}{flags(script, current)}"]
    if script.is_merge_point:
        lines.append(f"Merges: {comma(_down_revisions(script))}")
    else:
        lines.append(f"Parent: {comma(_down_revisions(script)) or '<base>'}")
    if script.dependencies:
        lines.append(f"Also depends on: {comma(script.dependencies)}")
    if script.is_branch_point:
        lines.append(f"Branches into: {comma(script.nextrev)}")
    if script.all_branch_labels:
        lines.append(f"Branch names: {comma(script.all_branch_labels)}")
    if script.replaces:
        lines.append(f"Replaces: {comma(script.replaces)}")
    if script.replaced_by is not None:
        lines.append(f"Replaced by: {script.replaced_by}")
    lines.append(f"Path: {script.path}")
    lines.append("")
    lines.append(textwrap.indent(script.longdoc or "(no docstring)", "    "))
    return "\n".join(lines) + "\n"


def as_dict(script: Script, current: Collection[str] = ()) -> dict[str, Any]:
    """The --json form of one revision."""
    graph = script.graph
    return {
        "revision": script.revision,
        "down_revisions": list(script.down_revisions),
        "depends_on": list(script.dependencies),
        "branch_labels": list(script.all_branch_labels),
        "doc": script.doc,
        "path": script.header.path,
        "is_head": script.is_head,
        "is_real_head": bool(graph.is_real_head) if graph is not None else script.is_head,
        "is_base": script.is_base,
        "is_branch_point": script.is_branch_point,
        "is_merge_point": script.is_merge_point,
        "next_revisions": list(script.nextrev),
        "is_current": script.revision in current,
        "replaces": list(script.replaces),
        "replaced_by": script.replaced_by,
    }
