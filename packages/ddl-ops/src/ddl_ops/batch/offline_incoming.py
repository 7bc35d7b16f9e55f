"""Offline (``--sql``) rebuilds of a table that other tables' foreign keys point at.

Online the rebuild reads those foreign keys, drops them before the old table goes and adds
them to the new one. Offline there is nothing to read, so the script does it itself when it
runs: on PostgreSQL it saves each referencing key's definition from the catalog, drops it,
and re-adds it once the new table has its name and key; on MySQL/MariaDB the drop and rename
run with foreign key checks off, and InnoDB attaches the keys to the new table of that name.
Without this the script stops at DROP TABLE ("other objects depend on it").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from ddl_ops.batch.model import TableModel
from ddl_ops.dialects import text_preparer

_SAVED = "_batch_incoming_fks"


@dataclass
class OfflineIncoming:
    """Statements around the swap: before the old table is dropped, and at the very end."""

    before_drop: list[str] = field(default_factory=list)
    after_rename: list[str] = field(default_factory=list)
    at_end: list[str] = field(default_factory=list)


def offline_incoming_statements(model: TableModel, dialect: Dialect) -> OfflineIncoming:
    if dialect.name == "postgresql":
        return _postgresql(model, dialect)
    if dialect.name in ("mysql", "mariadb"):
        return OfflineIncoming(
            before_drop=[
                "SET @batch_foreign_key_checks = @@FOREIGN_KEY_CHECKS",
                "SET FOREIGN_KEY_CHECKS = 0",
            ],
            after_rename=["SET FOREIGN_KEY_CHECKS = @batch_foreign_key_checks"],
        )
    return OfflineIncoming()


def _postgresql(model: TableModel, dialect: Dialect) -> OfflineIncoming:
    table = text_preparer(dialect).format_table(sa.table(model.name, schema=model.schema))
    regclass = "'" + table.replace("'", "''") + "'"
    save = (
        f"CREATE TEMPORARY TABLE {_SAVED} AS "
        "SELECT c.oid AS position, c.conrelid::regclass::text AS referencing, c.conname, "
        f"pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c "
        f"WHERE c.contype = 'f' AND c.confrelid = {regclass}::regclass "
        "AND c.conrelid <> c.confrelid"
    )
    drop = (
        "DO $batch$ DECLARE fk record; BEGIN "
        f"FOR fk IN SELECT * FROM {_SAVED} ORDER BY position LOOP "
        "EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.referencing, fk.conname); "
        "END LOOP; END $batch$"
    )
    restore = (
        "DO $batch$ DECLARE fk record; BEGIN "
        f"FOR fk IN SELECT * FROM {_SAVED} ORDER BY position LOOP "
        "EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', "
        "fk.referencing, fk.conname, fk.definition); "
        "END LOOP; END $batch$"
    )
    return OfflineIncoming(before_drop=[save, drop], at_end=[restore, f"DROP TABLE {_SAVED}"])
