"""Keep id counters across a rebuild: a new table would otherwise start counting at 1.

SQLite AUTOINCREMENT keeps its high-water mark in ``sqlite_sequence``; MySQL/MariaDB keep
``AUTO_INCREMENT`` per table; PostgreSQL serial columns own a sequence (handed over to the new
table) and identity columns get a fresh one (set to continue where the old one stopped).
"""

from __future__ import annotations

import contextlib
import re

import sqlalchemy as sa

from ddl_ops.batch.model import TableModel
from ddl_ops.batch.runner import StatementRunner
from ddl_ops.batch.sqltext import verbatim
from ddl_ops.dialects import text_preparer

_NEXTVAL = re.compile(r"^nextval\('((?:[^']|'')+)'(?:::regclass)?\)$", re.IGNORECASE)


class CounterCarry:
    """Reads the old table's counters before the swap and gives them to the new table."""

    def __init__(self, runner: StatementRunner, model: TableModel, temp_table: sa.Table):
        self.runner = runner
        self.model = model
        self.temp_table = temp_table
        self.dialect = runner.dialect
        self.preparer = text_preparer(runner.dialect)
        self.sqlite_sequence: int | None = None
        self.identity_renames: list[tuple[str, str]] = []
        self.always_identity: list[str] = []
        if self.dialect.name == "postgresql":
            for column in temp_table.columns:
                if column.identity is not None and column.identity.always:
                    column.identity.always = False
                    self.always_identity.append(column.name)
        if self.dialect.name == "sqlite" and self._sqlite_autoincrement():
            self.sqlite_sequence = self._read_sqlite_sequence()

    def _sqlite_autoincrement(self) -> bool:
        """Reflection finds AUTOINCREMENT in the catalog; a copy_from Table declares it."""
        declared = self.model.table_kwargs.get("sqlite_autoincrement")
        return bool(self.model.sqlite_autoincrement or declared)

    def _quoted(self, name: str) -> str:
        return self.preparer.format_table(sa.table(name, schema=self.model.schema))

    # -- before the old table is dropped --------------------------------------------------

    def before_swap(self) -> None:
        if self.dialect.name == "postgresql":
            self._postgresql_sequences()
        elif self.dialect.name in ("mysql", "mariadb"):
            self._mysql_auto_increment()
        elif self.dialect.name == "sqlite" and self.runner.connection is None:
            self._hand_over_sqlite_sequence()

    def _hand_over_sqlite_sequence(self) -> None:
        """Offline: the script itself gives the old table's mark to the new one before the
        old one (and its sqlite_sequence row) is dropped; the rename then carries it."""
        if not self._sqlite_autoincrement():
            return
        master = self._sqlite_sequence_table()
        old_mark = f"COALESCE((SELECT seq FROM {master} WHERE name = :old), 0)"
        params = [
            sa.bindparam("old", self.model.name, sa.String()),
            sa.bindparam("new", self.temp_table.name, sa.String()),
        ]
        self.runner.run(
            sa.text(f"UPDATE {master} SET seq = MAX(seq, {old_mark}) WHERE name = :new").bindparams(
                *params
            )
        )
        self.runner.run(
            sa.text(
                f"INSERT INTO {master} (name, seq) SELECT :new, {old_mark} "
                f"WHERE NOT EXISTS (SELECT 1 FROM {master} WHERE name = :new)"
            ).bindparams(*params)
        )

    def _mysql_auto_increment(self) -> None:
        connection = self.runner.connection
        if connection is None:
            return
        if not getattr(self.dialect, "is_mariadb", False):
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

    def _postgresql_sequences(self) -> None:
        old, temp = self._quoted(self.model.name), self._quoted(self.temp_table.name)
        connection = self.runner.connection
        lookup = sa.text("SELECT pg_get_serial_sequence(:table, :column)")
        for column in self.model.columns.values():
            if column.source is None:
                continue
            quoted_column = self.preparer.quote(column.name)
            if column.identity is not None:
                self._continue_identity(column.name, column.source)
            elif column.owned_sequence is not None:
                self.runner.run(
                    sa.text(
                        f"ALTER SEQUENCE {column.owned_sequence} OWNED BY {temp}.{quoted_column}"
                    )
                )
            elif connection is not None:
                sequence = connection.execute(
                    lookup, {"table": old, "column": column.source}
                ).scalar()
                if sequence is not None:
                    self.runner.run(
                        sa.text(f"ALTER SEQUENCE {sequence} OWNED BY {temp}.{quoted_column}")
                    )
            else:
                self._hand_over_sequence_offline(column.server_default, column.source, temp)
        for name in self.always_identity:
            self.runner.run(
                sa.text(
                    f"ALTER TABLE {temp} ALTER COLUMN {self.preparer.quote(name)} "
                    "SET GENERATED ALWAYS"
                )
            )

    def _hand_over_sequence_offline(self, default: object, source: str, temp: str) -> None:
        """Offline, a ``nextval('seq')`` default (a copy_from column, e.g. after the table was
        renamed): the script hands the sequence over if the old column owns it. Otherwise
        DROP TABLE would take the sequence with it, or refuse while the new table uses it."""
        text = default.text if isinstance(default, sa.TextClause) else str(default or "")
        found = _NEXTVAL.match(text.strip())
        if found is None:
            return
        sequence = found.group(1).replace("''", "'")
        old_literal = self._quoted(self.model.name).replace("'", "''")
        seq_literal = sequence.replace("'", "''")
        column_literal = source.replace("'", "''")
        quoted_column = self.preparer.quote(source)
        self.runner.run(
            verbatim(
                "DO $batch$ BEGIN IF pg_get_serial_sequence("
                f"'{old_literal}', '{column_literal}')::regclass = '{seq_literal}'::regclass "
                f"THEN ALTER SEQUENCE {sequence} OWNED BY {temp}.{quoted_column}; "
                "END IF; END $batch$"
            )
        )

    def _continue_identity(self, column: str, source: str) -> None:
        """The new identity sequence goes on from the old one (or from max+1 offline)."""
        old, temp = self._quoted(self.model.name), self._quoted(self.temp_table.name)
        connection = self.runner.connection
        if connection is None:
            quoted = self.preparer.quote(column)
            self.runner.run(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"COALESCE(MAX({quoted}), 0) + 1, false) FROM {temp}"
                ).bindparams(table=temp, column=column)
            )
            return
        lookup = sa.text("SELECT pg_get_serial_sequence(:table, :column)")
        old_sequence = connection.execute(lookup, {"table": old, "column": source}).scalar()
        new_sequence = connection.execute(lookup, {"table": temp, "column": column}).scalar()
        if old_sequence is None or new_sequence is None:
            return
        self.runner.run(
            sa.text(
                "SELECT setval(CAST(:sequence AS regclass), last_value, is_called) "
                f"FROM {old_sequence}"
            ).bindparams(sequence=new_sequence)
        )
        self.identity_renames.append((new_sequence, old_sequence.split(".")[-1]))

    # -- after the new table took the old one's place ---------------------------------------

    def after_swap(self) -> None:
        for new_sequence, old_name in self.identity_renames:
            self.runner.run(sa.text(f"ALTER SEQUENCE {new_sequence} RENAME TO {old_name}"))
        if self.sqlite_sequence is not None:
            self._restore_sqlite_sequence(self.sqlite_sequence)

    def _sqlite_sequence_table(self) -> str:
        schema = self.model.schema
        return f"{self.preparer.quote(schema)}.sqlite_sequence" if schema else "sqlite_sequence"

    def _read_sqlite_sequence(self) -> int | None:
        connection = self.runner.connection
        if connection is None:
            return None
        value = connection.execute(
            sa.text(f"SELECT seq FROM {self._sqlite_sequence_table()} WHERE name = :name"),
            {"name": self.model.name},
        ).scalar()
        return int(value) if value is not None else None

    def _restore_sqlite_sequence(self, saved: int) -> None:
        """AUTOINCREMENT never reuses ids: keep the old table's high-water mark."""
        master = self._sqlite_sequence_table()
        params = {"seq": saved, "name": self.model.name}
        self.runner.run(
            sa.text(f"UPDATE {master} SET seq = MAX(seq, :seq) WHERE name = :name").bindparams(
                **params
            )
        )
        self.runner.run(
            sa.text(
                f"INSERT INTO {master} (name, seq) SELECT :name, :seq "
                f"WHERE NOT EXISTS (SELECT 1 FROM {master} WHERE name = :name)"
            ).bindparams(**params)
        )
