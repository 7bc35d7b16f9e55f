"""SQLite in batch mode: how a table is rebuilt, and what its catalog adds to reflection.

The rebuild guard: with ``PRAGMA foreign_keys=ON``, ``DROP TABLE`` deletes every row first and
so runs the ON DELETE actions of referencing tables: CASCADE would delete their rows, SET NULL
would blank them. The pragma can only be switched off outside a transaction, so: switch it off
when SQLite allows it (and check every foreign key before committing), otherwise refuse when any
table references the one being rebuilt. ``legacy_alter_table=ON`` during the rename keeps SQLite
from re-parsing views that mention the table while it is briefly missing, and from rewriting
references to it.

Reflection: a few things SQLAlchemy does not return are read from the catalog directly so a
rebuild keeps them: foreign-key ON DELETE/ON UPDATE actions, AUTOINCREMENT, the exact text of
each index (expressions, partial WHERE, collations), triggers, collations, deferrability and
ON CONFLICT clauses. Counters: AUTOINCREMENT keeps its high-water mark in ``sqlite_sequence``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import TextClause

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.runner import StatementRunner
from ddl_ops.batch.sqltext import (
    collation_of,
    conflict_clauses,
    foreign_key_timing,
    leading_identifier,
    references_identifier,
    table_definition_items,
)
from ddl_ops.batch.strategy import CounterCarry, RebuildStrategy
from ddl_ops.dialects.instances import text_preparer
from ddl_ops.dialects.sqlite_checks import reread_sqlite_checks

if TYPE_CHECKING:
    from ddl_ops.batch.model import TableModel


class SQLiteRebuild(RebuildStrategy):
    """Every constraint is created with the new table (their names are per table); the copy
    relies on column affinity; referencing tables keep their keys (by table name); the whole
    rebuild runs in a savepoint of its own, under the foreign-key guard."""

    inline_constraints = frozenset({"primary", "unique", "check", "foreignkey"})
    casts_copied_values = False
    keeps_incoming_foreign_keys = True
    rebuilds_in_own_savepoint = True
    # expression indexes are read verbatim from sqlite_master instead
    ignored_reflection_warnings = ("Skipped unsupported reflection of expression",)

    def after_reflect_table(self, connection: Connection, table: sa.Table) -> None:
        reread_sqlite_checks(connection, table)  # SQLAlchemy's pattern misreads some

    def adjust_model(self, model: TableModel) -> None:
        for column in model.columns.values():
            column.server_default = _sqlite_default(column.server_default)

    def add_catalog_details(self, connection: Connection, model: TableModel) -> None:
        _add_sqlite_catalog_details(connection, model)

    def keep_rowid_key(self, model: TableModel, dialect: Dialect) -> TableModel:
        return _keep_rowid_key(model, dialect)

    def counters(
        self, runner: StatementRunner, model: TableModel, temp_table: sa.Table
    ) -> CounterCarry:
        return SQLiteCounters(runner, model, temp_table)

    @contextlib.contextmanager
    def atomic(self, runner: StatementRunner, model: TableModel) -> Iterator[None]:
        connection = runner.connection
        if connection is None:
            with offline_sqlite_rebuild(runner, model):
                yield
        else:
            with sqlite_rebuild_guard(connection, model):
                yield


class SQLiteCounters(CounterCarry):
    """AUTOINCREMENT never reuses ids: the new table keeps the old one's high-water mark."""

    def __init__(self, runner: StatementRunner, model: TableModel, temp_table: sa.Table):
        super().__init__(runner, model, temp_table)
        self.preparer = text_preparer(runner.dialect)
        self.sqlite_sequence: int | None = None
        if self._sqlite_autoincrement():
            self.sqlite_sequence = self._read_sqlite_sequence()

    def before_swap(self) -> None:
        if self.runner.connection is None:
            self._hand_over_sqlite_sequence()

    def after_swap(self) -> None:
        if self.sqlite_sequence is not None:
            self._restore_sqlite_sequence(self.sqlite_sequence)

    def _sqlite_autoincrement(self) -> bool:
        """Reflection finds AUTOINCREMENT in the catalog; a copy_from Table declares it."""
        declared = self.model.table_kwargs.get("sqlite_autoincrement")
        return bool(self.model.sqlite_autoincrement or declared)

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

    def _quoted(self, name: str) -> str:
        return self.preparer.format_table(sa.table(name, schema=self.model.schema))


