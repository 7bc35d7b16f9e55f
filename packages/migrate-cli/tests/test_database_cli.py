"""The database commands through the `migrate` command line (Click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from migrate_cli.cli import get_cli
from migrate_cli.runtime.migration import MigrationContext

ENV_PY = """
from sqlalchemy import create_engine, pool

from migrate_cli import context

config = context.config
x = context.get_x_argument(as_dictionary=True)
tag = context.get_tag_argument()
if tag:
    print(f"tag={tag}")
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, version_table=x.get("table", "migrate_version"))
        with context.begin_transaction():
            context.run_migrations()
"""


def revision_file(rev: str, down: str | None, table: str) -> str:
    return (
        f'"""create {table}"""\nimport sqlalchemy as sa\nfrom ddl_ops import op\n\n'
        f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\n"
        "depends_on = None\n\n\n"
        f'def upgrade():\n    op.create_table("{table}", sa.Column("id", sa.Integer, '
        "primary_key=True))\n\n\n"
        f'def downgrade():\n    op.drop_table("{table}")\n'
    )


class Cli:
    def __init__(self, root: Path) -> None:
        self.root = root
        env = root / "env"
        (env / "versions").mkdir(parents=True)
        (env / "env.py").write_text(ENV_PY)
        for rev, down, table in [("a1", None, "one"), ("b2", "a1", "two"), ("c3", "b2", "three")]:
            (env / "versions" / f"{rev}.py").write_text(revision_file(rev, down, table))
        self.db = root / "app.db"
        self.ini = root / "migrate.ini"
        self.ini.write_text(
            f"[migrate]\nscript_location = %(here)s/env\nsqlalchemy.url = sqlite:///{self.db}\n"
        )

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(get_cli(), ["-c", str(self.ini), *args], catch_exceptions=False)

    def heads(self, table: str = "migrate_version") -> tuple[str, ...]:
        with sa.create_engine(f"sqlite:///{self.db}").connect() as conn:
            return MigrationContext.configure(
                conn, opts={"version_table": table}
            ).get_current_heads()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def test_upgrade_downgrade_current(cli: Cli) -> None:
    assert cli("upgrade", "head").exit_code == 0
    assert cli.heads() == ("c3",)
    result = cli("current")
    assert result.exit_code == 0 and "c3 (head)" in result.output
    assert cli("downgrade", "-2").exit_code == 0
    assert cli.heads() == ("a1",)
    assert cli("upgrade", "+1").exit_code == 0
    assert cli.heads() == ("b2",)


def test_current_check_heads_exit_codes(cli: Cli) -> None:
    cli("upgrade", "b2")
    result = cli("current", "--check-heads")
    assert result.exit_code == 1
    assert "ERROR: the database is at b2, not at the head(s) c3" in result.output
    cli("upgrade", "head")
    assert cli("current", "--check-heads").exit_code == 0


def test_current_json(cli: Cli) -> None:
    cli("upgrade", "head")
    result = cli("current", "--json")
    document = json.loads(result.output)
    assert document["at_head"] is True
    [record] = document["current"]
    assert record["revision"] == "c3" and record["is_head"] is True
    assert record["is_current"] is True
    assert record["down_revisions"] == ["b2"] and record["path"].endswith("c3.py")


def test_unknown_revision_is_one_line_and_exit_1(cli: Cli) -> None:
    result = cli("upgrade", "zzz")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ERROR: ") and "zzz" in lines[0]


def test_upgrade_needs_a_revision(cli: Cli) -> None:
    assert cli("upgrade").exit_code == 2


def test_range_without_sql_is_refused(cli: Cli) -> None:
    result = cli("upgrade", "a1:c3")
    assert result.exit_code == 1 and "--sql" in result.output


def test_offline_upgrade_prints_sql_and_touches_nothing(cli: Cli) -> None:
    result = cli("upgrade", "a1:c3", "--sql")
    assert result.exit_code == 0
    assert "-- Running upgrade a1 -> b2, create two" in result.output
    assert "UPDATE migrate_version SET version_num='c3'" in result.output
    assert "CREATE TABLE migrate_version" not in result.output  # started from a1, not base
    assert not cli.db.exists() or cli.heads() == ()


def test_stamp_multiple_targets_and_purge(cli: Cli) -> None:
    assert cli("stamp", "b2").exit_code == 0
    assert cli.heads() == ("b2",)
    assert cli("stamp", "--purge", "a1").exit_code == 0
    assert cli.heads() == ("a1",)
    offline = cli("stamp", "c3", "--sql")
    assert offline.exit_code == 0 and "INSERT INTO migrate_version" in offline.output


def test_x_arguments_and_tag_reach_env_py(cli: Cli) -> None:
    result = cli("-x", "table=custom_versions", "upgrade", "head", "--tag", "release-7")
    assert result.exit_code == 0
    assert "tag=release-7" in result.output
    assert cli.heads("custom_versions") == ("c3",)


def test_ensure_version(cli: Cli) -> None:
    assert cli("ensure-version").exit_code == 0
    assert cli.heads() == ()
    with sa.create_engine(f"sqlite:///{cli.db}").connect() as conn:
        assert "migrate_version" in sa.inspect(conn).get_table_names()
    assert json.loads(cli("ensure-version", "--json").output) == {
        "version_table": "migrate_version",
        "created": False,
    }
    offline = cli("ensure-version", "--sql")
    assert "CREATE TABLE migrate_version" in offline.output


def test_failing_migration_exits_1_with_one_line(cli: Cli) -> None:
    bad = cli.root / "env" / "versions" / "d4.py"
    bad.write_text(revision_file("d4", "c3", "one"))  # table "one" exists already
    result = cli("upgrade", "head")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "upgrade d4" in lines[0] and "d4.py" in lines[0] and "already exists" in lines[0]
    assert cli.heads() == ()  # the whole run was one transaction


def test_check_without_autogenerate_hook_is_clear(cli: Cli) -> None:
    cli("upgrade", "head")
    result = cli("check")
    assert result.exit_code == 1 and "target_metadata" in result.output


def test_unreachable_database_is_one_line_without_the_password(cli: Cli) -> None:
    cli.ini.write_text(
        "[migrate]\nscript_location = %(here)s/env\n"
        "sqlalchemy.url = postgresql+psycopg://app:s3cret-pw@127.0.0.1:1/app\n"
    )
    result = cli("upgrade", "head")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ERROR: ") and "env.py failed" in lines[0]
    assert "s3cret-pw" not in result.output


def test_env_py_import_error_is_one_line(cli: Cli) -> None:
    env_py = cli.root / "env" / "env.py"
    env_py.write_text("import myapp_models_that_do_not_exist\n" + env_py.read_text())
    result = cli("upgrade", "head")
    assert result.exit_code == 1
    assert "ModuleNotFoundError" in result.output and "--raiseerr" in result.output


def test_upgrade_and_downgrade_json_report_what_ran(cli: Cli) -> None:
    document = json.loads(cli("upgrade", "head", "--json").output)
    assert [step["revision"] for step in document["applied"]] == ["a1", "b2", "c3"]
    assert all(
        step["direction"] == "upgrade" and step["seconds"] >= 0 for step in document["applied"]
    )
    assert document["heads"] == ["c3"]
    document = json.loads(cli("downgrade", "-1", "--json").output)
    assert document["applied"][0]["description"] == "downgrade c3 -> b2, create three"
    assert document["heads"] == ["b2"]
    assert json.loads(cli("upgrade", "b2", "--json").output) == {"applied": [], "heads": ["b2"]}
