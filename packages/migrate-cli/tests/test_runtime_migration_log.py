"""The migration log on SQLite: what each kind of run writes, and when it writes nothing."""

from __future__ import annotations

import hashlib
import io
import socket
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from migrate_cli import command
from migrate_cli._version import __version__
from migrate_cli.errors import CommandError
from migrate_cli.runtime.migration_log import script_checksum
from migrate_cli.testing import MigrationProject


@pytest.fixture
def project(tmp_path: Path) -> MigrationProject:
    project = MigrationProject(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add_table("a1", None, "account")
    project.add_table("b2", "a1", "invoice")
    return project


def rows(project: MigrationProject, table: str = "migrate_log") -> list[dict[str, Any]]:
    with project.engine.connect() as conn:
        result = conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))
        return [dict(row._mapping) for row in result]


def test_checksum_is_sha256_of_the_source_with_line_endings_normalised(tmp_path: Path) -> None:
    unix, windows, old_mac = tmp_path / "u.py", tmp_path / "w.py", tmp_path / "m.py"
    unix.write_bytes(b"x = 1\ny = 2\n")
    windows.write_bytes(b"x = 1\r\ny = 2\r\n")
    old_mac.write_bytes(b"x = 1\ry = 2\r")
    expected = hashlib.sha256(b"x = 1\ny = 2\n").hexdigest()
    assert script_checksum(unix) == script_checksum(windows) == script_checksum(old_mac)
    assert script_checksum(unix) == expected
    assert script_checksum(tmp_path / "missing.py") is None


