"""The one exception type every command raises for problems a user can fix.

The Click layer turns it into a one-line message and a non-zero exit, never a
traceback; programs calling `migrate_cli.command` catch it like any exception.
"""

from __future__ import annotations


class CommandError(Exception):
    """A problem with the user's input, configuration, scripts or database state."""
