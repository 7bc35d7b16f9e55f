"""Stand-in for `ckan.model.meta.metadata`: for `check`, the schema reflected from
ALEMBIC_PROJECT_MODELS_URL (CKAN's models need the whole application)."""

import os

import sqlalchemy as sa

metadata = sa.MetaData()
if os.environ.get("ALEMBIC_PROJECT_MODELS_URL"):
    _engine = sa.create_engine(os.environ["ALEMBIC_PROJECT_MODELS_URL"])
    try:
        metadata.reflect(_engine)
    finally:
        _engine.dispose()
    if "alembic_version" in metadata.tables:
        metadata.remove(metadata.tables["alembic_version"])
