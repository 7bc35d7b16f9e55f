"""Column references in SQL text: a function of the same name is not the column."""

from __future__ import annotations

from ddl_ops.batch.sqltext import references_identifier, rename_identifier


def quote(name: str) -> str:
    return f'"{name}"'


def test_a_call_of_a_function_named_like_the_column_is_not_a_reference() -> None:
    sql = "date IS date(date) AND \"date\" <> DATE ('now')"
    assert rename_identifier(sql, "date", "day", quote) == (
        '"day" IS date("day") AND "day" <> DATE (\'now\')'
    )
    assert not references_identifier("created IS date(created)", "date")
    assert references_identifier("created IS date(date)", "date")
