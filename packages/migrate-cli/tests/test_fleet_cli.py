"""`migrate fleet` end to end on SQLite files: the hook in env.py, canary, fail-fast,
timeout, JSON events, current and a resumed relative downgrade."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from migrate_cli.cli import get_cli
from migrate_cli.fleet.pool import FleetPool, TargetResult
from migrate_cli.fleet.targets import FleetTarget
from migrate_cli.fleet.worker import WorkerConfig, run_target
from migrate_cli.testing import ENV_PY, MigrationProject

#: The test env.py, plus the fleet hook and a record of the target each run saw.
HOOK_ENV_PY = (
    """
def fleet_targets(config):
    folder = config.get_main_option("tenant_folder")
    for name in ("alpha", "beta", "gamma"):
        yield {"url": f"sqlite:///{folder}/{name}.db", "name": name}
"""
    + ENV_PY
    + """
target = context.get_fleet_target()
if target is not None and not context.is_offline_mode():
    with open(config.get_main_option("seen_file"), "a") as seen:
        seen.write(f"{target.name} {config.get_main_option('sqlalchemy.url')}\\n")
"""
)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs without --state write their default state file in the current directory."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def project(tmp_path: Path) -> MigrationProject:
    project = MigrationProject(tmp_path / "project", "sqlite:///unused.db", env_py=HOOK_ENV_PY)
    project.add_table("r1", None, "one")
    project.add(
        "r2", "r1", "import time\ntime.sleep(float(__import__('os').environ.get('H17_SLOW', '0')))"
    )
    project.add_table("r3", "r2", "three")
    return project


def migrate(
    tmp_path: Path,
    project: MigrationProject,
    *args: str,
    url: str = "sqlite:///unused.db",
    before: tuple[str, ...] = (),
) -> Result:
    ini = tmp_path / "migrate.ini"
    ini.write_text(
        "[migrate]\n"
        f"script_location = {project.env_dir}\n"
        + (f"sqlalchemy.url = {url}\n" if url else "")
        + f"tenant_folder = {tmp_path}\n"
        f"seen_file = {tmp_path / 'seen.txt'}\n"
    )
    return CliRunner().invoke(
        get_cli(), ["-c", str(ini), *before, "fleet", *args], catch_exceptions=False
    )


def heads(path: Path) -> list[str]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        try:
            return [row[0] for row in conn.execute("SELECT version_num FROM migrate_version")]
        except sqlite3.OperationalError:
            return []


def urls_file(tmp_path: Path, names: list[str]) -> str:
    path = tmp_path / "urls.txt"
    path.write_text("".join(f"sqlite:///{tmp_path / name}.db\n" for name in names))
    return str(path)


def test_env_py_hook_lists_the_targets_and_each_run_sees_its_own(
    tmp_path: Path, project: MigrationProject
) -> None:
    state = tmp_path / "state.jsonl"
    result = migrate(tmp_path, project, "upgrade", "head", "-j", "2", "--state", str(state))
    assert result.exit_code == 0, result.output
    for name in ("alpha", "beta", "gamma"):
        assert heads(tmp_path / f"{name}.db") == ["r3"]
    seen = sorted((tmp_path / "seen.txt").read_text().splitlines())
    assert seen == [f"{n} sqlite:///{tmp_path}/{n}.db" for n in ("alpha", "beta", "gamma")]
    assert "3 of 3 target(s) at the goal (upgrade r3)" in result.output
    assert "r3" in result.output.split("revision")[-1]


def test_the_hook_is_found_even_if_offline_env_py_needs_a_url_the_config_lacks(
    tmp_path: Path, project: MigrationProject
) -> None:
    result = migrate(tmp_path, project, "upgrade", "r1", url="")
    assert result.exit_code == 0, result.output
    assert heads(tmp_path / "beta.db") == ["r1"]


def test_no_target_source_is_a_clear_error(tmp_path: Path) -> None:
    project = MigrationProject(tmp_path / "project", "sqlite:///unused.db")
    result = migrate(tmp_path, project, "upgrade", "head")
    assert result.exit_code == 1
    assert "give --urls FILE, --schemas a,b,c or --schemas-query SQL" in result.output


def test_canary_failure_starts_no_other_target(tmp_path: Path, project: MigrationProject) -> None:
    urls = urls_file(tmp_path, ["missing/one", "two", "three"])
    result = migrate(tmp_path, project, "upgrade", "head", "--urls", urls, "--canary", "1")
    assert result.exit_code == 1
    assert "canary failed: 2 other target(s) not started" in result.output
    assert heads(tmp_path / "two.db") == [] and heads(tmp_path / "three.db") == []


def test_fail_fast_stops_starting_targets(tmp_path: Path, project: MigrationProject) -> None:
    urls = urls_file(tmp_path, ["missing/one", "two", "three"])
    result = migrate(tmp_path, project, "upgrade", "head", "--urls", urls, "-j", "1", "--fail-fast")
    assert result.exit_code == 1
    assert "2 not started" in result.output


def test_timeout_stops_a_slow_target(
    tmp_path: Path, project: MigrationProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("H17_SLOW", "30")
    urls = urls_file(tmp_path, ["slow"])
    result = migrate(tmp_path, project, "upgrade", "head", "--urls", urls, "--timeout", "3")
    assert result.exit_code == 1
    assert "[timeout]: stopped after the 3s timeout" in result.output
    assert heads(tmp_path / "slow.db") == []  # the run was interrupted and rolled back


def test_json_events_and_current(tmp_path: Path, project: MigrationProject) -> None:
    urls = urls_file(tmp_path, ["one", "two"])
    assert migrate(tmp_path, project, "upgrade", "r1", "--urls", urls).exit_code == 0
    result = migrate(tmp_path, project, "current", "--urls", urls, "--json")
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [e["event"] for e in events if e["event"] != "start"][0] == "run"
    finished = [e for e in events if e["event"] == "finish"]
    assert sorted(e["end"] for e in finished) == [["r1"], ["r1"]]
    assert events[-1]["event"] == "summary" and events[-1]["revisions"] == {"r1": 2}


def test_resumed_relative_downgrade_moves_each_target_once(
    tmp_path: Path, project: MigrationProject
) -> None:
    urls = urls_file(tmp_path, ["one", "two", "missing/three"])
    assert migrate(tmp_path, project, "upgrade", "head", "--urls", urls).exit_code == 1
    state = tmp_path / "down.jsonl"
    first = migrate(tmp_path, project, "downgrade", "-1", "--urls", urls, "--state", str(state))
    assert first.exit_code == 1
    assert heads(tmp_path / "one.db") == ["r2"]
    (tmp_path / "missing").mkdir()
    again = migrate(tmp_path, project, "downgrade", "-1", "--urls", urls, "--resume", str(state))
    assert "2 target(s) already at the goal" in again.output
    assert heads(tmp_path / "one.db") == ["r2"] and heads(tmp_path / "two.db") == ["r2"]


def test_a_worker_error_never_carries_the_password(tmp_path: Path) -> None:
    leaky = (
        "from migrate_cli import context\n"
        'raise RuntimeError(context.config.get_main_option("sqlalchemy.url"))\n'
    )
    project = MigrationProject(tmp_path / "project", "sqlite:///unused.db", env_py=leaky)
    spec = {
        "main_options": {"script_location": str(project.env_dir)},
        "command": "current",
        "target": {"url": "postgresql+psycopg://app:Sekr3t@db.invalid/tenant"},
    }
    result = run_target(spec)
    assert result["outcome"] == "failed"
    assert "Sekr3t" not in result["error"] and "app:***@db.invalid" in result["error"]


def test_a_stop_request_ends_the_run_after_the_migration_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What SIGUSR1 (the runner's first Ctrl-C) does in a worker, here raised by r1 itself."""
    project = MigrationProject(tmp_path / "project", "sqlite:///unused.db")
    stop = "from migrate_cli.fleet.worker import WorkerConfig\nWorkerConfig.stop_wanted = True\n"
    project.add("r1", None, 'op.create_table("one", sa.Column("id", sa.Integer))\n' + stop)
    project.add_table("r2", "r1", "two")
    monkeypatch.setattr(WorkerConfig, "stop_wanted", False)
    spec = {
        "main_options": {"script_location": str(project.env_dir)},
        "command": "upgrade",
        "revision": "head",
        "target": {"url": f"sqlite:///{tmp_path / 'one.db'}"},
    }
    result = run_target(spec)
    assert result["outcome"] == "interrupted", result
    assert result["start"] == [] and result["end"] == ["r1"] and result["applied"] == ["r1"]
    assert heads(tmp_path / "one.db") == ["r1"]  # committed and recorded, not rolled back


