"""`migrate lint` through the real Click group: revisions chosen, formats, exit codes,
inline ignores, settings in pyproject.toml / migrate.ini, the database's facts, --sql."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ddl_ops.lint import Finding, Severity
from migrate_cli import command
from migrate_cli.commands.lint import format_github
from migrate_cli.testing import MigrationProject

Project = Any  # conftest fixtures
Migrate = Callable[..., Any]

CREATE = 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))'
ADD_NOT_NULL = 'op.add_column("account", sa.Column("plan", sa.String(20), nullable=False))'
INDEX = 'op.create_index("ix_plan", "account", ["plan"])'


def history(project: Project) -> None:
    """a1 creates account (clean); b2 adds a NOT NULL column and an index (two findings)."""
    project.write_revision(
        "a1", None, "create", upgrade=CREATE, downgrade='op.drop_table("account")'
    )
    project.write_revision(
        "b2",
        "a1",
        "plan",
        upgrade=f"{ADD_NOT_NULL}\n    {INDEX}",
        downgrade='op.drop_column("account", "plan")',
    )


def test_whole_history_offline_text(project: Project, migrate: Migrate) -> None:
    history(project)
    result = migrate("lint", "--no-database", "--dialect", "postgresql")
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    first = lines.index(
        "migrations/versions/b2_plan.py:16: MG101 [error] adding NOT NULL column account.plan "
        "without a server default"
    )
    assert lines[first + 1].startswith("  hint: add it nullable")
    assert "migrations/versions/b2_plan.py:17: MG201 [warning]" in lines[first + 2]
    assert (
        lines[-1] == "Found 2 finding(s): 1 error, 1 warning (2 revision(s), postgresql, offline)."
    )


def test_clean_history_exits_0(project: Project, migrate: Migrate) -> None:
    project.write_revision(
        "a1", None, "create", upgrade=CREATE, downgrade='op.drop_table("account")'
    )
    result = migrate("lint", "--no-database", "--dialect", "postgresql")
    assert result.exit_code == 0, result.stdout
    assert "All checks passed (1 revision(s), postgresql, offline)." in result.stdout


def test_info_findings_alone_do_not_fail(project: Project, migrate: Migrate) -> None:
    project.write_revision(
        "a1", None, "x", upgrade=CREATE, downgrade='op.drop_column("other", "id")'
    )
    result = migrate("lint", "--no-database", "--dialect", "postgresql")
    assert result.exit_code == 0 and "MG502 [info]" in result.stdout


def test_json_and_github_formats(project: Project, migrate: Migrate) -> None:
    history(project)
    data = migrate("lint", "--no-database", "--dialect", "postgresql", "--format", "json").json()
    assert data["dialect"] == "postgresql" and data["revisions"] == ["a1", "b2"]
    first = data["findings"][0]
    assert first["code"] == "MG101" and first["line"] == 16 and first["revision"] == "b2"
    assert first["path"] == "migrations/versions/b2_plan.py"
    github = migrate("lint", "--no-database", "--dialect", "postgresql", "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.splitlines()[0].startswith(
        "::error file=migrations/versions/b2_plan.py,line=16,title=MG101 add-not-null-column::"
        "adding NOT NULL column account.plan"
    )


def test_github_annotations_escape_their_special_characters() -> None:
    finding = Finding(
        "MG001", "x", Severity.WARNING, "50% of a:b\nnext", "", path="d,ir/a:b.py", line=3
    )
    assert format_github([finding]) == [
        "::warning file=d%2Cir/a%3Ab.py,line=3,title=MG001 x::50%25 of a:b%0Anext"
    ]


def test_range_and_since(project: Project, migrate: Migrate) -> None:
    history(project)
    project.write_revision("c3", "b2", "drop", upgrade='op.drop_table("account")')
    only_b2 = migrate("lint", "b2:b2", "--no-database", "--dialect", "postgresql", "--json")
    assert only_b2.json()["revisions"] == ["b2"]
    since = migrate("lint", "--since", "a1", "--no-database", "--dialect", "postgresql", "--json")
    assert since.json()["revisions"] == ["b2", "c3"]
    codes = {f["code"] for f in since.json()["findings"]}
    assert {"MG101", "MG201", "MG401", "MG501"} <= codes


def test_default_lints_only_what_the_database_has_not_applied(
    project: Project, migrate: Migrate
) -> None:
    history(project)
    command.upgrade(project.config(), "a1")
    with sa.create_engine(f"sqlite:///{project.db_path}").begin() as connection:
        connection.exec_driver_sql("INSERT INTO account (id) VALUES (1)")
    result = migrate("lint", "--json")
    data = result.json()
    assert data["used_database"] is True and data["dialect"] == "sqlite"
    assert data["revisions"] == ["b2"]
    assert [f["code"] for f in data["findings"]] == ["MG101"]


def test_default_counts_every_ancestor_of_the_current_revision_as_applied(
    project: Project, migrate: Migrate
) -> None:
    history(project)
    project.write_revision("c3", "b2", "drop", upgrade='op.drop_table("account")')
    project.write_revision("d4", "c3", "again", upgrade=CREATE)
    command.upgrade(project.config(), "c3")
    data = migrate("lint", "--json").json()
    assert data["revisions"] == ["d4"]


def test_facts_from_the_database_quiet_rules_on_empty_tables(
    project: Project, migrate: Migrate
) -> None:
    history(project)
    command.upgrade(project.config(), "a1")  # account exists, holds no rows
    result = migrate("lint", "--dialect", "postgresql", "--json")
    assert result.json()["used_database"] is True
    codes = [f["code"] for f in result.json()["findings"]]
    assert "MG101" not in codes and "MG201" not in codes


def test_unreachable_database_falls_back_to_the_whole_history(
    project: Project, migrate: Migrate
) -> None:
    history(project)
    project.set_option("sqlalchemy.url", f"sqlite:///{project.root}/no/such/dir/app.db")
    result = migrate("lint", "--dialect", "postgresql")
    assert result.exit_code == 1
    assert "note: database not used" in result.stderr
    assert "offline" in result.stdout.splitlines()[-1]


def test_errors_exit_2(project: Project, migrate: Migrate) -> None:
    history(project)
    bad_range = migrate("lint", "a1", "--no-database", "--dialect", "postgresql")
    assert bad_range.exit_code == 2 and "needs a colon" in bad_range.stderr
    project.set_option("sqlalchemy.url", "")
    no_dialect = migrate("lint", "--no-database")
    assert no_dialect.exit_code == 2 and "--dialect" in no_dialect.stderr
    unknown = migrate("lint", "--no-database", "--dialect", "nosuchdb")
    assert unknown.exit_code == 2 and "nosuchdb" in unknown.stderr


def test_broken_script_exits_2_naming_it(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, "x", upgrade="import nosuchmodule")
    (project.versions / "a1_x.py").write_text(
        (project.versions / "a1_x.py").read_text() + "\nimport nosuchmodule\n"
    )
    result = migrate("lint", "--no-database", "--dialect", "postgresql")
    assert result.exit_code == 2 and "a1_x.py" in result.stderr


def test_inline_ignore_in_a_script(project: Project, migrate: Migrate) -> None:
    project.write_revision(
        "a1", None, "create", upgrade=CREATE, downgrade='op.drop_table("account")'
    )
    project.write_revision(
        "b2",
        "a1",
        "plan",
        upgrade=f"{INDEX}  # migrate: ignore[MG201] account has 12 rows",
        downgrade='op.drop_index("ix_plan", "account")',
    )
    result = migrate("lint", "--no-database", "--dialect", "postgresql")
    assert result.exit_code == 0, result.stdout


def test_settings_in_pyproject(project: Project, migrate: Migrate) -> None:
    history(project)
    (project.root / "pyproject.toml").write_text(
        '[tool.migrate]\nscript_location = "migrations"\n\n'
        '[tool.migrate.lint]\ndialect = "postgresql"\nignore = ["MG5"]\n\n'
        '[tool.migrate.lint.postgresql]\nignore = ["create-index-not-concurrently"]\n'
    )
    project.ini.unlink()
    result = migrate("lint", "--no-database", "--json", config=False)
    assert [f["code"] for f in result.json()["findings"]] == ["MG101"]


def test_settings_in_the_ini_file(project: Project, migrate: Migrate) -> None:
    history(project)
    project.set_option("select", "MG1, MG2", section="migrate.lint")
    project.set_option("mysql.ignore", "MG101", section="migrate.lint")
    pg = migrate("lint", "--no-database", "--dialect", "postgresql", "--json").json()
    assert [f["code"] for f in pg["findings"]] == ["MG101", "MG201"]
    mysql = migrate("lint", "--no-database", "--dialect", "mysql", "--json").json()
    assert [f["code"] for f in mysql["findings"]] == []


def test_unknown_rule_in_settings_exits_2(project: Project, migrate: Migrate) -> None:
    history(project)
    project.set_option("ignore", "MG9", section="migrate.lint")
    result = migrate("lint", "--no-database", "--dialect", "postgresql")
    assert result.exit_code == 2 and "MG9" in result.stderr and "[migrate.lint]" in result.stderr


def test_sql_file(project: Project, migrate: Migrate, tmp_path: Path) -> None:
    sql = tmp_path / "up.sql"
    sql.write_text(
        "BEGIN;\nCREATE INDEX CONCURRENTLY ix ON account (plan);\nCOMMIT;\n"
        "ALTER TABLE account ADD COLUMN plan TEXT NOT NULL;\n"
    )
    result = migrate("lint", "--sql", str(sql), "--dialect", "postgresql")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "up.sql:2: MG202 [error] creating index ix CONCURRENTLY inside a transaction fails "
        "on PostgreSQL"
    )
    assert "up.sql:4: MG101" in result.stdout
    missing = migrate("lint", "--sql", str(tmp_path / "nope.sql"))
    assert missing.exit_code == 2


def test_autogenerate_prints_lint_findings_without_failing(tmp_path: Path) -> None:
    project = MigrationProject(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    (project.env_dir / "script.py.mako").write_text(
        (Path(command.__file__).parent / "templates" / "generic" / "script.py.mako").read_text()
    )
    project.add("a1", None, CREATE, 'op.drop_table("account")')
    metadata = sa.MetaData()
    sa.Table(
        "account",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan", sa.String(20), nullable=False),
    )
    config = project.config(configure_options={"target_metadata": metadata})
    command.upgrade(config, "head")
    script = command.revision(config, "plan", autogenerate=True)
    out = project.output.getvalue()
    assert "Lint findings in the new revision" in out
    assert f"{Path(script.path).name}" in out and "MG101" in out  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_no_findings_in_every_format_exits_0(project: Project, migrate: Migrate, fmt: str) -> None:
    project.write_revision(
        "a1", None, "create", upgrade=CREATE, downgrade='op.drop_table("account")'
    )
    result = migrate("lint", "--no-database", "--dialect", "postgresql", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "json":
        assert json.loads(result.stdout)["findings"] == []


TWO_DATABASES_ENV_PY = """\
import sqlalchemy as sa

