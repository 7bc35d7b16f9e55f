"""-q/--quiet prints nothing but errors, as the docs promise: no INFO log lines either.

Found in a deploy script running `migrate -q upgrade head`: every run still
wrote "Context impl ...", "Will assume ..." and a Running/Done pair per
migration to stderr, from the logging configuration in migrate.ini.
"""

from __future__ import annotations

import logging
from typing import Any

Project = Any  # conftest fixtures
Migrate = Any


def test_quiet_upgrade_logs_nothing_but_errors(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None)
    project.write_revision("b2", "a1", upgrade='op.execute("SELECT no_such_column")')

    loud = migrate("upgrade", "a1")
    assert loud.exit_code == 0 and "Running upgrade" in loud.stderr  # the ini logs at INFO

    quiet = migrate("-q", "upgrade", "head")

    assert quiet.exit_code == 1
    assert quiet.stderr.strip().splitlines() == [quiet.stderr.strip().splitlines()[-1]]
    assert quiet.stderr.startswith("ERROR: upgrade b2")


def test_quiet_leaves_the_loggers_as_they_were(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None)
    runtime = logging.getLogger("migrate_cli.runtime.migration")
    before = list(runtime.filters)

    assert migrate("-q", "upgrade", "head").exit_code == 0

    assert runtime.filters == before
    assert "Running downgrade" in migrate("downgrade", "base").stderr
