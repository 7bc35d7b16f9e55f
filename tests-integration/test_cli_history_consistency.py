"""The migration log and the version table agree however a run ends, on every database.

Each test runs `migrate` as a separate process, as a user or a deploy job
would, and stops it the hard ways: SIGKILL, SIGINT, its connection killed
by the server, and eight runs racing for the lock. Afterwards the version
table, the log and `migrate verify` must tell the same story: where DDL is
transactional an interrupted run leaves no trace but a `failed` row; on
MariaDB the interrupted migration's `running` row is completed as `failed`
when the process can still say so, and stays `running` for verify to report
when it cannot (SIGKILL).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from liveproject import LiveProject

from migrate_cli import command

PROCESSES = 8
MIGRATIONS = 8

# b3 reports that it started (and its server connection id), then waits: the test
# stops the run there, before b3 has changed anything.
WAITING = """\
import pathlib, time
bind = op.get_bind()
dialect = bind.dialect.name
ask = {"postgresql": "SELECT pg_backend_pid()", "mysql": "SELECT CONNECTION_ID()"}
pid = bind.exec_driver_sql(ask[dialect]).scalar() if dialect in ask else 0
here = pathlib.Path(__file__).parent
(here / "started").write_text(str(pid))
for _ in range(600):
    if (here / "go").exists():
        break
    time.sleep(0.05)
