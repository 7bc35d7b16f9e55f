"""Column types as source: ``sa.String(length=50)``, ``postgresql.JSONB()``, ``myapp.Money()``.

SQLAlchemy's own types are rebuilt from their constructor signature, recursively
(``postgresql.ARRAY(sa.Integer())``), with only non-default arguments; dialect
types import their dialect module; other types use their own ``repr`` behind
``user_module_prefix`` or their module's name, which is then imported.
"""

from __future__ import annotations

import enum
import inspect
from typing import Any

import sqlalchemy as sa

from migrate_autogen.naming import is_convention_name
from migrate_autogen.render.render_run import RenderRun
from migrate_autogen.render.values import literal, name

# options MySQL types take through **kw, so the signature does not list them
_KEYWORD_ONLY_FLAGS = ("unsigned", "zerofill", "charset", "collation", "national", "binary")
_SKIP_ARGS = {"self", "_expect_unicode", "_enums", "metadata", "_create_events", "_adapted_from"}


def render_type(type_: Any, rctx: RenderRun) -> str:
    hooked = rctx.hook("type", type_)
    if hooked is not None:
        return hooked
    if isinstance(type_, type):
        type_ = type_()
    return _base_type(type_, rctx) + _variants(type_, rctx)


def _base_type(type_: Any, rctx: RenderRun) -> str:
    module = type(type_).__module__
    if module.startswith("sqlalchemy.dialects."):
        dialect = module.split(".")[2]
        rctx.imports.add(f"from sqlalchemy.dialects import {dialect}")
        return _sqlalchemy_type(type_, f"{dialect}.", rctx)
    if module.startswith("sqlalchemy."):
        return _sqlalchemy_type(type_, rctx.sa, rctx)
    return _user_type(type_, rctx)


def _variants(type_: Any, rctx: RenderRun) -> str:
    """``.with_variant(...)`` calls: without them the script builds the base type everywhere."""
    by_type: dict[int, tuple[Any, list[str]]] = {}
    for dialect, variant in getattr(type_, "_variant_mapping", {}).items():
        by_type.setdefault(id(variant), (variant, []))[1].append(dialect)
    return "".join(
        f".with_variant({render_type(variant, rctx)}, {', '.join(map(literal, dialects))})"
        for variant, dialects in by_type.values()
    )


def _user_type(type_: Any, rctx: RenderRun) -> str:
    prefix = rctx.options.user_module_prefix
    if prefix is None:
        module = type(type_).__module__
        if module in ("__main__", "builtins"):
            prefix = ""
        else:
            rctx.imports.add(f"import {module}")
            prefix = f"{module}."
    return f"{prefix}{type_!r}"


def _sqlalchemy_type(type_: Any, prefix: str, rctx: RenderRun) -> str:
    if isinstance(type_, sa.Enum):
        return _enum(type_, prefix, rctx)
    cls = type(type_)
    args = [literal(v) for v in _positional_values(type_)]
    found = _constructor_args(type_)
    named = {key for key, _ in found}
    found += [
        (key, getattr(type_, key))
        for key in _KEYWORD_ONLY_FLAGS
        if key not in named and getattr(type_, key, None)
    ]
    args += [f"{key}={_value(value, rctx)}" for key, value in found]
    return f"{prefix}{cls.__name__}({', '.join(args)})"


def _positional_values(type_: Any) -> list[Any]:
    """Types built from ``*values`` (MySQL's SET) keep them in ``.values``."""
    try:
        params = inspect.signature(type(type_).__init__).parameters.values()
    except (TypeError, ValueError):
        return []
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        values = getattr(type_, "values", None)
        if isinstance(values, (list, tuple)):
            return list(values)
    return []


def _constructor_args(type_: Any) -> list[tuple[str, Any]]:
    try:
        signature = inspect.signature(type(type_).__init__)
    except (TypeError, ValueError):
        return []
    found = []
    for param in signature.parameters.values():
        if param.name in _SKIP_ARGS or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if not hasattr(type_, param.name):
            continue
        value = getattr(type_, param.name)
        default = param.default
        if default is not param.empty and _same(value, default):
            continue
        if default is param.empty and value is None:
            continue
        found.append((param.name, value))
    return found


def _same(value: Any, default: Any) -> bool:
    if isinstance(default, type) and isinstance(value, default):
        return type(value) is default and repr(value) == repr(default())
    if isinstance(value, sa.types.TypeEngine) or isinstance(default, sa.types.TypeEngine):
        return type(value) is type(default) and repr(value) == repr(default)
    try:
        return bool(value == default)
    except Exception:
        return False


def _value(value: Any, rctx: RenderRun) -> str:
    if isinstance(value, sa.types.TypeEngine) or (
        isinstance(value, type) and issubclass(value, sa.types.TypeEngine)
    ):
        return render_type(value, rctx)
    if isinstance(value, enum.Enum):
        return literal(value.value)
    if is_convention_name(value):
        return name(value, rctx)
    return literal(value)


def _enum(type_: sa.Enum, prefix: str, rctx: RenderRun) -> str:
    parts = [literal(v) for v in type_.enums]
    if type_.name:
        parts.append(f"name={name(type_.name, rctx)}")
    if type_.schema:
        parts.append(f"schema={literal(type_.schema)}")
    if not type_.native_enum:
        parts.append("native_enum=False")
        if type_.length != max((len(v) for v in type_.enums), default=0):
            parts.append(f"length={type_.length}")
    if type_.create_constraint:
        parts.append("create_constraint=True")
    return f"{prefix}{type(type_).__name__}({', '.join(parts)})"
