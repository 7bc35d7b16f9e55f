"""`migrate upgrade heads --sql | psql -v ON_ERROR_STOP=1 ...`, as run over real histories.

When the reader stops early (psql at its first error, `head`), the next write fails with
EPIPE. That is not env.py's fault, and the user must not be sent to debug env.py.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

Project = Any


def test_a_reader_that_stops_early_is_not_blamed_on_env_py(project: Project) -> None:
    # Far more SQL than a pipe buffers, so the writer is still writing when the reader leaves.
    for i in range(300):
        project.write_revision(
            f"r{i:03d}",
            f"r{i - 1:03d}" if i else None,
            upgrade=f"op.execute('SELECT {i} -- ' + 'x' * 2000)",
        )
    migrate = [sys.executable, "-c", "from migrate_cli.cli import main; main()"]
    proc = subprocess.Popen(
        [*migrate, "-c", str(project.ini), "upgrade", "heads", "--sql"],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait() == 1
    assert "env.py" not in stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR: the reader of the SQL output stopped early (e.g. psql at an error); "
        "the script was cut short"
    ]
