"""`--json` must leave exactly one JSON document on stdout, whatever the command does.

Found by driving `migrate ... --json` from a deploy script that parses stdout
with `json.loads`: a failing `check`, `current --check-heads`, an env.py that
migrates two databases, and post-write hooks that print all broke that.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

Project = Any  # conftest fixtures
Migrate = Any

MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True))
sa.Table(
    "invoice",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("total", sa.Numeric(10, 2)),
)
"""

CREATE_ACCOUNT = 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))'

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


def use_models(project: Project) -> None:
    (project.root / "dogfood_models.py").write_text(MODELS, encoding="utf-8")
    env = project.script_dir / "env.py"
    env.write_text(
        env.read_text(encoding="utf-8").replace(
            "target_metadata = None",
            "from dogfood_models import metadata as target_metadata",
        ),
        encoding="utf-8",
    )


def test_failing_check_prints_one_document_with_the_error(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1", None, upgrade=CREATE_ACCOUNT)
    use_models(project)
    assert migrate("upgrade", "head").exit_code == 0

    result = migrate("--json", "check")

    assert result.exit_code == 1
    document = result.json()
    assert document["up_to_date"] is False
    assert "upgrade operation(s) detected" in document["error"]
    assert "ERROR:" in result.stderr


def test_check_lists_one_entry_per_operation(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, upgrade=CREATE_ACCOUNT)
    use_models(project)
    migrate("upgrade", "head")

    changes = migrate("--json", "check").json()["changes"]

    # create_table renders over several lines; it is still one operation
    assert len(changes) == 1
    assert changes[0].startswith("op.create_table(") and changes[0].rstrip().endswith(")")
    assert "'total'" in changes[0]


def test_current_check_heads_failing_prints_one_document(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1", None)
    project.write_revision("b2", "a1")
    migrate("upgrade", "a1")

    result = migrate("current", "--check-heads", "--json")

    assert result.exit_code == 1
    document = result.json()
    assert document["at_head"] is False
    assert [record["revision"] for record in document["current"]] == ["a1"]
    assert "not at the head(s) b2" in document["error"]


def test_current_over_two_databases_is_one_document(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None)
    project.write_revision("b2", "a1")
    (project.script_dir / "env.py").write_text(TWO_DATABASES_ENV_PY, encoding="utf-8")
    assert migrate("upgrade", "head").exit_code == 0

    result = migrate("--json", "current")

    assert result.exit_code == 0
    document = result.json()
    assert [record["revision"] for record in document["current"]] == ["b2", "b2"]
    assert document["at_head"] is True


def test_current_over_two_databases_at_head_only_if_both_are(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1", None)
    project.write_revision("b2", "a1")
    (project.script_dir / "env.py").write_text(TWO_DATABASES_ENV_PY, encoding="utf-8")
    migrate("upgrade", "head")
    # the second database falls behind
    second = TWO_DATABASES_ENV_PY.replace('("one.db", "two.db")', '("two.db",)')
    (project.script_dir / "env.py").write_text(second, encoding="utf-8")
    migrate("downgrade", "-1")
    (project.script_dir / "env.py").write_text(TWO_DATABASES_ENV_PY, encoding="utf-8")

    result = migrate("--json", "current", "--check-heads")

    assert result.exit_code == 1
    document = result.json()
    assert [record["revision"] for record in document["current"]] == ["b2", "a1"]
    assert document["at_head"] is False


def run_migrate(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: hooks write to the process's file descriptors."""
    return subprocess.run(
        [sys.executable, "-m", "migrate_cli.cli", "-c", str(project.ini), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def add_echo_hook(project: Project) -> None:
    project.set_option("hooks", "shout", section="post_write_hooks")
    project.set_option("shout.type", "exec", section="post_write_hooks")
    project.set_option("shout.executable", "echo", section="post_write_hooks")
    project.set_option("shout.options", "hook saw REVISION_SCRIPT_FILENAME", "post_write_hooks")


def test_post_write_hook_output_stays_off_stdout_under_json(project: Project) -> None:
    add_echo_hook(project)

    result = run_migrate(project, "--json", "revision", "-m", "hooked", "--rev-id", "a1")

    assert result.returncode == 0, result.stderr
    [written] = json.loads(result.stdout)
    assert written["revision"] == "a1"
    assert f"hook saw {written['path']}" in result.stderr


def test_post_write_hook_output_is_silent_under_quiet(project: Project) -> None:
    add_echo_hook(project)

    result = run_migrate(project, "-q", "revision", "-m", "hooked", "--rev-id", "a1")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "hook saw" not in result.stderr
    assert len(list(project.versions.glob("a1_*.py"))) == 1


def test_post_write_hook_output_still_shown_by_default(project: Project) -> None:
    add_echo_hook(project)

    result = run_migrate(project, "revision", "-m", "hooked", "--rev-id", "a1")

    assert result.returncode == 0, result.stderr
    assert "Generating" in result.stdout and "hook saw" in result.stderr


def test_revision_sql_with_revision_environment_prints_only_the_result(
    project: Project, migrate: Migrate
) -> None:
    """env.py runs offline for `revision --sql`; its empty BEGIN/COMMIT is no output."""
    project.set_option("revision_environment", "true")

    result = migrate("--json", "revision", "--sql", "-m", "offline env", "--rev-id", "a1")

    assert result.exit_code == 0, result.stderr
    [written] = json.loads(result.stdout)
    assert written["revision"] == "a1"
    text = migrate("revision", "--sql", "-m", "again", "--rev-id", "b2").stdout
    assert "BEGIN" not in text and "Generating" in text
