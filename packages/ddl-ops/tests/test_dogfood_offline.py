"""Offline SQL text: findings of dogfooding, each pinned by a test."""

from __future__ import annotations

import io

from ddl_ops import Operations


def _script(dialect: str, *statements: str) -> str:
    buf = io.StringIO()
    ops = Operations.for_dialect(dialect, buf)
    for statement in statements:
        ops.execute(statement)
    return buf.getvalue()


def test_a_trailing_line_comment_does_not_swallow_the_terminator() -> None:
    assert _script("postgresql", "UPDATE t SET a = 1 -- fix", "UPDATE t SET b = 2") == (
        "UPDATE t SET a = 1 -- fix\n;\n\nUPDATE t SET b = 2;\n\n"
    )
    assert _script("sqlite", "UPDATE t SET a = 1; -- done") == "UPDATE t SET a = 1; -- done\n;\n\n"
    assert _script("mssql", "UPDATE t SET a = 1 -- fix") == "UPDATE t SET a = 1 -- fix\n;\nGO\n\n"


def test_comments_on_earlier_lines_change_nothing() -> None:
    assert _script("mariadb", "-- note\nUPDATE t SET a = '--'") == (
        "-- note\nUPDATE t SET a = '--'\n;\n\n"
    )
    assert _script("mariadb", "-- note\nUPDATE t SET a = 1") == "-- note\nUPDATE t SET a = 1;\n\n"
