"""PostgreSQL in a migration run: a session advisory lock (a transaction-level one inside
a caller's transaction); transactional DDL as ddl-ops says (yes); a linear step's version
UPDATE and log INSERT in one statement (a data-modifying CTE)."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import sqlalchemy as sa

from migrate_cli.runtime.databases.default import (
    POLL_SECONDS,
    DatabaseStrategy,
    LockWaiter,
    VersionLogWrite,
    release_lock,
)

_SERIAL_DEFAULT = re.compile(r"^nextval\('(?:\"?[\w.]+\"?\.)?\"?(?P<seq>[\w]+)\"?'::regclass\)$")


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def quote_identifier(name: str) -> str:
    """A PostgreSQL identifier, double-quoted when it is not plain lower-case."""
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _libpq_option_value(value: str) -> str:
    """libpq splits `options` on spaces; a backslash keeps one in the value."""
    return value.replace("\\", "\\\\").replace(" ", "\\ ")


class PostgresqlStrategy(DatabaseStrategy):
    name = "postgresql"
    tenant_schemas = True
    knows_its_user = True
    create_if_not_exists = True
    utc_now_sql = "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')"
    has_server_databases = True

    def lock(
        self, connection: sa.Connection, name: str, *, transaction_scoped: bool, timeout: float
    ) -> AbstractContextManager[None]:
        """`transaction_scoped`: the run is inside a caller's transaction, which a failed
        migration aborts, so no unlock could run in it; the caller's commit or rollback
        releases a transaction-level lock."""
        return _advisory_lock(connection, advisory_key(name), transaction_scoped, timeout)

    def version_move_with_log_insert(
        self, version: sa.Column[Any], log: sa.Table, columns: Sequence[str]
    ) -> VersionLogWrite:
        """`WITH moved AS (UPDATE version ... RETURNING) INSERT INTO log ... SELECT ... FROM
        moved RETURNING id`: the log row is inserted once per version row moved, so a
        version row that changed underneath inserts none, and the caller's error rolls the
        migration's transaction back whole."""
        moved = (
            sa.update(version.table)
            .where(version == sa.bindparam("old"))
            .values({version: sa.bindparam("new")})
            .returning(version)
            .cte(_MOVED)
        )
        # Typed parameters: the driver casts each to its column's type.
        row = sa.select(*(sa.bindparam(name, type_=log.c[name].type) for name in columns))
        statement = (
            sa.insert(log)
            .from_select(list(columns), row.select_from(moved))
            .add_cte(moved)  # WITH at the top: PostgreSQL allows a data-modifying CTE only there
            .returning(log.primary_key.columns[0])
        )
        return _MovedAndInserted(statement)

    def as_declared(self, metadata: sa.MetaData, connection: sa.Connection) -> None:
        """Reflection shows a SERIAL as a nextval() default on its own sequence; a model
        declares an autoincrement integer. Declare it as the model would, so the squash
        creates the column (and its sequence) rather than naming a sequence that does
        not exist yet."""
        for table in metadata.tables.values():
            for column in table.columns:
                default = column.server_default
                text = str(getattr(default, "arg", "")) if default is not None else ""
                match = _SERIAL_DEFAULT.match(text)
                if match and match.group("seq") == f"{table.name}_{column.name}_seq":
                    column.server_default = None
                    column.autoincrement = True

    def current_schema(self, connection: sa.Connection) -> str | None:
        """The first schema of the search_path (`migrate fleet --schemas` checks it)."""
        return connection.exec_driver_sql("SELECT current_schema()").scalar()

    def schema_url(self, url: sa.URL, schema: str) -> sa.URL:
        """The search_path is that schema alone (libpq's `options`), so an unqualified
        version table (or table) never resolves to another schema's, e.g. one in `public`."""
        option = f"-csearch_path={_libpq_option_value(quote_identifier(schema))}"
        existing = url.query.get("options")
        if isinstance(existing, tuple):
            existing = " ".join(existing)
        options = f"{existing} {option}" if existing else option
        return url.update_query_dict({"options": options})

    def drop_scratch_database(self, connection: sa.Connection, quoted_name: str) -> None:
        if (connection.dialect.server_version_info or ()) >= (13,):
            # FORCE: a connection a failed test left open must not keep it alive.
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted_name} WITH (FORCE)")
        else:
            super().drop_scratch_database(connection, quoted_name)


#: The CTE's name: one no version or log table is likely to have.
_MOVED = "migrate_moved_version"


class _MovedAndInserted(VersionLogWrite):
    def execute(self, connection: sa.Connection, params: Mapping[str, Any]) -> int:
        """The rows RETURNING gives, one per version row moved (DBAPI rowcounts of INSERT
        are not kept by SQLAlchemy before 2.0.28's `preserve_rowcount`)."""
        return len(connection.execute(self.statement, params).all())


@contextmanager
def _advisory_lock(
    connection: sa.Connection, key: int, transaction_scoped: bool, timeout: float
) -> Iterator[None]:
    kind = "pg_try_advisory_xact_lock" if transaction_scoped else "pg_try_advisory_lock"
    try_lock = sa.text(f"SELECT {kind}(:key)")
    waiter = LockWaiter(f"pg_advisory_lock({key})", timeout)
    while not connection.execute(try_lock, {"key": key}).scalar():
        waiter.check()
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        if not transaction_scoped:
            release_lock(connection, sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
