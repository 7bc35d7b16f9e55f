"""Schema-migration operations (add_column, alter_column, batch move-and-copy, ...) and their SQL per dialect, live or offline."""

from ddl_ops._version import __version__

__all__ = ["__version__"]
