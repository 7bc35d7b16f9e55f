"""`python -m migrate_cli.cli`: the `migrate` command."""

from migrate_cli.cli.app import main

main()