def _keep_rowid_key(model: TableModel, dialect: Dialect) -> TableModel:
    """SQLite: a key that was ``INTEGER PRIMARY KEY`` stays spelled INTEGER when retyped.

    Only that exact spelling makes the column the rowid, which fills in new ids; ``BIGINT
    PRIMARY KEY`` is an ordinary column, so inserts without an id would fail NOT NULL. SQLite's
    INTEGER already holds 64 bits, so BIGINT (or SMALLINT) would change nothing but that.
    """
    pk = model.primary_key
    if pk is None or len(pk.columns) != 1:
        return model
    column = model.columns.get(pk.columns[0])
    if column is None or column.source is None or not column.type_changed:
        return model
    was_rowid = _spelled_integer(column.type_before, dialect)
    if not was_rowid or not isinstance(column.type, sa.Integer):
        return model
    kept = model.copy()
    kept.columns[column.name].type = sa.INTEGER()
    return kept


def _spelled_integer(type_: Any, dialect: Dialect) -> bool:
    if type_ is None:
        return False
    try:
        return str(type_.compile(dialect=dialect)).strip().upper() == "INTEGER"
    except sa.exc.CompileError:
        return False


# -- the rebuild guard ------------------------------------------------------------------


def _pragma(connection: Connection, model: TableModel, pragma: str) -> str:
    prefix = f"{model.quote(model.schema)}." if model.schema else ""
    return f"PRAGMA {prefix}{pragma}"


def referencing_tables(connection: Connection, model: TableModel) -> list[str]:
    """Every table (this one included, if self-referencing) with a foreign key to ``model``."""
    master = f"{model.quote(model.schema)}.sqlite_master" if model.schema else "sqlite_master"
    names = connection.exec_driver_sql(f"SELECT name FROM {master} WHERE type = 'table'").scalars()
    found: list[str] = []
    for name in list(names):
        rows = connection.exec_driver_sql(
            _pragma(connection, model, f"foreign_key_list({model.quote(name)})")
        ).all()
        if any(str(row[2]).lower() == model.name.lower() for row in rows):
            found.append(name)
    return found


@contextmanager
def sqlite_rebuild_guard(connection: Connection, model: TableModel) -> Iterator[None]:
    """Run the rebuild inside a savepoint with foreign keys and ALTER semantics made safe."""
    foreign_keys_on = bool(connection.exec_driver_sql("PRAGMA foreign_keys").scalar())
    switched_off = False
    if foreign_keys_on:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        switched_off = not connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        if not switched_off:
            referencing = referencing_tables(connection, model)
            if referencing:
                raise BatchError(
                    f"cannot rebuild table {model.display_name!r}: PRAGMA foreign_keys is ON "
                    "inside a transaction, so dropping the old table would run the ON DELETE "
                    "rules of "
                    f"{', '.join(sorted(referencing))} (deleting or changing their rows); run "
                    "migrations with PRAGMA foreign_keys=OFF set before the transaction begins"
                )
    legacy_before = int(connection.exec_driver_sql("PRAGMA legacy_alter_table").scalar() or 0)
    try:
        connection.exec_driver_sql("PRAGMA legacy_alter_table=ON")
        with _savepoint(connection):
            yield
            _check_views(connection, model)
            _check_triggers(connection, model)
            if switched_off:
                _check_foreign_keys(connection, model)
    finally:
        connection.exec_driver_sql(f"PRAGMA legacy_alter_table={legacy_before}")
        if switched_off:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


