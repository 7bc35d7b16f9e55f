"""Running migrations through env.py on SQLite: plans, version table, transactions, failures."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa

from migrate_cli import command
from migrate_cli.errors import CommandError
from migrate_cli.runtime.migration import MigrationContext
from migrate_cli.testing import MigrationProject as Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")


@pytest.fixture
def linear(project: Project) -> Project:
    project.add_table("a1", None, "account")
    project.add_table("b2", "a1", "invoice")
    project.add_table("c3", "b2", "payment")
    return project


def test_upgrade_head_applies_everything_and_records_the_head(linear: Project) -> None:
    command.upgrade(linear.config(), "head")
    assert linear.heads() == ("c3",)
    assert {"account", "invoice", "payment", "migrate_version"} <= linear.tables()


def test_upgrade_is_idempotent(linear: Project) -> None:
    command.upgrade(linear.config(), "head")
    command.upgrade(linear.config(), "head")
    assert linear.heads() == ("c3",)


def test_relative_upgrade_and_downgrade(linear: Project) -> None:
    command.upgrade(linear.config(), "+2")
    assert linear.heads() == ("b2",)
    command.downgrade(linear.config(), "-1")
    assert linear.heads() == ("a1",)
    assert "invoice" not in linear.tables()
    command.downgrade(linear.config(), "base")
    assert linear.heads() == ()
    assert linear.tables() == {"migrate_version", "migrate_log"}


def test_upgrade_to_a_prefix(linear: Project) -> None:
    command.upgrade(linear.config(), "b")
    assert linear.heads() == ("b2",)


def test_log_lines_name_each_step_with_its_duration(
    linear: Project, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="migrate_cli.runtime.migration")
    command.upgrade(linear.config(), "head")
    messages = [r.getMessage() for r in caplog.records]
    assert "Running upgrade  -> a1, create account" in messages
    assert "Running upgrade a1 -> b2, create invoice" in messages
    done = [m for m in messages if m.startswith("Done upgrade a1 -> b2 in ")]
    assert done and done[0].endswith(" ms") or done[0].endswith(" s")


def test_done_line_of_a_merge_names_all_its_parents(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    project.add_table("a1", None, "account")
    project.add_table("b2", "a1", "invoice")
    project.add_table("n2", "a1", "network")
    project.add("m3", ("b2", "n2"), message="merge invoice and network")
    caplog.set_level(logging.INFO, logger="migrate_cli.runtime.migration")
    command.upgrade(project.config(), "head")
    messages = [r.getMessage() for r in caplog.records]
    assert "Running upgrade b2, n2 -> m3, merge invoice and network" in messages
    assert any(m.startswith("Done upgrade b2, n2 -> m3 in ") for m in messages), messages


def test_unnamed_constraints_take_target_metadatas_naming_convention(project: Project) -> None:
    metadata = sa.MetaData(
        naming_convention={
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
        }
    )
    project.add_table("a1", None, "account")
    project.add(
        "b2",
        "a1",
        'op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True),\n'
        '    sa.Column("account_id", sa.Integer), sa.Column("number", sa.String(20)),\n'
        '    sa.ForeignKeyConstraint(["account_id"], ["account.id"]),\n'
        '    sa.UniqueConstraint("number"))',
    )
    options = {"target_metadata": [sa.MetaData(), metadata]}
    command.upgrade(project.config(configure_options=options), "head")
    inspector = sa.inspect(project.engine)
    assert [fk["name"] for fk in inspector.get_foreign_keys("invoice")] == [
        "fk_invoice_account_id_account"
    ]
    assert [uq["name"] for uq in inspector.get_unique_constraints("invoice")] == [
        "uq_invoice_number"
    ]
    # offline too: the SQL a DBA runs names them the same way
    project.add(
        "c3", "b2", 'op.create_foreign_key(None, "invoice", "invoice", ["account_id"], ["id"])'
    )
    offline = project.config(configure_options=options)
    offline.set_main_option("sqlalchemy.url", "postgresql://app@db/app")
    command.upgrade(offline, "b2:c3", sql=True)
    assert "fk_invoice_account_id_invoice" in project.output.getvalue()


def failing_project(project: Project) -> Project:
    project.add_table("a1", None, "account")
    project.add(
        "b2",
        "a1",
        'op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True))\n'
        'op.execute("INSERT INTO no_such_table VALUES (1)")',
        message="create invoice, then fail",
    )
    return project


def test_failing_migration_rolls_back_itself_and_its_version_update(
    project: Project,
) -> None:
    failing_project(project)
    with pytest.raises(CommandError) as raised:
        command.upgrade(project.config(), "head")
    message = str(raised.value)
    assert "upgrade b2" in message and "b2.py" in message and "no_such_table" in message
    assert "\n" not in message
    assert message.endswith(
        "the whole run was rolled back; the database is still at no revision (base)"
    )
    # one transaction for the whole run: a1 rolled back too
    assert project.heads() == ()
    assert "account" not in project.tables() and "invoice" not in project.tables()


def test_failing_migration_with_transaction_per_migration_keeps_earlier_ones(
    project: Project,
) -> None:
    failing_project(project)
    config = project.config()
    config.cmd_opts.x = ["per_migration"]
    with pytest.raises(CommandError, match="upgrade b2.*it was rolled back; the database is at a1"):
        command.upgrade(config, "head")
    assert project.heads() == ("a1",)
    assert "account" in project.tables() and "invoice" not in project.tables()


def test_branches_and_merge(project: Project) -> None:
    project.add_table("a1", None, "base_table")
    project.add_table("b1", "a1", "left_table")
    project.add_table("c1", "a1", "right_table")
    command.upgrade(project.config(), "b1")
    assert project.heads() == ("b1",)
    command.upgrade(project.config(), "heads")
    assert project.heads() == ("b1", "c1")
    project.add("m1", ("b1", "c1"), message="merge")
    command.upgrade(project.config(), "head")
    assert project.heads() == ("m1",)
    command.downgrade(project.config(), "c1")
    assert project.heads() == ("b1", "c1")
    command.downgrade(project.config(), "a1")
    assert project.heads() == ("a1",)
    assert "left_table" not in project.tables() and "right_table" not in project.tables()


def test_shared_connection_in_callers_transaction_is_not_committed(
    linear: Project,
) -> None:
    engine = sa.create_engine(linear.url)
    with engine.connect() as connection:
        connection.begin()
        command.upgrade(linear.config(connection=connection), "a1")
        assert MigrationContext.configure(connection).get_current_heads() == ("a1",)
        connection.rollback()
    assert linear.heads() == ()


def test_shared_connection_is_left_open(linear: Project) -> None:
    engine = sa.create_engine(linear.url)
    with engine.begin() as connection:
        command.upgrade(linear.config(connection=connection), "head")
        assert not connection.closed
        connection.execute(sa.text("SELECT 1"))
    assert linear.heads() == ("c3",)


def test_stamp_several_heads_and_purge(project: Project) -> None:
    project.add_table("a1", None, "t1")
    project.add_table("b1", "a1", "t2")
    project.add_table("c1", "a1", "t3")
    command.stamp(project.config(), ["b1", "c1"])
    assert project.heads() == ("b1", "c1")
    assert "t2" not in project.tables()
    command.stamp(project.config(), "a1")
    assert project.heads() == ("a1",)
    command.stamp(project.config(), "base")
    assert project.heads() == ()


def test_stamp_purge_replaces_an_unknown_revision(project: Project) -> None:
    project.add_table("a1", None, "t1")
    engine = sa.create_engine(project.url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE migrate_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO migrate_version VALUES ('gone99')")
    with pytest.raises(CommandError, match="gone99 that no script defines.*stamp --purge"):
        command.upgrade(project.config(), "head")
    command.stamp(project.config(), "a1", purge=True)
    assert project.heads() == ("a1",)


def test_current_and_check_heads(linear: Project) -> None:
    config = linear.config()
    command.upgrade(config, "b2")
    command.current(config)
    assert "b2" in linear.output.getvalue()
    with pytest.raises(CommandError, match="not at the head"):
        command.current(config, check_heads=True)
    command.upgrade(config, "head")
    command.current(config, check_heads=True, verbose=True)
    assert "c3 (head)" in linear.output.getvalue()


def test_ensure_version_creates_only_the_table(linear: Project) -> None:
    command.ensure_version(linear.config())
    assert linear.tables() == {"migrate_version"}
    assert linear.heads() == ()


def test_custom_version_table_name(linear: Project) -> None:
    config = linear.config(configure_options={"version_table": "schema_history"})
    command.upgrade(config, "head")
    assert "schema_history" in linear.tables() and "migrate_version" not in linear.tables()


def test_unknown_configure_option_is_named_in_a_warning(
    linear: Project, caplog: pytest.LogCaptureFixture
) -> None:
    config = linear.config(configure_options={"transaction_per_migraton": True})
    command.upgrade(config, "head")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("transaction_per_migraton" in w and "typo" in w for w in warnings)
    assert linear.heads() == ("c3",)


def test_range_without_sql_is_refused(linear: Project) -> None:
    with pytest.raises(CommandError, match="only for `upgrade --sql`"):
        command.upgrade(linear.config(), "a1:b2")


def test_downgrade_sql_needs_a_range(linear: Project) -> None:
    with pytest.raises(CommandError, match="needs a range"):
        command.downgrade(linear.config(), "base", sql=True)


def test_unknown_target_names_the_database_state(linear: Project) -> None:
    with pytest.raises(CommandError, match="database is at base"):
        command.upgrade(linear.config(), "nope")


def test_run_args_reach_the_scripts(project: Project) -> None:
    project.add("a1", None, "pass")
    seen: list[str] = []
    config = project.config(
        configure_options={"on_version_apply": lambda **kw: seen.append(kw["step"].describe())}
    )
    command.upgrade(config, "head")
    assert seen == ["upgrade  -> a1, revision a1"]


def test_offline_upgrade_writes_transactional_sql(linear: Project) -> None:
    command.upgrade(linear.config(), "head", sql=True)
    sql = linear.output.getvalue()
    assert sql.index("BEGIN;") < sql.index("CREATE TABLE migrate_version")
    assert "INSERT INTO migrate_version (version_num) VALUES ('a1');" in sql
    assert (
        "UPDATE migrate_version SET version_num='b2' WHERE migrate_version.version_num = 'a1';"
        in sql
    )
    assert sql.rstrip().endswith("COMMIT;")
    assert linear.tables() == set()  # nothing touched the database


def test_context_outside_a_run_is_a_clear_error() -> None:
    from migrate_cli import context

    with pytest.raises(CommandError, match="only usable while a migrate command runs"):
        context.is_offline_mode()


def test_branch_labels_and_depends_on(project: Project) -> None:
    """A branch that depends on another: the dependency is absorbed, never applied twice."""
    project.add(
        "c1",
        None,
        'op.create_table("core_t", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("core_t")',
        branch_labels="core",
    )
    project.add(
        "b1",
        None,
        'op.create_table("branch_t", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("branch_t")',
        branch_labels="branch",
    )
    project.add("b2", "b1", depends_on="c1")
    command.upgrade(project.config(), "core@head")
    assert project.heads() == ("c1",)
    command.upgrade(project.config(), "branch@head")
    assert project.heads() == ("b2",)
    command.upgrade(project.config(), "core@head")  # already there through the dependency
    command.upgrade(project.config(), "heads")
    assert project.heads() == ("b2",)
    command.downgrade(project.config(), "branch@-1")
    assert project.heads() == ("b1", "c1")
    command.downgrade(project.config(), "branch@base")
    assert project.heads() == ("c1",)
    assert project.tables() == {"core_t", "migrate_version", "migrate_log"}


@pytest.mark.parametrize(
    ("url", "begin", "separator"),
    [
        ("postgresql://u@h/db", "BEGIN;", None),
        ("mssql+pyodbc://u@h/db", "BEGIN TRANSACTION;", "GO"),
        ("mysql+pymysql://u@h/db", None, None),
        ("oracle+oracledb://u@h/db", None, None),
    ],
)
def test_offline_sql_follows_each_dialect(
    linear: Project, url: str, begin: str | None, separator: str | None
) -> None:
    linear.url = url
    command.upgrade(linear.config(), "head", sql=True)
    sql = linear.output.getvalue()
    lines = sql.splitlines()
    if begin is None:
        assert "BEGIN" not in sql and "COMMIT" not in sql
    else:
        assert lines[0] == begin and "COMMIT;" in lines
    assert ("GO" in lines) == (separator == "GO")
    assert sql.count("-- Running upgrade") == 3
    assert "'c3'" in sql


def test_autocommit_block_steps_out_of_the_run_transaction(project: Project) -> None:
    project.add_table("a1", None, "account")
    project.add(
        "b2", "a1", 'with op.autocommit_block():\n    op.execute("VACUUM")', message="vacuum"
    )
    project.add_table("c3", "b2", "invoice")
    command.upgrade(project.config(), "head")
    assert project.heads() == ("c3",)
    assert {"account", "invoice"} <= project.tables()


def test_online_run_without_a_connection_is_a_clear_error(linear: Project) -> None:
    (linear.env_dir / "env.py").write_text(
        "from migrate_cli import context\n"
        "context.configure(url=context.config.get_main_option('sqlalchemy.url'))\n"
        "with context.begin_transaction():\n"
        "    context.run_migrations()\n"
    )
    with pytest.raises(CommandError, match="without connection= and not in --sql mode"):
        command.upgrade(linear.config(), "head")
