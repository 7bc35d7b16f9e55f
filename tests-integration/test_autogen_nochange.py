"""Zero false positives: a model compared with the database it created yields no operation."""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from dbtesting import LiveDatabase
from test_autogen_models import NAMING, compare, create, wide_model


def test_wide_model_compares_as_no_change(db: LiveDatabase) -> None:
    metadata = wide_model(db)
    create(db, metadata)
    assert compare(db, metadata) == []


def test_second_comparison_after_reflection_is_also_empty(db: LiveDatabase) -> None:
    """The reflected schema itself, used as the model, matches the database.

    SQLite cannot reflect expression indexes, so the reflected model lacks one and
    autogenerate rightly proposes to drop it: that single index is left out here.
    """
    create(db, wide_model(db))
    reflected = sa.MetaData()
    with db.engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        reflected.reflect(conn)

    def not_expression_index(obj: object, name: str | None, *rest: object) -> bool:
        return name != "ix_wide_lower_name"

    ops = compare(db, reflected, include_schemas=False, include_object=not_expression_index)
    assert ops == []


def test_several_metadata_collections(db: LiveDatabase) -> None:
    metadata = wide_model(db)
    create(db, metadata)
    first = sa.MetaData(naming_convention=NAMING)
    second = sa.MetaData(naming_convention=NAMING)
    for table in metadata.tables.values():
        table.to_metadata(first if table.name == "wide" else second)
    assert compare(db, [first, second]) == []
