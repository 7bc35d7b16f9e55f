"""Batch mode in offline mode: the exact SQL of a rebuild, per dialect, from ``copy_from``."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from ddl_ops import Operations
from ddl_ops.batch import BatchError


def _item_table() -> sa.Table:
    return sa.Table(
        "item",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(20), server_default="x", comment="the name"),
        sa.Column("qty", sa.Integer),
        sa.Column("parent_id", sa.ForeignKey("item.id", name="fk_parent")),
        sa.UniqueConstraint("name", name="uq_item_name"),
        sa.Index("ix_item_qty", "qty"),
        sa.CheckConstraint("qty > 0", name="ck_qty"),
        comment="items",
    )


def _statements(dialect: str, **batch_kw: object) -> list[str]:
    buffer = io.StringIO()
    ops = Operations.for_dialect(dialect, buffer)
    with ops.batch_alter_table("item", copy_from=_item_table(), **batch_kw) as batch:  # type: ignore[arg-type]
        batch.alter_column("name", nullable=False, new_column_name="title")
        batch.add_column(sa.Column("note", sa.Text), insert_after="title")
    return [s.strip() for s in buffer.getvalue().split(";\n") if s.strip()]


def test_sqlite_rebuild_sql() -> None:
    assert _statements("sqlite") == [
        "PRAGMA legacy_alter_table=ON",
        "SAVEPOINT ddl_ops_batch_rebuild",
        "CREATE TEMP TABLE _ddl_ops_batch_guard (x)",
        "CREATE TEMP TRIGGER _ddl_ops_batch_guard_check BEFORE INSERT ON _ddl_ops_batch_guard "
        "BEGIN SELECT RAISE(ABORT, 'rebuilding item would drop its triggers: drop them before "
        "the batch and create them again after it') WHERE EXISTS (SELECT 1 FROM "
        "main.sqlite_master WHERE type = 'trigger' AND tbl_name = 'item'); END",
        "INSERT INTO _ddl_ops_batch_guard VALUES (1)",
        "DROP TABLE _ddl_ops_batch_guard",
        "CREATE TABLE _batch_tmp_item (\n"
        "\tid INTEGER NOT NULL, \n"
        "\ttitle VARCHAR(20) DEFAULT 'x' NOT NULL, \n"
        "\tnote TEXT, \n"
        "\tqty INTEGER, \n"
        "\tparent_id INTEGER, \n"
        "\tPRIMARY KEY (id), \n"
        "\tCONSTRAINT uq_item_name UNIQUE (title), \n"
        "\tCONSTRAINT ck_qty CHECK (qty > 0), \n"
        "\tCONSTRAINT fk_parent FOREIGN KEY(parent_id) REFERENCES item (id)\n"
        ")",
        "INSERT INTO _batch_tmp_item (id, title, qty, parent_id) "
        "SELECT item.id, item.name, item.qty, item.parent_id \nFROM item",
        "DROP TABLE item",
        "ALTER TABLE _batch_tmp_item RENAME TO item",
        "CREATE INDEX ix_item_qty ON item (qty)",
        "RELEASE SAVEPOINT ddl_ops_batch_rebuild",
        "PRAGMA legacy_alter_table=OFF",
    ]


# Offline nothing tells which other tables' foreign keys point at the table: the script
# saves, drops and re-adds them itself when it runs (MySQL: checks off around the swap).
SAVE_AND_DROP_INCOMING_PG = [
    "CREATE TEMPORARY TABLE _batch_incoming_fks AS SELECT c.oid AS position, "
    "c.conrelid::regclass::text AS referencing, c.conname, pg_get_constraintdef(c.oid) AS "
    "definition FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = "
    "'item'::regclass AND c.conrelid <> c.confrelid",
    "DO $batch$ DECLARE fk record; BEGIN FOR fk IN SELECT * FROM _batch_incoming_fks ORDER BY "
    "position LOOP EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.referencing, "
    "fk.conname); END LOOP; END $batch$",
]
RESTORE_INCOMING_PG = [
    "DO $batch$ DECLARE fk record; BEGIN FOR fk IN SELECT * FROM _batch_incoming_fks ORDER BY "
    "position LOOP EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.referencing, "
    "fk.conname, fk.definition); END LOOP; END $batch$",
    "DROP TABLE _batch_incoming_fks",
]


def test_postgresql_rebuild_sql_adds_schema_wide_names_after_the_swap() -> None:
    assert _statements("postgresql", recreate="always") == [
        "CREATE TABLE _batch_tmp_item (\n"
        "\tid INTEGER DEFAULT nextval('item_id_seq'::regclass) NOT NULL, \n"
        "\ttitle VARCHAR(20) DEFAULT 'x' NOT NULL, \n"
        "\tnote TEXT, \n"
        "\tqty INTEGER, \n"
        "\tparent_id INTEGER, \n"
        "\tCONSTRAINT ck_qty CHECK (qty > 0)\n"
        ")",
        "INSERT INTO _batch_tmp_item (id, title, qty, parent_id) "
        "SELECT item.id, item.name, item.qty, item.parent_id \nFROM item",
        "ALTER SEQUENCE item_id_seq OWNED BY _batch_tmp_item.id",
        *SAVE_AND_DROP_INCOMING_PG,
        "DROP TABLE item",
        "ALTER TABLE _batch_tmp_item RENAME TO item",
        "ALTER TABLE item ADD PRIMARY KEY (id)",
        "ALTER TABLE item ADD CONSTRAINT uq_item_name UNIQUE (title)",
        "ALTER TABLE item ADD CONSTRAINT fk_parent FOREIGN KEY(parent_id) REFERENCES item (id)",
        "CREATE INDEX ix_item_qty ON item (qty)",
        "COMMENT ON TABLE item IS 'items'",
        "COMMENT ON COLUMN item.title IS 'the name'",
        *RESTORE_INCOMING_PG,
    ]


def test_mysql_rebuild_sql_creates_per_table_names_before_the_copy() -> None:
    assert _statements("mysql", recreate="always") == [
        "CREATE TABLE _batch_tmp_item (\n"
        "\tid INTEGER NOT NULL AUTO_INCREMENT, \n"
        "\ttitle VARCHAR(20) NOT NULL COMMENT 'the name' DEFAULT 'x', \n"
        "\tnote TEXT, \n"
        "\tqty INTEGER, \n"
        "\tparent_id INTEGER, \n"
        "\tPRIMARY KEY (id), \n"
        "\tCONSTRAINT uq_item_name UNIQUE (title)\n"
        ")COMMENT='items'",
        "CREATE INDEX ix_item_qty ON _batch_tmp_item (qty)",
        "INSERT INTO _batch_tmp_item (id, title, qty, parent_id) "
        "SELECT item.id, item.name, item.qty, item.parent_id \nFROM item",
        "SET @batch_foreign_key_checks = @@FOREIGN_KEY_CHECKS",
        "SET FOREIGN_KEY_CHECKS = 0",
        "DROP TABLE item",
        "ALTER TABLE _batch_tmp_item RENAME TO item",
        "SET FOREIGN_KEY_CHECKS = @batch_foreign_key_checks",
        "ALTER TABLE item ADD CONSTRAINT ck_qty CHECK (qty > 0)",
        "ALTER TABLE item ADD CONSTRAINT fk_parent FOREIGN KEY(parent_id) REFERENCES item (id)",
    ]


def test_other_databases_get_plain_alters_in_auto_mode() -> None:
    assert _statements("postgresql") == [
        "ALTER TABLE item ALTER COLUMN name SET NOT NULL",
        "ALTER TABLE item RENAME COLUMN name TO title",
        "ALTER TABLE item ADD COLUMN note TEXT",
    ]


def test_mysql_alters_take_the_existing_column_from_copy_from() -> None:
    buffer = io.StringIO()
    ops = Operations.for_dialect("mysql", buffer)
    with ops.batch_alter_table("item", copy_from=_item_table()) as batch:
        batch.alter_column("qty", nullable=False)
        batch.alter_column("name", new_column_name="title")
        batch.alter_column("title", nullable=False)
    assert buffer.getvalue().split(";\n\n")[:3] == [
        "ALTER TABLE item MODIFY qty INTEGER NOT NULL",
        "ALTER TABLE item RENAME COLUMN name TO title",
        "ALTER TABLE item MODIFY title VARCHAR(20) NOT NULL COMMENT 'the name' DEFAULT 'x'",
    ]


def test_execute_is_written_between_rebuilds() -> None:
    buffer = io.StringIO()
    ops = Operations.for_dialect("sqlite", buffer)
    with ops.batch_alter_table("item", copy_from=_item_table()) as batch:
        batch.execute(sa.text("UPDATE item SET qty = 1 WHERE qty IS NULL"))
        batch.alter_column("qty", nullable=False)
        batch.execute("DELETE FROM item WHERE qty > 100")
    text = buffer.getvalue()
    update = text.index("UPDATE item SET qty = 1")
    create = text.index("CREATE TABLE _batch_tmp_item")
    delete = text.index("DELETE FROM item WHERE qty > 100")
    assert update < create < delete


def test_offline_rebuild_without_copy_from_says_what_to_pass() -> None:
    ops = Operations.for_dialect("sqlite", io.StringIO())
    batch_block = ops.batch_alter_table("item")
    with pytest.raises(BatchError, match=r"offline mode.*pass copy_from="), batch_block as batch:
        batch.alter_column("qty", nullable=False)


def test_offline_add_column_needs_no_copy_from_when_sqlite_can_alter() -> None:
    buffer = io.StringIO()
    ops = Operations.for_dialect("sqlite", buffer)
    with ops.batch_alter_table("item") as batch:
        batch.add_column(sa.Column("note", sa.Text))
        batch.create_index("ix_item_note", ["note"])
    assert buffer.getvalue() == (
        "ALTER TABLE item ADD COLUMN note TEXT;\n\nCREATE INDEX ix_item_note ON item (note);\n\n"
    )
