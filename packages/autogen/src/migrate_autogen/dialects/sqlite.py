"""SQLite: what its reflection misses, and the comparisons its storage makes moot.

SQLite keeps little catalog beyond each object's CREATE statement, so reflection is
completed from ``sqlite_master``: expression indexes (unreadable, checked by name),
CHECKs (re-read from the statement), generated expressions, DESC index columns.
It cannot ALTER most things in place, so scripts for it are rendered in batch mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Inspector

from migrate_autogen.dialects.default import DialectRules, mark_descending
from migrate_autogen.dialects.sqlite_sql import check_constraints, column_definitions, parenthesized
from migrate_autogen.live_schema import ReflectedDatabase, TableKey
from migrate_autogen.pairs import ColumnChange, ColumnPair


class SQLiteRules(DialectRules):
    name = "sqlite"

    compares_computed_column_types = False
    reflects_fk_deferral = False
    # SQLite rebuilds the table in batch mode, where the renderer names an unnamed
    # foreign key through batch_alter_table(naming_convention=...) to drop it
    drops_unnamed_foreign_keys_in_batch = True
    # it cannot ALTER a column, a constraint or a foreign key in place: a script of
    # plain ``op.alter_column`` calls would fail there
    render_as_batch: ClassVar[bool] = True
    foreign_keys_in_table_block = True

    def complete_reflection(
        self, conn: Connection, inspector: Inspector, db: ReflectedDatabase
    ) -> None:
        master = _Master.read(conn)  # one read of the catalog, shared by every step below
        db.opaque_indexes = _opaque_indexes(master, db)
        for table in db.tables.values():
            _reread_checks(conn, table, master)  # SQLAlchemy's pattern misreads some CHECKs
        _read_generated_expressions(db, master)
        mark_descending(conn, db, _descending(conn, db, master))

    def autoincrement_change(
        self, pair: ColumnPair, change: ColumnChange, wanted: bool, dialect: Dialect
    ) -> str | None:
        """SQLite numbers new rows only through ``INTEGER PRIMARY KEY`` (an alias of the rowid).

        That key already holds 64-bit values, so a model typed BIGINT asks for nothing
        it lacks, and ddl-ops' batch keeps the rowid rather than lose the numbering:
        the type change is dropped, or `check` would report it after every upgrade.
        Any other type (SMALLINT, NUMERIC, ...) is rendered as the models say, with a
        warning naming the variant that keeps the rowid.
        """
        if change.type_ is None:
            return None
        conn_pk = [c.name for c in pair.table.conn.primary_key.columns]
        if conn_pk != [pair.name] or str(pair.conn.type).upper() != "INTEGER":
            return None
        try:
            new_sql = str(change.type_.compile(dialect=dialect)).upper()
        except sa.exc.CompileError:
            return None
        if new_sql == "BIGINT":
            change.type_ = None
        elif new_sql != "INTEGER":
            return (
                f"{pair.table.name}.{pair.name} becomes {new_sql} PRIMARY KEY: on SQLite only "
                "INTEGER PRIMARY KEY numbers new rows; to keep that, type it in the models as "
                "sa.BigInteger().with_variant(sa.Integer(), 'sqlite')"
            )
        return None


@dataclass
class _Master:
    """``sqlite_master`` of the main schema, read once: CREATE text of each table and index."""

    table_sql: dict[str, str | None] = field(default_factory=dict)
    index_sql: dict[str, str | None] = field(default_factory=dict)
    index_table: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, conn: Connection) -> _Master:
        master = cls()
        rows = conn.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('table', 'index')"
        )
        for type_, name, table_name, sql in rows:
            if type_ == "table":
                master.table_sql[name] = sql
            else:
                master.index_sql[name] = sql
                master.index_table[name] = table_name
        return master


def _opaque_indexes(master: _Master, db: ReflectedDatabase) -> dict[TableKey, set[str]]:
    """Indexes SQLAlchemy skipped (expression indexes): compared by name only."""
    opaque: dict[TableKey, set[str]] = {}
    for index_name, sql in master.index_sql.items():
        if sql is None:
            continue  # made by a UNIQUE / PRIMARY KEY constraint, which is reflected
        table_name = master.index_table[index_name]
        table = db.tables.get((None, table_name))
        if table is None:
            continue
        if any(ix.name == index_name for ix in table.indexes):
            continue
        opaque.setdefault((None, table_name), set()).add(index_name)
    return opaque


def _reread_checks(conn: Connection, table: sa.Table, master: _Master) -> None:
    """Replace the CHECKs SQLAlchemy reflected with the ones the CREATE TABLE text holds."""
    if table.schema is None:
        sql = master.table_sql.get(table.name)
    else:  # an attached database: its own sqlite_master
        sql = conn.exec_driver_sql(
            f"SELECT sql FROM \"{table.schema}\".sqlite_master WHERE type = 'table' AND name = ?",
            (table.name,),
        ).scalar()
    if not sql:
        return
    for constraint in [c for c in table.constraints if isinstance(c, sa.CheckConstraint)]:
        table.constraints.discard(constraint)
    if "CHECK" not in sql.upper():
        return  # no CHECK to read: spare the scan
    for name, condition in check_constraints(sql):
        table.append_constraint(sa.CheckConstraint(condition, name=name))


_GENERATED = re.compile(r"\bGENERATED\s+ALWAYS\s+AS\s*\(", re.IGNORECASE)


def _read_generated_expressions(db: ReflectedDatabase, master: _Master) -> None:
    """Fill in the expressions SQLAlchemy reflects as ``''`` on SQLite.

    Its pattern stops at the first comma, so ``x NUMERIC(12, 2) GENERATED ALWAYS AS
    (...)`` loses its expression: compared, it looks changed; dropped, the downgrade
    would recreate ``Computed('')``. The column's own definition is read instead.
    """
    for (schema, name), table in db.tables.items():
        missing = [
            c for c in table.columns if c.computed is not None and not str(c.computed.sqltext)
        ]
        if schema is not None or not missing:
            continue
        definitions = column_definitions(master.table_sql.get(name) or "")
        for column in missing:
            definition = definitions.get(column.name.lower(), "")
            found = _GENERATED.search(definition)
            if found is not None and column.computed is not None:
                column.computed.sqltext = sa.text(parenthesized(definition, found.end() - 1))


def _descending(
    conn: Connection, db: ReflectedDatabase, master: _Master
) -> dict[tuple[str | None, str, str], set[str]]:
    """DESC key columns of each named index, from ``PRAGMA index_xinfo``.

    Only an index whose CREATE text says DESC can have one (for an index made by a
    table constraint, its table's text), so only those are asked about.
    """
    found: dict[tuple[str | None, str, str], set[str]] = {}
    quote = conn.dialect.identifier_preparer.quote_identifier
    for (schema, name), table in db.tables.items():
        for index in table.indexes:
            if index.name is None:
                continue
            if schema is None and not _may_descend(master, index.name, name):
                continue
            rows = conn.exec_driver_sql(f"PRAGMA index_xinfo({quote(index.name)})")
            # (seqno, cid, name, desc, coll, key): key columns whose desc flag is set
            columns = {row[2] for row in rows if row[5] and row[3] and row[2] is not None}
            if columns:
                found[(schema, name, index.name)] = columns
    return found


def _may_descend(master: _Master, index_name: str, table_name: str) -> bool:
    if index_name not in master.index_sql:
        return True  # not in the main schema's catalog (a temp table's): ask
    sql = master.index_sql[index_name]
    if sql is None:
        sql = master.table_sql.get(master.index_table[index_name])
    return sql is None or "DESC" in sql.upper()
