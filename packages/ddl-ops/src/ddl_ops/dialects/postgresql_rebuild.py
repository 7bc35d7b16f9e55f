"""PostgreSQL in batch mode: what a table carries beyond its definition, and its counters.

``DROP TABLE`` also drops triggers, grants, exclusion constraints, ownership and storage
options. Those that can be re-created from the catalog are read before the rebuild and replayed
after it; those that cannot (row security policies, rules, inheritance, partitioning) make the
rebuild refuse to start, naming them, rather than silently lose them.

Counters: serial columns own a sequence (handed over to the new table) and identity columns
get a fresh one (set to continue where the old one stopped). Foreign key actions run in the
order the keys were created, so that order is kept. Offline, the script itself saves, drops
and re-adds the foreign keys of other tables that point at the rebuilt one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects.postgresql import ENUM, CreateEnumType
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import TextClause

from ddl_ops.batch.runner import StatementRunner
from ddl_ops.batch.sqltext import references_identifier, rename_identifier, verbatim
from ddl_ops.batch.strategy import (
    CounterCarry,
    IncomingForeignKey,
    OfflineIncoming,
    RebuildStrategy,
    ServerExtras,
    refuse_lossy_rebuild,
)
from ddl_ops.dialects.instances import text_preparer

if TYPE_CHECKING:
    from ddl_ops.batch.model import TableModel


class PostgresqlRebuild(RebuildStrategy):
    """CHECKs go with the new table (other constraint names are schema-wide); serial and
    identity counters, exclusion constraints, triggers and grants are carried over."""

    inline_constraints = frozenset({"check"})
    copies_with_using = True

    def adjust_model(self, model: TableModel) -> None:
        for column in model.columns.values():
            if _text_of(column.server_default).startswith("nextval("):
                column.autoincrement = False

    def adjust_declared_model(self, table: sa.Table, model: TableModel, dialect: Dialect) -> None:
        _add_serial_sequence(table, model, dialect)

    def add_catalog_details(self, connection: Connection, model: TableModel) -> None:
        _order_foreign_keys_by_creation(connection, model)

    def order_incoming(
        self, connection: Connection, model: TableModel, found: list[IncomingForeignKey]
    ) -> None:
        found.sort(key=_creation_order(connection, model))

    def read_server_extras(self, connection: Connection, model: TableModel) -> ServerExtras:
        return _postgresql_extras(connection, model)

    def offline_incoming(self, model: TableModel, dialect: Dialect) -> OfflineIncoming:
        return _offline_incoming(model, dialect)

    def counters(
        self, runner: StatementRunner, model: TableModel, temp_table: sa.Table
    ) -> CounterCarry:
        return PostgresqlCounters(runner, model, temp_table)

    def create_new_types(self, runner: StatementRunner, model: TableModel, table: sa.Table) -> None:
        _create_new_enum_types(runner, model, table)


def native_enums(columns: Iterable[sa.Column[Any]]) -> list[Any]:
    """The named enum types these columns need created first (once each)."""
    found: dict[tuple[str | None, str], Any] = {}
    for column in columns:
        type_ = column.type
        if isinstance(type_, sa.Enum) and type_.native_enum and type_.name:
            if isinstance(type_, pg.ENUM) and not type_.create_type:
                continue
            found.setdefault((type_.schema, type_.name), type_)
    return list(found.values())


def _text_of(sqltext: Any) -> str:
    return sqltext.text if isinstance(sqltext, TextClause) else str(sqltext)


def _add_serial_sequence(table: sa.Table, model: TableModel, dialect: Dialect) -> None:
    """An autoincrementing integer key of a ``copy_from`` Table was created as SERIAL, whose
    sequence is named ``<table>_<column>_seq``; the rebuild keeps using (and re-owns) it."""
    serial = table.autoincrement_column
    if serial is not None and serial.name in model.columns:
        column = model.columns[serial.name]
        if column.server_default is None and column.identity is None:
            limit = dialect.max_identifier_length or 63
            sequence = f"{table.name}_{serial.name}_seq"[:limit]
            preparer = text_preparer(dialect)
            qualified = preparer.quote(sequence)
            if table.schema:
                qualified = f"{preparer.quote_schema(table.schema)}.{qualified}"
            literal = qualified.replace("'", "''")
            column.server_default = sa.text(f"nextval('{literal}'::regclass)")
            column.autoincrement = False
            column.owned_sequence = qualified


def _order_foreign_keys_by_creation(connection: Connection, model: TableModel) -> None:
    """PostgreSQL runs foreign key actions in the order the keys were created (their triggers
    fire by OID); reflection sorts them by name, so restore the creation order."""
    table = text_preparer(connection.dialect).format_table(
        sa.table(model.name, schema=model.schema)
    )
    names = connection.execute(
        sa.text(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = CAST(:table AS regclass) ORDER BY oid"
        ),
        {"table": table},
    ).scalars()
    position = {name: index for index, name in enumerate(names)}
    model.foreign_keys.sort(key=lambda fk: position.get(fk.name, len(position)))


def _creation_order(connection: Connection, model: TableModel) -> Any:
    """PostgreSQL runs the actions of foreign keys in the order they were created (their
    triggers fire by OID): re-create them in that order, not reflection's order by name."""
    table = text_preparer(connection.dialect).format_table(
        sa.table(model.name, schema=model.schema)
    )
    rows = connection.execute(
        sa.text(
            "SELECT t.relname, c.conname FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid "
            "WHERE c.contype = 'f' AND c.confrelid = CAST(:table AS regclass) ORDER BY c.oid"
        ),
        {"table": table},
    ).all()
    position = {(relname, name): index for index, (relname, name) in enumerate(rows)}
    return lambda fk: position.get((fk.table, fk.name), len(position))


