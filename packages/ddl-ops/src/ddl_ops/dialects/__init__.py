"""One module per database; `get_dialect_impl` picks the DialectImpl for a dialect."""

from __future__ import annotations

import copy

from sqlalchemy.engine import Dialect
from sqlalchemy.engine.url import make_url
from sqlalchemy.sql.compiler import IdentifierPreparer

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.errors import DDLOpsError

_IMPLS: dict[str, type[DialectImpl]] = {}


def register_dialect_impl(impl_class: type[DialectImpl]) -> type[DialectImpl]:
    """Make `impl_class` the DialectImpl for its `name` (usable as a class decorator)."""
    _IMPLS[impl_class.name] = impl_class
    return impl_class


def dialect_for_name(name: str) -> Dialect:
    """A dialect instance for offline use: named parameters, so no percent-doubling."""
    try:
        dialect_class = make_url(f"{name}://").get_dialect()
    except Exception as error:
        raise DDLOpsError(
            f"unknown database dialect {name!r}: {error}; use a SQLAlchemy dialect name "
            "such as sqlite, postgresql, mysql, mariadb, mssql or oracle"
        ) from error
    dialect = dialect_class(paramstyle="named")  # type: ignore[call-arg]
    if dialect.name == "mssql" and not dialect.default_schema_name:
        dialect.default_schema_name = "dbo"
    return dialect


def offline_copy(dialect: Dialect) -> Dialect:
    """The same dialect (version, MariaDB flag and all) with named parameters.

    Drivers with "format"/"pyformat" parameters make SQLAlchemy double every "%";
    written to a file, the doubled signs would reach the database as-is.
    """
    if not dialect.identifier_preparer._double_percents:
        return dialect
    offline = copy.copy(dialect)
    # literal renderers are memoized per dialect; the copy must not share (and
    # poison) the live dialect's cache with its non-doubling ones
    offline.__dict__.pop("_type_memos", None)
    offline.paramstyle = "named"
    offline.positional = False
    offline.identifier_preparer = dialect.preparer(offline)
    return offline


def text_preparer(dialect: Dialect) -> IdentifierPreparer:
    """Quoting for names written into `sa.text()` or passed as values, never "%"-doubled.

    A "format"/"pyformat" driver's own preparer doubles "%" in names for SQL it sends as
    written; `sa.text()` doubles them itself, so such a name would arrive doubled twice.
    """
    return offline_copy(dialect).identifier_preparer


def impl_name_for(dialect: Dialect) -> str:
    if dialect.name in ("mysql", "mariadb") and getattr(dialect, "is_mariadb", False):
        return "mariadb"
    return dialect.name


def get_dialect_impl(dialect: str | Dialect) -> DialectImpl:
    """The DialectImpl for a dialect name ("postgresql") or a SQLAlchemy Dialect instance."""
    _load_builtin_modules()
    if isinstance(dialect, str):
        dialect = dialect_for_name(dialect)
    impl_class = _IMPLS.get(impl_name_for(dialect), _IMPLS["default"])
    return impl_class(dialect)


def _load_builtin_modules() -> None:
    """Import the dialect modules, which register their impls and SQL functions."""
    if "default" in _IMPLS:
        return
    from ddl_ops.dialects import default, mssql, mysql, oracle, postgresql, sqlite

    for module in (default, sqlite, postgresql, mysql, mssql, oracle):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DialectImpl)
                and value.__module__ == module.__name__
            ):
                register_dialect_impl(value)


__all__ = ["DialectImpl", "get_dialect_impl", "register_dialect_impl"]