@contextmanager
def _savepoint(connection: Connection) -> Iterator[None]:
    """A savepoint that is released after a rollback too.

    When foreign keys were switched off, SQLite had no transaction open and this savepoint is
    the outermost one: releasing it (even after ROLLBACK TO) ends that transaction, which is
    what lets ``PRAGMA foreign_keys=ON`` take effect again.
    """
    connection.exec_driver_sql(f"SAVEPOINT {_SAVEPOINT}")
    try:
        yield
    except BaseException:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        connection.exec_driver_sql(f"RELEASE SAVEPOINT {_SAVEPOINT}")
        raise
    connection.exec_driver_sql(f"RELEASE SAVEPOINT {_SAVEPOINT}")


_SAVEPOINT = "ddl_ops_batch_rebuild"


def _check_views(connection: Connection, model: TableModel) -> None:
    """A view still naming a dropped or renamed column would break later; refuse it now."""
    master = f"{model.quote(model.schema)}.sqlite_master" if model.schema else "sqlite_master"
    prefix = f"{model.quote(model.schema)}." if model.schema else ""
    views = connection.exec_driver_sql(f"SELECT name, sql FROM {master} WHERE type = 'view'").all()
    for name, sql in views:
        if not references_identifier(sql or "", model.name):
            continue
        try:
            connection.exec_driver_sql(f"SELECT * FROM {prefix}{model.quote(name)} LIMIT 0").all()
        except sa.exc.DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise BatchError(
                f"rebuilding {model.display_name!r} would break view {name!r} ({reason}); the "
                "table was left unchanged: drop or change the view in the same migration first"
            ) from error


def _check_triggers(connection: Connection, model: TableModel) -> None:
    """A re-created trigger naming a dropped or renamed column would fail every later write.

    SQLite compiles a trigger only when it prepares a statement that fires it, so prepare an
    INSERT, an UPDATE of every column and a DELETE that change no row.
    """
    if not model.triggers:
        return
    table = f"{model.quote(model.schema)}." if model.schema else ""
    table += model.quote(model.name)
    columns = [model.quote(c.name) for c in model.columns.values() if c.computed is None]
    listed = ", ".join(columns)
    statements = [
        f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {table} WHERE 0",
        f"UPDATE {table} SET {', '.join(f'{c} = {c}' for c in columns)} WHERE 0",
        f"DELETE FROM {table} WHERE 0",
    ]
    for statement in statements:
        try:
            connection.exec_driver_sql(statement)
        except sa.exc.DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise BatchError(
                f"rebuilding {model.display_name!r} would break a trigger on it ({reason}); the "
                "table was left unchanged: drop the trigger before the batch and create the "
                "changed one after it"
            ) from error


def _check_foreign_keys(connection: Connection, model: TableModel) -> None:
    """Foreign keys were off during the rebuild: prove the result still satisfies them all."""
    to_check = {model.name, *referencing_tables(connection, model)}
    for name in sorted(to_check):
        problems = connection.exec_driver_sql(
            _pragma(connection, model, f"foreign_key_check({model.quote(name)})")
        ).all()
        if problems:
            first = problems[0]
            raise BatchError(
                f"rebuilding {model.display_name!r} would break foreign keys: table {first[0]!r} "
                f"row {first[1]} refers to a missing row of {first[2]!r} "
                f"({len(problems)} violation(s)); the table was left unchanged"
            )


@contextmanager
def offline_sqlite_rebuild(runner: StatementRunner, model: TableModel) -> Iterator[None]:
    """Offline, write the same protection into the script.

    The savepoint makes the rebuild all-or-nothing when the script stops at an error (as
    ``sqlite3 -bail`` does); foreign keys cannot be checked here, so the script must run with
    them off, which is the sqlite3 shell's default.
    """
    runner.run(sa.text("PRAGMA legacy_alter_table=ON"))
    runner.run(sa.text(f"SAVEPOINT {_SAVEPOINT}"))
    _refuse_triggers_offline(runner, model)
    yield
    runner.run(sa.text(f"RELEASE SAVEPOINT {_SAVEPOINT}"))
    runner.run(sa.text("PRAGMA legacy_alter_table=OFF"))


