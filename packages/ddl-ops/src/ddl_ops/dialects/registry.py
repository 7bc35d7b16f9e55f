"""Which DialectImpl serves which database, imported only when first asked for.

The built-in databases map a SQLAlchemy dialect name to the module that is their home
(MariaDB's is the MySQL module). A name not listed is looked for as
``ddl_ops.dialects.<name>``, so a new database is added by adding its module; a
project registers its own impl with `register_dialect_impl`. Importing a module
registers its SQL functions (`register_sql`) and the DialectImpl classes it defines.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from sqlalchemy.engine import Dialect

from ddl_ops.batch.strategy import RebuildStrategy
from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.instances import new_offline_dialect

_IMPLS: dict[str, type[DialectImpl]] = {}
_PACKAGE = "ddl_ops.dialects"
#: SQLAlchemy dialect name -> the module of ddl_ops.dialects that is its home.
BUILTIN_MODULES: dict[str, str] = {
    "default": "default",
    "sqlite": "sqlite",
    "postgresql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mssql": "mssql",
    "oracle": "oracle",
}
_LOADED: set[str] = set()


def register_dialect_impl(impl_class: type[DialectImpl]) -> type[DialectImpl]:
    """Make `impl_class` the DialectImpl for its `name` (usable as a class decorator)."""
    _IMPLS[impl_class.name] = impl_class
    return impl_class


def impl_name_for(dialect: Dialect) -> str:
    """The impl name of a Dialect instance: its name, or "mariadb" on a MariaDB server."""
    if getattr(dialect, "is_mariadb", False):
        return "mariadb"
    return dialect.name


def impl_class_for(name: str) -> type[DialectImpl]:
    """The DialectImpl class for an impl name, loading its module (and its chain's) once."""
    _load(name)
    impl_class = _IMPLS.get(name)
    if impl_class is None:
        _load("default")
        impl_class = _IMPLS["default"]
    for fallback in (*impl_class.fallbacks, "default"):
        _load(fallback)
    return impl_class


def dialect_chain_for_name(name: str) -> tuple[str, ...]:
    """The dialect chain of an impl name or a URL's backend name ("mariadb" gives
    ("mariadb", "mysql", "default")), without a driver; an unknown name gives ("default",)."""
    return impl_class_for(name).name_chain()


def dialect_for_name(name: str) -> Dialect:
    """A dialect instance for offline use: named parameters, so no percent-doubling."""
    dialect = new_offline_dialect(name)
    impl_class_for(impl_name_for(dialect)).prepare_offline_dialect(dialect)
    return dialect


def get_dialect_impl(dialect: str | Dialect) -> DialectImpl:
    """The DialectImpl for a dialect name ("postgresql") or a SQLAlchemy Dialect instance."""
    if isinstance(dialect, str):
        dialect = dialect_for_name(dialect)
    return impl_class_for(impl_name_for(dialect))(dialect)


def rebuild_strategy(dialect: Dialect) -> RebuildStrategy:
    """How batch mode rebuilds a table on this database (its DialectImpl's ``rebuild``)."""
    return impl_class_for(impl_name_for(dialect)).rebuild


def _load(name: str) -> None:
    if name in _LOADED:
        return
    _LOADED.add(name)
    module = _import_home(name)
    if module is None:
        return
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, DialectImpl)
            and value.__module__ == module.__name__
        ):
            # a project's own registration of the same name wins over the built-in one
            _IMPLS.setdefault(value.name, value)


def _import_home(name: str) -> ModuleType | None:
    module_name = BUILTIN_MODULES.get(name)
    if module_name is None:
        if not name.isidentifier() or importlib.util.find_spec(f"{_PACKAGE}.{name}") is None:
            return None
        module_name = name
    return importlib.import_module(f"{_PACKAGE}.{module_name}")
