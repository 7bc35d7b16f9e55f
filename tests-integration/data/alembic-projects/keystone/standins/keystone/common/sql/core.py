"""Stand-in for `keystone.common.sql.core.ModelBase`: env.py reads only its metadata.

For `check`, the tables are reflected from ALEMBIC_PROJECT_MODELS_URL when it is set
(Keystone's models need oslo.db and the whole service).
"""

import os
from types import SimpleNamespace

import sqlalchemy as sa

_metadata = sa.MetaData()
if os.environ.get("ALEMBIC_PROJECT_MODELS_URL"):
    _engine = sa.create_engine(os.environ["ALEMBIC_PROJECT_MODELS_URL"])
    try:
        _metadata.reflect(_engine)
    finally:
        _engine.dispose()
    if "alembic_version" in _metadata.tables:
        _metadata.remove(_metadata.tables["alembic_version"])

ModelBase = SimpleNamespace(metadata=_metadata)
