"""The `migrate` command: init, revision, upgrade, downgrade, history and more, with config, templates, version table and locking."""

from migrate_cli._version import __version__

__all__ = ["__version__"]
