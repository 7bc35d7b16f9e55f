"""Revision scripts on disk: the script directory, one script, file naming and post-write hooks."""

from migrate_cli.script.directory import ScriptDirectory
from migrate_cli.script.revision_file import Script
from migrate_cli.script.write_hooks import register as register_write_hook

__all__ = ["Script", "ScriptDirectory", "register_write_hook"]
