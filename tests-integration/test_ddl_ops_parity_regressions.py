"""Cases the ddl-ops parity suite (tests-integration/parity) found, each pinned on its own.

Each test names the root cause it guards; run with ``--db sqlite --db postgresql --db mariadb``.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from parity.ddl_ops_runner import client_command

from ddl_ops import BatchError, Operations


@pytest.fixture
def conn(db: LiveDatabase) -> Iterator[sa.Connection]:
    with db.engine.begin() as connection:
        yield connection


@pytest.fixture
def ops(conn: sa.Connection) -> Operations:
    return Operations.for_connection(conn)


def test_column_sequence_is_created_so_rows_can_be_inserted(
    ops: Operations, conn: sa.Connection
) -> None:
    if not conn.dialect.supports_sequences:
        pytest.skip("requires sequences")
    table = ops.create_table(
        "invoice",
        sa.Column("id", sa.Integer, sa.Sequence("invoice_id_seq"), primary_key=True),
        sa.Column("note", sa.String(20)),
    )
    ops.add_column("invoice", sa.Column("number", sa.Integer, sa.Sequence("invoice_no_seq")))
    names = set(sa.inspect(conn).get_sequence_names())
    assert {"invoice_id_seq", "invoice_no_seq"} <= names
    conn.execute(table.insert().values(note="first"))
    assert conn.execute(sa.select(table.c.id)).scalar_one() == 1


def test_column_sequence_that_exists_is_left_alone(ops: Operations, conn: sa.Connection) -> None:
    if not conn.dialect.supports_sequences:
        pytest.skip("requires sequences")
    shared = sa.Sequence("shared_seq", start=100)
    conn.execute(sa.schema.CreateSequence(shared))
    ops.create_table("a", sa.Column("id", sa.Integer, sa.Sequence("shared_seq"), primary_key=True))
    assert conn.execute(sa.select(shared.next_value())).scalar_one() == 100


@pytest.mark.backends("mariadb", "mysql")
def test_mysql_modify_without_existing_hints_keeps_the_live_column(
    ops: Operations, conn: sa.Connection
) -> None:
    """Alembic restates the column from the hints alone: without existing_nullable a NOT NULL
    column becomes nullable, and its default and comment go. We read them from the table."""
    ops.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(20), nullable=False, server_default="x", comment="the code"),
    )
    ops.alter_column("account", "code", type_=sa.String(40))
    ops.alter_column("account", "code", comment="renamed later", new_column_name="label")
    column = {c["name"]: c for c in sa.inspect(conn).get_columns("account")}["label"]
    assert column["nullable"] is False
    assert column["default"] == "'x'"
    assert column["comment"] == "renamed later"
    assert str(column["type"]) == "VARCHAR(40)"


@pytest.mark.backends("mariadb", "mysql")
def test_mysql_modify_keeps_auto_increment_without_hints(
    ops: Operations, conn: sa.Connection
) -> None:
    ops.create_table("ticket", sa.Column("id", sa.Integer, primary_key=True))
    ops.alter_column("ticket", "id", type_=sa.BigInteger)
    column = sa.inspect(conn).get_columns("ticket")[0]
    assert column["autoincrement"] is True and column["nullable"] is False


@pytest.mark.backends("postgresql")
def test_postgresql_batch_rebuild_keeps_the_serial_sequence_name(
    ops: Operations, conn: sa.Connection
) -> None:
    """Alembic's rebuilt table counts with a new sequence named after its temporary table (or
    suffixed); ours hands the table's own sequence over, name and position kept."""
    table = ops.create_table(
        "invoice", sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Integer)
    )
    ops.bulk_insert(table, [{"n": 1}, {"n": 2}])
    with ops.batch_alter_table("invoice", recreate="always") as batch:
        batch.add_column(sa.Column("note", sa.String(20)))
    assert sa.inspect(conn).get_sequence_names() == ["invoice_id_seq"]
    default = sa.inspect(conn).get_columns("invoice")[0]["default"]
    assert default == "nextval('invoice_id_seq'::regclass)"
    conn.execute(sa.text("INSERT INTO invoice (n) VALUES (3)"))
    assert conn.execute(sa.text("SELECT max(id) FROM invoice")).scalar_one() == 3


