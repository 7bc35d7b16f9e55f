"""The errors ddl-ops raises: one base class, so callers can catch everything we raise."""

from __future__ import annotations


class DDLOpsError(Exception):
    """Base class of every error ddl-ops raises on purpose."""


class OperationNotSupported(DDLOpsError):
    """The database cannot do this operation directly (e.g. SQLite ALTER COLUMN)."""


class OfflineModeError(DDLOpsError):
    """Something that needs a live database was asked for while writing SQL text."""


class MissingInformation(DDLOpsError):
    """An operation lacks information it needs (an existing type, a reverse's old state)."""


class NoOperationsBound(DDLOpsError):
    """`ddl_ops.op` was used outside `use_operations(...)`."""
