"""The revision DAG of a schema-migration history: heads, branches, merges, labels and upgrade/downgrade plans. No I/O, no dependencies."""

from revgraph._version import __version__

__all__ = ["__version__"]
