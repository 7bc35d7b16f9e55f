"""SQLite with PRAGMA foreign_keys=ON: batch-rebuilding a referenced table during a run.

SQLite ignores the pragma inside a transaction, and with it on, a rebuild's
DROP TABLE would run the ON DELETE rules of the referencing tables. The runner
switches it off before the run's transaction begins, checks every foreign key
before committing, and switches it back on afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase

from migrate_cli import Config, command
from migrate_cli.errors import CommandError

ENV_PY = """
import sqlalchemy as sa

from migrate_cli import context

config = context.config
options = dict(config.attributes.get("configure_options", {}))


def run_with(connection):
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


if config.attributes.get("connection") is not None:
    run_with(config.attributes["connection"])
else:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"), poolclass=sa.pool.NullPool)

    @sa.event.listens_for(engine, "connect")
    def foreign_keys_on(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    with engine.connect() as connection:
        run_with(connection)
"""

HEADER = '''"""{message}"""
import sqlalchemy as sa
from ddl_ops import op

revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None
'''

PARENT_AND_CHILD = """

def upgrade():
    op.create_table(
        "parent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(20)),
    )
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "parent_id",
            sa.Integer,
            sa.ForeignKey("parent.id", ondelete="CASCADE"),
            nullable=False,
        ),
    )
    op.execute("INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b')")
    op.execute("INSERT INTO child (id, parent_id) VALUES (10, 1), (11, 2)")


def downgrade():
    op.drop_table("child")
    op.drop_table("parent")
"""

WIDEN_PARENT = """

def upgrade():
    with op.batch_alter_table("parent") as batch:
        batch.alter_column("name", type_=sa.String(100), existing_type=sa.String(20))
    {extra}


def downgrade():
    with op.batch_alter_table("parent") as batch:
        batch.alter_column("name", type_=sa.String(20), existing_type=sa.String(100))
"""


@pytest.fixture
def sqlite_db(db: LiveDatabase) -> LiveDatabase:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PRAGMA foreign_keys is SQLite's")
    return db


def write_history(env_dir: Path, extra: str = "pass") -> None:
    versions = env_dir / "versions"
    versions.mkdir(parents=True)
    (env_dir / "env.py").write_text(ENV_PY)
    (versions / "a1_parent_and_child.py").write_text(
        HEADER.format(message="parent and child", rev="a1", down=None) + PARENT_AND_CHILD
    )
    (versions / "b2_widen_parent.py").write_text(
        HEADER.format(message="widen parent name", rev="b2", down="a1")
        + WIDEN_PARENT.format(extra=extra)
    )


def make_config(env_dir: Path, db: LiveDatabase, **attributes: object) -> Config:
    config = Config(stdout=io.StringIO(), attributes=dict(attributes))
    config.set_main_option("script_location", str(env_dir))
    config.set_main_option("sqlalchemy.url", db.url_string.replace("%", "%%"))
    return config


@pytest.fixture
def foreign_keys_on_connection(sqlite_db: LiveDatabase) -> Iterator[sa.Connection]:
    """A connection of the application's own, with foreign keys on, shared with the run."""
    engine = sa.create_engine(sqlite_db.url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
        yield connection
    engine.dispose()


def child_rows(db: LiveDatabase) -> list[tuple[int, int]]:
    with db.engine.connect() as connection:
        return [
            (row[0], row[1])
            for row in connection.exec_driver_sql("SELECT id, parent_id FROM child ORDER BY id")
        ]


def heads(db: LiveDatabase) -> list[str]:
    with db.engine.connect() as connection:
        if not sa.inspect(connection).has_table("migrate_version"):
            return []
        return [
            row[0] for row in connection.exec_driver_sql("SELECT version_num FROM migrate_version")
        ]


def name_length(db: LiveDatabase) -> int | None:
    with db.engine.connect() as connection:
        columns = {c["name"]: c["type"] for c in sa.inspect(connection).get_columns("parent")}
    return getattr(columns["name"], "length", None)


@pytest.mark.parametrize("per_migration", [False, True], ids=["one-transaction", "per-migration"])
def test_batch_rebuild_of_a_referenced_table_keeps_the_referencing_rows(
    sqlite_db: LiveDatabase, tmp_path: Path, per_migration: bool
) -> None:
    write_history(tmp_path / "env")
    options = {"transaction_per_migration": per_migration}
    command.upgrade(make_config(tmp_path / "env", sqlite_db, configure_options=options), "head")
    assert heads(sqlite_db) == ["b2"]
    assert name_length(sqlite_db) == 100
    assert child_rows(sqlite_db) == [(10, 1), (11, 2)]


def test_the_pragma_is_on_again_after_the_run(
    sqlite_db: LiveDatabase, tmp_path: Path, foreign_keys_on_connection: sa.Connection
) -> None:
    write_history(tmp_path / "env")
    config = make_config(tmp_path / "env", sqlite_db, connection=foreign_keys_on_connection)
    command.upgrade(config, "head")
    assert foreign_keys_on_connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert child_rows(sqlite_db) == [(10, 1), (11, 2)]


@pytest.mark.parametrize("per_migration", [False, True], ids=["one-transaction", "per-migration"])
def test_rows_left_violating_a_foreign_key_fail_the_run_and_roll_back(
    sqlite_db: LiveDatabase,
    tmp_path: Path,
    foreign_keys_on_connection: sa.Connection,
    per_migration: bool,
) -> None:
    # With foreign keys off, this DELETE no longer cascades: child row 11 is left orphaned.
    write_history(tmp_path / "env", extra='op.execute("DELETE FROM parent WHERE id = 2")')
    config = make_config(
        tmp_path / "env",
        sqlite_db,
        connection=foreign_keys_on_connection,
        configure_options={"transaction_per_migration": per_migration},
    )
    with pytest.raises(CommandError) as failure:
        command.upgrade(config, "head")
    message = str(failure.value)
    assert "\n" not in message
    assert "'child'" in message and "'parent'" in message and "rolled back" in message
    assert foreign_keys_on_connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    foreign_keys_on_connection.rollback()
    if per_migration:
        assert "upgrade b2 (" in message and "b2_widen_parent.py) was rolled back" in message
        assert heads(sqlite_db) == ["a1"]
        assert name_length(sqlite_db) == 20
        assert child_rows(sqlite_db) == [(10, 1), (11, 2)]
    else:
        assert heads(sqlite_db) == []
        with sqlite_db.engine.connect() as connection:
            assert not sa.inspect(connection).has_table("parent")


@pytest.mark.parametrize("per_migration", [False, True], ids=["one-transaction", "per-migration"])
def test_the_pragma_is_on_again_after_a_run_that_fails_before_migrating(
    sqlite_db: LiveDatabase,
    tmp_path: Path,
    foreign_keys_on_connection: sa.Connection,
    per_migration: bool,
) -> None:
    write_history(tmp_path / "env")
    config = make_config(
        tmp_path / "env",
        sqlite_db,
        connection=foreign_keys_on_connection,
        configure_options={"transaction_per_migration": per_migration},
    )
    with pytest.raises(CommandError, match="zzz"):
        command.upgrade(config, "zzz")
    assert foreign_keys_on_connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