def test_the_logged_checksum_is_of_the_source_the_run_read_and_imported(
    project: MigrationProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each script is read once per run (scanned and checksummed together): an edit made
    after the scripts were imported does not change what the log says ran."""
    from migrate_cli.runtime import migration_log, steps

    path = project.env_dir / "versions" / "a1.py"
    before = script_checksum(path)
    reads: list[str] = []
    read = steps.read_script_source

    def counting(where: Any) -> bytes | None:
        reads.append(str(where))
        return read(where)

    def edit_after_import(step_list: Any) -> None:
        import_scripts(step_list)
        path.write_text(path.read_text() + "\n# edited\n")

    import_scripts = steps.import_scripts
    monkeypatch.setattr(steps, "read_script_source", counting)
    monkeypatch.setattr(migration_log, "read_script_source", counting)
    monkeypatch.setattr("migrate_cli.runtime.migration.import_scripts", edit_after_import)
    command.upgrade(project.config(), "a1")
    assert reads == [str(path)]
    assert rows(project)[0]["checksum"] == before != script_checksum(path)


@pytest.mark.parametrize("per_migration", [False, True])
def test_upgrade_and_downgrade_write_one_row_per_migration(
    project: MigrationProject, per_migration: bool
) -> None:
    x = ("per_migration",) if per_migration else ()
    command.upgrade(project.config(*x), "head")
    command.downgrade(project.config(*x), "a1")
    written = rows(project)
    assert [(r["revision"], r["direction"], r["outcome"]) for r in written] == [
        ("a1", "upgrade", "applied"),
        ("b2", "upgrade", "applied"),
        ("b2", "downgrade", "applied"),
    ]
    first = written[0]
    assert first["checksum"] == script_checksum(project.env_dir / "versions" / "a1.py")
    assert first["host"] == socket.gethostname()
    assert first["tool_version"] == __version__
    assert first["error"] is None
    for row in written:
        assert row["started_at"] <= row["finished_at"]
        assert row["duration_seconds"] >= 0
    assert project.heads() == ("a1",)


def test_a_failed_migration_leaves_a_failed_row_and_no_applied_one(
    project: MigrationProject,
) -> None:
    project.add("c3", "b2", 'op.execute("SELECT * FROM no_such_table")')
    with pytest.raises(CommandError, match="upgrade c3"):
        command.upgrade(project.config(), "head")
    written = rows(project)
    assert [(r["revision"], r["outcome"]) for r in written] == [("c3", "failed")]
    assert "no_such_table" in written[0]["error"]
    assert project.heads() == ()  # the whole run rolled back, its log rows with it


def test_per_migration_failure_keeps_the_rows_of_the_migrations_that_committed(
    project: MigrationProject,
) -> None:
    project.add("c3", "b2", 'op.execute("SELECT * FROM no_such_table")')
    with pytest.raises(CommandError):
        command.upgrade(project.config("per_migration"), "head")
    outcomes = [(r["revision"], r["outcome"]) for r in rows(project)]
    assert outcomes == [("a1", "applied"), ("b2", "applied"), ("c3", "failed")]
    assert project.heads() == ("b2",)


def test_stamp_records_the_heads_it_adds_and_takes_away(project: MigrationProject) -> None:
    command.stamp(project.config(), "b2")
    command.stamp(project.config(), "a1")
    command.stamp(project.config(), "base")
    written = [(r["revision"], r["direction"], r["checksum"] is not None) for r in rows(project)]
    assert written == [
        ("b2", "stamp", True),
        ("a1", "stamp", True),
        ("b2", "unstamp", False),
        ("a1", "unstamp", False),
    ]


def test_the_log_can_be_renamed_or_turned_off(project: MigrationProject) -> None:
    config = project.config()
    config.set_main_option("migration_log_table", "schema_history")
    command.upgrade(config, "a1")
    assert [r["revision"] for r in rows(project, "schema_history")] == ["a1"]
    config = project.config()
    config.set_main_option("migration_log", "false")
    config.set_main_option("migration_log_table", "schema_history")
    command.upgrade(config, "b2")
    assert [r["revision"] for r in rows(project, "schema_history")] == ["a1"]
    off = project.config(configure_options={"migration_log": False})
    command.downgrade(off, "base")
    assert "migrate_log" not in project.tables()


def test_offline_sql_writes_the_log_inserts(project: MigrationProject) -> None:
    config = project.config()
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    sql = config.output_buffer.getvalue()
    assert "CREATE TABLE IF NOT EXISTS migrate_log" in sql
    assert sql.count("INSERT INTO migrate_log") == 2
    checksum = script_checksum(project.env_dir / "versions" / "b2.py")
    assert f"'b2', 'upgrade', 'applied', '{checksum}', CURRENT_TIMESTAMP" in sql
    # the script runs on a fresh database, version table and log included
    engine = project.engine
    with engine.begin() as conn:
        for statement in sql.split(";\n"):
            text = "\n".join(ln for ln in statement.splitlines() if not ln.startswith("--"))
            if text.strip() and text.strip() not in ("BEGIN", "COMMIT"):
                conn.exec_driver_sql(text)
    assert [r["revision"] for r in rows(project)] == ["a1", "b2"]
    assert project.heads() == ("b2",)


def test_an_autocommit_block_commits_the_log_rows_held_so_far(project: MigrationProject) -> None:
    """One transaction for the run, but b2's autocommit_block() commits a1 half-way: a1's
    held-back row must be committed with it, or a later failure would lose it."""
    (project.env_dir / "versions" / "b2.py").unlink()
    project.add("b2", "a1", "with op.autocommit_block():\n    pass")
    project.add("c3", "b2", 'op.execute("SELECT * FROM no_such_table")')
    with pytest.raises(CommandError):
        command.upgrade(project.config(), "head")
    assert project.heads() == ("a1",)
    assert [(r["revision"], r["outcome"]) for r in rows(project)] == [
        ("a1", "applied"),
        ("c3", "failed"),
    ]


def test_without_transactional_ddl_a_rolled_back_running_row_still_ends_failed(
    project: MigrationProject,
) -> None:
    """transactional_ddl=False: each migration inserts a `running` row in its own transaction,
    completed there (no commit of its own). c3 fails before any statement could commit that
    row, so it rolls back with c3, and the failure is recorded as a new `failed` row."""
    options = {"transactional_ddl": False}
    project.add("c3", "b2", 'op.execute("SELECT * FROM no_such_table")')
    with pytest.raises(CommandError, match="upgrade c3"):
        command.upgrade(project.config(configure_options=options), "head")
    written = rows(project)
    assert [(r["revision"], r["outcome"]) for r in written] == [
        ("a1", "applied"),
        ("b2", "applied"),
        ("c3", "failed"),
    ]
    assert "no_such_table" in written[-1]["error"]
    assert all(r["finished_at"] and r["duration_seconds"] is not None for r in written)
    assert project.heads() == ("b2",)


@pytest.mark.parametrize(
    ("dialect_module", "now_sql", "timestamp_type"),
    [
        ("postgresql", "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')", "TIMESTAMP WITHOUT TIME ZONE"),
        ("mysql", "UTC_TIMESTAMP()", "DATETIME(6)"),
        ("mssql", "SYSUTCDATETIME()", "DATETIME"),
        ("sqlite", "CURRENT_TIMESTAMP", "DATETIME"),
        ("oracle", "CURRENT_TIMESTAMP", "DATE"),
    ],
)
def test_each_database_strategy_gives_the_logs_clock_and_timestamp_type(
    dialect_module: str, now_sql: str, timestamp_type: str
) -> None:
    """The log names no database: each one's strategy (runtime/databases/) answers."""
    import importlib

    from migrate_cli.runtime.migration_log import build_log_table, utc_now

    dialect = importlib.import_module(f"sqlalchemy.dialects.{dialect_module}").dialect()
    assert sa.select(utc_now()).compile(dialect=dialect).string.startswith(f"SELECT {now_sql}")
    create = sa.schema.CreateTable(build_log_table()).compile(dialect=dialect).string
    assert f"started_at {timestamp_type} NOT NULL" in create
