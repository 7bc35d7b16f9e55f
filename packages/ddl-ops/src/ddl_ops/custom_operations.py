"""Operations projects add to the facade: ``register_operation("create_view", CreateViewOp)``.

The facade (`ddl_ops.operations.Operations`) looks a name up here when it has no method of
that name; it registers itself with `reserve_names` so a custom name cannot hide a method.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ddl_ops.errors import DDLOpsError
from ddl_ops.ops import MigrateOperation

OperationFactory = type[MigrateOperation] | Callable[..., MigrateOperation]

_CUSTOM_OPERATIONS: dict[str, OperationFactory] = {}


def register_operation(name: str, op_class: OperationFactory | None = None) -> Any:
    """Make `ops.<name>(*args, **kw)` build `op_class(*args, **kw)` and invoke it.

    `op_class` may also be any callable returning an operation. Use it directly,
    ``register_operation("create_view", CreateViewOp)``, or as a class decorator,
    ``@register_operation("create_view")``. Give the operation SQL with `register_sql`.
    """

    def decorator(target: Any) -> Any:
        if any(hasattr(facade, name) for facade in _FACADES):
            raise DDLOpsError(
                f"cannot register operation {name!r}: Operations already has a method of that name"
            )
        _CUSTOM_OPERATIONS[name] = target
        return target

    if op_class is not None:
        return decorator(op_class)
    return decorator


_FACADES: list[type] = []


def reserve_names(facade: type) -> None:
    """The attributes of `facade` cannot be registered as custom operations."""
    _FACADES.append(facade)


def custom_operation(name: str) -> OperationFactory | None:
    return _CUSTOM_OPERATIONS.get(name)
