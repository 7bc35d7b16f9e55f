"""The SQL registry: which function turns an operation into statements on which dialect.

Lookup is explicit: for each dialect name in the implementation's chain (e.g.
``mariadb``, ``mysql``, ``default``), then for each class in the operation's MRO,
the first registered function wins. So one dialect can override one operation,
and a subclass of an operation inherits its parent's SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from ddl_ops.errors import OperationNotSupported
from ddl_ops.execution import SQLContext

SQLFunction = Callable[[Any, SQLContext], Any]
F = TypeVar("F", bound=SQLFunction)

_SQL: dict[tuple[type, str], SQLFunction] = {}
# Lookups already made; every operation of every migration asks, so the MRO walk runs once.
_FOUND: dict[tuple[type, tuple[str, ...]], SQLFunction] = {}


def register_sql(op_class: type, dialect: str = "default") -> Callable[[F], F]:
    """Decorator: `fn(op, ctx)` emits the SQL of `op_class` on `dialect` via `ctx.execute(...)`.

    Registering again for the same (class, dialect) replaces the earlier function,
    which is how a project overrides one statement for one database.
    """

    def decorator(fn: F) -> F:
        _SQL[(op_class, dialect)] = fn
        _FOUND.clear()
        return fn

    return decorator


def sql_function_for(op_class: type, dialect_chain: Iterable[str]) -> SQLFunction:
    chain = tuple(dialect_chain)
    found = _FOUND.get((op_class, chain))
    if found is not None:
        return found
    for dialect in chain:
        for cls in op_class.__mro__:
            fn = _SQL.get((cls, dialect))
            if fn is not None:
                _FOUND[(op_class, chain)] = fn
                return fn
    raise OperationNotSupported(
        f"no SQL is registered for {op_class.__name__} on {chain[0]}; "
        f"register it with @ddl_ops.register_sql({op_class.__name__}, dialect=...)"
    )
