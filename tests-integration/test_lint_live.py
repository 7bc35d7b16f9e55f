"""`migrate lint` and ddl_ops.lint against real databases.

Two kinds of check: the rules tell the truth (what a rule says fails does fail on the
database, and its safe pattern runs), and the facts read from a live database (tables
that exist, tables that hold rows) decide which findings are reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from dbtesting import LiveDatabase
from liveproject import LiveProject

from ddl_ops import Operations, op, use_operations
from ddl_ops.lint import ConnectionFacts, LintRun, lint_operations, record
from ddl_ops.ops import AddColumnOp
from migrate_cli import command
from migrate_cli.cli import get_cli

CREATE = (
    'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), '
    'sa.Column("email", sa.String(50)))'
)
ADD_PLAN = 'op.add_column("account", sa.Column("plan", sa.String(20), nullable=False))'
INDEX = 'op.create_index("ix_email", "account", ["email"])'


def lint_project(project: LiveProject, *args: str) -> dict:
    """Run `migrate lint --json ARGS` on the project through the real Click group."""
    ini = project.env_dir.parent / "migrate.ini"
    ini.write_text(
        f"[migrate]\nscript_location = {project.env_dir}\n"
        f"sqlalchemy.url = {project.url.replace('%', '%%')}\n"
    )
    result = CliRunner().invoke(get_cli(), ["-c", str(ini), "lint", "--json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.fixture
def project(tmp_path: Path, db: LiveDatabase) -> LiveProject:
    """a1 (applied) creates account; b2 (pending) adds a NOT NULL column and an index."""
    project = LiveProject(tmp_path, db)
    project.add("a1", None, CREATE, 'op.drop_table("account")')
    project.add("b2", "a1", f"{ADD_PLAN}\n{INDEX}", 'op.drop_column("account", "plan")')
    command.upgrade(project.config(), "a1")
    return project


def test_pending_revisions_on_a_table_with_rows_are_reported(
    project: LiveProject, db: LiveDatabase
) -> None:
    with db.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO account (id, email) VALUES (1, 'a@b.c')")
    data = lint_project(project)
    assert data["used_database"] is True and data["revisions"] == ["b2"]
    codes = [f["code"] for f in data["findings"]]
    expected = ["MG101", "MG201"] if db.name == "postgresql" else ["MG101"]
    assert codes == expected
    assert data["dialect"] == {"mariadb": "mariadb"}.get(db.name, db.dialect)


def test_pending_revisions_on_an_empty_table_are_quiet(
    project: LiveProject, db: LiveDatabase
) -> None:
    data = lint_project(project)
    # SQLite's ADD COLUMN refuses NOT NULL without a default even on an empty table
    assert [f["code"] for f in data["findings"]] == (["MG101"] if db.name == "sqlite" else [])


def test_lint_leaves_the_database_as_it_was(project: LiveProject, db: LiveDatabase) -> None:
    lint_project(project)
    assert project.heads() == ("a1",)
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("account")}
    assert columns == {"id", "email"}


def _account_with_a_row(db: LiveDatabase) -> None:
    with db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE account (id INTEGER PRIMARY KEY, email TEXT)")
        connection.exec_driver_sql("INSERT INTO account (id, email) VALUES (1, NULL)")


def _findings(db: LiveDatabase, upgrade: object) -> list[str]:
    dialect = "mariadb" if db.name == "mariadb" else db.dialect
    recording = record(upgrade, dialect)  # type: ignore[arg-type]
    with db.engine.connect() as connection:
        run = LintRun.make(dialect, facts=ConnectionFacts(connection))
        return [f.code for f in lint_operations(recording.ops, run)]


def test_not_null_column_without_default_really_fails_or_fills(db: LiveDatabase) -> None:
    """MG101's message is the truth: refused on PostgreSQL and SQLite, silently filled on
    MariaDB."""
    _account_with_a_row(db)

    def column() -> sa.Column[str]:
        return sa.Column("plan", sa.String(20), nullable=False)

    def upgrade() -> None:
        op.add_column("account", column())

    assert _findings(db, upgrade) == ["MG101"]
    if db.name == "mariadb":
        with db.engine.begin() as connection:
            Operations.for_connection(connection).invoke(AddColumnOp("account", column()))
            plan = connection.exec_driver_sql("SELECT plan FROM account").scalar_one()
        assert plan == ""
        return
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as connection:
        Operations.for_connection(connection).invoke(AddColumnOp("account", column()))


@pytest.mark.backends("postgresql")
def test_concurrent_index_in_a_transaction_really_fails(db: LiveDatabase) -> None:
    _account_with_a_row(db)

    def upgrade() -> None:
        op.create_index("ix_email", "account", ["email"], postgresql_concurrently=True)

    assert "MG202" in _findings(db, upgrade)
    refused = pytest.raises(sa.exc.DBAPIError, match="transaction block")
    with refused, db.engine.begin() as connection:
        ops = Operations.for_connection(connection)
        ops.create_index("ix_email", "account", ["email"], postgresql_concurrently=True)


@pytest.mark.backends("postgresql")
def test_the_documented_safe_patterns_run_on_postgresql(db: LiveDatabase) -> None:
    """The safe patterns the rules recommend are valid PostgreSQL, and lint accepts them."""
    _account_with_a_row(db)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE invoice (id INTEGER PRIMARY KEY, account_id INT)")
        connection.exec_driver_sql("UPDATE account SET email = 'a@b.c'")

    def upgrade() -> None:
        with op.autocommit_block():
            op.create_index(
                "uq_email", "account", ["email"], unique=True, postgresql_concurrently=True
            )
        op.execute("ALTER TABLE account ADD CONSTRAINT uq_email UNIQUE USING INDEX uq_email")
        op.create_foreign_key(
            "fk_invoice_account",
            "invoice",
            "account",
            ["account_id"],
            ["id"],
            postgresql_not_valid=True,
        )
        op.execute("ALTER TABLE invoice VALIDATE CONSTRAINT fk_invoice_account")
        op.create_check_constraint(
            "ck_email", "account", "email IS NOT NULL", postgresql_not_valid=True
        )
        op.execute("ALTER TABLE account VALIDATE CONSTRAINT ck_email")
        op.alter_column("account", "email", nullable=False)
        with op.autocommit_block():
            op.drop_index("ix_gone", "account", postgresql_concurrently=True, if_exists=True)

    assert _findings(db, upgrade) == []
    connection = db.engine.connect()
    try:
        connection.begin()
        ops = Operations.for_connection(connection)
        with use_operations(ops):
            upgrade()
        connection.commit()
    finally:
        connection.close()
    inspector = sa.inspect(db.engine)
    assert [c["name"] for c in inspector.get_unique_constraints("account")] == ["uq_email"]
    assert not next(c for c in inspector.get_columns("account") if c["name"] == "email")["nullable"]


def test_type_change_verdicts_match_the_database(db: LiveDatabase) -> None:
    """Where lint says a VARCHAR widening is in place, the database keeps the data and the
    new length; where it says narrowing loses data, the database refuses or truncates."""
    if db.name == "sqlite":
        pytest.skip("SQLite changes types only by batch copy, which MG103 always reports")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(30))"
        )
        connection.exec_driver_sql("INSERT INTO account VALUES (1, 'abcdefghijklmnopqrstuvwxyz')")

    def widen() -> None:
        op.alter_column("account", "name", type_=sa.String(40), existing_type=sa.String(30))

    def narrow() -> None:
        op.alter_column("account", "name", type_=sa.String(5), existing_type=sa.String(40))

    assert _findings(db, widen) == []
    assert "MG104" in _findings(db, narrow)
    with db.engine.begin() as connection:
        ops = Operations.for_connection(connection)
        ops.alter_column(
            "account",
            "name",
            type_=sa.String(40),
            existing_type=sa.String(30),
            existing_nullable=True,
        )
        assert connection.exec_driver_sql("SELECT name FROM account").scalar_one() == (
            "abcdefghijklmnopqrstuvwxyz"
        )
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as connection:
        ops = Operations.for_connection(connection)
        ops.alter_column(
            "account",
            "name",
            type_=sa.String(5),
            existing_type=sa.String(40),
            existing_nullable=True,
        )
