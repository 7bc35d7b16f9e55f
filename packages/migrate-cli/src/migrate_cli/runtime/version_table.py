"""The recorder: the table that says which revisions a database is at.

One row per head (column `version_num`). Rows change through single UPDATE,
DELETE and INSERT statements executed on the migration's own connection, so
they commit or roll back together with the migration where DDL is
transactional. Offline, the same statements are written as SQL text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from migrate_cli.errors import CommandError
from migrate_cli.runtime.heads import HeadChange

DEFAULT_VERSION_TABLE = "migrate_version"
VERSION_COLUMN = "version_num"
VERSION_LENGTH = 32
#: The version table of a database Alembic has been migrating.
ALEMBIC_VERSION_TABLE = "alembic_version"


def build_version_table(
    name: str = DEFAULT_VERSION_TABLE, schema: str | None = None, primary_key: bool = True
) -> sa.Table:
    """The version table's definition; the primary key stops a head being recorded twice."""
    columns: list[Any] = [sa.Column(VERSION_COLUMN, sa.String(VERSION_LENGTH), nullable=False)]
    if primary_key:
        columns.append(sa.PrimaryKeyConstraint(VERSION_COLUMN, name=f"{name}_pkc"))
    return sa.Table(name, sa.MetaData(), *columns, schema=schema)


class VersionTable:
    """Reads and writes the version rows; `execute` is the live connection or the SQL writer."""

    def __init__(self, table: sa.Table) -> None:
        self.table = table
        #: The one column, `version_num`.
        self.column = column = table.c[VERSION_COLUMN]
        # Built once per run and executed with parameters, so SQLAlchemy compiles each once.
        self._update = (
            table.update()
            .where(column == sa.bindparam("old"))
            .values({VERSION_COLUMN: sa.bindparam("new")})
        )
        self._delete = table.delete().where(column == sa.bindparam("old"))
        self._insert = table.insert().values({VERSION_COLUMN: sa.bindparam("new")})

    @property
    def display_name(self) -> str:
        return f"{self.table.schema}.{self.table.name}" if self.table.schema else self.table.name

    def exists(self, connection: sa.Connection) -> bool:
        return sa.inspect(connection).has_table(self.table.name, schema=self.table.schema)

    def create(self, connection: sa.Connection) -> None:
        self.table.create(connection, checkfirst=True)

    def read_heads(self, connection: sa.Connection) -> tuple[str, ...]:
        """The recorded heads, () when the table does not exist yet."""
        if not self.exists(connection):
            return ()
        rows = connection.execute(sa.select(self.table.c[VERSION_COLUMN]))
        return tuple(sorted(row[0] for row in rows))

    def statements(self, change: HeadChange) -> list[tuple[sa.Executable, int | None]]:
        """The statements that record `change`, each with the row count it must touch.

        A one-for-one change is a single UPDATE, so the table is never seen
        without a row between two statements on databases without transactional DDL.
        """
        column = self.table.c[VERSION_COLUMN]
        result: list[tuple[sa.Executable, int | None]] = []
        removed, added = list(change.removed), list(change.added)
        if removed and added:
            old, new = removed.pop(0), added.pop(0)
            stmt = self.table.update().where(column == old).values({VERSION_COLUMN: new})
            result.append((stmt, 1))
        for old in removed:
            result.append((self.table.delete().where(column == old), 1))
        for new in added:
            result.append((self.table.insert().values({VERSION_COLUMN: new}), None))
        return result

    def record(self, connection: sa.Connection, change: HeadChange) -> None:
        """Apply `change` live, refusing to carry on if the rows moved underneath."""
        removed, added = list(change.removed), list(change.added)
        if removed and added:
            self._expect_one(connection, self._update, {"old": removed.pop(0), "new": added.pop(0)})
        for old in removed:
            self._expect_one(connection, self._delete, {"old": old})
        for new in added:
            connection.execute(self._insert, {"new": new})

    def _expect_one(
        self, connection: sa.Connection, stmt: sa.Executable, params: dict[str, str]
    ) -> None:
        found = connection.execute(stmt, params).rowcount
        if found != 1:
            raise self.changed_error(params["old"], found)

    def changed_error(self, old: str, found: int) -> CommandError:
        """The error when the row for `old` was not there once (`found` rows were): the rows
        changed underneath the run."""
        return CommandError(
            f"version table {self.display_name} changed while migrating: expected one row "
            f"for {old!r}, found {found}; another process may be migrating the "
            "same database without the lock: run `migrate current` and retry"
        )

    def write(self, emit: Callable[[sa.Executable], None], change: HeadChange) -> None:
        """Write the statements for `change` through an offline emitter."""
        for stmt, _expected in self.statements(change):
            emit(stmt)


class HeldVersionWrites:
    """Version changes of a one-transaction run, written as one net change before it commits.

    Only for a run that owns a single transaction on a database with
    transactional DDL: there every step commits or rolls back together, so
    the rows in between are never seen, and 1,000 migrations cost one UPDATE
    instead of 1,000. Anywhere a step's DDL can commit on its own (MySQL,
    MariaDB, transaction_per_migration, an autocommit_block()) the table
    must be written first: `flush()` is called before each such commit.
    """

    def __init__(self, version: VersionTable, connection: sa.Connection, heads: Sequence[str]):
        self.version = version
        self.connection = connection
        self.recorded: tuple[str, ...] = tuple(heads)
        self.heads: tuple[str, ...] = tuple(heads)

    def hold(self, heads: Sequence[str]) -> None:
        """The heads after a step; written at the next flush()."""
        self.heads = tuple(heads)

    def flush(self) -> None:
        """Write the net change since the last flush (with the same row-count checks)."""
        removed = tuple(h for h in self.recorded if h not in self.heads)
        added = tuple(h for h in self.heads if h not in self.recorded)
        if removed or added:
            self.version.record(self.connection, HeadChange(removed, added))
        self.recorded = self.heads


def refuse_alembic_database(
    connection: sa.Connection, version: VersionTable, steps: Sequence[Any]
) -> None:
    """Do not migrate from base a database Alembic has been migrating.

    With env.py not (yet) pointed at `alembic_version`, the database looks
    new and every migration would run again over the existing schema; on
    MySQL/MariaDB the ones before the first collision would commit.
    """
    if any(s.is_migration for s in steps) and only_alembic_version(connection, version):
        raise alembic_database_error(version, "nothing was migrated")


def only_alembic_version(connection: sa.Connection, version: VersionTable) -> bool:
    """The database has Alembic's version table but not ours: it was migrated by Alembic.

    Read as "no revision", such a database looks new: `upgrade` would run every
    migration again over the existing schema and `current` would print nothing.
    """
    table = version.table
    if table.name == ALEMBIC_VERSION_TABLE:
        return False
    inspector = sa.inspect(connection)
    if inspector.has_table(table.name, schema=table.schema):
        return False
    return inspector.has_table(ALEMBIC_VERSION_TABLE, schema=table.schema)


def alembic_database_error(version: VersionTable, outcome: str) -> CommandError:
    """The one message every command gives for `only_alembic_version`; `outcome` is what the
    command did not do (e.g. "nothing was migrated")."""
    return CommandError(
        f"this database has no {version.display_name} table but has Alembic's "
        f"{ALEMBIC_VERSION_TABLE}, so it looks already migrated; {outcome}. "
        f"To carry on where Alembic left off, pass version_table='{ALEMBIC_VERSION_TABLE}' "
        "to context.configure() in env.py; if that table belongs to something else, "
        f"run `migrate ensure-version` to create {version.display_name} and retry"
    )
