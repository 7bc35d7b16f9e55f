"""Eight `migrate upgrade head` processes on one database: each migration runs exactly once.

Every migration inserts its id into a log table and sleeps a little, so the
runs overlap; without the lock several processes would apply the same
revision (and then fail on the version table or duplicate the log rows).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase

from migrate_cli.testing import MigrationProject

PROCESSES = 8
MIGRATIONS = 12

ENV_PY = """
from sqlalchemy import create_engine, pool

from migrate_cli import context

config = context.config
x = context.get_x_argument(as_dictionary=True)
per_migration = "per_migration" in x
options = {"isolation_level": x["isolation"].replace("_", " ")} if "isolation" in x else {}
engine = create_engine(
    config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool, **options
)
with engine.connect() as connection:
    context.configure(connection=connection, transaction_per_migration=per_migration)
    with context.begin_transaction():
        context.run_migrations()
"""

FIRST = """\
op.create_table(
    "applied_log",
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("revision", sa.String(32), nullable=False),
)
"""


def write_project(root: Path, db: LiveDatabase) -> Path:
    project = MigrationProject(root, db.url_string, env_py=ENV_PY)
    down = None
    for number in range(MIGRATIONS):
        rev = f"r{number:03d}"
        body = (FIRST if number == 0 else "") + textwrap.dedent(
            f"""\
            import time
            op.execute("INSERT INTO applied_log (revision) VALUES ('{rev}')")
            time.sleep(0.02)
            """
        )
        project.add(rev, down, body, message=f"step {number}")
        down = rev
    ini = root / "migrate.ini"
    url = db.url_string.replace("%", "%%")
    ini.write_text(f"[migrate]\nscript_location = {project.env_dir}\nsqlalchemy.url = {url}\n")
    return ini


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["one_transaction", "per_migration", "repeatable_read"])
def test_concurrent_upgrades_apply_each_migration_once(
    tmp_path: Path, db: LiveDatabase, mode: str
) -> None:
    ini = write_project(tmp_path, db)
    argv = [sys.executable, "-c", "from migrate_cli.cli import main; main()", "-c", str(ini)]
    if mode == "per_migration":
        argv += ["-x", "per_migration"]
    if mode == "repeatable_read":
        if db.dialect == "sqlite":
            pytest.skip("SQLite has one isolation level")
        # the heads must be read with a snapshot taken after the lock, not before it
        argv += ["-x", "isolation=REPEATABLE_READ"]
    argv += ["upgrade", "head"]
    runs = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    results = [(run.wait(timeout=180), *run.communicate()) for run in runs]
    for code, _out, err in results:
        assert code == 0, err
    with db.engine.connect() as conn:
        counts = dict(
            conn.execute(
                sa.text("SELECT revision, COUNT(*) FROM applied_log GROUP BY revision")
            ).all()
        )
        heads = [row[0] for row in conn.execute(sa.text("SELECT version_num FROM migrate_version"))]
    assert counts == {f"r{n:03d}": 1 for n in range(MIGRATIONS)}
    assert heads == [f"r{MIGRATIONS - 1:03d}"]
