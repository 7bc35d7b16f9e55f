"""Stand-in for `mailu.models`: Base.metadata's naming convention and one column type.

The naming convention is upstream's (core/admin/mailu/models.py at the same commit):
migration 546b04c886f0 reads it from `context.get_context().opts["target_metadata"]`.
The models themselves need the whole Flask app; for `check`, the tables are
reflected from ALEMBIC_PROJECT_MODELS_URL when it is set.
"""

import os
from types import SimpleNamespace

import sqlalchemy as sa


class CommaSeparatedList(sa.TypeDecorator):
    """Upstream stores a list as a comma-separated VARCHAR(4096); only the column type matters."""

    impl = sa.String(4096)
    cache_ok = True


_metadata = sa.MetaData(
    naming_convention={"fk": "%(table_name)s_%(column_0_name)s_fkey", "pk": "%(table_name)s_pkey"}
)
if os.environ.get("ALEMBIC_PROJECT_MODELS_URL"):
    _engine = sa.create_engine(os.environ["ALEMBIC_PROJECT_MODELS_URL"])
    try:
        _metadata.reflect(_engine)
    finally:
        _engine.dispose()
    if "alembic_version" in _metadata.tables:
        _metadata.remove(_metadata.tables["alembic_version"])

Base = SimpleNamespace(metadata=_metadata)
