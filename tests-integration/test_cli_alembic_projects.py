"""Real Alembic projects run under `migrate` unchanged, and leave the schema Alembic leaves.

Each project under data/alembic-projects/ (see its README.md: upstream, commit,
licence, stand-ins) is copied and, on each database it supports here, run with
`migrate upgrade head`, `current`, `heads`, `history`, `check` and `downgrade`
as far as its downgrades go. When the real Alembic is installed, it first
migrates the same (emptied) database, and the two schemas are compared by
reflection: columns, types, nullability, defaults, PK, FKs, indexes, uniques,
checks and row counts, with constraint names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic_projects import (
    AlembicProject,
    ProjectRun,
    alembic_installed,
    schema_snapshot,
    snapshot_differences,
)
from dbtesting import LiveDatabase, reset_database

PROJECTS = [
    AlembicProject(
        name="ctfd",
        config="migrations/alembic.ini",
        revisions=33,
        heads=("8275865e5992",),
        # 336b8c601b94's downgrade drops an FK it never named: Alembic fails there too.
        downgrade_to="336b8c601b94",
        # SQLite: 4d3c1b59d011 adds an FK outside batch mode, which Alembic refuses too.
        # MariaDB: 46a278193a94 runs a plain SQL string, which SQLAlchemy 2 refuses.
        databases=("postgresql",),
        script_location="migrations",  # Flask-Migrate sets it in code
    ),
    AlembicProject(
        name="mailu",
        config="migrations/alembic.ini",
        revisions=33,
        heads=("9a5866105f5a",),
        # 25fd6c7bcb4a's downgrade calls batch.drop_column('user', ...): a TypeError in both.
        downgrade_to="25fd6c7bcb4a",
        databases=("sqlite", "postgresql", "mariadb"),
        script_location="migrations",
        differences={
            # 12e9a4f6ed73 changes the type in batch mode without existing_server_default:
            # Alembic's MODIFY drops the default 27ae2f102682 set; migrate's batch fills the
            # hint from the reflected table and keeps it (docs/differences-from-alembic.md).
            "mariadb": ("user.spam_threshold: default Alembic None, migrate '80'",),
        },
    ),
    AlembicProject(
        name="fullstack-fastapi",
        config="alembic.ini",
        revisions=5,
        heads=("fe56fa70289e",),
        downgrade_to="base",
        # d98dd8ec85a3 creates the uuid-ossp extension and PostgreSQL UUID columns.
        databases=("postgresql",),
    ),
    AlembicProject(
        name="keystone",
        config="alembic.ini",
        revisions=10,
        heads=("742c857f1dfb", "c88cdce8f248"),
        downgrade_to=None,  # OpenStack migrations have no downgrade()
        databases=("sqlite", "postgresql", "mariadb"),
        upgrade_target="heads",
        url_in_ini=True,
    ),
    AlembicProject(
        name="ckan",
        config="migration/alembic.ini",
        revisions=109,
        heads=("9445ce34fc23",),
        # fd6622e3d964's downgrade adds a column that is already there: Alembic fails too.
        downgrade_to="fd6622e3d964",
        databases=("postgresql",),
        url_in_ini=True,
    ),
]


def _reset(db: LiveDatabase, project: AlembicProject) -> None:
    reset_database(db)
    if db.name == "postgresql":
        with db.engine.begin() as conn:
            for schema in project.schemas:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _snapshot(db: LiveDatabase, project: AlembicProject) -> dict[str, object]:
    return schema_snapshot(db.engine, (None, *project.schemas))


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project_runs_under_migrate_as_under_alembic(
    db: LiveDatabase, project: AlembicProject, tmp_path: Path
) -> None:
    if db.name not in project.databases:
        pytest.skip(f"{project.name} does not support {db.name} (see its README.md)")
    run = ProjectRun.copy(project, tmp_path, db.url_string)

    alembic_schema = None
    if alembic_installed():
        done = run.alembic("upgrade", project.upgrade_target)
        assert done.returncode == 0, done.stderr[-2000:]
        alembic_schema = _snapshot(db, project)
        assert len(alembic_schema) > 1  # the project created its tables, not just the version
        _reset(db, project)

    up = run.migrate("upgrade", project.upgrade_target)

    assert up.returncode == 0, up.stderr[-2000:]
    migrated = _snapshot(db, project)
    # migrate's own history table (docs: "Point migrate at your Alembic project").
    assert "migrate_log" in migrated, sorted(migrated)
    migrated.pop("migrate_log", None)
    if alembic_schema is not None:
        found = snapshot_differences(alembic_schema, migrated)
        assert found == list(project.differences.get(db.name, ()))
    with db.engine.connect() as conn:
        recorded = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        assert sorted(recorded) == sorted(project.heads)
    heads = sorted(run.migrate("heads").stdout.splitlines())
    assert [line.split()[0] for line in heads] == sorted(project.heads)
    assert sorted(run.migrate("current").stdout.splitlines()) == sorted(heads)
    history = run.migrate("history")
    assert history.returncode == 0 and len(history.stdout.splitlines()) == project.revisions
    # The models stand-in is the schema reflected back: `check` must find nothing to do.
    check = run.migrate("check", ALEMBIC_PROJECT_MODELS_URL=db.url_string)
    assert check.returncode == 0, check.stdout + check.stderr

    down = run.migrate("downgrade", project.downgrade_to or "base")

    if project.downgrade_to is None:
        # Refused before anything runs, where Alembic fails at the first script.
        assert down.returncode == 1 and "has no downgrade() function" in down.stderr
        assert "nothing was migrated" in down.stderr
        assert sorted(run.migrate("current").stdout.splitlines()) == sorted(heads)
        return
    assert down.returncode == 0, down.stderr[-2000:]
    expected = "" if project.downgrade_to == "base" else f"{project.downgrade_to}\n"
    assert run.migrate("current").stdout == expected


@pytest.mark.backends("sqlite")
def test_keystone_autogenerate_goes_through_its_expand_contract_hook(
    db: LiveDatabase, tmp_path: Path
) -> None:
    """Keystone's process_revision_directives (alembic.util.Dispatcher, ops.MigrationScript in
    Alembic's order) puts a new table and column into an `expand` script in its release
    directory, on the expand head, though the history has two heads and no --head is given."""
    project = next(p for p in PROJECTS if p.name == "keystone")
    run = ProjectRun.copy(project, tmp_path, db.url_string)
    assert run.migrate("upgrade", "heads").returncode == 0
    models = tmp_path / "models.db"
    models.write_bytes(Path(db.url.database or "").read_bytes())
    with sa.create_engine(f"sqlite:///{models}").begin() as conn:
        conn.exec_driver_sql("CREATE TABLE extra_t (id INTEGER PRIMARY KEY, name VARCHAR(20))")
        conn.exec_driver_sql("ALTER TABLE project ADD COLUMN flavor VARCHAR(10)")

    made = run.migrate(
        "revision",
        "--autogenerate",
        "-m",
        "add extra",
        ALEMBIC_PROJECT_MODELS_URL=f"sqlite:///{models}",
    )

    assert made.returncode == 0, made.stderr[-2000:]
    written = list((run.root / "migrations" / "versions" / "2026.1").rglob("*_add_extra.py"))
    assert [path.parent.name for path in written] == ["expand"]
    script = written[0].read_text(encoding="utf-8")
    assert "down_revision = '742c857f1dfb'" in script and "from alembic import op" in script
    assert "op.create_table(\n        'extra_t'" in script
    assert "batch_op.add_column(sa.Column('flavor'" in script
    assert sorted(line.split()[0] for line in run.migrate("heads").stdout.splitlines()) == sorted(
        ["c88cdce8f248", written[0].name.split("_")[0]]
    )
