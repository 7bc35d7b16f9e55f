"""An exception in env.py's process_revision_directives is one error line, not a traceback.

Found porting Alembic's "don't generate empty migrations" recipe to env.py:
the hook raised AttributeError and `migrate revision --autogenerate` printed
a full Python traceback (every other env.py failure is one ERROR line).
"""

from __future__ import annotations

from typing import Any

Project = Any  # conftest fixtures
Migrate = Any

HOOK = """
import sqlalchemy as _sa

target_metadata = _sa.MetaData()


def broken_hook(context, revision, directives):
    raise AttributeError("'list' object has no attribute 'is_empty'")
"""

CONFIGURE = "context.configure(connection=connection, target_metadata=target_metadata"


def test_failing_hook_is_one_error_line_and_writes_nothing(
    project: Project, migrate: Migrate
) -> None:
    env = project.script_dir / "env.py"
    text = env.read_text(encoding="utf-8")
    assert CONFIGURE in text
    text = text.replace("target_metadata = None\n", HOOK)
    text = text.replace(CONFIGURE, CONFIGURE + ", process_revision_directives=broken_hook")
    env.write_text(text, encoding="utf-8")

    result = migrate("revision", "--autogenerate", "-m", "nothing")

    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("ERROR: process_revision_directives hook broken_hook")
    assert "AttributeError: 'list' object has no attribute 'is_empty'" in line
    assert not list(project.versions.glob("*.py"))
