"""`migrate fleet`: one command over many databases or tenant schemas, in parallel, resumable.

targets (where the fleet is), pool (worker processes under a budget), state
(the JSON Lines file --resume reads), report (progress and summary), worker
(one target's run), commands (which commands the fleet can run), runner (the
glue). env.py sees its target as `context.config.attributes["fleet_target"]`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FleetTarget"]


def __getattr__(name: str) -> Any:
    # FleetTarget needs SQLAlchemy's URL; `migrate --help` registers the fleet
    # commands without paying for that import.
    if name == "FleetTarget":
        from migrate_cli.fleet.targets import FleetTarget

        return FleetTarget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
