"""`migrate graph`: the revision DAG as lane-drawn text, Mermaid or Graphviz dot.

The text layout works like `git log --graph`: revisions newest first, each
line of descent in its own lane (two columns), `|\\` where a merge opens
lanes for its parents and `|/` where branches close into their branch
point. Lanes only ever move one column per line, so any DAG draws with
the characters `* o | / \\`. A linear history is one lane: the message is
cut to keep each line within the width (80 columns by default). Separate
trees (several bases) are separated by an empty line.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

FORMATS = ("ascii", "mermaid", "dot")


@dataclass(frozen=True)
class Node:
    """One revision as the graph shows it."""

    revision: str
    parents: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    message: str = ""
    is_head: bool = False


def _tags(node: Node, current: Collection[str]) -> str:
    tags = []
    if node.is_head:
        tags.append("head")
    if node.revision in current:
        tags.append("current")
    tags += [f"label: {label}" for label in node.labels]
    return f" ({', '.join(tags)})" if tags else ""


def _fit(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return text[: max(room - 1, 0)] + "…" if room > 1 else ""


def _transition(moves: Sequence[tuple[int, int]]) -> list[str]:
    """Lines that carry each lane from its start column to its end column, one step a line."""
    positions = [start for start, _end in moves]
    lines: list[str] = []
    while any(pos != end for pos, (_start, end) in zip(positions, moves, strict=True)):
        width = 2 * (max(positions + [end for _s, end in moves]) + 1)
        row = [" "] * width
        for index, (_start, end) in enumerate(moves):
            pos = positions[index]
            if pos < end:
                row[2 * pos + 1] = "\\"
                positions[index] = pos + 1
            elif pos > end:
                row[2 * pos - 1] = "/"
                positions[index] = pos - 1
            elif row[2 * pos] == " ":
                row[2 * pos] = "|"
        lines.append("".join(row).rstrip())
    return lines


def render_ascii(
    nodes: Sequence[Node], current: Collection[str] = (), width: int = 80
) -> list[str]:
    """Lines of text; `nodes` ordered newest first, each before its parents (RevisionMap.walk)."""
    lanes: list[str] = []
    lines: list[str] = []
    for node in nodes:
        if not lanes and lines:
            lines.append("")  # a separate tree (another base) starts: keep them apart
        if node.revision not in lanes:
            lanes.append(node.revision)
        col = lanes.index(node.revision)
        joining = [i for i, rev in enumerate(lanes) if rev == node.revision and i != col]
        if joining:
            # Branches of this branch point close into its lane.
            kept = [i for i in range(len(lanes)) if i not in joining]
            moves = [(i, col if i in joining else kept.index(i)) for i in range(len(lanes))]
            lines += _transition(moves)
            lanes = [lanes[i] for i in kept]
            col = lanes.index(node.revision)
        mark = "o" if node.revision in current else "*"
        cells = [mark if i == col else "|" for i in range(len(lanes))]
        prefix = " ".join(cells) + "  "
        text = node.revision + _tags(node, current)
        if node.depends_on:
            text += f" [depends on {', '.join(node.depends_on)}]"
        if node.message:
            text += f" {node.message}"
        lines.append(prefix + _fit(text, max(width - len(prefix), 12)))
        parents = list(node.parents)
        after = lanes[col + 1 :]
        lanes = lanes[:col] + parents + after
        if len(parents) != 1:
            shift = len(parents) - 1
            moves = [(i, i) for i in range(col)]
            moves += [(col, col + k) for k in range(len(parents))]
            moves += [(col + 1 + k, col + 1 + k + shift) for k in range(len(after))]
            lines += _transition(moves)
    return lines


def _mermaid_id(revision: str) -> str:
    return "r_" + "".join(ch if ch.isalnum() else "_" for ch in revision)


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def render_mermaid(nodes: Sequence[Node], current: Collection[str] = ()) -> list[str]:
    """A Mermaid flowchart, base at the bottom; dependencies dashed, heads and current styled."""
    lines = ["flowchart BT"]
    for node in nodes:
        label = _mermaid_text(node.revision + _tags(node, current))
        if node.message:
            label += f"<br/>{_mermaid_text(node.message)}"
        lines.append(f'    {_mermaid_id(node.revision)}["{label}"]')
    for node in nodes:
        for parent in node.parents:
            lines.append(f"    {_mermaid_id(parent)} --> {_mermaid_id(node.revision)}")
        for dependency in node.depends_on:
            lines.append(f"    {_mermaid_id(dependency)} -.-> {_mermaid_id(node.revision)}")
    heads = [_mermaid_id(n.revision) for n in nodes if n.is_head]
    here = [_mermaid_id(n.revision) for n in nodes if n.revision in current]
    lines.append("    classDef head stroke-width:3px")
    lines.append("    classDef current fill:#d4f7d4")
    if heads:
        lines.append(f"    class {','.join(heads)} head")
    if here:
        lines.append(f"    class {','.join(here)} current")
    return lines


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_dot(nodes: Sequence[Node], current: Collection[str] = ()) -> list[str]:
    """A Graphviz digraph (`dot -Tsvg`), base at the bottom; dependencies dashed."""
    lines = [
        "digraph migrations {",
        "    rankdir=BT;",
        '    node [shape=box, fontname="monospace"];',
    ]
    for node in nodes:
        label = node.revision + _tags(node, current)
        if node.message:
            label += "\n" + node.message
        attributes = [f'label="{_dot_text(label)}"'.replace("\n", "\\n")]
        if node.is_head:
            attributes.append("penwidth=2")
        if node.revision in current:
            attributes += ["style=filled", 'fillcolor="#d4f7d4"']
        lines.append(f'    "{_dot_text(node.revision)}" [{", ".join(attributes)}];')
    for node in nodes:
        child = _dot_text(node.revision)
        for parent in node.parents:
            lines.append(f'    "{_dot_text(parent)}" -> "{child}";')
        for dependency in node.depends_on:
            lines.append(f'    "{_dot_text(dependency)}" -> "{child}" [style=dashed];')
    lines.append("}")
    return lines


def render(
    nodes: Sequence[Node], output_format: str, current: Collection[str] = (), width: int = 80
) -> list[str]:
    if output_format == "ascii":
        return render_ascii(nodes, current, width)
    if output_format == "mermaid":
        return render_mermaid(nodes, current)
    if output_format == "dot":
        return render_dot(nodes, current)
    raise ValueError(f"unknown graph format {output_format!r}; use one of {', '.join(FORMATS)}")
