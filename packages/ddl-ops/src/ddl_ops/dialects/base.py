"""DialectImpl: what ddl-ops knows about one database beyond what SQLAlchemy knows."""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any, ClassVar

from sqlalchemy.engine import Dialect

from ddl_ops.batch.strategy import RebuildStrategy


class DialectImpl:
    """One database's quirks: transactional DDL, terminators, capabilities.

    Subclasses set class attributes; `fallbacks` lists dialect names whose SQL
    functions apply when this dialect has none of its own (MariaDB falls back to MySQL).
    """

    name: ClassVar[str] = "default"
    fallbacks: ClassVar[tuple[str, ...]] = ()
    transactional_ddl: ClassVar[bool] = False
    statement_terminator: ClassVar[str] = ";"
    batch_separator: ClassVar[str | None] = None
    begin_statement: ClassVar[str] = "BEGIN"
    commit_statement: ClassVar[str] = "COMMIT"
    supports_alter_column: ClassVar[bool] = True
    supports_alter_constraints: ClassVar[bool] = True
    supports_comments: ClassVar[bool] = True
    supports_rename_column: ClassVar[bool] = True
    supports_drop_column: ClassVar[bool] = True
    supports_enum_types: ClassVar[bool] = False
    supports_expression_indexes: ClassVar[bool] = True
    requires_batch_recreate: ClassVar[bool] = False
    #: DROP INDEX names the table (`DROP INDEX ix ON t`), so drop_index needs table_name.
    drop_index_names_table: ClassVar[bool] = False
    #: ALTER COLUMN restates the whole column (MySQL's MODIFY, SQL Server's ALTER COLUMN),
    #: so alter_column needs the existing_* hints (batch fills them in from the table).
    alter_column_restates_column: ClassVar[bool] = False
    #: How bytes are written as a literal ("{}" is the hex digits).
    binary_literal_format: ClassVar[str] = "X'{}'"
    #: DATETIME has no time zone: an aware datetime is written as its wall-clock time.
    datetime_literals_drop_tzinfo: ClassVar[bool] = False
    #: A savepoint can guard a read that may fail inside the caller's transaction.
    savepoint_guards_reads: ClassVar[bool] = True
    #: How batch mode rebuilds a table here (see ddl_ops.batch.strategy).
    rebuild: ClassVar[RebuildStrategy] = RebuildStrategy()
    #: sqlglot's name for this database's SQL (None: the same as the dialect's name);
    #: the linter reads raw SQL with it.
    sqlglot_dialect: ClassVar[str | None] = None
    #: ADD COLUMN refuses NOT NULL without a default even on an empty table (SQLite).
    add_not_null_column_needs_default: ClassVar[bool] = False
    #: A validated CHECK (col IS NOT NULL) lets SET NOT NULL skip scanning the rows
    #: (PostgreSQL 12+).
    set_not_null_uses_check: ClassVar[bool] = False

    @classmethod
    def type_change_rewrite(cls, old: Any, new: Any) -> str | None:
        """Why changing a column's type from `old` to `new` rewrites (or copies) its table
        here, as a clause; None when the database changes it in place. Asked only for
        two known, different types on a database that alters columns in place."""
        return "the database may rebuild the table"

    @classmethod
    def prepare_offline_dialect(cls, dialect: Dialect) -> None:
        """Adjust a bare dialect made from this database's name for offline use."""

    def __init__(self, dialect: Dialect):
        self.dialect = dialect

    @property
    def dialect_chain(self) -> tuple[str, ...]:
        """Where to look for an operation's SQL, most specific first."""
        return self.name_chain()

    @classmethod
    def name_chain(cls) -> tuple[str, ...]:
        """This database's name, its fallbacks, then "default" (what `dialect_chain` is)."""
        return (cls.name, *cls.fallbacks, "default")

    @property
    def server_version_info(self) -> tuple[Any, ...] | None:
        """The server version when connected; None offline (then recent versions are assumed)."""
        info = getattr(self.dialect, "server_version_info", None)
        return tuple(info) if info else None

    def version_at_least(self, *version: int) -> bool:
        """True when the server is at least `version`, or when the version is unknown."""
        info = self.server_version_info
        if info is None:
            return True
        numbers = tuple(n for n in info if isinstance(n, int))
        return numbers >= version

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.dialect.name}>"


def first_on_chain(chain: Iterable[str], names: Container[str]) -> str | None:
    """The first name of a dialect chain that `names` holds (None: none of them).

    The one way anything keyed by database name (a strategy table, a lint rule's
    databases, per-database settings) is matched: MariaDB finds what MySQL registered.
    """
    return next((name for name in chain if name in names), None)