def test_the_per_server_budget_caps_targets_on_one_server(tmp_path: Path) -> None:
    """Three targets on one server with a budget of 1 run one at a time, even at -j 3;
    a target on another server runs beside them. (Port 1: each fails fast, refused.)"""
    project = MigrationProject(tmp_path / "project", "sqlite:///unused.db")
    project.add_table("r1", None, "one")
    targets = [FleetTarget(f"postgresql+psycopg://u@127.0.0.1:1/t{n}") for n in range(3)]
    targets.append(FleetTarget("postgresql+psycopg://u@127.0.0.2:1/other"))
    running: Counter[str] = Counter()
    most: Counter[str] = Counter()

    def started(target: FleetTarget) -> None:
        running[target.server] += 1
        most[target.server] = max(most[target.server], running[target.server])

    def finished(result: TargetResult) -> None:
        running[result.target.server] -= 1

    spec = {
        "main_options": {"script_location": str(project.env_dir)},
        "command": "upgrade",
        "revision": "head",
    }
    pool = FleetPool(spec, tmp_path, jobs=3, max_per_server=1, on_start=started, on_finish=finished)
    outcome = pool.run(targets)
    assert len(outcome.finished) == 4 and not any(r.ok for r in outcome.finished)
    assert most == Counter({"postgresql://127.0.0.1:1": 1, "postgresql://127.0.0.2:1": 1})
    # Each error names its own server (they finish in any order).
    for result in outcome.finished:
        host = sa.make_url(result.target.url).host
        assert host is not None and host in str(result.error)


