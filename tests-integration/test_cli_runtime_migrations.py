"""migrate-cli's runtime against live databases: histories, failures, transactions, offline SQL.

Each test writes a migration environment (env.py plus revision files) to a
temporary directory and drives it through migrate_cli's command functions,
then checks the schema and version table through the database itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from liveproject import LiveProject

from migrate_cli import command
from migrate_cli.errors import CommandError
from migrate_cli.runtime.migration import MigrationContext

Project = LiveProject


@pytest.fixture
def project(tmp_path: Path, db: LiveDatabase) -> Project:
    return Project(tmp_path, db)


@pytest.fixture
def linear(project: Project) -> Project:
    project.add_table("a1", None, "account")
    project.add_table("b2", "a1", "invoice")
    project.add_table("c3", "b2", "payment")
    return project


def test_linear_upgrade_downgrade_round_trip(linear: Project) -> None:
    command.upgrade(linear.config(), "head")
    assert linear.heads() == ("c3",)
    assert {"account", "invoice", "payment", "migrate_version"} <= linear.tables()
    command.downgrade(linear.config(), "-1")
    assert linear.heads() == ("b2",) and "payment" not in linear.tables()
    command.upgrade(linear.config(), "+1")
    assert linear.heads() == ("c3",)
    command.downgrade(linear.config(), "base")
    assert linear.heads() == () and linear.tables() == {"migrate_version", "migrate_log"}


def test_branched_and_merged_history(project: Project) -> None:
    project.add_table("a1", None, "base_t")
    project.add_table("b1", "a1", "left_t")
    project.add_table("c1", "a1", "right_t")
    command.upgrade(project.config(), "heads")
    assert project.heads() == ("b1", "c1")
    project.add("m1", ("b1", "c1"), message="merge")
    command.upgrade(project.config(), "head")
    assert project.heads() == ("m1",)
    command.downgrade(project.config(), "b1")
    assert project.heads() == ("b1", "c1")
    command.downgrade(project.config(), "a1")
    assert project.heads() == ("a1",)
    assert project.tables() == {"base_t", "migrate_version", "migrate_log"}


def add_failing(project: Project) -> None:
    project.add_table("a1", None, "account")
    project.add(
        "b2",
        "a1",
        'op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True))\n'
        'op.execute("INSERT INTO no_such_table VALUES (1)")',
        message="create invoice, then fail",
    )


def transactional(db: LiveDatabase) -> bool:
    return db.dialect in ("postgresql", "sqlite")


def test_failing_migration(project: Project) -> None:
    add_failing(project)
    with pytest.raises(CommandError) as raised:
        command.upgrade(project.config(), "head")
    message = str(raised.value)
    assert "upgrade b2" in message and "b2.py" in message and "no_such_table" in message
    if transactional(project.db):
        # the whole run is one transaction: nothing happened
        assert project.heads() == ()
        assert not {"account", "invoice"} & project.tables()
    else:
        # MySQL/MariaDB: each migration committed as it finished; the table records a1 only
        assert project.heads() == ("a1",)
        assert "account" in project.tables()
        assert "version table still records a1" in message


def test_failing_migration_with_transaction_per_migration(project: Project) -> None:
    add_failing(project)
    with pytest.raises(CommandError, match="upgrade b2"):
        command.upgrade(project.config("per_migration"), "head")
    assert project.heads() == ("a1",)
    assert "account" in project.tables()
    if transactional(project.db):
        assert "invoice" not in project.tables()
    # fix the script and carry on from where it stopped
    project.add_table("b2", "a1", "invoice_fixed")
    command.upgrade(project.config("per_migration"), "head")
    assert project.heads() == ("b2",)


def test_shared_connection_commits_only_when_the_caller_does(linear: Project) -> None:
    with linear.db.engine.connect() as connection:
        connection.begin()
        command.upgrade(linear.config(connection=connection), "b2")
        assert MigrationContext.configure(connection).get_current_heads() == ("b2",)
        connection.commit()
        assert not connection.closed
    assert linear.heads() == ("b2",)
    with linear.db.engine.begin() as connection:
        command.upgrade(linear.config(connection=connection), "head")
    assert linear.heads() == ("c3",)


def test_stamp_current_and_check_heads(linear: Project) -> None:
    config = linear.config()
    command.stamp(config, "b2")
    assert linear.heads() == ("b2",) and "account" not in linear.tables()
    with pytest.raises(CommandError, match="not at the head"):
        command.current(config, check_heads=True)
    command.upgrade(config, "head")
    assert "payment" in linear.tables() and "invoice" not in linear.tables()
    command.current(config, verbose=True)
    out = linear.output.getvalue()
    assert "c3 (head)" in out
    assert linear.db.url.password is None or linear.db.url.password not in out
    command.stamp(config, "base")
    assert linear.heads() == ()


def test_version_table_in_another_schema(linear: Project) -> None:
    schema = linear.db.other_schema
    if schema is None:
        pytest.skip("SQLite has no schemas")
    options = {"version_table": "history", "version_table_schema": schema}
    command.upgrade(linear.config(configure_options=options), "head")
    assert "history" in linear.tables(schema) and "migrate_version" not in linear.tables()
    assert linear.heads(**options) == ("c3",)


# -- offline SQL, run by the database's own command-line client ---------------------------------


def client_command(db: LiveDatabase) -> list[str] | None:
    url = db.url
    if db.name == "sqlite":
        exe = shutil.which("sqlite3")
        return [exe, "-bail", url.database or ""] if exe else None
    if db.name == "postgresql":
        exe = shutil.which("psql")
        if not exe:
            return None
        return [
            exe,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            url.host or "localhost",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            "-d",
            url.database or "",
        ]
    exe = shutil.which("mariadb") or shutil.which("mysql")
    if not exe:
        return None
    argv = [
        exe,
        "-h",
        url.host or "127.0.0.1",
        "-P",
        str(url.port or 3306),
        "-u",
        url.username or "root",
        url.database or "",
    ]
    if url.password:
        argv.insert(1, f"--password={url.password}")
    return argv


def run_in_client(db: LiveDatabase, sql: str) -> None:
    argv = client_command(db)
    if argv is None:
        pytest.skip(f"no command-line client for {db.name} on this machine")
    env = {"PGPASSWORD": db.url.password or "", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(argv, input=sql, text=True, capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, f"{argv[0]} failed:\n{done.stderr}\n---\n{sql}"
    assert "ERROR" not in done.stderr.upper(), done.stderr


def offline(project: Project, fn: object, *args: object, **kw: object) -> str:
    project.output.seek(0)
    project.output.truncate()
    fn(project.config(), *args, sql=True, **kw)  # type: ignore[operator]
    return project.output.getvalue()


def test_offline_upgrade_and_downgrade_run_in_the_client(linear: Project) -> None:
    sql = offline(linear, command.upgrade, "base:b2")
    assert ("BEGIN;" in sql) == transactional(linear.db)
    run_in_client(linear.db, sql)
    assert linear.heads() == ("b2",)
    assert {"account", "invoice"} <= linear.tables()
    run_in_client(linear.db, offline(linear, command.upgrade, "b2:head"))
    assert linear.heads() == ("c3",)
    run_in_client(linear.db, offline(linear, command.downgrade, "c3:a1"))
    assert linear.heads() == ("a1",)
    assert "invoice" not in linear.tables()
    run_in_client(linear.db, offline(linear, command.downgrade, "a1:base"))
    assert "migrate_version" not in linear.tables() and "account" not in linear.tables()


def test_offline_stamp_runs_in_the_client(linear: Project) -> None:
    run_in_client(linear.db, offline(linear, command.stamp, "c3"))
    assert linear.heads() == ("c3",)
    assert "account" not in linear.tables()
    run_in_client(linear.db, offline(linear, command.stamp, "c3:a1"))
    assert linear.heads() == ("a1",)


def test_offline_ensure_version_runs_in_the_client(linear: Project) -> None:
    run_in_client(linear.db, offline(linear, command.ensure_version))
    assert "migrate_version" in linear.tables() and linear.heads() == ()


# -- the lock is never left behind --------------------------------------------------------------


def lock_is_free(db: LiveDatabase) -> bool:
    """Can a second connection take the migration lock right now?"""
    from migrate_cli.runtime.locking import database_lock, lock_name, sqlite_begin_immediate

    with db.engine.connect() as other:
        try:
            if db.dialect == "sqlite":
                sqlite_begin_immediate(other, timeout=0.5)
            else:
                with database_lock(other, lock_name("migrate_version", None), timeout=0.5):
                    pass
        except CommandError:
            return False
        finally:
            other.rollback()
    return True


@pytest.mark.parametrize("per_migration", [False, True])
def test_a_failed_run_releases_the_lock_on_a_shared_connection(
    project: Project, per_migration: bool
) -> None:
    add_failing(project)
    x = ["per_migration"] if per_migration else []
    with project.db.engine.connect() as connection:
        with pytest.raises(CommandError, match="upgrade b2"):
            command.upgrade(project.config(*x, connection=connection), "head")
        # the connection is still open (a pooled one would go back to the pool like this)
        assert not connection.closed
        assert lock_is_free(project.db)


def test_a_callers_transaction_holds_the_lock_until_it_ends(linear: Project) -> None:
    with linear.db.engine.connect() as connection:
        connection.begin()
        command.upgrade(linear.config(connection=connection), "head")
        if linear.db.dialect == "postgresql":
            assert not lock_is_free(linear.db)
        connection.commit()
    assert lock_is_free(linear.db)


@pytest.mark.backends("postgresql")
def test_autocommit_block_runs_outside_the_transaction(project: Project) -> None:
    project.add_table("a1", None, "account")
    project.add(
        "b2",
        "a1",
        "with op.autocommit_block():\n"
        '    op.execute("CREATE INDEX CONCURRENTLY ix_account_id ON account (id)")',
        'op.execute("DROP INDEX ix_account_id")',
        message="concurrent index",
    )
    project.add_table("c3", "b2", "invoice")
    command.upgrade(project.config(), "head")
    assert project.heads() == ("c3",)
    with project.db.engine.connect() as conn:
        names = {ix["name"] for ix in sa.inspect(conn).get_indexes("account")}
    assert "ix_account_id" in names
    assert lock_is_free(project.db)


# -- migrate check ------------------------------------------------------------------------------


def models_for(linear: Project, extra: bool) -> sa.MetaData:
    metadata = sa.MetaData()
    for name in ("account", "invoice", "payment"):
        columns: list[sa.Column[int]] = [sa.Column("id", sa.Integer, primary_key=True)]
        if extra and name == "invoice":
            columns.append(sa.Column("total", sa.Integer, nullable=True))
        sa.Table(name, metadata, *columns)
    return metadata


def test_check_exit_codes(linear: Project) -> None:
    command.upgrade(linear.config(), "head")
    same = linear.config(configure_options={"target_metadata": models_for(linear, False)})
    command.check(same)
    assert "No new upgrade operations detected." in linear.output.getvalue()
    changed = linear.config(configure_options={"target_metadata": models_for(linear, True)})
    with pytest.raises(CommandError, match="1 upgrade operation"):
        command.check(changed)
    assert "add_column" in linear.output.getvalue() and "total" in linear.output.getvalue()


ASYNC_ENV_PY = """
import asyncio

