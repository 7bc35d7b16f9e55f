"""SQL text read from the catalog: findings of dogfooding, each pinned by a test."""

from __future__ import annotations

from ddl_ops.batch.sqltext import (
    conflict_clauses,
    foreign_key_timing,
    references_identifier,
    rename_identifier,
)


def quote(name: str) -> str:
    return f'"{name}"'


def test_a_call_of_a_function_named_like_the_column_is_not_a_reference() -> None:
    sql = "date IS date(date) AND \"date\" <> DATE ('now')"
    assert rename_identifier(sql, "date", "day", quote) == (
        '"day" IS date("day") AND "day" <> DATE (\'now\')'
    )
    assert not references_identifier("created IS date(created)", "date")
    assert references_identifier("created IS date(date)", "date")


def test_foreign_key_timing_reads_column_and_table_level_keys() -> None:
    assert foreign_key_timing('"p id" INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED') == (
        ["p id"],
        True,
        "DEFERRED",
    )
    assert foreign_key_timing('CONSTRAINT "fk" FOREIGN KEY (a, "B") REFERENCES p (x, y)') == (
        ["a", "B"],
        False,
        None,
    )
    assert foreign_key_timing("a INTEGER REFERENCES p NOT DEFERRABLE")[1] is False  # type: ignore[index]
    assert foreign_key_timing("a INTEGER DEFAULT 'REFERENCES'") is None


def test_conflict_clauses_are_read_per_constraint() -> None:
    item = "n INTEGER NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE"
    assert conflict_clauses(item) == [("NOT NULL", None, "IGNORE"), ("UNIQUE", None, "REPLACE")]
    assert conflict_clauses('UNIQUE (a, "B") ON CONFLICT ABORT') == [
        ("UNIQUE", ["a", "B"], "ABORT")
    ]
    assert conflict_clauses("PRIMARY KEY (a) ON CONFLICT FAIL") == [("PRIMARY KEY", ["a"], "FAIL")]
    assert conflict_clauses("x INTEGER REFERENCES p (id) ON DELETE CASCADE") == []
    assert conflict_clauses("x TEXT DEFAULT 'ON CONFLICT REPLACE' UNIQUE") == []
