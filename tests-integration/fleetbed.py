"""A small fleet on one live server for `migrate fleet` tests and the fleet benchmark.

PostgreSQL: one schema per tenant in the test database; MariaDB: one
database per tenant; SQLite: one file per tenant. Every name starts with
``h17_`` and `drop()` removes them all. Each revision writes its id into the
tenant's ``h17_audit`` table, so a test can tell that no migration ran twice.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dbtesting import LiveDatabase

from migrate_cli import command
from migrate_cli.config import Config
from migrate_cli.fleet.targets import FleetTarget
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.testing import MigrationProject

#: r2 sleeps this long when the environment variable is set (to catch a run mid-way).
SLEEP_VARIABLE = "H17_FLEET_SLEEP"


def write_revisions(project: MigrationProject, count: int) -> list[str]:
    """r01 makes the audit table; each revision creates table tNN and records its id."""
    revisions = [f"r{number:02d}" for number in range(1, count + 1)]
    down = None
    for rev in revisions:
        body = ""
        if rev == "r01":
            body = 'op.create_table("h17_audit", sa.Column("revision", sa.String(8)))\n'
        body += textwrap.dedent(
            f"""\
            op.create_table("t{rev}", sa.Column("id", sa.Integer, primary_key=True))
            op.execute("INSERT INTO h17_audit (revision) VALUES ('{rev}')")
            """
        )
        if rev == "r02":
            body += f"import os, time\ntime.sleep(float(os.environ.get({SLEEP_VARIABLE!r}) or 0))\n"
        project.add(rev, down, body, f'op.drop_table("t{rev}")')
        down = rev
    return revisions


class FleetBed:
    """`count` tenants named `{prefix}NN` on the database `db` (created by `create()`)."""

    def __init__(self, db: LiveDatabase, tmp: Path, prefix: str, count: int) -> None:
        self.db = db
        self.tmp = tmp
        self.names = [f"{prefix}{number:03d}" for number in range(count)]
        self.missing: set[str] = set()

    # -- the tenants --------------------------------------------------------------------------

    def create(self, *, leave_out: tuple[str, ...] = ()) -> None:
        """Create every tenant except `leave_out` (unreachable until `create_one`)."""
        self.missing = set(leave_out)
        if self.db.name == "sqlite":
            (self.tmp / "tenants").mkdir(exist_ok=True)
        for name in self.names:
            if name not in leave_out:
                self.create_one(name)

    def create_one(self, name: str) -> None:
        self.missing.discard(name)
        if self.db.name == "sqlite":
            (self.tmp / "tenants" / name).mkdir(exist_ok=True)
            return
        kind = "SCHEMA" if self.db.name == "postgresql" else "DATABASE"
        with self.db.engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE {kind} {name}")

    def drop(self) -> None:
        if self.db.name == "sqlite":
            return
        with self.db.engine.begin() as conn:
            for name in self.names:
                if self.db.name == "postgresql":
                    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
                else:
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")

    def target(self, name: str) -> FleetTarget:
        if self.db.name == "postgresql":
            return FleetTarget(self.db.url_string, schema=name, name=name)
        if self.db.name == "sqlite":
            # A folder per tenant: a tenant left out has no folder, so it cannot be opened.
            return FleetTarget(f"sqlite:///{self.tmp / 'tenants' / name / 'app.db'}", name=name)
        url = self.db.url.set(database=name)
        return FleetTarget(url.render_as_string(hide_password=False), name=name)

    def source(self, names: list[str] | None = None) -> dict[str, Any]:
        """FleetOptions keyword arguments that select these tenants (all by default)."""
        chosen = self.names if names is None else names
        if self.db.name == "postgresql" and names is None:
            # A query, with a LIKE pattern: its % must reach the server as written.
            rows = ", ".join(f"('{name}')" for name in chosen)
            query = f"SELECT n FROM (VALUES {rows}) AS v(n) WHERE n LIKE 'h17\\_%' ORDER BY n"
            return {"schemas_query": query}
        if self.db.name == "postgresql":
            return {"schemas": ",".join(chosen)}
        path = self.tmp / f"urls-{len(chosen)}-{chosen[0]}.txt"
        lines = ["# tenants of the fleet test", *(self.target(n).url for n in chosen)]
        path.write_text("\n".join(lines) + "\n")
        return {"urls_file": str(path)}

    def config(self, project: MigrationProject, name: str) -> Config:
        """A single-database Config for one tenant (to set it up at some revision)."""
        config = project.config()
        url = self.target(name).connection_url()
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        return config

    def upgrade(self, project: MigrationProject, name: str, revision: str) -> None:
        command.upgrade(self.config(project, name), revision)

    # -- looking inside -----------------------------------------------------------------------

    def _connect(self, name: str) -> tuple[sa.Engine, str | None]:
        if self.db.name == "sqlite":
            return sa.create_engine(self.target(name).url, poolclass=sa.pool.NullPool), None
        return self.db.engine, name

    def execute(self, name: str, sql: str) -> None:
        engine, schema = self._connect(name)
        with engine.begin() as conn:
            conn.exec_driver_sql(sql.format(schema=f"{schema}." if schema else ""))

    def heads(self, name: str) -> tuple[str, ...]:
        engine, schema = self._connect(name)
        with engine.connect() as conn:
            return MigrationContext.configure(
                conn, opts={"version_table_schema": schema}
            ).get_current_heads()

    def audit(self, name: str) -> Counter[str]:
        """How many times each revision ran on the tenant."""
        engine, schema = self._connect(name)
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("h17_audit", schema=schema):
                return Counter()
            prefix = f"{schema}." if schema else ""
            rows = conn.exec_driver_sql(f"SELECT revision FROM {prefix}h17_audit").all()
        return Counter(row[0] for row in rows)
