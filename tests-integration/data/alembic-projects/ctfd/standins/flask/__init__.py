"""Stand-in for Flask's `current_app`, as Flask-Migrate leaves it for CTFd's env.py.

CTFd's env.py reads the database URL, the models' MetaData and extra configure()
arguments from `current_app.extensions["migrate"]`. Here they come from the test:
ALEMBIC_PROJECT_URL is the database, ALEMBIC_PROJECT_MODELS_URL (optional) a
database whose reflected schema stands in for CTFd's models (for `check`).
"""

import os
from types import SimpleNamespace

import sqlalchemy as sa


def _metadata():
    metadata = sa.MetaData()
    models_url = os.environ.get("ALEMBIC_PROJECT_MODELS_URL")
    if models_url:
        engine = sa.create_engine(models_url)
        try:
            metadata.reflect(engine)
        finally:
            engine.dispose()
        version = metadata.tables.get("alembic_version")
        if version is not None:
            metadata.remove(version)
    return metadata


_db = SimpleNamespace(
    engine=SimpleNamespace(url=sa.make_url(os.environ["ALEMBIC_PROJECT_URL"])),
    metadata=_metadata(),
)
current_app = SimpleNamespace(
    extensions={"migrate": SimpleNamespace(db=_db, configure_args={"compare_type": True})}
)