def test_batch_rebuild_keeps_the_table_comment(ops: Operations, conn: sa.Connection) -> None:
    if not conn.dialect.supports_comments:
        pytest.skip("requires comments")
    ops.create_table("note", sa.Column("id", sa.Integer, primary_key=True), comment="who's who")
    with ops.batch_alter_table("note", recreate="always") as batch:
        batch.add_column(sa.Column("body", sa.String(20)))
    assert sa.inspect(conn).get_table_comment("note")["text"] == "who's who"


def test_batch_rebuild_keeps_a_foreign_key_to_the_table_itself(
    ops: Operations, conn: sa.Connection
) -> None:
    ops.create_table(
        "node", sa.Column("id", sa.Integer, primary_key=True), sa.Column("parent", sa.Integer)
    )
    ops.create_table(
        "leaf", sa.Column("id", sa.Integer, primary_key=True), sa.Column("node_id", sa.Integer)
    )
    if ops.impl.supports_alter_constraints:
        ops.create_foreign_key("fk_leaf_node", "leaf", "node", ["node_id"], ["id"])
    with ops.batch_alter_table("node", recreate="always") as batch:
        batch.create_foreign_key("fk_node_parent", "node", ["parent"], ["id"], ondelete="CASCADE")
        batch.add_column(sa.Column("label", sa.String(20)))
    inspector = sa.inspect(conn)
    (own,) = inspector.get_foreign_keys("node")
    assert (own["name"], own["referred_table"], own["options"].get("ondelete")) == (
        "fk_node_parent",
        "node",
        "CASCADE",
    )
    if ops.impl.supports_alter_constraints:
        assert [fk["referred_table"] for fk in inspector.get_foreign_keys("leaf")] == ["node"]


def test_offline_rebuild_of_a_referenced_table_runs_and_keeps_the_keys(
    db: LiveDatabase, tmp_path: Path
) -> None:
    """Offline nothing tells which tables refer to the one rebuilt; the script stopped at
    DROP TABLE ("other objects depend on it"). It now moves those keys over itself."""
    if db.name == "sqlite":
        pytest.skip("SQLite does not check foreign keys on DROP TABLE here")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")  # the dialect learns the server version
        conn.commit()
        parent = sa.Table("parent", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
        with conn.begin():
            ops = Operations.for_connection(conn)
            ops.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))
            ops.create_table(
                "child",
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
            )
            conn.execute(sa.text("INSERT INTO parent (id) VALUES (1)"))
            conn.execute(sa.text("INSERT INTO child (id, parent_id) VALUES (1, 1)"))
    buf = io.StringIO()
    offline = Operations.for_dialect(db.engine.dialect, buf)
    if offline.impl.transactional_ddl:
        buf.write("BEGIN;\n")
    with offline.batch_alter_table("parent", recreate="always", copy_from=parent) as batch:
        batch.add_column(sa.Column("name", sa.String(20)))
    if offline.impl.transactional_ddl:
        buf.write("COMMIT;\n")
    command, env = client_command(db.url)
    done = subprocess.run(command, input=buf.getvalue(), text=True, capture_output=True, env=env)
    assert done.returncode == 0 and "ERROR" not in done.stderr.upper(), done.stderr
    with db.engine.connect() as conn:
        (fk,) = sa.inspect(conn).get_foreign_keys("child")
        assert (fk["referred_table"], fk["options"].get("ondelete")) == ("parent", "CASCADE")
        assert [c["name"] for c in sa.inspect(conn).get_columns("parent")] == ["id", "name"]
        conn.rollback()
        with conn.begin():
            conn.execute(sa.text("DELETE FROM parent"))
        assert conn.execute(sa.text("SELECT count(*) FROM child")).scalar_one() == 0


@pytest.mark.backends("mariadb", "mysql")
def test_rebuild_leaves_the_foreign_key_index_to_the_server(
    ops: Operations, conn: sa.Connection
) -> None:
    """InnoDB names the index it makes for a foreign key after the key; a rebuild re-created it
    explicitly, so it stayed beside an index the batch added for the same column (ALTERs let
    the server drop it). Dropping the key in a rebuild keeps the index, as DROP FOREIGN KEY
    does."""
    ops.create_table("owner", sa.Column("id", sa.Integer, primary_key=True))
    ops.create_table(
        "pet",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("owner.id", name="fk_pet_owner")),
        sa.Column("vet_id", sa.Integer, sa.ForeignKey("owner.id", name="fk_pet_vet")),
    )
    with ops.batch_alter_table("pet", recreate="always") as batch:
        batch.create_index("ix_pet_owner", ["owner_id"])
        batch.drop_constraint("fk_pet_vet", type_="foreignkey")
    indexes = {ix["name"]: ix["column_names"] for ix in sa.inspect(conn).get_indexes("pet")}
    assert indexes == {"ix_pet_owner": ["owner_id"], "fk_pet_vet": ["vet_id"]}


