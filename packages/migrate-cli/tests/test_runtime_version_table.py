"""The recorder: one row per head, changed by single statements, refusing silent drift."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from migrate_cli.errors import CommandError
from migrate_cli.runtime.heads import HeadChange
from migrate_cli.runtime.version_table import VersionTable, build_version_table


@pytest.fixture
def connection() -> sa.Connection:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        yield conn


def test_missing_table_reads_as_no_heads(connection: sa.Connection) -> None:
    version = VersionTable(build_version_table())
    assert version.read_heads(connection) == ()
    assert not version.exists(connection)


def test_create_is_idempotent_and_named(connection: sa.Connection) -> None:
    version = VersionTable(build_version_table("my_versions"))
    version.create(connection)
    version.create(connection)
    inspector = sa.inspect(connection)
    assert "my_versions" in inspector.get_table_names()
    assert inspector.get_pk_constraint("my_versions")["constrained_columns"] == ["version_num"]


def test_record_insert_update_delete(connection: sa.Connection) -> None:
    version = VersionTable(build_version_table())
    version.create(connection)
    version.record(connection, HeadChange((), ("a1",)))
    assert version.read_heads(connection) == ("a1",)
    version.record(connection, HeadChange(("a1",), ("b2",)))
    assert version.read_heads(connection) == ("b2",)
    version.record(connection, HeadChange(("b2",), ("c3", "d4")))
    assert version.read_heads(connection) == ("c3", "d4")
    version.record(connection, HeadChange(("c3", "d4"), ("e5",)))
    assert version.read_heads(connection) == ("e5",)
    version.record(connection, HeadChange(("e5",), ()))
    assert version.read_heads(connection) == ()


def test_one_for_one_change_is_a_single_update() -> None:
    version = VersionTable(build_version_table())
    statements = version.statements(HeadChange(("a1",), ("b2",)))
    assert len(statements) == 1
    assert str(statements[0][0]).startswith("UPDATE migrate_version")


def test_a_row_that_moved_underneath_is_refused(connection: sa.Connection) -> None:
    version = VersionTable(build_version_table())
    version.create(connection)
    version.record(connection, HeadChange((), ("a1",)))
    with pytest.raises(CommandError, match="version table migrate_version changed"):
        version.record(connection, HeadChange(("zz",), ("b2",)))
    assert version.read_heads(connection) == ("a1",)


def test_schema_qualified_display_name() -> None:
    assert VersionTable(build_version_table("v", schema="ops")).display_name == "ops.v"