from migrate_cli import context

for name in ("one.db", "two.db"):
    engine = sa.create_engine(f"sqlite:///{context.config.config_file_dir / name}")
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
"""


def test_multi_database_env_is_linted_once(project: Project, migrate: Migrate) -> None:
    (project.script_dir / "env.py").write_text(TWO_DATABASES_ENV_PY, encoding="utf-8")
    history(project)
    data = migrate("lint", "--json").json()
    assert data["used_database"] is True and data["revisions"] == ["a1", "b2"]
    assert [f["code"] for f in data["findings"]] == ["MG101"]


def test_the_command_line_offers_the_linters_report_formats() -> None:
    from migrate_cli.cli import lint as cli_lint
    from migrate_cli.commands import lint

    assert cli_lint.FORMATS == lint.FORMATS


def test_help_imports_neither_the_linter_nor_sqlalchemy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from migrate_cli.cli import get_cli\n"
        "get_cli()\n"
        "heavy = [m for m in ('sqlglot', 'sqlalchemy', 'mako', 'migrate_autogen') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_script_commands_import_neither_the_linter_nor_sqlalchemy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import migrate_cli.commands.init, migrate_cli.commands.revision\n"
        "import migrate_cli.commands.scripts\n"
        "print(','.join(m for m in ('sqlglot', 'sqlalchemy') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
