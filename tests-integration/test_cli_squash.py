"""`migrate squash` on a live database: every starting state ends at the original schema.

The sample history (a1 .. e5) is squashed over b2:d4. Each database is first brought to one
revision through the original files (the squash moved aside), then upgraded with the squash
present: before the range it runs the squash, inside it the remaining old revisions, at the
top nothing of the range. All must end with the schema the original history gives
(compared by reflection) and with the version table at the head.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dbtesting import LiveDatabase, reset_database
from liveproject import LiveProject

import migrate_cli
from migrate_cli import command
from migrate_cli.errors import CommandError
from migrate_cli.schema_snapshot import schema_differences, schema_snapshot

VERSION_TABLE = "migrate_version"
LOG_TABLE = "migrate_log"
SCRATCH_PREFIX = "h14_squash"  # scratch databases on the shared servers carry our prefix


def sample_project(root: Path, db: LiveDatabase) -> LiveProject:
    project = LiveProject(root, db)
    template = Path(migrate_cli.__file__).parent / "templates" / "generic" / "script.py.mako"
    shutil.copy(template, project.env_dir)
    project.add(
        "a1",
        None,
        'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True),\n'
        '    sa.Column("name", sa.String(50), nullable=False))',
        'op.drop_table("account")',
    )
    project.add(
        "b2",
        "a1",
        'op.add_column("account", sa.Column("email", sa.String(100)))',
        'op.drop_column("account", "email")',
    )
    project.add(
        "c3",
        "b2",
        'op.create_table("item", sa.Column("id", sa.Integer, primary_key=True),\n'
        '    sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),\n'
        '    sa.Column("sku", sa.String(20), nullable=False),\n'
        '    sa.UniqueConstraint("sku", name="uq_item_sku"))\n'
        "op.execute(\"UPDATE account SET email = 'unknown'\")",
        'op.drop_table("item")',
    )
    project.add(
        "d4",
        "c3",
        'op.create_index("ix_account_name", "account", ["name"])',
        'op.drop_index("ix_account_name", table_name="account")',
    )
    project.add(
        "e5",
        "d4",
        'op.add_column("item", sa.Column("qty", sa.Integer))',
        'op.drop_column("item", "qty")',
    )
    return project


def snapshot(project: LiveProject) -> dict:
    with project.engine.connect() as conn:
        return schema_snapshot(conn, exclude={VERSION_TABLE, LOG_TABLE})


def fresh(project: LiveProject, db: LiveDatabase) -> None:
    if db.name == "sqlite":
        Path(db.url.database).unlink(missing_ok=True)
    else:
        reset_database(db)


def test_squash_then_every_start_reaches_the_original_schema(tmp_path, db):
    project = sample_project(tmp_path, db)
    command.upgrade(project.config(), "head")
    original = snapshot(project)
    assert set(original) == {"account", "item"}

    squash = command.squash(project.config(), "b2:d4", rev_id="sq1", scratch_prefix=SCRATCH_PREFIX)
    assert squash.replaces == ("b2", "c3", "d4")
    assert squash.down_revision == "a1"
    source = squash.path.read_text()
    assert "REVIEW: data migration carried over from c3" in source
    aside = tmp_path / "sq1.py.aside"

    for start in (None, "a1", "b2", "c3", "d4"):
        fresh(project, db)
        if start is not None:
            squash.path.rename(aside)  # reach `start` through the original files only
            command.upgrade(project.config(), start)
            aside.rename(squash.path)
        command.upgrade(project.config(), "head")
        assert project.heads() == ("e5",), start
        assert schema_differences(original, snapshot(project)) == [], start

    command.downgrade(project.config(), "base")
    assert snapshot(project) == {}


def test_partial_database_is_recorded_at_the_squash_after_the_range(tmp_path, db):
    project = sample_project(tmp_path, db)
    squash = command.squash(project.config(), "b2:d4", rev_id="sq1", scratch_prefix=SCRATCH_PREFIX)
    aside = tmp_path / "sq1.py.aside"
    squash.path.rename(aside)
    command.upgrade(project.config(), "c3")
    aside.rename(squash.path)
    command.upgrade(project.config(), "d4")
    assert project.heads() == ("sq1",)  # the top of the range is the squash's state

    command.current(project.config())
    command.downgrade(project.config(), "b2")  # the old downgrades are valid from the squash
    assert project.heads() == ("b2",)
    assert project.tables() == {"account", VERSION_TABLE, LOG_TABLE}


def test_prune_needs_the_database_past_the_squash(tmp_path, db):
    project = sample_project(tmp_path, db)
    squash = command.squash(project.config(), "b2:d4", rev_id="sq1", scratch_prefix=SCRATCH_PREFIX)
    command.upgrade(project.config(), "a1")
    with pytest.raises(CommandError, match="before it; run `migrate upgrade sq1`"):
        command.prune(project.config(), "sq1")
    command.upgrade(project.config(), "head")
    removed = command.prune(project.config(), "sq1")
    assert sorted(p.name for p in removed) == ["b2.py", "c3.py", "d4.py"]
    versions = sorted(p.name for p in (project.env_dir / "versions").glob("*.py"))
    assert versions == ["a1.py", "e5.py", squash.path.name]
    assert "replaces" not in squash.path.read_text()
    assert "down_revision = 'sq1'" in (project.env_dir / "versions" / "e5.py").read_text()
    command.downgrade(project.config(), "base")
    command.upgrade(project.config(), "head")
    assert project.heads() == ("e5",)


def test_database_inside_the_range_blocks_pruning(tmp_path, db):
    project = sample_project(tmp_path, db)
    squash = command.squash(project.config(), "b2:d4", rev_id="sq1", scratch_prefix=SCRATCH_PREFIX)
    aside = tmp_path / "sq1.py.aside"
    squash.path.rename(aside)
    command.upgrade(project.config(), "b2")
    aside.rename(squash.path)
    with pytest.raises(CommandError, match="at b2, inside the range"):
        command.prune(project.config(), "sq1")
    assert (project.env_dir / "versions" / "b2.py").exists()


def test_scratch_databases_are_dropped(tmp_path, db):
    if db.name == "sqlite":
        pytest.skip("SQLite scratch databases are temporary files")
    project = sample_project(tmp_path, db)
    command.squash(project.config(), "b2:d4", rev_id="sq1", scratch_prefix=SCRATCH_PREFIX)
    with db.engine.connect() as conn:
        if db.name == "postgresql":
            names = conn.exec_driver_sql("SELECT datname FROM pg_database").scalars().all()
        else:
            names = conn.exec_driver_sql("SHOW DATABASES").scalars().all()
    assert not [n for n in names if str(n).startswith(SCRATCH_PREFIX)]


@pytest.mark.backends("mariadb", "mysql")
def test_squash_leaves_the_scratch_servers_defaults_out(tmp_path, db):
    """Scratch databases take the server's default character set; a squash that pinned it
    would give a database with another default tables its foreign keys refuse (errno 150)."""
    with db.engine.connect() as conn:
        database = conn.exec_driver_sql("SELECT DATABASE()").scalar()
        was = conn.exec_driver_sql("SELECT @@character_set_database").scalar()
        server = conn.exec_driver_sql("SELECT @@character_set_server").scalar()
    other = "latin1" if server != "latin1" else "utf8mb3"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER DATABASE `{database}` CHARACTER SET {other}")
    try:
        db.engine.dispose()
        project = sample_project(tmp_path, db)
        command.upgrade(project.config(), "head")
        original = snapshot(project)
        squash = command.squash(
            project.config(), "a1:d4", rev_id="sq1", scratch_prefix=SCRATCH_PREFIX
        )
        source = squash.path.read_text()
        assert "charset" not in source and "mysql_collate" not in source, source
        reset_database(db)
        command.upgrade(project.config(), "head")
        assert schema_differences(original, snapshot(project)) == []
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER DATABASE `{database}` CHARACTER SET {was}")
        db.engine.dispose()