from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

from migrate_cli import context

config = context.config


def do_run_migrations(connection):
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def main():
    engine = create_async_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await engine.dispose()


asyncio.run(main())
"""


@pytest.mark.backends("postgresql")
def test_async_env_runs_migrations_through_run_sync(linear: Project) -> None:
    (linear.env_dir / "env.py").write_text(ASYNC_ENV_PY)
    command.upgrade(linear.config(), "head")
    assert linear.heads() == ("c3",)
    add_failing_async = linear.env_dir / "versions" / "d4.py"
    add_failing_async.write_text(
        '"""fail"""\nfrom ddl_ops import op\n\nrevision = "d4"\ndown_revision = "c3"\n'
        "branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n"
        '    op.execute("CREATE TABLE later (id integer)")\n'
        '    op.execute("SELECT * FROM no_such_table")\n\n\ndef downgrade():\n    pass\n'
    )
    with pytest.raises(CommandError, match="upgrade d4"):
        command.upgrade(linear.config(), "head")
    assert linear.heads() == ("c3",) and "later" not in linear.tables()
    assert lock_is_free(linear.db)


PROBING_ENV_PY = """
from sqlalchemy import create_engine, pool

from migrate_cli import context

config = context.config
engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
        # run_migrations() has returned; this transaction has not committed yet
        config.attributes["lock_free_before_commit"] = config.attributes["probe"]()
