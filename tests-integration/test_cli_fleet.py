"""`migrate fleet` on real servers: PostgreSQL schemas, MariaDB databases, SQLite files.

A small fleet (the full-size run is benchmarks/bench_fleet.py) with tenants at
different revisions and two broken ones: a failing migration (its table
already exists) and an unreachable tenant (its schema, database or folder is
missing). Shards must cover every tenant exactly once; a fixed, resumed run
must finish them; a runner killed (SIGKILL) or interrupted (SIGINT) mid-run
and then resumed must lose nothing and apply no migration twice.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbtesting import LiveDatabase
from fleetbed import SLEEP_VARIABLE, FleetBed, write_revisions

from migrate_cli.fleet.runner import FleetOptions, run_fleet
from migrate_cli.testing import MigrationProject

REVISIONS = 3
TENANTS = 8


@pytest.fixture
def project(tmp_path: Path, db: LiveDatabase) -> MigrationProject:
    project = MigrationProject(tmp_path / "project", db.url_string)
    write_revisions(project, REVISIONS)
    return project


@pytest.fixture
def bed(db: LiveDatabase, tmp_path: Path) -> Iterator[FleetBed]:
    fleet = FleetBed(db, tmp_path, "h17_t", TENANTS)
    fleet.drop()
    try:
        yield fleet
    finally:
        fleet.drop()


def fleet(project: MigrationProject, bed: FleetBed, **options: object) -> tuple[int, str]:
    """Run `migrate fleet upgrade head` in this process; the exit status and what it printed."""
    out = io.StringIO()
    opts = FleetOptions(command="upgrade", revision="head", jobs=3, **options)  # type: ignore[arg-type]
    status = run_fleet(project.config(), opts, stream=out, out=out)
    return status, out.getvalue()


def records(path: Path) -> list[dict[str, object]]:
    lines = path.read_text().splitlines()
    return [r for r in map(json.loads, lines) if r["event"] == "target"]


def assert_all_at_head_once(bed: FleetBed) -> None:
    everything = Counter({f"r{n:02d}": 1 for n in range(1, REVISIONS + 1)})
    for name in bed.names:
        assert bed.heads(name) == (f"r{REVISIONS:02d}",), name
        assert bed.audit(name) == everything, name


def test_shards_broken_tenants_and_resume(
    project: MigrationProject, bed: FleetBed, tmp_path: Path
) -> None:
    failing, unreachable = bed.names[-2], bed.names[-1]
    bed.create(leave_out=(unreachable,))
    bed.upgrade(project, bed.names[0], "r01")
    bed.upgrade(project, bed.names[1], "r02")
    bed.execute(failing, "CREATE TABLE {schema}tr02 (id INTEGER)")  # r02 will fail on it

    states = [tmp_path / "shard-0.jsonl", tmp_path / "shard-1.jsonl"]
    statuses = []
    for index, state in enumerate(states):
        status, output = fleet(project, bed, shard=f"{index}/2", state=str(state), **bed.source())
        statuses.append(status)
        assert "postgresql+psycopg://postgres:" not in output  # never a password
    seen = [record["target"] for state in states for record in records(state)]
    identities = {bed.target(name).identity: name for name in bed.names}
    assert sorted(seen) == sorted(identities), "each tenant in exactly one shard"
    by_name = {identities[str(r["target"])]: r for state in states for r in records(state)}
    broken_shards = {
        index
        for index, state in enumerate(states)
        for r in records(state)
        if identities[str(r["target"])] in (failing, unreachable)
    }
    assert [status != 0 for status in statuses] == [i in broken_shards for i in (0, 1)]

    for name in bed.names[:-2]:
        assert by_name[name]["outcome"] == "ok", by_name[name]
        assert by_name[name]["end"] == ["r03"]
    assert by_name[bed.names[0]]["start"] == ["r01"]
    assert by_name[bed.names[0]]["applied"] == ["r02", "r03"]
    assert by_name[bed.names[1]]["start"] == ["r02"]
    assert by_name[failing]["outcome"] == "failed"
    assert "tr02" in str(by_name[failing]["error"]) and "r02" in str(by_name[failing]["error"])
    assert by_name[unreachable]["outcome"] == "failed"
    assert by_name[unreachable]["error"]
    assert bed.heads(failing) != ("r03",)

    bed.execute(failing, "DROP TABLE {schema}tr02")
    bed.create_one(unreachable)
    resumed = []
    for index, state in enumerate(states):
        before = len(records(state))
        status, output = fleet(project, bed, shard=f"{index}/2", resume=str(state), **bed.source())
        assert status == 0, output
        resumed += records(state)[before:]
    assert sorted(identities[str(r["target"])] for r in resumed) == sorted([failing, unreachable])
    assert_all_at_head_once(bed)

    # Everything done: a resumed run skips every tenant and succeeds without starting one.
    status, output = fleet(
        project,
        bed,
        shard="0/2",
        resume=str(states[0]),
        state=str(tmp_path / "again.jsonl"),
        **bed.source(),
    )
    assert status == 0 and "ok " not in output


def _runner(
    project: MigrationProject, bed: FleetBed, tmp_path: Path, state: Path
) -> subprocess.Popen[bytes]:
    """`migrate fleet upgrade head` as its own process, with r02 slow enough to be caught."""
    ini = tmp_path / "migrate.ini"
    url = bed.db.url_string.replace("%", "%%")
    ini.write_text(f"[migrate]\nscript_location = {project.env_dir}\nsqlalchemy.url = {url}\n")
    ((option, value),) = bed.source().items()
    flag = "--" + option.replace("_file", "").replace("_", "-")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "migrate_cli.cli",
            "-c",
            str(ini),
            "fleet",
            "upgrade",
            "head",
            flag,
            value,
            "-j",
            "2",
            "--state",
            str(state),
        ],
        env={**os.environ, SLEEP_VARIABLE: "0.6", "TMPDIR": str(tmp_path)},  # its work folder
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_for_records(state: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if state.exists() and len(records(state)) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the runner recorded fewer than {count} targets: {process.poll()}")


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_runner_killed_mid_run_then_resumed(
    project: MigrationProject, bed: FleetBed, tmp_path: Path, how: str
) -> None:
    bed.create()
    state = tmp_path / "state.jsonl"
    runner = _runner(project, bed, tmp_path, state)
    _wait_for_records(state, 1, runner)
    runner.send_signal(getattr(signal, how))
    output = runner.communicate(timeout=60)[0].decode()
    if how == "SIGINT":
        # No new target starts; running ones stop after the migration in progress,
        # keeping (and recording) what ran; exit 130.
        assert runner.returncode == 130, output
        assert "interrupted (Ctrl-C)" in output
        assert len(records(state)) < len(bed.names)
        identities = {bed.target(name).identity: name for name in bed.names}
        for record in records(state):
            assert record["outcome"] in ("ok", "interrupted"), record
            name = identities[str(record["target"])]
            assert list(bed.heads(name)) == record["end"], record
            ran = sorted(bed.audit(name).elements())
            assert ran == [f"r{n:02d}" for n in range(1, len(ran) + 1)]  # whole migrations
    done_before = len(records(state))

    status, output = fleet(project, bed, resume=str(state), **bed.source())
    assert status == 0, output
    resumed = records(state)[done_before:]
    finished_before = sum(r["outcome"] == "ok" for r in records(state)[:done_before])
    assert len(resumed) == len(bed.names) - finished_before  # each unfinished tenant, once
    assert_all_at_head_once(bed)
