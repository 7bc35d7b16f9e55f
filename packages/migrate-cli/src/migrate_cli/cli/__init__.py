"""The Click layer: the `migrate` command line, one module per group of subcommands.

`app` holds the root group and assembles the others; `running` what every
subcommand shares. Nothing below this package imports it.
"""

from migrate_cli.cli.app import cli, get_cli, main
from migrate_cli.cli.running import MigrateGroup, get_config, report_error, run_command

__all__ = ["MigrateGroup", "cli", "get_cli", "get_config", "main", "report_error", "run_command"]
