"""Make a SQLite table rebuild safe for the tables that reference it.

With ``PRAGMA foreign_keys=ON``, ``DROP TABLE`` deletes every row first and so runs the ON DELETE
actions of referencing tables: CASCADE would delete their rows, SET NULL would blank them. The
pragma can only be switched off outside a transaction, so: switch it off when SQLite allows it
(and check every foreign key before committing), otherwise refuse when any table references the
one being rebuilt. ``legacy_alter_table=ON`` during the rename keeps SQLite from re-parsing views
that mention the table while it is briefly missing, and from rewriting references to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import TableModel
from ddl_ops.batch.runner import StatementRunner
from ddl_ops.batch.sqltext import references_identifier


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
