"""The 300-table drift schema: the exact change set, ours and Alembic's, on each database.

(The CI slice drifts its first 60 tables; ``nox -s parity`` all 300.)

The database is ``create_all`` of benchmarks/bench_autogen.py's 300-table model;
the models then drift in one known way per table (a column added or dropped,
retyped, tightened, a new default, an index or unique dropped or added, a foreign
key's ON DELETE, a comment) and three tables are new. Both tools compare the same
database with the drifted models; each change set, reduced to
(kind, table, name) triples, must equal the drift made. Ours must; Alembic's
differences are printed beside it.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from parity.settings import parity_settings

import migrate_autogen
from ddl_ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateTableCommentOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_autogen import TABLES, model

Change = tuple[str, str, str]
UNSET = AlterColumnOp("t", "c").server_default  # AlterColumnOp's "not given" marker


def drift_tables() -> int:
    """All 300 in the full run (``nox -s parity``); the CI slice drifts the first 60."""
    return TABLES if parity_settings().cases >= 100 else 60


def first_tables(count: int) -> sa.MetaData:
    """The bench model's first ``count`` tables (each references only the one before it)."""
    full, m = model(), sa.MetaData(naming_convention=model().naming_convention)
    for i in range(count):
        full.tables[f"t{i:03d}"].to_metadata(m)
    return m


def drifted(count: int, comments: bool) -> tuple[sa.MetaData, set[Change]]:
    """The bench model after one change per table (by table number mod 10), and those changes.

    ``comments``: whether the database stores comments (SQLite does not).
    """
    m = first_tables(count)
    expected: set[Change] = set()
    for i in range(count):
        t = m.tables[f"t{i:03d}"]
        kind = i % 10
        if kind == 1:
            t.append_column(sa.Column("extra", sa.String(30)))
            expected.add(("add_column", t.name, "extra"))
        elif kind == 2:
            t._columns.remove(t.c.note)
            expected.add(("remove_column", t.name, "note"))
        elif kind == 3:
            t.c.name.type = sa.String(80)
            expected.add(("modify_type", t.name, "name"))
        elif kind == 4:
            t.c.amount.nullable = False
            expected.add(("modify_nullable", t.name, "amount"))
        elif kind == 5:
            t.c.name.server_default = sa.DefaultClause("y")
            expected.add(("modify_default", t.name, "name"))
        elif kind == 6:
            index = next(ix for ix in t.indexes if ix.name == f"ix_t{i:03d}_name_created")
            t.indexes.discard(index)
            expected.add(("remove_index", t.name, index.name))
        elif kind == 7:
            sa.Index(f"ix_t{i:03d}_amount", t.c.amount)
            expected.add(("add_index", t.name, f"ix_t{i:03d}_amount"))
        elif kind == 8 and i:
            fk = next(iter(t.foreign_key_constraints))
            fk.ondelete = "CASCADE"
            expected |= {("remove_fk", t.name, "prev_id"), ("add_fk", t.name, "prev_id")}
        elif kind == 9:
            t.c.note.comment = "changed"
            if comments:
                expected.add(("modify_comment", t.name, "note"))
    for n in range(3):
        sa.Table(f"new{n}", m, sa.Column("id", sa.Integer, primary_key=True))
        expected.add(("add_table", f"new{n}", ""))
    return m, expected


def ours(ops: list[Any]) -> set[Change]:
    found: set[Change] = set()
    for op in ops:
        table = getattr(op, "table_name", "") or ""
        if isinstance(op, AddColumnOp):
            found.add(("add_column", table, op.column.name))
        elif isinstance(op, DropColumnOp):
            found.add(("remove_column", table, op.column_name))
        elif isinstance(op, AlterColumnOp):
            for attr, kind in (("type_", "type"), ("nullable", "nullable")):
                if getattr(op, attr) is not None:
                    found.add((f"modify_{kind}", table, op.column_name))
            if op.server_default is not UNSET:
                found.add(("modify_default", table, op.column_name))
            if op.comment is not UNSET:
                found.add(("modify_comment", table, op.column_name))
        elif isinstance(op, CreateIndexOp):
            found.add(("add_unique" if op.unique else "add_index", table, str(op.index_name)))
        elif isinstance(op, DropIndexOp):
            found.add(("remove_index", table, str(op.index_name)))
        elif isinstance(op, CreateUniqueConstraintOp):
            found.add(("add_unique", table, str(op.constraint_name)))
        elif isinstance(op, CreateForeignKeyOp):
            found.add(("add_fk", table, ",".join(op.local_cols)))
        elif isinstance(op, DropConstraintOp):
            existing = getattr(op, "existing_constraint", None)
            columns = ",".join(c.name for c in getattr(existing, "columns", ()))
            kind = {"foreignkey": "remove_fk", "unique": "remove_unique"}.get(str(op.type_), "")
            found.add((kind or f"remove_{op.type_}", table, columns or str(op.constraint_name)))
        elif isinstance(op, CreateTableOp):
            found.add(("add_table", table, ""))
        elif isinstance(op, DropTableOp):
            found.add(("remove_table", table, ""))
        elif isinstance(op, (CreateTableCommentOp, DropTableCommentOp)):
            found.add(("modify_table_comment", table, ""))
        else:
            found.add((type(op).__name__, table, ""))
    return found


def alembic(diffs: list[Any]) -> set[Change]:
    found: set[Change] = set()
    for diff in diffs:
        for item in diff if isinstance(diff, list) else [diff]:
            kind = item[0]
            if kind.startswith("modify_") and kind != "modify_table_comment":
                found.add((kind, item[2], item[3]))
            elif kind in ("add_column", "remove_column"):
                found.add((kind, item[2], item[3].name))
            elif kind in ("add_table", "remove_table"):
                found.add((kind, item[1].name, ""))
            elif kind in ("add_index", "remove_index"):
                unique = "unique" if item[1].unique and kind.startswith("add") else "index"
                found.add((f"{kind.split('_')[0]}_{unique}", item[1].table.name, item[1].name))
            elif kind in ("add_constraint", "remove_constraint"):
                found.add((f"{kind.split('_')[0]}_unique", item[1].table.name, item[1].name))
            elif kind in ("add_fk", "remove_fk"):
                columns = ",".join(c.name for c in item[1].columns)
                found.add((kind, item[1].table.name, columns))
            else:
                found.add((kind, "", ""))
    return found


def test_drift_schema_change_set_is_exactly_the_drift(db: LiveDatabase) -> None:
    if db.name not in parity_settings().databases:
        pytest.skip(f"PARITY_DB leaves out {db.name}")
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    count = drift_tables()
    with db.engine.begin() as conn:
        first_tables(count).create_all(conn)
    target, expected = drifted(count, db.engine.dialect.supports_comments)
    with warnings.catch_warnings(), db.engine.connect() as conn:
        warnings.simplefilter("ignore")
        found = ours(migrate_autogen.compare_metadata(conn, target))
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        theirs = alembic(compare_metadata(context, target))
    if theirs != expected:
        print(
            f"\nalembic's drift change set on {db.name} differs: "
            f"missing {sorted(expected - theirs)[:5]} ({len(expected - theirs)}), "
            f"extra {sorted(theirs - expected)[:5]} ({len(theirs - expected)})"
        )
    assert found == expected, (
        f"missing {sorted(expected - found)[:10]}, extra {sorted(found - expected)[:10]}"
    )
