"""The table model batch changes are applied to, and the SQL-text renames it relies on."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from ddl_ops.batch import BatchError
from ddl_ops.batch.model import (
    CheckSpec,
    ColumnDef,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableModel,
    UniqueSpec,
)
from ddl_ops.batch.render import build_table, copy_rows, resolve_names
from ddl_ops.batch.sqltext import references_identifier, rename_identifier, split_index_statement

QUOTE = sqlite.dialect().identifier_preparer.quote


def _model() -> TableModel:
    columns = {n: ColumnDef(n, sa.Integer(), source=n) for n in ("id", "a", "b", "c")}
    return TableModel(
        "t",
        None,
        columns,
        quote=QUOTE,
        primary_key=PrimaryKeySpec(None, ["id"]),
        uniques=[UniqueSpec("uq_ab", ["a", "b"])],
        checks=[CheckSpec("ck_a", "a > 0 AND 'a' <> \"b\""), CheckSpec(None, "c < 9")],
        foreign_keys=[ForeignKeySpec("fk_self", ["b"], "t", ["id"])],
        indexes=[
            IndexSpec("ix_c", ["c"]),
            IndexSpec("ix_raw", [], raw_sql='CREATE INDEX ix_raw ON t (lower("a")) WHERE a > 1'),
        ],
    )


def test_rename_identifier_respects_strings_and_quoting() -> None:
    sql = "a > 0 AND 'a' <> \"a\" AND [a] = `a` AND aa = a_1"
    assert rename_identifier(sql, "a", "order", QUOTE) == (
        '"order" > 0 AND \'a\' <> "order" AND "order" = "order" AND aa = a_1'
    )
    assert references_identifier(sql, "A")
    assert not references_identifier("'a' || aa", "a")


def test_split_index_statement_keeps_names_out_of_the_column_part() -> None:
    head, body = split_index_statement("CREATE INDEX a ON a (a) WHERE a > 1")
    assert head == "CREATE INDEX a ON a " and body == "(a) WHERE a > 1"


def test_rename_column_follows_into_every_reference() -> None:
    model = _model()
    model.alter_column("a", new_name="alpha")
    model.alter_column("id", new_name="key")
    assert list(model.columns) == ["key", "alpha", "b", "c"]
    assert model.columns["alpha"].source == "a"
    assert model.uniques[0].columns == ["alpha", "b"]
    assert model.checks[0].sqltext == "alpha > 0 AND 'a' <> \"b\""
    assert model.foreign_keys[0].referred_columns == ["key"]
    assert model.primary_key is not None and model.primary_key.columns == ["key"]
    assert model.indexes[1].raw_sql == "CREATE INDEX ix_raw ON t (lower(alpha)) WHERE alpha > 1"


def test_drop_column_drops_what_uses_it_and_keeps_the_rest() -> None:
    model = _model()
    model.drop_column("a")
    assert model.uniques == []
    assert [c.sqltext for c in model.checks] == ["c < 9"]
    assert [ix.name for ix in model.indexes] == ["ix_c"]
    model.drop_column("id")
    assert model.primary_key is None and model.foreign_keys == []


def test_drop_column_used_by_a_generated_column_is_refused() -> None:
    model = _model()
    model.columns["c"].computed = sa.Computed(sa.text("b * 2"))
    with pytest.raises(BatchError, match="generated column 'c' is computed from it"):
        model.drop_column("b")
    assert "b" in model.columns


def test_add_column_places_it_and_keeps_inline_constraints() -> None:
    model = _model()
    column = sa.Column("z", sa.Integer, sa.ForeignKey("other.id"), unique=True, index=True)
    model.add_column(column, insert_before="a")
    assert list(model.columns) == ["id", "z", "a", "b", "c"]
    assert model.columns["z"].source is None
    assert model.foreign_keys[-1].referred_table == "other"
    assert model.uniques[-1].columns == ["z"] and model.indexes[-1].elements == ["z"]
    with pytest.raises(BatchError, match="already has a column 'z'"):
        model.add_column(sa.Column("z", sa.Integer))
    with pytest.raises(BatchError, match="has no column 'nope'"):
        model.add_column(sa.Column("y", sa.Integer), insert_after="nope")


def test_partial_reordering_is_stable_and_rejects_contradictions() -> None:
    model = _model()
    model.reorder([("c", "a", "b", "id")])
    assert list(model.columns) == ["c", "a", "b", "id"]
    model.reorder([("b", "c")])
    assert list(model.columns) == ["a", "b", "c", "id"]
    with pytest.raises(BatchError, match="contradicts itself"):
        model.reorder([("a", "b"), ("b", "a")])


def test_drop_constraint_by_kind_and_name() -> None:
    model = _model()
    model.drop_constraint("fk_self", "foreignkey")
    model.drop_constraint("ck_a")
    assert model.foreign_keys == [] and [c.name for c in model.checks] == [None]
    with pytest.raises(BatchError, match=r"no check constraint named 'uq_ab'.*uq_ab"):
        model.drop_constraint("uq_ab", "check")


def test_copy_is_independent() -> None:
    model = _model()
    copied = model.copy()
    copied.alter_column("a", new_name="x", nullable=False)
    assert "a" in model.columns and model.uniques[0].columns == ["a", "b"]
    assert copied.columns["x"].type is model.columns["a"].type


def test_names_come_from_the_convention_with_the_final_table_name() -> None:
    model = _model()
    model.uniques.append(UniqueSpec(None, ["c"]))
    model.indexes.append(IndexSpec(None, ["b"]))
    resolved = resolve_names(
        model, {"uq": "uq_%(table_name)s_%(column_0_name)s", "ck": "ck_%(constraint_name)s"}
    )
    assert [u.name for u in resolved.uniques] == ["uq_ab", "uq_t_c"]
    assert [c.name for c in resolved.checks] == ["ck_a", None]
    assert resolved.indexes[-1].name == "ix_t_b"


def test_copy_rows_maps_renamed_and_skips_new_and_generated_columns() -> None:
    model = _model()
    model.alter_column("a", new_name="alpha", type_=sa.String(5))
    model.add_column(sa.Column("new", sa.Integer))
    model.columns["c"].computed = sa.Computed(sa.text("b + 1"))
    target = build_table(model, "tmp", sa.MetaData(), self_name="t")
    statement = copy_rows(model, target, sqlite.dialect())
    assert statement is not None
    assert str(statement.compile(dialect=sqlite.dialect())) == (
        "INSERT INTO tmp (id, alpha, b) SELECT t.id, t.a, t.b \nFROM t"
    )
    on_postgresql = copy_rows(model, target, postgresql.dialect())
    assert on_postgresql is not None
    assert str(on_postgresql.compile(dialect=postgresql.dialect())) == (
        "INSERT INTO tmp (id, alpha, b) SELECT t.id, CAST(t.a AS VARCHAR(5)) AS a, t.b \nFROM t"
    )


_TOKENS = [
    "a",
    "b",
    "ab",
    "A",
    '"a"',
    "`a`",
    "[a]",
    "'a'",
    "'it''s a'",
    "(",
    ")",
    ">",
    "1",
    "lower",
]


@given(st.lists(st.sampled_from(_TOKENS), max_size=12))
def test_renaming_leaves_no_reference_and_never_touches_literals(tokens: list[str]) -> None:
    sql = " ".join(tokens)
    renamed = rename_identifier(sql, "a", "new_a", QUOTE)
    assert not references_identifier(renamed, "a")
    assert references_identifier(renamed, "new_a") == references_identifier(sql, "a")
    assert renamed.count("'a'") == sql.count("'a'")
    assert renamed.count("'it''s a'") == sql.count("'it''s a'")


def test_dropping_a_unique_constraint_reflected_as_a_unique_index() -> None:
    """Parity finding (MariaDB): reflection gives a UNIQUE constraint as the unique index it
    is there, so a rebuild's drop_constraint(type_="unique") must find it among the indexes."""
    model = _model()
    model.indexes.append(IndexSpec("uq_c", ["c"], unique=True))
    model.drop_constraint("uq_c", "unique")
    assert "uq_c" not in [ix.name for ix in model.indexes]
    with pytest.raises(BatchError, match="no unique constraint named 'ix_c'"):
        model.drop_constraint("ix_c", "unique")  # a plain index is not a constraint
