"""Every `migrate` command as a plain function: `command.upgrade(Config("migrate.ini"), "head")`.

The Click layer calls exactly these; programs, Flask apps and pytest fixtures
can too. Each raises `CommandError` for problems a user can fix.
"""

from __future__ import annotations

from migrate_cli.commands.database import (
    check,
    current,
    downgrade,
    ensure_version,
    stamp,
    upgrade,
)
from migrate_cli.commands.history_log import graph, log, verify
from migrate_cli.commands.init import init, list_templates
from migrate_cli.commands.port import port
from migrate_cli.commands.revision import merge, revision
from migrate_cli.commands.scripts import branches, edit, heads, history, show
from migrate_cli.commands.squash import prune, squash

__all__ = [
    "branches",
    "check",
    "current",
    "downgrade",
    "edit",
    "ensure_version",
    "graph",
    "heads",
    "history",
    "init",
    "list_templates",
    "log",
    "merge",
    "port",
    "prune",
    "revision",
    "show",
    "squash",
    "stamp",
    "upgrade",
    "verify",
]
