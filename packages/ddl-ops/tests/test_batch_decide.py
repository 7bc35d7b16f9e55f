"""When recreate="auto" rebuilds a table: SQLite's ALTER limits, per operation and version."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ddl_ops import get_dialect_impl
from ddl_ops.batch.decide import must_recreate
from ddl_ops.batch.model import CheckSpec, ColumnDef, IndexSpec, TableModel, UniqueSpec
from ddl_ops.batch.steps import BatchStep
from ddl_ops.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateTableCommentOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
)


def _impl(name: str, version: tuple[int, ...] | None = None) -> Any:
    dialect = sqlite.dialect() if name == "sqlite" else postgresql.dialect()
    if version is not None:
        dialect.server_version_info = version
    return get_dialect_impl(dialect)


def _model() -> TableModel:
    columns = {
        name: ColumnDef(name, sa.Integer(), source=name)
        for name in ("id", "plain", "indexed", "unique_col", "checked", "last")
    }
    return TableModel(
        "t",
        None,
        columns,
        quote=lambda s: s,
        uniques=[UniqueSpec("uq", ["unique_col"])],
        checks=[CheckSpec("ck", "checked > 0")],
        indexes=[IndexSpec("ix", ["indexed"])],
    )


def _decide(op: Any, impl: Any = None, recreate: str = "auto", **placement: str) -> bool:
    return must_recreate([BatchStep(op, **placement)], impl or _impl("sqlite"), recreate, _model)


@pytest.mark.parametrize(
    "op",
    [
        AddColumnOp("t", sa.Column("x", sa.Integer)),
        AddColumnOp("t", sa.Column("x", sa.Integer, nullable=False, server_default="0")),
        AddColumnOp("t", sa.Column("x", sa.String(5), server_default=sa.text("'a'"))),
        AddColumnOp("t", sa.Column("x", sa.Integer, sa.Computed("plain * 2", persisted=False))),
        AlterColumnOp("t", "plain", new_column_name="renamed"),
        AlterColumnOp("t", "plain", comment="only a comment"),
        DropColumnOp("t", "plain"),
        CreateIndexOp("ix2", "t", ["plain"]),
        DropIndexOp("ix", "t"),
        CreateTableCommentOp("t", "hello"),
    ],
)
def test_sqlite_alters_in_place(op: Any) -> None:
    assert _decide(op) is False


@pytest.mark.parametrize(
    "op",
    [
        AddColumnOp("t", sa.Column("x", sa.Integer, primary_key=True)),
        AddColumnOp("t", sa.Column("x", sa.Integer, unique=True)),
        AddColumnOp("t", sa.Column("x", sa.Integer, nullable=False)),
        AddColumnOp("t", sa.Column("x", sa.DateTime, server_default=sa.func.now())),
        AddColumnOp("t", sa.Column("x", sa.DateTime, server_default=sa.text("CURRENT_TIMESTAMP"))),
        AddColumnOp("t", sa.Column("x", sa.Integer, sa.Computed("plain * 2", persisted=True))),
        AlterColumnOp("t", "plain", nullable=False),
        AlterColumnOp("t", "plain", type_=sa.String(10)),
        AlterColumnOp("t", "plain", server_default="1"),
        AlterColumnOp("t", "plain", server_default=None),
        AlterColumnOp("t", "plain", autoincrement=True),
        DropColumnOp("t", "indexed"),
        DropColumnOp("t", "unique_col"),
        DropColumnOp("t", "checked"),
        CreateUniqueConstraintOp("uq2", "t", ["plain"]),
        CreateCheckConstraintOp("ck2", "t", "plain > 1"),
        CreateForeignKeyOp("fk", "t", "other", ["plain"], ["id"]),
        DropConstraintOp("uq", "t", "unique"),
    ],
)
def test_sqlite_rebuilds_what_alter_cannot_do(op: Any) -> None:
    assert _decide(op) is True


def test_column_position_forces_a_rebuild_unless_it_is_the_end() -> None:
    add = AddColumnOp("t", sa.Column("x", sa.Integer))
    assert _decide(add, insert_before="plain") is True
    assert _decide(add, insert_after="plain") is True
    assert _decide(add, insert_after="last") is False


def test_old_sqlite_versions_rebuild_for_rename_and_drop() -> None:
    old = _impl("sqlite", (3, 24, 0))
    assert _decide(AlterColumnOp("t", "plain", new_column_name="x"), old) is True
    assert _decide(DropColumnOp("t", "plain"), _impl("sqlite", (3, 34, 1))) is True
    assert _decide(DropColumnOp("t", "plain"), _impl("sqlite", (3, 35, 0))) is False


def test_drop_column_rebuilds_when_the_table_is_unknown() -> None:
    step = BatchStep(DropColumnOp("t", "plain"))
    assert must_recreate([step], _impl("sqlite"), "auto", lambda: None) is True


def test_other_databases_never_rebuild_in_auto_mode() -> None:
    op = AlterColumnOp("t", "plain", nullable=False, type_=sa.String(3))
    assert _decide(op, _impl("postgresql")) is False
    assert _decide(CreateCheckConstraintOp("ck", "t", "plain > 0"), _impl("postgresql")) is False


def test_always_and_never_override_the_decision() -> None:
    assert _decide(CreateIndexOp("ix2", "t", ["plain"]), _impl("postgresql"), "always") is True
    assert _decide(AlterColumnOp("t", "plain", nullable=False), None, "never") is False
    assert must_recreate([], _impl("postgresql"), "always", _model) is True
    assert must_recreate([], _impl("sqlite"), "auto", _model) is False
