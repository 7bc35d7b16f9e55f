"""`migrate squash` on real Alembic projects: the squashed history gives the original schema.

Each project (data/alembic-projects/, see test_cli_alembic_projects.py) is copied and a
range of its history squashed with `migrate squash`, as its users would type it, while the
project's own database (ALEMBIC_PROJECT_URL, which Flask-Migrate-style env.py files read
through the application) holds nothing: squash must neither create nor change anything
there. Then databases that start empty, at the revision the range builds on, and at every
revision inside the range (reached through the old files) are upgraded with the squash in
place; each must end with the schema the original history gives (compared by reflection:
columns, types, defaults, keys, indexes, constraints, row counts) and at the same heads.

The ranges are short (four revisions) to keep the run to seconds per database; which
project runs where follows test_cli_alembic_projects.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic_projects import AlembicProject, ProjectRun, schema_snapshot, snapshot_differences
from dbtesting import LiveDatabase, reset_database
from test_cli_alembic_projects import PROJECTS

SQUASH_ID = "5a5a5a5a5a5a"


@dataclass(frozen=True)
class SquashCase:
    project: str
    first: str
    last: str
    parent: str  # what the range builds on
    inside: tuple[str, ...]  # the range's revisions after the first, in order
    databases: tuple[str, ...]

    @property
    def alembic_project(self) -> AlembicProject:
        return next(p for p in PROJECTS if p.name == self.project)


CASES = [
    # Flask-Migrate env.py: sqlalchemy.url comes from the app; a column type change
    # (token.ip), boolean columns with server defaults, a new table with FKs and a unique.
    SquashCase(
        project="mailu",
        first="7ac252f2bbbf",
        last="31f40da48c01",
        parent="f4f0f89e0047",
        inside=("6b8f5e8caaa9", "0ba45693748d", "31f40da48c01"),
        databases=("sqlite", "postgresql", "mariadb"),
    ),
    # Flask-Migrate env.py with the URL from the app's engine; a new table, a data
    # migration (5c98d9253f56) and a rename of values.
    SquashCase(
        project="ctfd",
        first="f73a96c97449",
        last="5c98d9253f56",
        parent="62bf576b2cd3",
        inside=("662d728ad7da", "364b4efa1686", "5c98d9253f56"),
        databases=("postgresql",),
    ),
    # OpenStack env.py (engine_from_config on the ini's URL); two branches, expand and
    # contract, from one branch point: the range is on the expand branch, and its head
    # (742c857f1dfb) is built on the range's last revision. Index and server-default changes.
    SquashCase(
        project="keystone",
        first="b4f8b3f584e0",
        last="e8725d6fa226",
        parent="29e87d24a316",
        inside=("11c3b243b4cb", "47147121", "e8725d6fa226"),
        databases=("sqlite", "postgresql", "mariadb"),
    ),
    # CKAN's env.py (engine_from_config); a hundred revisions before the range, a partial
    # index, a new column with a default, and "sync models" changes of types and indexes.
    SquashCase(
        project="ckan",
        first="353aaf2701f0",
        last="12d64978ab44",
        parent="ff13667243ed",
        inside=("9f33a0280c51", "4a5e3465beb6", "12d64978ab44"),
        databases=("postgresql",),
    ),
]


def _cases() -> list[object]:
    return [pytest.param(case, id=f"{case.project}-{case.first[:4]}") for case in CASES]


# Upgrades every start in one process, as a project's own tooling calls the command API
# (Flask-Migrate does): a subprocess per command would spend most of the test starting up.
STARTS_RUNNER = """
import json, sys
from pathlib import Path
import sqlalchemy as sa
sys.path.insert(0, sys.argv[1])
from alembic_projects import schema_snapshot
from dbtesting import LiveDatabase, reset_database
from migrate_cli import command
from migrate_cli.config import Config, locate_config

name, url, config_file, target = sys.argv[2:6]
starts = json.loads(sys.argv[6])
engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
db = LiveDatabase(name, engine.url, engine)
for start in starts:
    if name == "sqlite":
        engine.dispose()
        Path(engine.url.database).unlink(missing_ok=True)
    else:
        reset_database(db)
    where = locate_config(config_file)  # as the command line reads it: [alembic] here
    def config():
        return Config(where.ini, ini_section=where.ini_section, toml_section=where.toml_section)
    if start is not None:
        command.upgrade(config(), start)
    command.upgrade(config(), target)
    found = schema_snapshot(engine)
    found.pop("migrate_log", None)
    with engine.connect() as conn:
        heads = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
        heads = sorted(heads)
    print(json.dumps({"start": start, "schema": found, "heads": heads}))
