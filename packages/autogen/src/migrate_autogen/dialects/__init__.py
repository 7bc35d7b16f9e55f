"""One module per database: what autogenerate must know about it beyond what SQLAlchemy knows.

`rules_for(dialect)` walks the dialect chain (ddl-ops' chain: MariaDB, then MySQL, then
default) and returns the first database's `DialectRules`; code elsewhere asks those
rules and never compares dialect names. A new database is supported by adding a module
with a `DialectRules` subclass and registering it (`register_dialect_rules`).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.engine import Dialect

from ddl_ops import DDLOpsError, get_dialect_impl
from migrate_autogen.dialects.default import DialectRules
from migrate_autogen.dialects.mysql import MySQLRules
from migrate_autogen.dialects.postgresql import PostgreSQLRules
from migrate_autogen.dialects.sqlite import SQLiteRules

_RULES: dict[str, DialectRules] = {
    rules.name: rules for rules in (DialectRules(), SQLiteRules(), PostgreSQLRules(), MySQLRules())
}


def register_dialect_rules(rules: DialectRules) -> DialectRules:
    """Make ``rules`` the rules of the database named ``rules.name``."""
    _RULES[rules.name] = rules
    _chain_for_name.cache_clear()
    return rules


def dialect_chain(dialect: Dialect | str | None) -> tuple[str, ...]:
    """Names to look a database's rules and comparators up under, most specific first.

    ddl-ops' chain (``mariadb``, ``mysql``, ``default``), led by the dialect's own name
    when ddl-ops has no module for it, so comparators registered for it still apply.
    """
    if dialect is None:
        return ("default",)
    if isinstance(dialect, str):
        return _chain_for_name(dialect)
    return _with_own_name(dialect.name, get_dialect_impl(dialect).dialect_chain)


@lru_cache(maxsize=64)
def _chain_for_name(name: str) -> tuple[str, ...]:
    try:
        chain = get_dialect_impl(name).dialect_chain
    except DDLOpsError:  # a database SQLAlchemy does not know: only its name and the default
        chain = ("default",)
    return _with_own_name(name, chain)


def _with_own_name(name: str, chain: tuple[str, ...]) -> tuple[str, ...]:
    names = chain if name in chain else (name, *chain)
    return tuple(dict.fromkeys(names))


def rules_for(dialect: Dialect | str | None) -> DialectRules:
    """The rules of the first database along ``dialect``'s chain that has a module."""
    for name in dialect_chain(dialect):
        rules = _RULES.get(name)
        if rules is not None:
            return rules
    return _RULES["default"]


__all__ = ["DialectRules", "dialect_chain", "register_dialect_rules", "rules_for"]
