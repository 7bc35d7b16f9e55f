"""`migrate check` and `revision --autogenerate`'s environment run, on SQLite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from migrate_autogen import MigrationScript
from migrate_cli import Config, command
from migrate_cli.errors import CommandError
from migrate_cli.runtime.autogenerate import prepare_revision
from migrate_cli.script import ScriptDirectory
from migrate_cli.testing import MigrationProject as Project

ACCOUNT = """\
op.create_table(
    "account",
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)"""


def models(extra_column: bool = False) -> sa.MetaData:
    metadata = sa.MetaData()
    columns: list[Any] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    ]
    if extra_column:
        columns.append(sa.Column("email", sa.String(100), nullable=True))
    sa.Table("account", metadata, *columns)
    return metadata


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add("a1", None, ACCOUNT, 'op.drop_table("account")', message="create account")
    return project


def make_config(project: Project, metadata: sa.MetaData, **options: Any) -> Config:
    return project.config(configure_options={"target_metadata": metadata, **options})


def output(config: Config) -> str:
    return config.stdout.getvalue()  # type: ignore[union-attr]


def test_check_passes_when_models_match(project: Project) -> None:
    config = make_config(project, models())
    command.upgrade(config, "head")
    command.check(config)
    assert "No new upgrade operations detected." in output(config)


def test_check_fails_listing_the_operations(project: Project) -> None:
    config = make_config(project, models(extra_column=True))
    command.upgrade(config, "head")
    with pytest.raises(CommandError, match="1 upgrade operation"):
        command.check(config)
    listing = output(config)
    assert "New upgrade operations detected:" in listing
    # SQLite: listed as the revision would write it, in a batch block
    assert "with op.batch_alter_table('account') as batch_op:" in listing
    assert "batch_op.add_column(sa.Column('email'" in listing


def test_check_refuses_a_database_behind_the_scripts(project: Project) -> None:
    config = make_config(project, models())
    with pytest.raises(CommandError, match="not at the head"):
        command.check(config)


def test_check_json_output(project: Project) -> None:
    config = make_config(project, models(extra_column=True))
    command.upgrade(config, "head")
    config.json_output = True
    with pytest.raises(CommandError):
        command.check(config)
    document = json.loads(output(config))
    assert document["up_to_date"] is False and any("email" in c for c in document["changes"])


def test_include_object_hook_reaches_the_comparison(project: Project) -> None:
    def skip_email(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        return name != "email"

    config = make_config(project, models(extra_column=True), include_object=skip_email)
    command.upgrade(config, "head")
    command.check(config)


def test_prepare_revision_fills_operations_and_runs_both_hooks(project: Project) -> None:
    seen: list[str] = []

    def env_hook(context: Any, revision: Any, directives: list[Any]) -> None:
        seen.append(f"env {revision}")

    def command_hook(context: Any, revision: Any, directives: list[Any]) -> None:
        seen.append(f"command {len(directives[0].upgrade_ops)}")

    config = make_config(
        project,
        models(extra_column=True),
        process_revision_directives=env_hook,
        user_module_prefix="mytypes.",
    )
    command.upgrade(config, "head")
    script = MigrationScript(message="add email")
    directives, render = prepare_revision(
        config,
        ScriptDirectory.from_config(config),
        script,
        autogenerate=True,
        process_revision_directives=command_hook,
    )
    assert directives == [script]
    assert [type(op).__name__ for op in script.upgrade_ops] == ["AddColumnOp"]
    assert [type(op).__name__ for op in script.downgrade_ops] == ["DropColumnOp"]
    assert seen == ["env ('a1',)", "command 1"]
    assert render["user_module_prefix"] == "mytypes."
    # the dialect lets the renderer batch SQLite's changes unless env.py says otherwise
    assert set(render) == {"user_module_prefix", "operation_tokens", "dialect_name"}
    assert render["dialect_name"] == "sqlite"


def test_prepare_revision_hook_can_empty_the_list(project: Project) -> None:
    def drop_all(context: Any, revision: Any, directives: list[Any]) -> None:
        directives.clear()

    config = make_config(project, models(), process_revision_directives=drop_all)
    command.upgrade(config, "head")
    directives, _ = prepare_revision(
        config, ScriptDirectory.from_config(config), MigrationScript(), autogenerate=True
    )
    assert directives == []


def test_autogenerate_without_target_metadata_is_a_clear_error(project: Project) -> None:
    config = make_config(project, None)  # type: ignore[arg-type]
    command.upgrade(config, "head")
    with pytest.raises(CommandError, match="target_metadata"):
        command.check(config)


def test_upgrade_tokens_render_each_database_under_its_own_name(project: Project) -> None:
    config = make_config(
        project,
        models(extra_column=True),
        upgrade_token="engine1_upgrades",
        downgrade_token="engine1_downgrades",
    )
    command.upgrade(config, "head")
    directives, render = prepare_revision(
        config, ScriptDirectory.from_config(config), MigrationScript(), autogenerate=True
    )
    groups = render["operation_tokens"].group(directives[0])
    assert [type(op).__name__ for op in groups["engine1_upgrades"]] == ["AddColumnOp"]
    assert [type(op).__name__ for op in groups["engine1_downgrades"]] == ["DropColumnOp"]
    assert groups["upgrades"] == groups["downgrades"] == []


def test_operations_a_hook_adds_render_under_the_default_token(project: Project) -> None:
    from ddl_ops import DropTableOp

    def add_one(context: Any, revision: Any, directives: list[Any]) -> None:
        directives[0].upgrade_ops.append(DropTableOp("legacy"))

    config = make_config(
        project,
        models(extra_column=True),
        upgrade_token="engine1_upgrades",
        downgrade_token="engine1_downgrades",
        process_revision_directives=add_one,
    )
    command.upgrade(config, "head")
    directives, render = prepare_revision(
        config, ScriptDirectory.from_config(config), MigrationScript(), autogenerate=True
    )
    groups = render["operation_tokens"].group(directives[0])
    assert [type(op).__name__ for op in groups["engine1_upgrades"]] == ["AddColumnOp"]
    assert [type(op).__name__ for op in groups["upgrades"]] == ["DropTableOp"]


TWO_RUNS_ENV_PY = """
from sqlalchemy import create_engine, pool