def _refuse_triggers_offline(runner: StatementRunner, model: TableModel) -> None:
    """The script cannot read a trigger's text to re-create it after DROP TABLE, so it stops
    (leaving the table as it was) when the table has triggers; SQLite raises an error only
    inside a trigger, so a temporary one does it."""
    guard = "_ddl_ops_batch_guard"
    master = f"{model.quote(model.schema)}.sqlite_master" if model.schema else "main.sqlite_master"
    message = (
        f"rebuilding {model.display_name} would drop its triggers: drop them before the batch "
        "and create them again after it"
    )
    runner.run(sa.text(f"CREATE TEMP TABLE {guard} (x)"))
    runner.run(
        sa.text(
            f"CREATE TEMP TRIGGER {guard}_check BEFORE INSERT ON {guard} BEGIN "
            f"SELECT RAISE(ABORT, :message) WHERE EXISTS (SELECT 1 FROM {master} "
            "WHERE type = 'trigger' AND tbl_name = :table); END"
        ).bindparams(
            sa.bindparam("message", message, sa.String()),
            sa.bindparam("table", model.name, sa.String()),
        )
    )
    runner.run(sa.text(f"INSERT INTO {guard} VALUES (1)"))
    runner.run(sa.text(f"DROP TABLE {guard}"))


# -- reflection -------------------------------------------------------------------------


