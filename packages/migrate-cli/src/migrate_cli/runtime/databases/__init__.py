"""One module per database: what a migration run does differently there.

`database_for(dialect)` walks ddl-ops' dialect chain (mariadb, mysql, default) and
returns the first strategy registered for a name on it. A new database is a new
module here and one `register_database` line; the runner has no `if` on names.
"""

from __future__ import annotations

from sqlalchemy.engine import Dialect

from migrate_cli.runtime.databases.default import DatabaseStrategy, ForeignKeyGuard
from migrate_cli.runtime.databases.mysql import MySQLStrategy
from migrate_cli.runtime.databases.postgresql import PostgresqlStrategy
from migrate_cli.runtime.databases.sqlite import SQLiteStrategy

__all__ = ["DatabaseStrategy", "ForeignKeyGuard", "database_for", "register_database"]

_STRATEGIES: dict[str, DatabaseStrategy] = {}


def register_database(strategy: DatabaseStrategy) -> DatabaseStrategy:
    """Make `strategy` the one for its `name` (a ddl-ops DialectImpl name)."""
    _STRATEGIES[strategy.name] = strategy
    return strategy


def database_for(dialect: Dialect) -> DatabaseStrategy:
    """The strategy for a SQLAlchemy dialect: the first one on its dialect chain."""
    from ddl_ops import get_dialect_impl  # the first run's cost, not every command's

    for name in get_dialect_impl(dialect).dialect_chain:
        strategy = _STRATEGIES.get(name)
        if strategy is not None:
            return strategy
    return _STRATEGIES["default"]


for _strategy in (DatabaseStrategy(), PostgresqlStrategy(), MySQLStrategy(), SQLiteStrategy()):
    register_database(_strategy)
