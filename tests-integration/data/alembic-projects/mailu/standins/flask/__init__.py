"""Stand-in for Flask's `current_app`, as Mailu's Flask-Migrate setup leaves it for env.py.

env.py reads the database URL from `current_app.config` and extra configure()
arguments from `current_app.extensions["migrate"]`; here the URL comes from
ALEMBIC_PROJECT_URL.
"""

import os
from types import SimpleNamespace

current_app = SimpleNamespace(
    config={"SQLALCHEMY_DATABASE_URI": os.environ["ALEMBIC_PROJECT_URL"]},
    extensions={"migrate": SimpleNamespace(configure_args={})},
)
