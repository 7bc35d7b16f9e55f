"""The base of every operation object, and the "not given" sentinel."""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.schema import SchemaItem
from sqlalchemy.types import TypeEngine


class _Unset:
    """Marks an argument that was not given; distinct from None, which means "remove"."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _same(a: Any, b: Any) -> bool:
    """Value equality that also works for SQLAlchemy objects (whose == builds SQL)."""
    if a is b:
        return True
    sql_objects = (ClauseElement, SchemaItem, TypeEngine)
    if isinstance(a, sql_objects) or isinstance(b, sql_objects):
        if type(a) is not type(b):
            return False
        if isinstance(a, (SchemaItem, TypeEngine)):
            return repr(a) == repr(b)
        return str(a) == str(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


class MigrateOperation:
    """Base class of all operations: plain data that the SQL layer turns into statements.

    Subclass it for your own operation, then give it SQL with
    :func:`ddl_ops.register_sql` and a facade method with :func:`ddl_ops.register_operation`.
    """

    def reverse(self) -> MigrateOperation:
        """The operation that undoes this one."""
        raise NotImplementedError(f"{type(self).__name__} has no reverse operation")

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return _same(vars(self), vars(other))

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if v is not UNSET)
        return f"{type(self).__name__}({fields})"
