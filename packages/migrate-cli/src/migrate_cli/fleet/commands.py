"""The commands `migrate fleet` can run on each target, one entry each.

Each entry calls the ordinary single-database command function, so a target
runs exactly what `migrate <command>` runs on one database. A new command
(e.g. `verify`) joins the fleet with one more line in `FLEET_COMMANDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from migrate_cli.config import Config

__all__ = ["DEFAULT_MAX_PER_SERVER", "FLEET_COMMANDS", "FleetCommand"]

#: Connections one database server gets at once, whatever -j says.
DEFAULT_MAX_PER_SERVER = 8


@dataclass(frozen=True)
class FleetCommand:
    """How to run one command on one target.

    `run(config, revision)` is called in the target's own process; a
    CommandError it raises is that target's failure. `revision` is None for
    commands that take none.
    """

    name: str
    run: Callable[[Config, str | None], None]
    help: str
    takes_revision: bool = False


def _upgrade(config: Config, revision: str | None) -> None:
    from migrate_cli.commands import database  # SQLAlchemy: only when a target runs

    database.upgrade(config, revision or "heads")


def _downgrade(config: Config, revision: str | None) -> None:
    from migrate_cli.commands import database  # SQLAlchemy: only when a target runs

    database.downgrade(config, revision or "-1")


def _current(config: Config, revision: str | None) -> None:
    from migrate_cli.commands import database  # SQLAlchemy: only when a target runs

    database.current(config)


def _check(config: Config, revision: str | None) -> None:
    from migrate_cli.commands import database  # SQLAlchemy: only when a target runs

    database.check(config)


FLEET_COMMANDS: dict[str, FleetCommand] = {
    command.name: command
    for command in (
        FleetCommand("upgrade", _upgrade, "Upgrade every target to REVISION.", True),
        FleetCommand("downgrade", _downgrade, "Downgrade every target to REVISION.", True),
        FleetCommand("current", _current, "Show the revision each target is at."),
        FleetCommand("check", _check, "Fail for each target whose models differ from it."),
    )
}
