"""`migrate port [--check]`: an Alembic project's imports rewritten to migrate's own names."""

from __future__ import annotations

from pathlib import Path

from migrate_cli.alembic_compat.port import port_files, write_ported
from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.script import ScriptDirectory

__all__ = ["port"]


def project_files(script_directory: ScriptDirectory) -> list[Path]:
    """env.py, script.py.mako and every revision file of a script directory, in a stable order."""
    paths = [script_directory.env_py_location, script_directory.template_path]
    revisions = sorted(
        {Path(script.path) for script in script_directory.scripts.values() if script.path}
    )
    return [path for path in [*paths, *revisions] if path.is_file()]


def port(config: Config, check: bool = False) -> None:
    """Rewrite env.py, script.py.mako and the revision files in place, printing the diff.

    `check` writes nothing and fails (exit 1) when some file would change, for CI.
    """
    script = ScriptDirectory.from_config(config)
    ported = port_files(project_files(script))
    changed = [item for item in ported if item.changed]
    left = [line for item in ported for line in item.left]
    for item in changed:
        config.print_stdout(item.diff().rstrip("\n"))
    for line in left:
        config.print_stdout(f"left as is: {line}")
    config.emit(
        {
            "changed": [str(item.path) for item in changed],
            "left": left,
            "written": bool(changed) and not check,
        }
    )
    if check:
        if changed:
            raise CommandError(
                f"{len(changed)} file(s) still use Alembic names migrate has its own for; "
                "run `migrate port` to rewrite them"
            )
        return
    write_ported(changed)
    config.print_stdout(f"Rewrote {len(changed)} file(s)." if changed else "Nothing to rewrite.")
