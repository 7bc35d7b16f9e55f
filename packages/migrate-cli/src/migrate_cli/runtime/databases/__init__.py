"""One module per database: what a migration run does differently there.

`database_for(dialect)` walks ddl-ops' dialect chain (mariadb, mysql, default) and
returns the first strategy registered for a name on it; `database_for_backend(name)`
does the same for a URL's backend name, before any connection (scratch databases, fleet
targets). A new database is a new module here and one `register_database` line; the
runner has no `if` on names.
"""

from __future__ import annotations

from sqlalchemy.engine import Dialect

from migrate_cli.runtime.databases.default import DatabaseStrategy, ForeignKeyGuard, VersionLogWrite
from migrate_cli.runtime.databases.mssql import MssqlStrategy
from migrate_cli.runtime.databases.mysql import MySQLStrategy
from migrate_cli.runtime.databases.postgresql import PostgresqlStrategy
from migrate_cli.runtime.databases.sqlite import SQLiteStrategy

__all__ = [
    "DatabaseStrategy",
    "ForeignKeyGuard",
    "VersionLogWrite",
    "database_for",
    "database_for_backend",
    "register_database",
]

_STRATEGIES: dict[str, DatabaseStrategy] = {}


def register_database(strategy: DatabaseStrategy) -> DatabaseStrategy:
    """Make `strategy` the one for its `name` (a ddl-ops DialectImpl name)."""
    _STRATEGIES[strategy.name] = strategy
    return strategy


def database_for(dialect: Dialect) -> DatabaseStrategy:
    """The strategy for a SQLAlchemy dialect: the first one on its dialect chain."""
    from ddl_ops import get_dialect_impl  # the first run's cost, not every command's

    return _first_on(get_dialect_impl(dialect).dialect_chain)


def database_for_backend(backend: str) -> DatabaseStrategy:
    """The strategy for a URL's backend name (`url.get_backend_name()`), needing no driver:
    "mariadb" finds MySQL's; a name ddl-ops does not know gets the default."""
    from ddl_ops import dialect_chain_for_name

    return _first_on(dialect_chain_for_name(backend))


def _first_on(chain: tuple[str, ...]) -> DatabaseStrategy:
    from ddl_ops import first_on_chain

    return _STRATEGIES[first_on_chain(chain, _STRATEGIES) or "default"]


for _strategy in (
    DatabaseStrategy(),
    PostgresqlStrategy(),
    MySQLStrategy(),
    SQLiteStrategy(),
    MssqlStrategy(),
):
    register_database(_strategy)
