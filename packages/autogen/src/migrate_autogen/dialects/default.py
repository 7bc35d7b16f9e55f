"""What autogenerate assumes of a database it has no module for; every dialect module starts here.

A dialect module subclasses `DialectRules` and overrides only what its database does
differently: how reflection must be completed, how type spellings fold, which apparent
differences are not real. Comparators ask these rules; they never test a dialect's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect, Inspector

from ddl_ops import AlterColumnOp, MigrateOperation
from migrate_autogen.live_schema import ReflectedDatabase
from migrate_autogen.pairs import ColumnChange, ColumnPair

_COLLATION = re.compile(r"\s+(CHARACTER SET|CHARSET|COLLATE)\s+\"?[\w]+\"?", re.IGNORECASE)


class DialectRules:
    """One database's reflection quirks and comparison rules; stateless, one instance each."""

    name: ClassVar[str] = "default"

    # -- reflection -----------------------------------------------------------------

    #: schemas no model owns; `include_schemas` never lists them
    system_schemas: ClassVar[frozenset[str]] = frozenset(
        {"information_schema", "performance_schema", "mysql", "sys", "pg_catalog", "pg_toast"}
    )

    def is_system_schema(self, name: str) -> bool:
        return name in self.system_schemas or name.startswith("pg_")

    def complete_reflection(
        self, conn: Connection, inspector: Inspector, db: ReflectedDatabase
    ) -> None:
        """Fill in what SQLAlchemy's reflection of this database leaves out or misreads."""

    # -- column types ---------------------------------------------------------------

    #: False where a generated column's declared type is not what reflection returns
    compares_computed_column_types: ClassVar[bool] = True

    def fold_type_sql(self, sql: str) -> str:
        """A compiled type as this database stores it (``INT`` and ``INTEGER`` fold together)."""
        return _folded(sql, self)

    def fold_type(self, text: str) -> str:
        """The dialect's part of `fold_type_sql`: ``text`` is upper-cased, without collation."""
        return text

    def types_differ(self, meta_type: Any, conn_type: Any, dialect: Dialect) -> bool | None:
        """This database's verdict on two types, or None to let plain comparison decide."""
        return None

    # -- server defaults ------------------------------------------------------------

    def defaults_equal_in_database(
        self, connection: Connection, column: sa.Column[Any], meta_sql: str, conn_sql: str
    ) -> bool:
        """Whether the database evaluates two different spellings of a default alike."""
        return False

    # -- columns --------------------------------------------------------------------

    #: ALTER must restate AUTO_INCREMENT, so an altered column says it had it
    restates_auto_increment: ClassVar[bool] = False
    #: identity (GENERATED ... AS IDENTITY) is reflected reliably enough to compare
    compares_identity: ClassVar[bool] = False

    def autoincrement_change(
        self, pair: ColumnPair, change: ColumnChange, wanted: bool, dialect: Dialect
    ) -> str | None:
        """Record in ``change`` how the column's row numbering differs; a note to warn, or None.

        ``wanted``: the models number new rows with this column.
        """
        return None

    def alter_column_extras(
        self, op: AlterColumnOp, conn: sa.Column[Any], dialect: Dialect
    ) -> Iterator[MigrateOperation]:
        """Operations that must follow ``op`` for the change to mean what it says."""
        return iter(())

    # -- constraints and indexes ----------------------------------------------------

    def default_primary_key_name(self, table_name: str) -> str:
        """The name the database gives a primary key created without one."""
        return f"{table_name}_pkey"

    def implicit_check(self, condition: str) -> bool:
        """True for a (normalized) CHECK the database adds by itself; the models never list it."""
        return False

    #: stored conditions escape a quote in a string as \\' (MySQL), not as ''
    backslash_escapes: ClassVar[bool] = False

    #: expression indexes come back from reflection (else they are never reported missing)
    reflects_expression_indexes: ClassVar[bool] = True
    #: the server adds an index for each foreign key that has none
    implicit_foreign_key_indexes: ClassVar[bool] = False

    # -- foreign keys ---------------------------------------------------------------

    #: reflection leaves out the schema of a target in the table's own schema
    reflected_fk_omits_same_schema: ClassVar[bool] = False
    #: DEFERRABLE / INITIALLY come back from reflection (else they are not compared)
    reflects_fk_deferral: ClassVar[bool] = True
    #: an unnamed foreign key can still be dropped, by rebuilding its table in batch mode
    drops_unnamed_foreign_keys_in_batch: ClassVar[bool] = False
    #: changing a column a foreign key uses, or the index it uses, needs the key dropped first
    rebuilds_foreign_keys_around_changes: ClassVar[bool] = False

    def fk_action(self, action: str) -> str:
        """An ON DELETE / ON UPDATE action (upper case) as the database means it."""
        return action

    # -- rendering ------------------------------------------------------------------

    #: changes are written as ``batch_alter_table`` blocks unless the caller says otherwise
    render_as_batch: ClassVar[bool] = False
    #: new foreign keys go into the table's batch block, not separate ALTERs
    foreign_keys_in_table_block: ClassVar[bool] = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


@lru_cache(maxsize=4096)
def _folded(sql: str, rules: DialectRules) -> str:
    text = _COLLATION.sub("", sql.upper())
    text = re.sub(r"\s*,\s*", ",", re.sub(r"\s+", " ", text)).strip()
    return rules.fold_type(text)


def compiled_type(type_: Any, dialect: Dialect) -> str | None:
    """The type as CREATE TABLE on ``dialect`` writes it; None when it cannot be compiled there."""
    try:
        return str(type_.compile(dialect=dialect))
    except (sa.exc.CompileError, sa.exc.UnsupportedCompilationError, NotImplementedError):
        return None


def mark_descending(
    conn: Connection, db: ReflectedDatabase, found: dict[tuple[str | None, str, str], set[str]]
) -> None:
    """Rebuild the reflected indexes in ``found`` with ``sa.text('col DESC')`` for DESC columns.

    ``found`` maps (schema, table, index name) to the columns stored descending, which
    SQLAlchemy reflects as ascending on some databases; without this,
    ``Index("ix", Post.published.desc())`` would be reported changed on every comparison.
    """
    for (schema, name, index_name), columns in found.items():
        table = db.tables.get((schema, name))
        if table is None:
            continue
        index = next((i for i in table.indexes if i.name == index_name), None)
        if index is not None:
            _replace_index(conn, table, index, columns)


def _replace_index(
    conn: Connection, table: sa.Table, index: sa.Index, descending: set[str]
) -> None:
    quote = conn.dialect.identifier_preparer.quote
    elements = [
        sa.text(f"{quote(e.name)} DESC") if isinstance(e, sa.Column) and e.name in descending else e
        for e in index.expressions
    ]
    table.indexes.discard(index)
    sa.Index(index.name, *elements, unique=index.unique, _table=table, **index.kwargs)


__all__ = ["DialectRules", "compiled_type", "mark_descending"]
