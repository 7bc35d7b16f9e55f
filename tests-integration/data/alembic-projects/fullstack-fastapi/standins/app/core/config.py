"""Stand-in for the template's settings: the database URL comes from ALEMBIC_PROJECT_URL."""

import os
from types import SimpleNamespace

settings = SimpleNamespace(DATABASE_URL=os.environ["ALEMBIC_PROJECT_URL"])