def _create_new_enum_types(runner: StatementRunner, model: TableModel, table: sa.Table) -> None:
    """PostgreSQL: CREATE TABLE does not create the named enum types of added or retyped
    columns; create them as create_table does (live, a type that exists is left alone)."""
    changed = [
        table.c[column.name]
        for column in model.columns.values()
        if column.source is None or column.type_changed
    ]
    connection = runner.connection
    for type_ in native_enums(changed):
        if connection is not None and connection.dialect.has_type(  # type: ignore[attr-defined]
            connection, type_.name, schema=type_.schema
        ):
            continue
        runner.run(CreateEnumType(ENUM(*type_.enums, name=type_.name, schema=type_.schema)))


# -- counters ----------------------------------------------------------------------------

_NEXTVAL = re.compile(r"^nextval\('((?:[^']|'')+)'(?:::regclass)?\)$", re.IGNORECASE)


class PostgresqlCounters(CounterCarry):
    """Serial sequences are re-owned by the new table; identity sequences continue."""

    def __init__(self, runner: StatementRunner, model: TableModel, temp_table: sa.Table):
        super().__init__(runner, model, temp_table)
        self.preparer = text_preparer(runner.dialect)
        self.identity_renames: list[tuple[str, str]] = []
        self.always_identity: list[str] = []
        for column in temp_table.columns:
            if column.identity is not None and column.identity.always:
                column.identity.always = False
                self.always_identity.append(column.name)

    def before_swap(self) -> None:
        self._postgresql_sequences()

    def after_swap(self) -> None:
        for new_sequence, old_name in self.identity_renames:
            self.runner.run(sa.text(f"ALTER SEQUENCE {new_sequence} RENAME TO {old_name}"))

    def _quoted(self, name: str) -> str:
        return self.preparer.format_table(sa.table(name, schema=self.model.schema))

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


# -- what DROP TABLE would lose -----------------------------------------------------------


