"""Alembic API migrate does not provide is reported before anything runs: where, and what to do."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path
from typing import Any

from migrate_cli.alembic_compat.scan import scan_source

Project = Any
Migrate = Any


def names(source: str) -> list[tuple[int, str]]:
    return [(item.line, item.name) for item in scan_source(textwrap.dedent(source), "x.py")]


def test_provided_names_pass() -> None:
    assert (
        names(
            """
            import alembic
            from alembic import op, context
            from alembic.config import Config
            from alembic.operations import ops
            import alembic.runtime.migration as migration
            op.add_column("t", None)
            op.f("ix")
            context.configure(url="sqlite://")
            alembic.context.config.get_main_option("x")
            migration.MigrationContext.configure
            ops.UpgradeOps(ops=[])
            Config("alembic.ini").get_main_option("script_location")
            """
        )
        == []
    )


def test_unprovided_names_are_found_with_their_line() -> None:
    assert names(
        """
        from alembic import op
        from alembic.ddl.impl import DefaultImpl
        from alembic.autogenerate import comparators, rewriter
        import alembic.operations

        @op.implementation_for(object)
        def f(): ...

        alembic.operations.Operations.register_operation("x")
        """
    ) == [
        (3, "alembic.ddl"),
        (4, "alembic.autogenerate.comparators"),
        (7, "alembic.op.implementation_for"),
        (10, "alembic.operations.Operations.register_operation"),
    ]


def test_files_without_alembic_cost_nothing() -> None:
    assert scan_source("this is not even python (", "x.py") == []


def _alembic_revision(project: Project, rev: str, down: str | None, body: str) -> Path:
    path = project.versions / f"{rev}_step.py"
    body_lines = textwrap.indent(textwrap.dedent(body), "    ")
    path.write_text(
        f'"""step {rev}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
        f"revision = {rev!r}\ndown_revision = {down!r}\n\n\n"
        f"def upgrade():\n{body_lines}\n\n\ndef downgrade():\n    pass\n",
        encoding="utf-8",
    )
    return path


def test_an_unprovided_name_in_a_later_script_stops_the_run_before_the_first(
    project: Project, migrate: Migrate
) -> None:
    _alembic_revision(project, "a1", None, 'op.create_table("t", sa.Column("id", sa.Integer))')
    _alembic_revision(project, "b2", "a1", 'op.add_column("t", sa.Column("x", sa.Integer))')
    bad = _alembic_revision(
        project, "c3", "b2", "from alembic.ddl.impl import DefaultImpl\nDefaultImpl"
    )

    result = migrate("upgrade", "head")

    assert result.exit_code == 1
    assert f"{bad}:10: alembic.ddl: " in result.stderr
    assert "ddl_ops.DialectImpl" in result.stderr and "nothing was migrated" in result.stderr
    with sqlite3.connect(project.db_path) as db:
        names = {row[0] for row in db.execute("select name from sqlite_master")}
    assert "t" not in names


def test_an_unprovided_name_in_env_py_stops_before_env_py_runs(
    project: Project, migrate: Migrate
) -> None:
    env = project.script_dir / "env.py"
    env.write_text(
        "from alembic.autogenerate import comparators\nraise SystemExit('env.py ran')\n"
        + env.read_text(encoding="utf-8"),
        encoding="utf-8",
    )

    result = migrate("current")

    assert result.exit_code == 1
    assert f"{env}:1: alembic.autogenerate.comparators: " in result.stderr
    assert "env.py was not run" in result.stderr
