"""The one exception type every command raises for problems a user can fix.

The Click layer turns it into a one-line message and a non-zero exit, never a
traceback; programs calling `migrate_cli.command` catch it like any exception.
"""

from __future__ import annotations


class CommandError(Exception):
    """A problem with the user's input, configuration, scripts or database state."""


class MigrationInterrupted(KeyboardInterrupt):
    """Ctrl-C while a migration ran; the message names it and the state the database is in.

    Still a KeyboardInterrupt, so programs and test runners stop as they would
    on any Ctrl-C; the command line prints the message and exits 130.
    """