op.execute("SELECT 1")
op.create_table("late", sa.Column("id", sa.Integer, primary_key=True))
"""


# The same, after a DDL statement: on MariaDB/MySQL that statement commits the
# migration's transaction (its `running` log row with it) before it executes.
WAITING_AFTER_DDL = (
    'if not sa.inspect(op.get_bind()).has_table("early"):\n'
    '    op.create_table("early", sa.Column("id", sa.Integer, primary_key=True))\n'
) + WAITING


def transactional(db: LiveDatabase) -> bool:
    return db.dialect in ("postgresql", "sqlite")


@pytest.fixture
def project(tmp_path: Path, db: LiveDatabase) -> LiveProject:
    project = LiveProject(tmp_path, db)
    project.add_table("a1", None, "account")
    project.add_table("b2", "a1", "invoice")
    ini = tmp_path / "migrate.ini"
    url = db.url_string.replace("%", "%%")
    ini.write_text(f"[migrate]\nscript_location = {project.env_dir}\nsqlalchemy.url = {url}\n")
    return project


def argv(project: LiveProject, *args: str) -> list[str]:
    ini = project.env_dir.parent / "migrate.ini"
    return [sys.executable, "-m", "migrate_cli.cli", "-c", str(ini), *args]


def migrate(project: LiveProject, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv(project, *args), capture_output=True, text=True, timeout=120)


def log_rows(project: LiveProject) -> list[dict[str, Any]]:
    with project.engine.connect() as conn:
        if not sa.inspect(conn).has_table("migrate_log"):
            return []
        result = conn.execute(sa.text("SELECT * FROM migrate_log ORDER BY id"))
        return [dict(row._mapping) for row in result]


def summary(project: LiveProject) -> list[tuple[str, str, str]]:
    return [(r["revision"], r["direction"], r["outcome"]) for r in log_rows(project)]


def start_waiting_run(project: LiveProject, body: str = WAITING) -> subprocess.Popen[str]:
    """`migrate upgrade head` with b3 waiting; returns once b3 has started."""
    project.add("b3", "b2", body, message="waits for the test")
    run = subprocess.Popen(
        argv(project, "upgrade", "head"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    started = project.env_dir / "versions" / "started"
    deadline = time.monotonic() + 60
    while not started.exists():
        if run.poll() is not None or time.monotonic() > deadline:
            run.kill()
            raise AssertionError(f"b3 never started: {run.communicate()}")
        time.sleep(0.05)
    return run


def finish_and_verify(project: LiveProject) -> None:
    """After the damage: a new run completes, and the log then verifies clean."""
    (project.env_dir / "versions" / "go").write_text("")
    done = migrate(project, "upgrade", "head")
    assert done.returncode == 0, done.stderr
    assert project.heads() == ("b3",)
    checked = migrate(project, "verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    applied = [r for r in summary(project) if r[2] == "applied"]
    assert [r[0] for r in applied if r[1] == "upgrade"] == ["a1", "b2", "b3"]


def test_log_follows_the_version_table_and_verify_catches_an_edit(
    project: LiveProject,
) -> None:
    assert migrate(project, "upgrade", "head").returncode == 0
    assert migrate(project, "downgrade", "a1").returncode == 0
    assert migrate(project, "upgrade", "head").returncode == 0
    assert summary(project) == [
        ("a1", "upgrade", "applied"),
        ("b2", "upgrade", "applied"),
        ("b2", "downgrade", "applied"),
        ("b2", "upgrade", "applied"),
    ]
    rows = log_rows(project)
    assert all(r["db_user"] for r in rows) or project.db.dialect == "sqlite"
    assert all(r["finished_at"] >= r["started_at"] for r in rows)
    assert migrate(project, "verify").returncode == 0
    path = project.env_dir / "versions" / "a1.py"
    path.write_text(path.read_text() + "\n# tidied up after it ran\n")
    edited = migrate(project, "verify")
    assert edited.returncode == 1
    assert f"checksum-mismatch: a1: {path} changed since a1 was applied" in edited.stderr
    assert migrate(project, "verify", "--accept", "a1").returncode == 0
    assert migrate(project, "verify").returncode == 0


def test_a_database_from_before_the_log_gets_a_baseline(project: LiveProject) -> None:
    ini = project.env_dir.parent / "migrate.ini"
    text = ini.read_text()
    ini.write_text(text + "migration_log = false\n")
    assert migrate(project, "upgrade", "a1").returncode == 0
    ini.write_text(text)
    assert migrate(project, "upgrade", "head").returncode == 0
    assert summary(project) == [("a1", "baseline", "applied"), ("b2", "upgrade", "applied")]
    first = migrate(project, "verify")
    assert first.returncode == 0 and "1 applied revision(s) have no checksum" in first.stdout
    assert migrate(project, "verify", "--baseline").returncode == 0
    assert summary(project)[-1] == ("a1", "baseline", "applied")
    assert log_rows(project)[-1]["checksum"]
    assert "have no checksum" not in migrate(project, "verify").stdout


def assert_b3_left_running(project: LiveProject) -> None:
    """a1 and b2 applied, b3 `running`, and `migrate verify` says so."""
    assert summary(project) == [
        ("a1", "upgrade", "applied"),
        ("b2", "upgrade", "applied"),
        ("b3", "upgrade", "running"),
    ]
    checked = migrate(project, "verify")
    assert checked.returncode == 1
    assert "running: b3: upgrade b3 started" in checked.stderr


def test_sigkill_leaves_the_log_consistent(project: LiveProject) -> None:
    """Killed before b3 changed anything: b3's transaction is rolled back on every database.
    On MariaDB/MySQL b3's row was marked `running` by b2's last statement and committed
    with b2 (so that b3 sends no statement of its own before its DDL): it stays, and
    `migrate verify` reports b3 as it would a b3 killed after its first DDL statement."""
    run = start_waiting_run(project)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    if transactional(project.db):
        assert project.heads() == ()
        assert summary(project) == []  # the whole run, its log rows too, rolled back
        assert migrate(project, "verify").returncode == 0
    else:
        assert project.heads() == ("b2",)
        assert_b3_left_running(project)
    assert "late" not in project.tables()
    finish_and_verify(project)


def test_sigkill_after_ddl_leaves_a_running_row_where_ddl_commits(project: LiveProject) -> None:
    """Killed after b3's first DDL statement: on MariaDB/MySQL that statement committed b3's
    `running` row before it ran, so the half-done migration is visible to `migrate verify`."""
    run = start_waiting_run(project, WAITING_AFTER_DDL)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    if transactional(project.db):
        assert project.heads() == ()
        assert summary(project) == []
        assert "early" not in project.tables()
        assert migrate(project, "verify").returncode == 0
    else:
        assert project.heads() == ("b2",)
        assert "early" in project.tables()  # the DDL stayed: the log must say so
        assert_b3_left_running(project)
    finish_and_verify(project)


def visible_log(project: LiveProject) -> list[tuple[str, str, str]]:
    """What `migrate log` shows, oldest first."""
    shown = migrate(project, "--json", "log")
    assert shown.returncode == 0, shown.stderr
    return [(r["revision"], r["direction"], r["outcome"]) for r in json.loads(shown.stdout)][::-1]


def test_sigkill_leaves_no_pending_row_in_sight_and_the_next_run_deletes_them(
    project: LiveProject,
) -> None:
    """MariaDB/MySQL plan the run's rows up front: killed in b3 (after its DDL), c4 and c5
    stay `pending` in the table, but `migrate log` and `migrate verify` never show them
    as attempts, and the next run deletes them before inserting its own."""
    project.add_table("c4", "b3", "refund")
    project.add_table("c5", "c4", "ledger")
    run = start_waiting_run(project, WAITING_AFTER_DDL)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    crash = [("a1", "upgrade", "applied"), ("b2", "upgrade", "applied")]
    crash.append(("b3", "upgrade", "running"))
    if transactional(project.db):
        assert summary(project) == []
    else:
        pending = [("c4", "upgrade", "pending"), ("c5", "upgrade", "pending")]
        assert summary(project) == crash + pending
        assert visible_log(project) == crash
        assert "pending" not in migrate(project, "log").stdout
        checked = migrate(project, "verify")
        assert checked.returncode == 1
        reported = [line for line in checked.stdout.splitlines() if ": " in line]
        assert reported == [line for line in reported if line.startswith("running: b3: ")]
        assert reported
    (project.env_dir / "versions" / "go").write_text("")
    done = migrate(project, "upgrade", "head")
    assert done.returncode == 0, done.stderr
    assert project.heads() == ("c5",)
    upgrades = [(r, "upgrade", "applied") for r in ("a1", "b2", "b3", "c4", "c5")]
    if transactional(project.db):
        assert summary(project) == upgrades
    else:  # the crash trace stays; the pending rows are gone
        assert summary(project) == crash + upgrades[2:]
    assert visible_log(project) == summary(project)
    assert migrate(project, "verify").returncode == 0


FAILS_AFTER_DDL = """op.create_table("refund", sa.Column("id", sa.Integer, primary_key=True))
raise RuntimeError("c4 broke after its DDL")
"""


def test_a_failing_migration_deletes_the_rows_of_the_steps_after_it(
    project: LiveProject,
) -> None:
    """c4 fails after its DDL: its row ends `failed` as before, and the `pending` rows of
    c5 and c6 (c5's marked nothing: c4's statement never ran) are deleted at once."""
    project.add_table("b3", "b2", "payment")
    project.add("c4", "b3", FAILS_AFTER_DDL)
    project.add_table("c5", "c4", "ledger")
    project.add_table("c6", "c5", "journal")
    failed = migrate(project, "upgrade", "head")
    assert failed.returncode == 1
    assert "c4 broke after its DDL" in failed.stderr
    before = [(r, "upgrade", "applied") for r in ("a1", "b2", "b3")]
    if transactional(project.db):
        assert summary(project) == [("c4", "upgrade", "failed")]
    else:
        assert summary(project) == [*before, ("c4", "upgrade", "failed")]
        assert project.heads() == ("b3",)
    assert visible_log(project) == summary(project)
    assert migrate(project, "verify").returncode == 0


@pytest.mark.parametrize("body", [WAITING, WAITING_AFTER_DDL], ids=["before-ddl", "after-ddl"])
def test_sigint_records_the_interrupted_migration_as_failed(
    project: LiveProject, body: str
) -> None:
    """Before any DDL MariaDB's `running` row rolls back and a `failed` row is written;
    after it, the committed `running` row becomes `failed`: one row for b3 either way."""
    run = start_waiting_run(project, body)
    run.send_signal(signal.SIGINT)
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    failed = ("b3", "upgrade", "failed")
    if transactional(project.db):
        assert project.heads() == ()
        assert summary(project) == [failed]
    else:
        assert project.heads() == ("b2",)
        assert summary(project) == [
            ("a1", "upgrade", "applied"),
            ("b2", "upgrade", "applied"),
            failed,
        ]
    assert log_rows(project)[-1]["error"] == "interrupted (Ctrl-C)"
    assert migrate(project, "verify").returncode == 0
    finish_and_verify(project)


def test_a_dropped_connection_leaves_the_log_consistent(project: LiveProject) -> None:
    if project.db.dialect == "sqlite":
        pytest.skip("SQLite has no server connection to drop")
    run = start_waiting_run(project)
    pid = int((project.env_dir / "versions" / "started").read_text())
    with project.engine.connect() as conn:
        if project.db.dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:
            conn.exec_driver_sql(f"KILL {pid}")
    (project.env_dir / "versions" / "go").write_text("")
    _out, err = run.communicate(timeout=60)
    assert run.returncode == 1, err
    assert "upgrade b3" in err
    (project.env_dir / "versions" / "go").unlink()
    # The failure is recorded on a new connection (the run's own is gone).
    failed = ("b3", "upgrade", "failed")
    if transactional(project.db):
        assert project.heads() == ()
        assert summary(project) == [failed]
    else:
        assert project.heads() == ("b2",)
        assert summary(project)[-1] == failed  # no DDL had committed a `running` row
    assert log_rows(project)[-1]["error"]
    assert migrate(project, "verify").returncode == 0
    finish_and_verify(project)


@pytest.mark.slow
@pytest.mark.parametrize("per_migration", [False, True])
def test_eight_racing_runs_log_each_migration_once(
    tmp_path: Path, db: LiveDatabase, per_migration: bool
) -> None:
    project = LiveProject(tmp_path, db)
    down = None
    for number in range(MIGRATIONS):
        rev = f"r{number:03d}"
        project.add(rev, down, "import time\ntime.sleep(0.02)", message=f"step {number}")
        down = rev
    ini = tmp_path / "migrate.ini"
    url = db.url_string.replace("%", "%%")
    ini.write_text(f"[migrate]\nscript_location = {project.env_dir}\nsqlalchemy.url = {url}\n")
    args = ["-x", "per_migration"] if per_migration else []
    runs = [
        subprocess.Popen(
            argv(project, *args, "upgrade", "head"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    for run in runs:
        _out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
    rows = summary(project)
    assert rows == [(f"r{n:03d}", "upgrade", "applied") for n in range(MIGRATIONS)]
    assert project.heads() == (f"r{MIGRATIONS - 1:03d}",)
    assert migrate(project, "verify").returncode == 0


def test_the_log_lives_in_the_version_tables_schema(project: LiveProject) -> None:
    schema = project.db.other_schema
    if schema is None:
        pytest.skip("SQLite has one schema")
    options = {"version_table_schema": schema, "migration_log_table": "deploy_history"}
    command.upgrade(project.config(configure_options=options), "head")
    with project.engine.connect() as conn:
        inspector = sa.inspect(conn)
        assert inspector.has_table("deploy_history", schema=schema)
        assert not inspector.has_table("deploy_history") and not inspector.has_table("migrate_log")
        table = sa.table("deploy_history", sa.column("revision"), schema=schema)
        revisions = conn.execute(sa.select(table.c.revision)).scalars().all()
    assert revisions == ["a1", "b2"]
