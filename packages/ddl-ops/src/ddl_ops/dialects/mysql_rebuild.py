"""MySQL and MariaDB in batch mode: AUTO_INCREMENT, triggers, InnoDB's implicit indexes.

``DROP TABLE`` drops a table's triggers, which cannot be read back reliably, so a rebuild of a
table with triggers refuses to start. ``AUTO_INCREMENT`` is kept per table and is carried to
the new one. Offline, the drop and rename run with foreign key checks off, and InnoDB attaches
other tables' keys to the new table of that name. MariaDB also keeps column-level CHECKs apart
from the table's, and its CHECK names are per table.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from ddl_ops.batch.runner import StatementRunner
from ddl_ops.batch.strategy import (
    CounterCarry,
    OfflineIncoming,
    RebuildStrategy,
    ServerExtras,
    refuse_lossy_rebuild,
)
from ddl_ops.dialects.instances import text_preparer

if TYPE_CHECKING:
    from ddl_ops.batch.model import TableModel


class MySQLRebuild(RebuildStrategy):
    """Keys and UNIQUEs go with the new table, and its indexes before the swap (index names
    are per table); AUTO_INCREMENT is carried over; tables with triggers are refused."""

    inline_constraints = frozenset({"primary", "unique"})
    indexes_before_swap = True
    #: MySQL 8 serves information_schema.TABLES from a cache unless told otherwise
    refresh_table_statistics = True

    def adjust_model(self, model: TableModel) -> None:
        _mark_implicit_foreign_key_indexes(model)

    def read_server_extras(self, connection: Connection, model: TableModel) -> ServerExtras:
        refuse_lossy_rebuild(model, _mysql_blockers(connection, model))
        return ServerExtras()

    def offline_incoming(self, model: TableModel, dialect: Dialect) -> OfflineIncoming:
        return OfflineIncoming(
            before_drop=[
                "SET @batch_foreign_key_checks = @@FOREIGN_KEY_CHECKS",
                "SET FOREIGN_KEY_CHECKS = 0",
            ],
            after_rename=["SET FOREIGN_KEY_CHECKS = @batch_foreign_key_checks"],
        )

    def counters(
        self, runner: StatementRunner, model: TableModel, temp_table: sa.Table
    ) -> CounterCarry:
        return MySQLCounters(runner, model, temp_table, self.refresh_table_statistics)


class MariaDBRebuild(MySQLRebuild):
    """As MySQL; CHECK names are per table, so CHECKs go with the new table too."""

    inline_constraints = frozenset({"primary", "unique", "check"})
    refresh_table_statistics = False

    def add_catalog_details(self, connection: Connection, model: TableModel) -> None:
        _add_mariadb_column_checks(connection, model)


class MySQLCounters(CounterCarry):
    """The new table's AUTO_INCREMENT continues from the old one's."""

    def __init__(
        self,
        runner: StatementRunner,
        model: TableModel,
        temp_table: sa.Table,
        refresh_table_statistics: bool,
    ):
        super().__init__(runner, model, temp_table)
        self.preparer = text_preparer(runner.dialect)
        self.refresh_table_statistics = refresh_table_statistics

    def before_swap(self) -> None:
        self._mysql_auto_increment()

    def _mysql_auto_increment(self) -> None:
        connection = self.runner.connection
        if connection is None:
            return
        if self.refresh_table_statistics:
            # MySQL 8 serves information_schema.TABLES from a cache unless told otherwise
            with contextlib.suppress(sa.exc.DBAPIError):
                connection.exec_driver_sql("SET SESSION information_schema_stats_expiry = 0")
        next_value = connection.execute(
            sa.text(
                "SELECT AUTO_INCREMENT FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND TABLE_NAME = :name"
            ),
            {"schema": self.model.schema, "name": self.model.name},
        ).scalar()
        if next_value:
            temp = self._quoted(self.temp_table.name)
            self.runner.run(sa.text(f"ALTER TABLE {temp} AUTO_INCREMENT = {int(next_value)}"))

    def _quoted(self, name: str) -> str:
        return self.preparer.format_table(sa.table(name, schema=self.model.schema))


def _mysql_blockers(connection: Connection, model: TableModel) -> list[str]:
    triggers = connection.execute(
        sa.text(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
            "WHERE EVENT_OBJECT_SCHEMA = COALESCE(:schema, DATABASE()) "
            "AND EVENT_OBJECT_TABLE = :table ORDER BY TRIGGER_NAME"
        ),
        {"schema": model.schema, "table": model.name},
    ).scalars()
    return [f"trigger {name!r}" for name in triggers]


def _mark_implicit_foreign_key_indexes(model: TableModel) -> None:
    """InnoDB makes an index named after a foreign key that no index serves; reflection shows
    it as an ordinary index. Re-created explicitly, it would stay beside an index the batch
    adds for the same columns, where ALTERs would have had the server drop it."""
    keys = {fk.name: fk.columns for fk in model.foreign_keys if fk.name}
    for index in model.indexes:
        if not index.unique and index.name in keys and index.column_names() == keys[index.name]:
            index.implicit_for = index.name


def _add_mariadb_column_checks(connection: Connection, model: TableModel) -> None:
    """MariaDB keeps column-level CHECKs (also JSON's json_valid) apart; reflection skips them."""
    from ddl_ops.batch.model import CheckSpec  # batch mode only: loaded on first use

    query = sa.text(
        "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE()) AND TABLE_NAME = :table "
        "AND LEVEL = 'Column' ORDER BY CONSTRAINT_NAME"
    )
    try:
        rows = connection.execute(query, {"schema": model.schema, "table": model.name}).all()
    except sa.exc.DBAPIError:
        return  # before MariaDB 10.5.10 the view has no LEVEL column to tell them apart
    known = {check.name for check in model.checks}
    for name, clause in rows:
        if name not in known:
            model.checks.append(CheckSpec(name, clause))