def test_check_fails_only_the_targets_whose_models_differ(tmp_path: Path) -> None:
    models = (
        "import sqlalchemy as sa\n"
        "metadata = sa.MetaData()\n"
        'sa.Table("one", metadata, sa.Column("id", sa.Integer, primary_key=True))\n'
    )
    env_py = models + ENV_PY.replace(
        'options = dict(config.attributes.get("configure_options", {}))',
        'options = {"target_metadata": metadata}',
    )
    project = MigrationProject(tmp_path / "project", "sqlite:///unused.db", env_py=env_py)
    project.add_table("r1", None, "one")
    single = urls_file(tmp_path, ["current"])
    assert migrate(tmp_path, project, "upgrade", "head", "--urls", single).exit_code == 0
    urls = urls_file(tmp_path, ["current", "behind"])
    result = migrate(tmp_path, project, "check", "--urls", urls)
    assert result.exit_code == 1
    assert "1 of 2 target(s) at the goal (check)" in result.output
    assert f"sqlite:///{tmp_path}/behind.db [failed]:" in result.output


def test_quiet_prints_only_the_failures(tmp_path: Path, project: MigrationProject) -> None:
    urls = urls_file(tmp_path, ["fine", "missing/broken"])
    result = migrate(tmp_path, project, "upgrade", "head", "--urls", urls, before=("-q",))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"FAILED  sqlite:///{tmp_path}/missing/broken.db: ")
    assert lines[1:] == [
        f"state: {lines[1].split()[1]} (fix, then run again with --resume {lines[1].split()[1]})"
    ]
