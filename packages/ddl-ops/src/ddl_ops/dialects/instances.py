"""SQLAlchemy Dialect instances for offline use, and quoting for names put into text.

Plain helpers over SQLAlchemy; they know no database by name. A database that needs its
offline dialect adjusted says so in its own module (`DialectImpl.prepare_offline_dialect`).
"""

from __future__ import annotations

import copy

from sqlalchemy.engine import Dialect
from sqlalchemy.engine.url import make_url
from sqlalchemy.sql.compiler import IdentifierPreparer

from ddl_ops.errors import DDLOpsError


def new_offline_dialect(name: str) -> Dialect:
    """A bare dialect instance for `name` with named parameters, so no percent-doubling."""
    try:
        dialect_class = make_url(f"{name}://").get_dialect()
    except Exception as error:
        raise DDLOpsError(
            f"unknown database dialect {name!r}: {error}; use a SQLAlchemy dialect name "
            "such as sqlite, postgresql, mysql, mariadb, mssql or oracle"
        ) from error
    return dialect_class(paramstyle="named")  # type: ignore[call-arg]


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