"""


def _clean(db: LiveDatabase) -> None:
    if db.name == "sqlite":
        Path(db.url.database or "").unlink(missing_ok=True)
    else:
        reset_database(db)


def _snapshot(db: LiveDatabase) -> Any:
    found = schema_snapshot(db.engine)
    found.pop("migrate_log", None)  # migrate's own history table
    return json.loads(json.dumps(found))  # as the runner's JSON gives it: lists for tuples


def _heads(db: LiveDatabase) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def _ok(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]


def _upgrade_from_each(
    run: ProjectRun, db: LiveDatabase, starts: list[str | None]
) -> list[dict[str, Any]]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            STARTS_RUNNER,
            str(Path(__file__).parent),
            db.name,
            db.url_string,
            run.project.config,
            run.project.upgrade_target,
            json.dumps(starts),
        ],
        cwd=run.root,
        env=run.environ(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    _ok(done)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("case", _cases())
def test_squashed_history_gives_the_original_schema_from_every_start(
    db: LiveDatabase, case: SquashCase, tmp_path: Path
) -> None:
    if db.name not in case.databases:
        pytest.skip(f"{case.project} is squashed on {', '.join(case.databases)} here")
    project = case.alembic_project
    run = ProjectRun.copy(project, tmp_path, db.url_string)
    _ok(run.migrate("upgrade", project.upgrade_target))
    original = _snapshot(db)
    original_heads = _heads(db)
    _clean(db)

    scratch = () if db.name == "sqlite" else ("--scratch-url", db.url_string)
    # CTFd's ini runs ruff on new revisions (post_write_hooks): the venv's ruff on PATH.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    squashed = run.migrate(
        "squash",
        f"{case.first}:{case.last}",
        "-m",
        "squash",
        "--rev-id",
        SQUASH_ID,
        *scratch,
        PATH=path,
    )

    _ok(squashed)
    assert f"Squashed 4 revisions ({case.first}, {', '.join(case.inside)}) into {SQUASH_ID}" in (
        squashed.stdout
    )
    # The project's own database was neither created nor touched.
    if db.name == "sqlite":
        assert not Path(db.url.database or "").exists()
    else:
        assert sa.inspect(db.engine).get_table_names() == []
    history = run.migrate("history").stdout
    # A branch's label (Keystone's "(expand)") is shown between the arrow and the squash note.
    (line,) = [x for x in history.splitlines() if x.startswith(f"{case.parent} -> {SQUASH_ID} ")]
    assert "(squashes 4 revisions" in line

    starts: list[str | None] = [None, case.parent, case.first, *case.inside]
    results = _upgrade_from_each(run, db, starts)

    assert [r["start"] for r in results] == starts
    for result in results:
        where = f"starting at {result['start'] or 'base'}"
        assert snapshot_differences(original, result["schema"]) == [], where
        assert result["heads"] == original_heads, where


@pytest.mark.backends("postgresql")
def test_an_env_py_with_its_own_engine_is_refused_before_connecting(
    db: LiveDatabase, tmp_path: Path
) -> None:
    """full-stack-fastapi's env.py builds its engine from the app's settings, not from the
    config: squash refuses, and the project's database is never reached."""
    project = next(p for p in PROJECTS if p.name == "fullstack-fastapi")
    run = ProjectRun.copy(project, tmp_path, db.url_string)
    with db.engine.begin() as conn:  # a marker: any connection would show in pg_stat_activity
        conn.exec_driver_sql("CREATE TABLE untouched (id integer)")
    revisions = [line.split(",")[0] for line in run.migrate("history").stdout.splitlines()]
    top = revisions[0].split(" -> ")[1].split()[0]
    bottom = revisions[-1].split(" -> ")[1].split()[0]

    refused = run.migrate("squash", f"{bottom}:{top}", "--scratch-url", db.url_string)

    assert refused.returncode == 1
    assert "env.py tried to connect to a postgresql database (host=" in refused.stderr
    assert f"dbname={db.url.database}" in refused.stderr
    assert "migrate refused, so nothing reached that database" in refused.stderr
    assert sa.inspect(db.engine).get_table_names() == ["untouched"]
    assert not list((run.root / "app" / "alembic" / "versions").glob("*squash*"))
