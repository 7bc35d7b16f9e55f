"""An env.py that never calls context.run_migrations() is an error, not a silent success.

Found editing env.py by hand: with the final `run_migrations_online()` call
lost in a merge, `migrate upgrade head` connected to nothing, migrated
nothing and exited 0, so the deploy went ahead on an old schema.
"""

from __future__ import annotations

from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Any


@pytest.mark.parametrize("args", [("upgrade", "head"), ("current",), ("stamp", "head")])
def test_env_py_that_never_runs_migrations_fails(
    project: Project, migrate: Migrate, args: tuple[str, ...]
) -> None:
    project.write_revision("a1", None)
    env = project.script_dir / "env.py"
    text = env.read_text(encoding="utf-8")
    env.write_text(text.replace("else:\n    run_migrations_online()", "else:\n    pass"))

    result = migrate(*args)

    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"ERROR: {env} never called context.run_migrations()")
    assert not project.db_path.exists()  # env.py never connected