from migrate_cli import context

config = context.config
engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
for name in ("first", "second"):
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=config.attributes["configure_options"]["target_metadata"],
            upgrade_token=f"{name}_upgrades",
            downgrade_token=f"{name}_downgrades",
        )
        with context.begin_transaction():
            context.run_migrations()
"""


def test_check_reports_every_run_of_env_py_in_one_document(project: Project) -> None:
    (project.env_dir / "env.py").write_text(TWO_RUNS_ENV_PY)
    config = make_config(project, models(extra_column=True))
    command.upgrade(config, "head")
    config.json_output = True
    with pytest.raises(CommandError, match="2 upgrade operation"):
        command.check(config)
    document = json.loads(output(config))
    assert document["up_to_date"] is False and len(document["changes"]) == 2


def test_check_applies_process_revision_directives_like_revision_does(project: Project) -> None:
    def ignore_everything(context: Any, revision: Any, directives: list[Any]) -> None:
        directives[0].upgrade_ops = []

    config = make_config(
        project, models(extra_column=True), process_revision_directives=ignore_everything
    )
    command.upgrade(config, "head")
    command.check(config)
    assert "No new upgrade operations detected." in output(config)


def test_extra_configure_options_reach_autogenerate_as_user_options(project: Project) -> None:
    from migrate_cli.runtime.autogenerate import compare_options

    seen: dict[str, Any] = {}

    def capture(context: Any, revision: Any, directives: list[Any]) -> None:
        seen.update(compare_options(context))

    config = make_config(
        project, models(), tenant_schema="acme", process_revision_directives=capture
    )
    command.upgrade(config, "head")
    command.check(config)
    assert seen["user_options"] == {"tenant_schema": "acme"}
