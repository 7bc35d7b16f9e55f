"""A run stopped half-way must say what state it left, on every database.

Found by dogfooding `migrate upgrade head` with a second migration that
cannot be imported, and with Ctrl-C pressed while it ran. A broken script
was imported only when its turn came, so on MariaDB the migrations before it
had already been applied and committed; and after Ctrl-C the only message was
Click's "Aborted!", which on MariaDB hides that the interrupted migration's
DDL stayed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbtesting import LiveDatabase
from liveproject import LiveProject

from migrate_cli import command
from migrate_cli.errors import CommandError, MigrationInterrupted

CREATE_INVOICE = 'op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True))'


Project = LiveProject


@pytest.fixture
def project(tmp_path: Path, db: LiveDatabase) -> Project:
    project = Project(tmp_path, db)
    project.add_table("a1", None, "account")
    return project


def transactional(db: LiveDatabase) -> bool:
    return db.dialect in ("postgresql", "sqlite")


def assert_left_as_documented(project: Project, message: str) -> None:
    """a1 ran, b2 created `invoice` (or failed before) and then stopped."""
    if transactional(project.db):
        assert "the whole run was rolled back; the database is still at no revision" in message
        assert project.heads() == ()
        assert not {"account", "invoice"} & project.tables()
    else:
        assert "the version table still records a1" in message
        assert project.heads() == ("a1",)
        assert "account" in project.tables()


@pytest.mark.parametrize(
    "breakage",
    [
        ("import no_such_module_x\n", "no_such_module_x"),
        ("def broken(:\n    pass\n", "SyntaxError"),
    ],
)
def test_a_script_that_cannot_be_imported_stops_the_run_before_anything_runs(
    project: Project, breakage: tuple[str, str]
) -> None:
    """Every script of the plan is imported first: on MariaDB too, a1 must not run."""
    path = project.add("b2", "a1", CREATE_INVOICE, message="broken")
    text = path.read_text()
    path.write_text(text.replace("\n\n\ndef upgrade", f"\n\n\n{breakage[0]}\n\ndef upgrade"))

    with pytest.raises(CommandError) as raised:
        command.upgrade(project.config(), "head")

    message = str(raised.value)
    assert str(path) in message and breakage[1] in message
    assert "nothing was migrated" in message
    assert project.heads() == ()
    assert not {"account", "invoice"} & project.tables()


def test_a_script_without_upgrade_stops_the_run_before_anything_runs(project: Project) -> None:
    path = project.add("b2", "a1", CREATE_INVOICE, message="no upgrade()")
    path.write_text(path.read_text().replace("def upgrade():", "def upgrade_later():"))

    with pytest.raises(CommandError) as raised:
        command.upgrade(project.config(), "head")

    message = str(raised.value)
    assert str(path) in message and "no upgrade() function" in message
    assert "nothing was migrated" in message
    assert project.heads() == () and "account" not in project.tables()


def test_keyboard_interrupt_in_a_migration_names_it_and_the_state(project: Project) -> None:
    project.add("b2", "a1", f"{CREATE_INVOICE}\nraise KeyboardInterrupt", message="interrupted")

    with pytest.raises(KeyboardInterrupt) as raised:
        command.upgrade(project.config(), "head")

    assert isinstance(raised.value, MigrationInterrupted)
    message = str(raised.value)
    assert message.startswith("upgrade b2 (") and "interrupted" in message
    assert_left_as_documented(project, message)
    if not transactional(project.db):
        assert "invoice" in project.tables()  # DDL commits implicitly: the message says so
        assert "undo them by hand" in message


def default_sigint_in_child() -> None:
    """Undo an inherited SIG_IGN: a shell's `cmd &` job ignores SIGINT, and Python then
    never raises KeyboardInterrupt, so the child would not see the Ctrl-C we send it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(params=["parent-default", "parent-ignores-sigint"])
def parent_sigint(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run the test both as an interactive shell would and as a background job would."""
    if request.param == "parent-default":
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_on_the_command_line_exits_130_with_one_error_line(
    project: Project, parent_sigint: None
) -> None:
    project.add(
        "b2",
        "a1",
        f"{CREATE_INVOICE}\nimport os, signal, time\n"
        "os.kill(os.getpid(), signal.SIGINT)\ntime.sleep(5)",
        message="interrupted",
    )
    ini = project.env_dir.parent / "migrate.ini"
    ini.write_text(
        f"[migrate]\nscript_location = {project.env_dir}\n"
        f"sqlalchemy.url = {project.url.replace('%', '%%')}\n"
    )

    done = subprocess.run(
        [sys.executable, "-m", "migrate_cli.cli", "-c", str(ini), "--json", "upgrade", "head"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=default_sigint_in_child,
    )

    assert done.returncode == 128 + signal.SIGINT, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ERROR: upgrade b2 (") and "interrupted" in last
    assert "Traceback" not in done.stderr and "Aborted!" not in done.stderr
    assert json.loads(done.stdout)["error"] == last.removeprefix("ERROR: ")
    assert_left_as_documented(project, last)
