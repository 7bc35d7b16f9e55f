"""`import alembic` inside a `migrate` run: a sys.meta_path finder installed for the run only.

`alembic_names()` takes any `alembic` modules already imported (the real
package, if installed) out of sys.modules, puts a finder first on
sys.meta_path that builds `alembic`, `alembic.op`, `alembic.context`, ... from
the table in `provided`, and on exit removes the finder and its modules and
puts back what it took out. Nothing is patched by importing this module; runs
nest (and may overlap in threads): the hook is installed by the first and
removed by the last.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from migrate_cli.alembic_compat import provided

ROOT = "alembic"


def _is_alembic(name: str) -> bool:
    return name == ROOT or name.startswith(ROOT + ".")


class _ShimLoader(importlib.abc.Loader):
    """Builds one `alembic...` module whose attributes resolve to ours on each access."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = ModuleType(spec.name)
        shim = provided.SHIM_MODULES[spec.name]
        name = spec.name

        def __getattr__(attribute: str) -> Any:
            if attribute.startswith("__") and attribute not in shim.names:
                raise AttributeError(attribute)
            return provided.resolve(name, attribute)

        def __dir__() -> list[str]:
            return sorted({*shim.names, *provided.forwarded_names(name)})

        module.__getattr__ = __getattr__  # type: ignore[method-assign]
        module.__dir__ = __dir__  # type: ignore[method-assign]
        module.__doc__ = f"{name}, provided by migrate for the duration of a run."
        module.__all__ = __dir__()  # type: ignore[attr-defined]
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: every attribute is resolved on access."""


class AlembicNamesFinder(importlib.abc.MetaPathFinder):
    """Answers every `alembic...` import during a run: our module, or a clear refusal."""

    loader = _ShimLoader()

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not _is_alembic(fullname):
            return None
        shim = provided.SHIM_MODULES.get(fullname)
        if shim is None:
            raise ModuleNotFoundError(
                f"{fullname} is not available in a migrate run: {provided.advice(fullname)}",
                name=fullname,
            )
        return importlib.machinery.ModuleSpec(
            fullname, self.loader, is_package=shim.is_package, origin="migrate (Alembic names)"
        )


_FINDER = AlembicNamesFinder()
_lock = threading.RLock()
_depth = 0
_taken: dict[str, ModuleType] = {}


def _install() -> None:
    _taken.clear()
    for name in [name for name in sys.modules if _is_alembic(name)]:
        _taken[name] = sys.modules.pop(name)
    sys.meta_path.insert(0, _FINDER)


def _uninstall() -> None:
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [name for name in sys.modules if _is_alembic(name)]:
        del sys.modules[name]
    sys.modules.update(_taken)
    _taken.clear()


def is_active() -> bool:
    """Whether `import alembic` currently gives migrate's names."""
    return _FINDER in sys.meta_path


@contextmanager
def alembic_names() -> Iterator[None]:
    """For the block, `alembic` and its submodules are migrate's; afterwards, as before."""
    global _depth
    with _lock:
        if _depth == 0:
            _install()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _uninstall()
