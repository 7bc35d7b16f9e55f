"""Offline SQL text: findings of dogfooding, each pinned by a test."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import sqlalchemy as sa

from ddl_ops import OfflineModeError, Operations


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


def _insert(dialect: str, table: sa.TableClause, rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    Operations.for_dialect(dialect, buf).bulk_insert(table, rows)
    return buf.getvalue().strip()


def test_bytes_are_written_as_hex_literals_of_each_database() -> None:
    table = sa.table("t", sa.column("b", sa.LargeBinary))
    row = [{"b": b"\x00'\\\xff"}]
    assert _insert("postgresql", table, row) == "INSERT INTO t (b) VALUES ('\\x00275cff'::bytea);"
    assert _insert("sqlite", table, row) == "INSERT INTO t (b) VALUES (X'00275cff');"
    assert _insert("mariadb", table, row) == "INSERT INTO t (b) VALUES (X'00275cff');"
    assert _insert("mssql", table, row).startswith("INSERT INTO t (b) VALUES (0x00275cff);")
    assert _insert("oracle", sa.table("t", sa.column("b")), row) == (
        "INSERT INTO t (b) VALUES (HEXTORAW('00275cff'));"
    )


def test_json_is_written_as_its_serialized_text() -> None:
    table = sa.table("t", sa.column("j", sa.JSON), sa.column("n", sa.JSON(none_as_null=True)))
    rows = [{"j": {"a": "it's"}, "n": None}, {"j": None, "n": [1]}]
    assert _insert("postgresql", table, rows) == (
        "INSERT INTO t (j, n) VALUES ('{\"a\": \"it''s\"}', NULL), ('null', '[1]');"
    )


def test_python_side_defaults_fill_the_columns_a_row_leaves_out() -> None:
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer, default=7),
        sa.Column("s", sa.String(5), default=lambda: "x"),
    )
    assert _insert("sqlite", table, [{"id": 1}, {"id": 2, "n": 3}]) == (
        "INSERT INTO t (id, n, s) VALUES (1, 7, 'x');\n\n"
        "INSERT INTO t (id, n, s) VALUES (2, 3, 'x');"
    )


def test_a_default_that_needs_the_insert_context_is_a_clear_offline_error() -> None:
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer, default=lambda ctx: ctx.get_current_parameters()["id"]),
    )
    with pytest.raises(OfflineModeError, match=r"t\.n .*bulk_insert row"):
        _insert("sqlite", table, [{"id": 1}])


def test_mysql_datetimes_are_written_as_their_wall_clock_time() -> None:
    at = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    table = sa.table("t", sa.column("at", sa.DateTime(timezone=True)))
    for dialect in ("mysql", "mariadb"):
        assert _insert(dialect, table, [{"at": at}]) == (
            "INSERT INTO t (at) VALUES ('2024-01-02 03:04:05');"
        )
    assert "'2024-01-02 03:04:05+00:00'" in _insert("postgresql", table, [{"at": at}])
