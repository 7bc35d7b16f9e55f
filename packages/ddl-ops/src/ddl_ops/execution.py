"""The op-execution targets: where statements go, a live connection or SQL text (offline).

Both are `SQLContext`s with the same `execute()`, so every operation takes one
path; only the last step (run it, or compile it with literal values and write it)
differs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO, Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.registry import get_dialect_impl
from ddl_ops.errors import DDLOpsError, OfflineModeError

#: Columns per shared stand-in table before a new one starts (`SQLContext.stand_in_table`).
STAND_IN_WIDTH = 16

Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


class TransactionControl(Protocol):
    """How a runner that owns the transaction lets `autocommit_block()` step outside it.

    `leave()` must end (commit) the runner's transaction; `resume()` must begin a new
    one that the runner will then commit or roll back as usual.
    """

    def leave(self) -> None: ...

    def resume(self) -> None: ...


class SQLContext:
    """The target of statements; subclasses run them or write them."""

    is_offline: bool = False

    def __init__(self, impl: DialectImpl, naming_convention: Mapping[str, Any] | None = None):
        self.impl = impl
        self.naming_convention = dict(naming_convention) if naming_convention else None
        self._stand_ins: dict[tuple[str, str | None, str], sa.Table] = {}

    def stand_in_table(
        self, name: str, schema: str | None, purpose: str = "columns"
    ) -> sa.Table | None:
        """The Table that operations on `schema.name` share for one `purpose` (plain added
        columns: `attach_column`; named indexes: `create_index`), if one has room; None
        means: build your own and offer it with `keep_stand_in`.

        Building a Table costs about as much as the rest of such an operation, so only the
        first of a run's operations on a table pays it. Purposes never mix, so what one
        reads off the table is its own. A table holds a few columns, then the next one
        starts: SQLAlchemy's cost of adding a column grows with the table's width.
        """
        table = self._stand_ins.get((purpose, schema, name))
        if table is None or len(table.columns) >= STAND_IN_WIDTH:
            return None
        return table

    def keep_stand_in(self, table: sa.Table, purpose: str = "columns") -> None:
        """Share `table` (built in `metadata()`, holding only what `purpose` allows) with
        the next operations on its name."""
        self._stand_ins[(purpose, table.schema, table.name)] = table

    def metadata(self) -> sa.MetaData:
        """A MetaData for the throwaway tables operations build, with the naming convention."""
        if self.naming_convention:
            return sa.MetaData(naming_convention=self.naming_convention)
        return sa.MetaData()

    @property
    def dialect(self) -> Dialect:
        return self.impl.dialect

    @property
    def connection(self) -> Connection:
        raise OfflineModeError(
            "there is no database connection in offline (--sql) mode; this step needs a "
            "live database, so run it online or guard it with `if not op.is_offline:`"
        )

    def execute(self, statement: str | sa.Executable, params: Params = None) -> Any:
        raise NotImplementedError

    def write_comment(self, text: str) -> None:
        """A SQL comment in offline output; nothing happens on a live connection."""

    @contextmanager
    def autocommit_block(self) -> Iterator[None]:
        raise NotImplementedError
        yield


class LiveSQLContext(SQLContext):
    """Executes statements on a SQLAlchemy Connection."""

    def __init__(
        self,
        connection: Connection,
        impl: DialectImpl | None = None,
        transaction_control: TransactionControl | None = None,
        naming_convention: Mapping[str, Any] | None = None,
    ):
        super().__init__(impl or get_dialect_impl(connection.dialect), naming_convention)
        self._connection = connection
        self.transaction_control = transaction_control

    @property
    def connection(self) -> Connection:
        return self._connection

    def execute(self, statement: str | sa.Executable, params: Params = None) -> Any:
        if isinstance(statement, str):
            # no_parameters: the driver must not treat "%" or ":" in the text as placeholders
            return self._connection.exec_driver_sql(
                statement, execution_options={"no_parameters": True}
            )
        if params is None:
            return self._connection.execute(statement)
        return self._connection.execute(statement, params)

    @contextmanager
    def autocommit_block(self) -> Iterator[None]:
        conn = self._connection
        was_in_transaction = conn.in_transaction()
        if was_in_transaction and self.transaction_control is None:
            _refuse_context_managed_transaction(conn)
        if was_in_transaction:
            if self.transaction_control is not None:
                self.transaction_control.leave()
            else:
                conn.commit()
        previous_level = conn.get_execution_options().get(
            "isolation_level", conn.default_isolation_level
        )
        conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield
        finally:
            if conn.in_transaction():
                conn.commit()
            conn.execution_options(isolation_level=previous_level)
            if was_in_transaction:
                if self.transaction_control is not None:
                    self.transaction_control.resume()
                else:
                    conn.begin()


def _refuse_context_managed_transaction(conn: Connection) -> None:
    """SQLAlchemy forbids continuing after committing inside `with conn.begin():`; say so first."""
    if getattr(conn, "_trans_context_manager", None) is not None:
        raise DDLOpsError(
            "autocommit_block() must commit the current transaction, but it was begun by "
            "`with conn.begin():` / `engine.begin()`, which SQLAlchemy does not let code "
            "commit from inside; begin it with `conn.begin()` (no `with`) and finish with "
            "`conn.commit()`, or pass transaction_control= to Operations.for_connection"
        )


class OfflineSQLContext(SQLContext):
    """Writes each statement as SQL text, values rendered inline, ended by the terminator."""

    is_offline = True

    def __init__(
        self,
        impl: DialectImpl,
        output: IO[str],
        literal_binds: bool = True,
        naming_convention: Mapping[str, Any] | None = None,
        transactional_ddl: bool | None = None,
    ):
        super().__init__(impl, naming_convention)
        self.output = output
        # (schema, name) of the named types this script creates: a type that several tables
        # use is written once, as the live path (which asks the database) creates it once
        self.types_created: set[tuple[str | None, str]] = set()
        # (schema, name) of the column sequences written so far, likewise created once
        self.sequences_created: set[tuple[str | None, str]] = set()
        self.literal_binds = literal_binds
        self.transactional_ddl = (
            impl.transactional_ddl if transactional_ddl is None else transactional_ddl
        )

    def execute(self, statement: str | sa.Executable, params: Params = None) -> None:
        if params:
            raise OfflineModeError(
                "statement parameters cannot be written in offline mode; put the values in "
                "the statement (e.g. insert(t).values(...) or op.inline_literal(...))"
            )
        if isinstance(statement, str):
            text = statement
        else:
            kwargs = {"literal_binds": True} if self.literal_binds else {}
            compiled = statement.compile(dialect=self.dialect, compile_kwargs=kwargs)  # type: ignore[attr-defined]
            text = str(compiled)
        self.write_statement(text)

    def write_statement(self, text: str) -> None:
        text = text.strip()
        terminator = self.impl.statement_terminator
        if terminator and "--" in text.rsplit("\n", 1)[-1]:
            # after a trailing "-- comment" the terminator would be part of the comment, and
            # the client would run this statement and the next one as one
            text += "\n" + terminator
        elif terminator and not text.endswith(terminator):
            text += terminator
        self.output.write(text + "\n")
        if self.impl.batch_separator:
            self.output.write(self.impl.batch_separator + "\n")
        self.output.write("\n")

    def write_comment(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            self.output.write(f"-- {line}".rstrip() + "\n")
        self.output.write("\n")

    @contextmanager
    def autocommit_block(self) -> Iterator[None]:
        if self.transactional_ddl:
            self.write_statement(self.impl.commit_statement)
        yield
        if self.transactional_ddl:
            self.write_statement(self.impl.begin_statement)
