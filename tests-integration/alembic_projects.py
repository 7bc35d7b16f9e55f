"""Running a real Alembic project (tests-integration/data/alembic-projects/<name>) both ways.

Each project is copied to a temporary directory and run in subprocesses:
`migrate ...` as its users would type it, and the real Alembic (when installed)
through its Python API, as the project's own tooling (e.g. Flask-Migrate) calls it.
`schema_snapshot` reflects what either left behind, for comparison.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

DATA = Path(__file__).parent / "data" / "alembic-projects"
MIGRATE = str(Path(sys.executable).with_name("migrate"))

ALEMBIC_RUNNER = """
import sys
from alembic import command
from alembic.config import Config

config_file, script_location, name, target = sys.argv[1:5]
config = Config(config_file)
if script_location:
    config.set_main_option("script_location", script_location)
getattr(command, name)(config, target)
"""


def alembic_installed() -> bool:
    return importlib.util.find_spec("alembic") is not None


@dataclass(frozen=True)
class AlembicProject:
    """One copied project and how its users run it."""

    name: str
    config: str  # the -c argument, relative to the project directory
    revisions: int  # revision files in its history
    heads: tuple[str, ...]
    #: "base", the lowest revision its downgrades reach, or None when it has no downgrades.
    downgrade_to: str | None
    databases: tuple[str, ...]
    script_location: str | None = None  # what the project's tooling sets in code, for Alembic
    schemas: tuple[str, ...] = ()  # extra PostgreSQL schemas it migrates into
    upgrade_target: str = "head"
    #: The URL is set in the copied alembic.ini (sqlalchemy.url), as its users do.
    url_in_ini: bool = False
    #: Per database, the schema differences from Alembic's result, each explained where listed.
    differences: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class ProjectRun:
    project: AlembicProject
    root: Path
    url: str

    @classmethod
    def copy(cls, project: AlembicProject, tmp: Path, url: str) -> ProjectRun:
        root = tmp / project.name
        shutil.copytree(DATA / project.name, root)
        if project.url_in_ini:
            ini = root / project.config
            text = ini.read_text(encoding="utf-8")
            line = "sqlalchemy.url = " + url.replace("%", "%%")
            ini.write_text(
                re.sub(r"(?m)^sqlalchemy\.url = .*$", lambda _: line, text), encoding="utf-8"
            )
        return cls(project, root, url)

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        standins = self.root / "standins"
        paths = [str(standins)] if standins.is_dir() else []
        env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).strip(os.pathsep)
        env["ALEMBIC_PROJECT_URL"] = self.url
        env.pop("MIGRATE_CONFIG", None)
        return env

    def migrate(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [MIGRATE, "-c", self.project.config, *args],
            cwd=self.root,
            env={**self.environ(), **env},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    def alembic(self, name: str, target: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-c",
                ALEMBIC_RUNNER,
                self.project.config,
                self.project.script_location or "",
                name,
                target,
            ],
            cwd=self.root,
            env=self.environ(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )


def _default(value: Any) -> str | None:
    return None if value is None else str(value).strip("()")


def schema_snapshot(engine: sa.Engine, schemas: tuple[str | None, ...] = (None,)) -> dict[str, Any]:
    """Columns (type, nullability, default), PK, FKs, indexes, uniques, checks and row counts."""
    result: dict[str, Any] = {}
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for schema in schemas:
            for table in sorted(inspector.get_table_names(schema=schema)):
                key = f"{schema}.{table}" if schema else table
                pk = inspector.get_pk_constraint(table, schema=schema)
                quoted = conn.dialect.identifier_preparer.quote(table)
                if schema:
                    quoted = f"{conn.dialect.identifier_preparer.quote_schema(schema)}.{quoted}"
                rows = conn.execute(sa.text(f"SELECT COUNT(*) FROM {quoted}")).scalar_one()
                result[key] = {
                    "columns": [
                        (
                            c["name"],
                            str(c["type"].compile(dialect=conn.dialect)),
                            c["nullable"],
                            _default(c["default"]),
                        )
                        for c in inspector.get_columns(table, schema=schema)
                    ],
                    "pk": (pk.get("name"), tuple(pk["constrained_columns"])),
                    "fks": sorted(
                        (
                            f.get("name") or "",
                            tuple(f["constrained_columns"]),
                            f.get("referred_schema") or "",
                            f["referred_table"],
                            tuple(f["referred_columns"]),
                            f["options"].get("ondelete") or "",
                            f["options"].get("onupdate") or "",
                        )
                        for f in inspector.get_foreign_keys(table, schema=schema)
                    ),
                    "indexes": sorted(
                        (i["name"] or "", tuple(map(str, i["column_names"])), bool(i["unique"]))
                        for i in inspector.get_indexes(table, schema=schema)
                    ),
                    "uniques": sorted(
                        (u["name"] or "", tuple(u["column_names"]))
                        for u in inspector.get_unique_constraints(table, schema=schema)
                    ),
                    "checks": sorted(
                        (c["name"] or "", " ".join(str(c["sqltext"]).split()))
                        for c in inspector.get_check_constraints(table, schema=schema)
                    ),
                    "rows": rows,
                }
    return result


_COLUMN_FIELDS = ("type", "nullable", "default")


def _column_differences(table: str, alembic: list[Any], migrate: list[Any]) -> list[str]:
    """`table.column: default Alembic None, migrate '80'`, one line per differing field."""
    if [c[0] for c in alembic] != [c[0] for c in migrate]:
        names = ([c[0] for c in alembic], [c[0] for c in migrate])
        return [f"{table} columns: Alembic {names[0]} != migrate {names[1]}"]
    lines = []
    for before, after in zip(alembic, migrate):
        for aspect, left, right in zip(_COLUMN_FIELDS, before[1:], after[1:]):
            if left != right:
                lines.append(f"{table}.{before[0]}: {aspect} Alembic {left!r}, migrate {right!r}")
    return lines


def snapshot_differences(alembic: dict[str, Any], migrate: dict[str, Any]) -> list[str]:
    """One line per table and aspect where the two schemas differ."""
    lines = []
    for table in sorted(set(alembic) | set(migrate)):
        if table not in migrate:
            lines.append(f"{table}: only after Alembic")
            continue
        if table not in alembic:
            lines.append(f"{table}: only after migrate")
            continue
        lines.extend(
            _column_differences(table, alembic[table]["columns"], migrate[table]["columns"])
        )
        for aspect in alembic[table]:
            if aspect == "columns":
                continue
            if alembic[table][aspect] != migrate[table][aspect]:
                lines.append(
                    f"{table} {aspect}: Alembic {alembic[table][aspect]!r} "
                    f"!= migrate {migrate[table][aspect]!r}"
                )
    return lines
