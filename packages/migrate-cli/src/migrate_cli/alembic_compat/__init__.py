"""Alembic projects under `migrate`: Alembic's import names during a run, and what is refused.

`alembic_names()` makes `from alembic import op, context` (and the rest of the
table in `provided`) resolve to migrate's implementation while a command runs
env.py; `scan` reports, before anything runs, the Alembic names a file uses that
are not provided. Importing this package changes nothing.
"""

from migrate_cli.alembic_compat.importer import alembic_names, is_active

__all__ = ["alembic_names", "is_active"]
