"""The `migrate` command and its Python API: config, script directory, commands, runtime.

`from migrate_cli import Config, command` is all a program needs to run
migrations; heavier pieces are imported on first use so `migrate --help` and
`migrate heads` start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migrate_cli._version import __version__
from migrate_cli.config import Config
from migrate_cli.errors import CommandError, MigrationInterrupted

if TYPE_CHECKING:
    from migrate_cli import command as command
    from migrate_cli.runtime.migration import MigrationContext as MigrationContext
    from migrate_cli.script import Script as Script
    from migrate_cli.script import ScriptDirectory as ScriptDirectory

__all__ = [
    "CommandError",
    "Config",
    "MigrationContext",
    "MigrationInterrupted",
    "Script",
    "ScriptDirectory",
    "__version__",
    "command",
]

_LAZY = {
    "command": ("migrate_cli.command", None),
    "ScriptDirectory": ("migrate_cli.script", "ScriptDirectory"),
    "Script": ("migrate_cli.script", "Script"),
    "MigrationContext": ("migrate_cli.runtime.migration", "MigrationContext"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'migrate_cli' has no attribute {name!r}")
    import importlib

    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value