def _postgresql_extras(connection: Connection, model: TableModel) -> ServerExtras:
    preparer = text_preparer(connection.dialect)
    table = preparer.format_table(sa.table(model.name, schema=model.schema))
    oid = int(
        connection.execute(sa.text("SELECT CAST(:t AS regclass)::oid"), {"t": table}).scalar_one()
    )
    blockers: list[str] = []
    info = connection.execute(
        sa.text(
            "SELECT c.relkind, c.relrowsecurity, pg_get_userbyid(c.relowner), current_user, "
            "c.reloptions, EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = c.oid "
            "OR inhparent = c.oid) FROM pg_class c WHERE c.oid = :oid"
        ),
        {"oid": oid},
    ).one()
    relkind, row_security, owner, current, reloptions, inherits = info
    if relkind == "p":
        blockers.append("partitions")
    if inherits:
        blockers.append("table inheritance")
    if row_security:
        blockers.append("row level security")
    policies = connection.execute(
        sa.text("SELECT polname FROM pg_policy WHERE polrelid = :oid ORDER BY polname"),
        {"oid": oid},
    ).scalars()
    blockers += [f"policy {p!r}" for p in policies]
    rules = connection.execute(
        sa.text("SELECT rulename FROM pg_rules WHERE schemaname = COALESCE(:s, current_schema()) "
                "AND tablename = :t ORDER BY rulename"),
        {"s": model.schema, "t": model.name},
    ).scalars()  # fmt: skip
    blockers += [f"rule {r!r}" for r in rules]
    column_grants = connection.execute(
        sa.text(
            "SELECT count(*) FROM information_schema.column_privileges cp "
            "WHERE cp.table_schema = COALESCE(:s, current_schema()) AND cp.table_name = :t "
            "AND NOT EXISTS (SELECT 1 FROM information_schema.table_privileges tp "
            "WHERE tp.table_schema = cp.table_schema AND tp.table_name = cp.table_name "
            "AND tp.grantee = cp.grantee AND tp.privilege_type = cp.privilege_type)"
        ),
        {"s": model.schema, "t": model.name},
    ).scalar()
    if column_grants:
        blockers.append("column-level grants")
    refuse_lossy_rebuild(model, blockers)

    extras = ServerExtras()
    extras.after_swap += _exclusion_constraints(connection, model, oid, table)
    triggers = connection.execute(
        sa.text(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = :oid AND NOT tgisinternal ORDER BY tgname"
        ),
        {"oid": oid},
    ).scalars()
    extras.after_swap += list(triggers)
    if reloptions:
        extras.after_swap.append(f"ALTER TABLE {table} SET ({', '.join(reloptions)})")
    if owner != current:
        extras.after_swap.append(f"ALTER TABLE {table} OWNER TO {preparer.quote(owner)}")
    grants = connection.execute(
        sa.text(
            "SELECT grantee, privilege_type, is_grantable FROM information_schema.table_privileges "
            "WHERE table_schema = COALESCE(:s, current_schema()) AND table_name = :t "
            "AND grantee <> :owner ORDER BY grantee, privilege_type"
        ),
        {"s": model.schema, "t": model.name, "owner": owner},
    ).all()
    for grantee, privilege, grantable in grants:
        who = "PUBLIC" if grantee == "PUBLIC" else preparer.quote(grantee)
        option = " WITH GRANT OPTION" if grantable == "YES" else ""
        extras.after_swap.append(f"GRANT {privilege} ON {table} TO {who}{option}")
    return extras


def _exclusion_constraints(
    connection: Connection, model: TableModel, oid: int, table: str
) -> list[str]:
    """EXCLUDE constraints are not reflected; re-add them, following renamed columns."""
    rows = connection.execute(
        sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = :oid AND contype = 'x' ORDER BY conname"
        ),
        {"oid": oid},
    ).all()
    statements: list[str] = []
    for name, definition in rows:
        sources = {c.source: c.name for c in model.columns.values() if c.source is not None}
        body = definition
        dropped = [
            old
            for old in _old_columns(connection, oid)
            if old not in sources and references_identifier(definition, old)
        ]
        if dropped:
            continue  # as in PostgreSQL, dropping a column drops the constraints using it
        for old, new in sources.items():
            if old != new:
                body = rename_identifier(body, old, new, model.quote)
        quoted = text_preparer(connection.dialect).quote(name)
        statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {body}")
    return statements


def _old_columns(connection: Connection, oid: int) -> list[str]:
    return list(
        connection.execute(
            sa.text(
                "SELECT attname FROM pg_attribute WHERE attrelid = :oid AND attnum > 0 "
                "AND NOT attisdropped"
            ),
            {"oid": oid},
        ).scalars()
    )


# -- offline: other tables' foreign keys ---------------------------------------------------

_SAVED = "_batch_incoming_fks"


def _offline_incoming(model: TableModel, dialect: Dialect) -> OfflineIncoming:
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
