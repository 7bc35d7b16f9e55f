"""Compare SQLAlchemy models with a live database and render the migration script."""

from migrate_autogen._version import __version__

__all__ = ["__version__"]
