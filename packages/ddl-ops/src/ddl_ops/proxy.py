"""`op`, the name migration scripts use, bound per run through a ContextVar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ddl_ops.errors import NoOperationsBound
from ddl_ops.operations import Operations

_current: ContextVar[Operations | None] = ContextVar("ddl_ops_current_operations", default=None)


def current_operations() -> Operations:
    ops = _current.get()
    if ops is None:
        raise NoOperationsBound(
            "ddl_ops.op is not bound: migration scripts must be run by the migrate tool "
            "(or inside `with ddl_ops.use_operations(ops):`)"
        )
    return ops


@contextmanager
def use_operations(ops: Operations) -> Iterator[Operations]:
    """Bind `ddl_ops.op` to `ops` in this thread/task for the duration of the block."""
    token = _current.set(ops)
    try:
        yield ops
    finally:
        _current.reset(token)


class OperationsProxy:
    """Forwards every attribute to the Operations bound by `use_operations`."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        return getattr(current_operations(), name)

    def __repr__(self) -> str:
        ops = _current.get()
        return f"<ddl_ops.op bound to {ops!r}>" if ops is not None else "<ddl_ops.op (unbound)>"


op: Operations = OperationsProxy()  # type: ignore[assignment]
