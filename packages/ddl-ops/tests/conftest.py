"""Shared fixtures: record the SQL that operations write for a dialect, with no server."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from ddl_ops import Operations


class SQLRecorder:
    """Operations in offline mode for one dialect, and the statements they wrote."""

    def __init__(self, dialect: str):
        self.buffer = io.StringIO()
        self.ops = Operations.for_dialect(dialect, self.buffer)
        self.dialect = dialect

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    @property
    def statements(self) -> list[str]:
        """Each statement without its terminator (and without GO lines)."""
        terminator = self.ops.impl.statement_terminator
        found = []
        for chunk in self.text.split("\n\n"):
            lines = [line for line in chunk.splitlines() if line != self.ops.impl.batch_separator]
            statement = "\n".join(lines).strip()
            if statement:
                found.append(statement.removesuffix(terminator))
        return found


@pytest.fixture
def record() -> Callable[[str], SQLRecorder]:
    """`record("postgresql")` -> a recorder whose `.ops` writes SQL for that dialect."""
    return SQLRecorder
