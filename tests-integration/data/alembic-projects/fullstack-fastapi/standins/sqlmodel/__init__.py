"""Stand-in for the two names of SQLModel this project's env.py and migrations use.

`SQLModel.metadata` holds the models; for `check` it is the schema reflected from
ALEMBIC_PROJECT_MODELS_URL (the real models need SQLModel and pydantic).
"""

import os

import sqlalchemy as sa


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    url = os.environ.get("ALEMBIC_PROJECT_MODELS_URL")
    if url:
        engine = sa.create_engine(url)
        try:
            metadata.reflect(engine)
        finally:
            engine.dispose()
        if "alembic_version" in metadata.tables:
            metadata.remove(metadata.tables["alembic_version"])
    return metadata


class SQLModel:
    metadata = _metadata()