"""


def test_the_lock_is_held_until_the_run_commits(linear: Project) -> None:
    (linear.env_dir / "env.py").write_text(PROBING_ENV_PY)
    config = linear.config(probe=lambda: lock_is_free(linear.db))
    command.upgrade(config, "head")
    if transactional(linear.db):
        # another run must not read the heads before this run's commit
        assert config.attributes["lock_free_before_commit"] is False
    else:
        # MySQL/MariaDB: every migration committed as it ran; nothing left to protect
        assert config.attributes["lock_free_before_commit"] is True
    assert lock_is_free(linear.db)
    assert linear.heads() == ("c3",)


def test_stamp_several_heads_then_merge_and_purge(project: Project) -> None:
    project.add_table("a1", None, "base_t")
    project.add_table("b1", "a1", "left_t")
    project.add_table("c1", "a1", "right_t")
    project.add("m1", ("b1", "c1"), message="merge")
    command.stamp(project.config(), ["b1", "c1"])
    assert project.heads() == ("b1", "c1")
    command.upgrade(project.config(), "head")
    assert project.heads() == ("m1",)
    assert project.tables() == {"migrate_version", "migrate_log"}  # stamping ran nothing
    with project.db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE migrate_version SET version_num = 'gone99'"))
    with pytest.raises(CommandError, match="stamp --purge"):
        command.upgrade(project.config(), "head")
    command.stamp(project.config(), "m1", purge=True)
    assert project.heads() == ("m1",)
