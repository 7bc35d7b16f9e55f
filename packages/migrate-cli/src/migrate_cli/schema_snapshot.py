"""A database's schema as plain data, to compare two databases (or one before and after).

Reflection gives SQLAlchemy objects that do not compare by value; a snapshot keeps what a
migration changes (tables, columns with type and nullability, primary keys, foreign keys,
indexes, unique constraints), as sorted tuples, and `schema_differences` lists what differs
in lines a person can read.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

Snapshot = dict[str, dict[str, Any]]


def schema_snapshot(
    connection: sa.Connection, exclude: Collection[str] = (), schema: str | None = None
) -> Snapshot:
    """Every table but ``exclude`` (e.g. the version table), described by value."""
    inspector = sa.inspect(connection)
    snapshot: Snapshot = {}
    for table in sorted(inspector.get_table_names(schema=schema)):
        if table in exclude:
            continue
        columns = tuple(
            (col["name"], _type_name(col["type"], connection), bool(col["nullable"]))
            for col in inspector.get_columns(table, schema=schema)
        )
        pk = tuple(
            inspector.get_pk_constraint(table, schema=schema).get("constrained_columns") or ()
        )
        fks = tuple(
            sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                )
                for fk in inspector.get_foreign_keys(table, schema=schema)
            )
        )
        indexes = tuple(
            sorted(
                (ix["name"] or "", tuple(str(c) for c in ix["column_names"]), bool(ix["unique"]))
                for ix in inspector.get_indexes(table, schema=schema)
            )
        )
        uniques = tuple(
            sorted(
                tuple(uc["column_names"])
                for uc in inspector.get_unique_constraints(table, schema=schema)
            )
        )
        snapshot[table] = {
            "columns": columns,
            "primary key": pk,
            "foreign keys": fks,
            "indexes": indexes,
            "unique constraints": uniques,
        }
    return snapshot


def _type_name(type_: Any, connection: sa.Connection) -> str:
    try:
        return str(type_.compile(dialect=connection.dialect))
    except Exception:  # a type the dialect cannot render back: its repr still compares
        return repr(type_)


def schema_differences(expected: Snapshot, actual: Snapshot) -> list[str]:
    """One line per difference: missing or extra tables, then each differing aspect."""
    lines: list[str] = []
    for table in sorted(expected.keys() - actual.keys()):
        lines.append(f"table {table}: missing")
    for table in sorted(actual.keys() - expected.keys()):
        lines.append(f"table {table}: unexpected")
    for table in sorted(expected.keys() & actual.keys()):
        for aspect, want in expected[table].items():
            got = actual[table].get(aspect)
            if got == want:
                continue
            if aspect == "columns":
                lines.extend(_column_differences(table, want, got or ()))
            else:
                lines.append(f"table {table} {aspect}: expected {want!r}, got {got!r}")
    return lines


def _column_differences(table: str, want: tuple[Any, ...], got: tuple[Any, ...]) -> list[str]:
    expected = {c[0]: c for c in want}
    actual = {c[0]: c for c in got}
    lines = [f"table {table}: column {name} missing" for name in expected if name not in actual]
    lines += [f"table {table}: column {name} unexpected" for name in actual if name not in expected]
    for name in expected.keys() & actual.keys():
        if expected[name] != actual[name]:
            _, want_type, want_null = expected[name]
            _, got_type, got_null = actual[name]
            lines.append(
                f"table {table}: column {name} expected {want_type} "
                f"{'NULL' if want_null else 'NOT NULL'}, got {got_type} "
                f"{'NULL' if got_null else 'NOT NULL'}"
            )
    if not lines:
        lines.append(f"table {table}: column order differs: {[c[0] for c in got]}")
    return lines
