"""Random batch-mode scenarios and a Python model of their outcome, for property tests.

Shared by ddl-ops' SQLite unit tests and the live-database integration tests, so
both check one model. Needs hypothesis (a test dependency, not a runtime one).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from hypothesis import strategies as st

NAMES = ["a", "b", "c", "d", "e", "order", "select"]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[str], list[dict[str, Any]], list[tuple[Any, ...]]]:
    start = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    start = ["id", *start]
    rows = draw(
        st.lists(
            st.fixed_dictionaries({name: st.integers(-5, 5) for name in start[1:]}),
            max_size=6,
        )
    )
    columns = list(start)
    changes: list[tuple[Any, ...]] = []
    for _ in range(draw(st.integers(1, 6))):
        free = [n for n in NAMES if n not in columns]
        kinds = (
            ["add", "tighten", "move", "index", "retype"]
            + (["rename"] if free else [])
            + (["drop"] if len(columns) > 1 else [])
        )
        kind = draw(st.sampled_from(kinds))
        if kind == "add" and free:
            name = draw(st.sampled_from(free))
            default = draw(st.integers(0, 9))
            after = draw(st.sampled_from([None, *columns]))
            changes.append(("add", name, default, after))
            columns.insert(columns.index(after) + 1 if after else len(columns), name)
        elif kind == "rename":
            old, new = draw(st.sampled_from(columns)), draw(st.sampled_from(free))
            changes.append(("rename", old, new))
            columns[columns.index(old)] = new
        elif kind == "drop":
            name = draw(st.sampled_from(columns))
            changes.append(("drop", name))
            columns.remove(name)
        elif kind == "tighten":
            changes.append(("tighten", draw(st.sampled_from(columns))))
        elif kind == "index":
            changes.append(("index", f"ix_{len(changes)}", draw(st.sampled_from(columns))))
        elif kind == "retype":
            changes.append(("retype", draw(st.sampled_from(columns))))
        elif kind == "move" and len(columns) > 1:
            name = draw(st.sampled_from(columns))
            before = draw(st.sampled_from([c for c in columns if c != name]))
            changes.append(("move", name, before))
            columns.remove(name)
            columns.insert(columns.index(before), name)
    return start, rows, changes


def expected_indexes(changes: list[tuple[Any, ...]]) -> dict[str, str]:
    """Index name -> the column it covers at the end (renames followed, drops remove it)."""
    indexes: dict[str, str] = {}
    for change in changes:
        if change[0] == "index":
            indexes[change[1]] = change[2]
        elif change[0] == "rename":
            indexes = {k: (change[2] if v == change[1] else v) for k, v in indexes.items()}
        elif change[0] == "drop":
            indexes = {k: v for k, v in indexes.items() if v != change[1]}
    return indexes


def expected_result(
    start: list[str], rows: list[dict[str, Any]], changes: list[tuple[Any, ...]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The columns, in order, and every row's values after the changes, modelled in Python."""
    columns = list(start)
    data = [{"id": i + 1, **row} for i, row in enumerate(rows)]
    for change in changes:
        if change[0] == "add":
            _, name, default, after = change
            columns.insert(columns.index(after) + 1 if after else len(columns), name)
            for row in data:
                row[name] = default
        elif change[0] == "rename":
            _, old, new = change
            columns[columns.index(old)] = new
            for row in data:
                row[new] = row.pop(old)
        elif change[0] == "drop":
            columns.remove(change[1])
        elif change[0] == "retype":
            for row in data:
                row[change[1]] = str(row[change[1]])
        elif change[0] == "move":
            _, name, before = change
            columns.remove(name)
            columns.insert(columns.index(before), name)
    return columns, [tuple(row[c] for c in columns) for row in data]


def apply_changes(batch: Any, changes: list[tuple[Any, ...]]) -> None:
    """Replay drawn changes on a BatchOperations, in order."""
    for change in changes:
        if change[0] == "add":
            _, name, default, after = change
            column = sa.Column(name, sa.Integer, nullable=False, server_default=str(default))
            batch.add_column(column, insert_after=after)
        elif change[0] == "rename":
            batch.alter_column(change[1], new_column_name=change[2])
        elif change[0] == "drop":
            batch.drop_column(change[1])
        elif change[0] == "tighten":
            batch.alter_column(change[1], server_default="0")
        elif change[0] == "index":
            batch.create_index(change[1], [change[2]])
        elif change[0] == "retype":
            batch.alter_column(change[1], type_=sa.String(20))
        else:
            batch.alter_column(change[1], insert_before=change[2])