_SQLITE_LITERAL_DEFAULT = re.compile(
    r"""^(?:[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|'(?:[^']|'')*'|NULL|TRUE|FALSE
    |CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP|X'[0-9A-Fa-f]*'|\(.*\))$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def _add_sqlite_catalog_details(connection: Connection, model: TableModel) -> None:
    from ddl_ops.batch.model import IndexSpec  # batch mode only: loaded on first use

    master = f"{model.quote(model.schema)}.sqlite_master" if model.schema else "sqlite_master"
    pragma_prefix = f"{model.quote(model.schema)}." if model.schema else ""
    table_sql = connection.exec_driver_sql(
        f"SELECT sql FROM {master} WHERE type = 'table' AND name = ?", (model.name,)
    ).scalar()
    model.sqlite_autoincrement = bool(
        table_sql and re.search(r"\bAUTOINCREMENT\b", table_sql, re.I)
    )
    if table_sql:
        _add_sqlite_collations(model, table_sql)
        _add_sqlite_deferrability(model, table_sql)
        _add_sqlite_conflict_clauses(model, table_sql)
    index_rows = connection.exec_driver_sql(
        f"SELECT name, sql FROM {master} WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (model.name,),
    ).all()
    reflected = {ix.name: ix for ix in model.indexes}
    model.indexes = []
    for name, sql in index_rows:
        known = reflected.get(name)
        elements = known.elements if known is not None else []
        unique = (
            known.unique if known is not None else bool(re.match(r"\s*CREATE\s+UNIQUE", sql, re.I))
        )
        model.indexes.append(IndexSpec(name, list(elements), unique=unique, raw_sql=sql))
    model.triggers = [
        sql
        for (sql,) in connection.exec_driver_sql(
            f"SELECT sql FROM {master} WHERE type = 'trigger' AND tbl_name = ? AND sql IS NOT NULL",
            (model.name,),
        )
    ]
    _add_unreflected_uniques(connection, model, pragma_prefix)
    actions = connection.exec_driver_sql(
        f"PRAGMA {pragma_prefix}foreign_key_list({model.quote(model.name)})"
    ).all()
    by_id: dict[int, list[Any]] = {}
    for row in actions:
        by_id.setdefault(row[0], []).append(row)
    for rows in by_id.values():
        rows.sort(key=lambda r: r[1])
        table, local = rows[0][2], [r[3] for r in rows]
        for fk in model.foreign_keys:
            if fk.referred_table == table and fk.columns == local:
                fk.onupdate = fk.onupdate or _sqlite_action(rows[0][5])
                fk.ondelete = fk.ondelete or _sqlite_action(rows[0][6])


def _add_unreflected_uniques(connection: Connection, model: TableModel, pragma_prefix: str) -> None:
    from ddl_ops.batch.model import UniqueSpec  # batch mode only: loaded on first use

    """SQLAlchemy misses some UNIQUE constraints (one on a column whose name holds a double
    quote); SQLite's own index list has each one, so a rebuild keeps them (unnamed, at worst)."""
    known = {tuple(unique.columns) for unique in model.uniques}
    index_list = connection.exec_driver_sql(
        f"PRAGMA {pragma_prefix}index_list({model.quote(model.name)})"
    ).all()
    for row in index_list:  # seq, name, unique, origin ('u': a UNIQUE constraint), partial
        if row[3] != "u":
            continue
        columns = [
            info[2]
            for info in connection.exec_driver_sql(
                f"PRAGMA {pragma_prefix}index_info({model.quote(row[1])})"
            )
        ]
        if tuple(columns) not in known:
            model.uniques.append(UniqueSpec(None, columns))
            known.add(tuple(columns))


_TABLE_CONSTRAINT_WORDS = {"constraint", "primary", "unique", "check", "foreign"}


def _add_sqlite_collations(model: TableModel, table_sql: str) -> None:
    """Reflection drops COLLATE NOCASE and the like; read them from the table's own SQL."""
    for item in table_definition_items(table_sql):
        name = leading_identifier(item)
        if name is None or name.lower() in _TABLE_CONSTRAINT_WORDS:
            continue
        collation = collation_of(item)
        column = model.columns.get(name)
        if collation is None or column is None:
            continue
        if getattr(column.type, "collation", "missing") is None:
            column.type = column.type.copy()
            column.type.collation = collation


def _add_sqlite_deferrability(model: TableModel, table_sql: str) -> None:
    """Reflection drops DEFERRABLE INITIALLY DEFERRED from column-level REFERENCES; a rebuild
    without it would check the key at once instead of at COMMIT."""
    for item in table_definition_items(table_sql):
        timing = foreign_key_timing(item)
        if timing is None or not timing[1]:
            continue
        columns, _, initially = timing
        for fk in model.foreign_keys:
            if [c.lower() for c in fk.columns] == [c.lower() for c in columns]:
                fk.deferrable = True
                fk.initially = fk.initially or initially


def _add_sqlite_conflict_clauses(model: TableModel, table_sql: str) -> None:
    """Reflection drops ON CONFLICT REPLACE/IGNORE/...; a rebuild without them would change
    what an INSERT that conflicts does (replace or skip a row, or fail)."""
    for item in table_definition_items(table_sql):
        name = leading_identifier(item)
        column = None
        if name is not None and name.lower() not in _TABLE_CONSTRAINT_WORDS:
            column = model.columns.get(name)
        for kind, listed, resolution in conflict_clauses(item):
            columns = listed or ([column.name] if column is not None else [])
            if kind == "NOT NULL" and column is not None:
                column.dialect_kwargs["sqlite_on_conflict_not_null"] = resolution
            elif kind == "UNIQUE":
                for unique in model.uniques:
                    if [c.lower() for c in unique.columns] == [c.lower() for c in columns]:
                        unique.dialect_kwargs["sqlite_on_conflict"] = resolution
            elif kind == "PRIMARY KEY" and model.primary_key is not None:
                model.primary_key.dialect_kwargs["sqlite_on_conflict"] = resolution
                if column is not None:  # a key written in the column (AUTOINCREMENT) stays there
                    column.dialect_kwargs["sqlite_on_conflict_primary_key"] = resolution


def _sqlite_action(action: str) -> str | None:
    return None if action.upper() == "NO ACTION" else action.upper()


def _sqlite_default(value: Any) -> Any:
    """PRAGMA table_info drops the parentheses SQLite requires around expression defaults."""
    if isinstance(value, TextClause) and not _SQLITE_LITERAL_DEFAULT.match(value.text.strip()):
        return sa.text(f"({value.text})")
    return value
