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


class UnnamedConstraint(MissingInformation):
    """A constraint must be named to be dropped (``drop_constraint(None, ...)``).

    Autogenerate writes None for a constraint the models never named; the database
    gave it a name of its own, which only the user (or a naming convention) can supply.
    """

    def __init__(self, table_name: str, constraint_type: str | None, dialect_name: str) -> None:
        self.table_name = table_name
        self.constraint_type = constraint_type
        self.dialect_name = dialect_name
        kind = {"primary": "primary key", "foreignkey": "foreign key"}.get(
            constraint_type or "", f"{constraint_type} constraint" if constraint_type else ""
        )
        what = kind or "constraint"
        super().__init__(
            f"drop_constraint on table {table_name!r}: the {what} to drop has no name (None), "
            f"and {dialect_name} drops a constraint only by its name; write the name the "
            "database gave it in place of None (sqlalchemy.inspect(connection) lists them), "
            "or give the models' MetaData a naming_convention so constraints get known names"
        )


class NoOperationsBound(DDLOpsError):
    """`ddl_ops.op` was used outside `use_operations(...)`."""