@pytest.mark.backends("postgresql")
def test_offline_rebuild_of_a_renamed_serial_table_hands_its_sequence_over(
    db: LiveDatabase,
) -> None:
    """After a rename the serial sequence keeps the old table's name, so copy_from states the
    default as nextval('old_id_seq'); the offline rebuild did not hand that sequence over, and
    DROP TABLE refused ("other objects depend on it")."""
    with db.engine.connect() as conn, conn.begin():
        ops = Operations.for_connection(conn)
        ops.create_table("old", sa.Column("id", sa.Integer, primary_key=True))
        ops.rename_table("old", "new")
        conn.execute(sa.text("INSERT INTO new DEFAULT VALUES"))
    copy_from = sa.Table(
        "new",
        sa.MetaData(),
        sa.Column(
            "id",
            sa.Integer,
            primary_key=True,
            server_default=sa.text("nextval('old_id_seq'::regclass)"),
        ),
        sa.PrimaryKeyConstraint("id", name="old_pkey"),
    )
    buf = io.StringIO("")
    buf.write("BEGIN;\n")
    offline = Operations.for_dialect("postgresql", buf)
    with offline.batch_alter_table("new", recreate="always", copy_from=copy_from) as batch:
        batch.add_column(sa.Column("note", sa.String(20)))
    buf.write("COMMIT;\n")
    command, env = client_command(db.url)
    done = subprocess.run(command, input=buf.getvalue(), text=True, capture_output=True, env=env)
    assert done.returncode == 0 and "ERROR" not in done.stderr.upper(), done.stderr
    with db.engine.begin() as conn:
        assert sa.inspect(conn).get_sequence_names() == ["old_id_seq"]
        conn.execute(sa.text("INSERT INTO new (note) VALUES ('x')"))
        assert conn.execute(sa.text("SELECT max(id) FROM new")).scalar_one() == 2


def test_rebuild_adding_a_column_made_not_null_in_the_same_block(
    ops: Operations, conn: sa.Connection
) -> None:
    """MariaDB refused to copy even an empty table into a new definition holding a NOT NULL
    column the copy did not name ("doesn't have a default value"). With rows, NOT NULL must
    still stop the change and leave the table as it was."""
    ops.create_table("tag", sa.Column("id", sa.Integer, primary_key=True))
    with ops.batch_alter_table("tag", recreate="always") as batch:
        batch.add_column(sa.Column("label", sa.String(20), nullable=True))
        batch.alter_column("label", nullable=False, existing_type=sa.String(20))
    label = {c["name"]: c for c in sa.inspect(conn).get_columns("tag")}["label"]
    assert label["nullable"] is False
    conn.execute(sa.text("INSERT INTO tag (id, label) VALUES (1, 'a')"))
    with pytest.raises(BatchError), ops.batch_alter_table("tag", recreate="always") as batch:
        batch.add_column(sa.Column("colour", sa.String(20), nullable=True))
        batch.alter_column("colour", nullable=False, existing_type=sa.String(20))
    assert [c["name"] for c in sa.inspect(conn).get_columns("tag")] == ["id", "label"]
    assert conn.execute(sa.text("SELECT count(*) FROM tag")).scalar_one() == 1


@pytest.mark.backends("mariadb", "mysql")
def test_rebuild_drops_the_foreign_key_index_an_added_index_replaces(
    ops: Operations, conn: sa.Connection
) -> None:
    """ALTERs: an index leading with a foreign key's column makes the server drop the index
    it made for the key, which then is not there once the key is dropped too."""
    ops.create_table("owner", sa.Column("id", sa.Integer, primary_key=True))
    ops.create_table(
        "pet",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("owner.id", name="fk_pet_owner")),
    )
    with ops.batch_alter_table("pet", recreate="always") as batch:
        batch.create_index("ix_pet_owner", ["owner_id"])
        batch.drop_constraint("fk_pet_owner", type_="foreignkey")
    names = [ix["name"] for ix in sa.inspect(conn).get_indexes("pet")]
    assert names == ["ix_pet_owner"]
