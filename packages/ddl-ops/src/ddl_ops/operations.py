"""`Operations`: the facade migration scripts call (`op.add_column(...)`).

Each method builds an operation object and hands it to `invoke()`, which finds the
SQL function for (operation type, dialect) and runs it against the context: a live
connection or an offline SQL writer. The methods are written out, typed, one by one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import IO, TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import conv

from ddl_ops.custom_operations import custom_operation, register_operation, reserve_names
from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.instances import offline_copy
from ddl_ops.dialects.registry import get_dialect_impl
from ddl_ops.errors import DDLOpsError, OfflineModeError
from ddl_ops.execution import LiveSQLContext, OfflineSQLContext, SQLContext, TransactionControl
from ddl_ops.ops import (
    AddColumnOp,
    AddEnumValueOp,
    AlterColumnOp,
    BulkInsertOp,
    CreateCheckConstraintOp,
    CreateEnumTypeOp,
    CreateExcludeConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropEnumTypeOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    MigrateOperation,
    RenameTableOp,
)
from ddl_ops.ops.base import UNSET
from ddl_ops.registry import sql_function_for

if TYPE_CHECKING:
    from ddl_ops.batch.operations import BatchOperations


class Operations:
    """Schema operations against one target: a live connection or offline SQL text.

    Build one with `Operations.for_connection(conn)` or `Operations.for_dialect(name, output)`.
    """

    def __init__(self, context: SQLContext):
        self.context = context

    # -- construction ------------------------------------------------------------------

    @classmethod
    def for_connection(
        cls,
        connection: Connection,
        *,
        naming_convention: Mapping[str, Any] | None = None,
        transaction_control: TransactionControl | None = None,
    ) -> Operations:
        """Operations that execute on `connection` (a SQLAlchemy 2 Connection).

        `naming_convention` names the constraints and indexes the operations create
        without a name (pass your target MetaData's). `transaction_control`: see
        `autocommit_block()`.
        """
        if not isinstance(connection, Connection):
            raise DDLOpsError(
                "Operations.for_connection() needs a SQLAlchemy Connection (from "
                f"engine.connect() or engine.begin()), not {type(connection).__name__}"
            )
        return cls(
            LiveSQLContext(
                connection,
                transaction_control=transaction_control,
                naming_convention=naming_convention,
            )
        )

    @classmethod
    def for_dialect(
        cls,
        dialect: str | Dialect,
        output: IO[str] | None = None,
        *,
        literal_binds: bool = True,
        naming_convention: Mapping[str, Any] | None = None,
        transactional_ddl: bool | None = None,
    ) -> Operations:
        """Operations that write SQL text for `dialect` to `output` (stdout by default).

        `dialect` is a name ("postgresql", "mariadb", ...) or a SQLAlchemy Dialect, such
        as `engine.dialect` of a connected engine to write for that server's version.

        Each statement is compiled with its values inline and ended by the dialect's
        terminator (";"; on SQL Server also a "GO" line, as sqlcmd expects).
        `transactional_ddl` says whether the script runs inside BEGIN/COMMIT written by
        the runner (default: the database's own answer); `autocommit_block()` then
        writes COMMIT before and BEGIN after its statements.
        """
        if not isinstance(dialect, str):
            dialect = offline_copy(dialect)
        impl = get_dialect_impl(dialect)
        return cls(
            OfflineSQLContext(
                impl,
                output if output is not None else sys.stdout,
                literal_binds=literal_binds,
                naming_convention=naming_convention,
                transactional_ddl=transactional_ddl,
            )
        )

    # -- the context -------------------------------------------------------------------

    @property
    def impl(self) -> DialectImpl:
        """What ddl-ops knows about the database in use (transactional DDL, capabilities)."""
        return self.context.impl

    @property
    def dialect(self) -> Dialect:
        return self.context.dialect

    @property
    def is_offline(self) -> bool:
        """True when writing SQL text rather than executing."""
        return self.context.is_offline

    def invoke(self, operation: MigrateOperation) -> Any:
        """Run any operation object: built-in, made by autogenerate, or user-registered."""
        fn = sql_function_for(type(operation), self.impl.dialect_chain)
        return fn(operation, self.context)

    def get_bind(self) -> Connection:
        """The live Connection; raises OfflineModeError in offline mode."""
        return self.context.connection

    def write_comment(self, text: str) -> None:
        """Write `-- text` into offline SQL (nothing happens on a live connection)."""
        self.context.write_comment(text)

    def __getattr__(self, name: str) -> Any:
        factory = custom_operation(name)
        if factory is None:
            raise AttributeError(
                f"Operations has no operation {name!r}; register your own with "
                f"ddl_ops.register_operation({name!r}, YourOp)"
            )

        def run(*args: Any, **kw: Any) -> Any:
            return self.invoke(factory(*args, **kw))

        return run

    # -- columns -----------------------------------------------------------------------

    def add_column(
        self, table_name: str, column: sa.Column[Any], *, schema: str | None = None
    ) -> None:
        """Add a column (with its server default, FKs, unique/index flags and comment)."""
        self.invoke(AddColumnOp(table_name, column, schema=schema))

    def drop_column(
        self, table_name: str, column_name: str, *, schema: str | None = None, **kw: Any
    ) -> None:
        """Drop a column. On SQL Server, `mssql_drop_check=True` and
        `mssql_drop_foreign_key=True` also drop the constraints bound to it."""
        self.invoke(DropColumnOp(table_name, column_name, schema=schema, **kw))

    def alter_column(
        self,
        table_name: str,
        column_name: str,
        *,
        nullable: bool | None = None,
        comment: str | None = UNSET,
        server_default: Any = UNSET,
        new_column_name: str | None = None,
        type_: Any = None,
        existing_type: Any = None,
        existing_server_default: Any = None,
        existing_nullable: bool | None = None,
        existing_comment: str | None = None,
        autoincrement: bool | None = None,
        existing_autoincrement: bool | None = None,
        schema: str | None = None,
        postgresql_using: str | None = None,
        **kw: Any,
    ) -> None:
        """Change a column; `server_default=None` / `comment=None` remove them.

        MySQL/MariaDB and SQL Server restate the column, so give `existing_type`,
        `existing_nullable`, `existing_server_default` and `existing_comment`.
        """
        self.invoke(
            AlterColumnOp(
                table_name,
                column_name,
                schema=schema,
                nullable=nullable,
                type_=type_,
                server_default=server_default,
                new_column_name=new_column_name,
                comment=comment,
                autoincrement=autoincrement,
                existing_type=existing_type,
                existing_nullable=existing_nullable,
                existing_server_default=existing_server_default,
                existing_comment=existing_comment,
                existing_autoincrement=existing_autoincrement,
                postgresql_using=postgresql_using,
                **kw,
            )
        )

    # -- tables ------------------------------------------------------------------------

    def create_table(
        self,
        table_name: str,
        *columns: sa.Column[Any] | sa.Constraint | sa.Index,
        schema: str | None = None,
        comment: str | None = None,
        **kw: Any,
    ) -> sa.Table:
        """Create a table; returns the sa.Table, ready for `bulk_insert`."""
        op = CreateTableOp(table_name, list(columns), schema=schema, comment=comment, **kw)
        table = op.to_table(self.context.metadata())
        self.invoke(op)
        return table

    def drop_table(
        self, table_name: str, *, schema: str | None = None, if_exists: bool = False, **kw: Any
    ) -> None:
        self.invoke(DropTableOp(table_name, schema=schema, if_exists=if_exists, **kw))

    def rename_table(
        self, old_table_name: str, new_table_name: str, *, schema: str | None = None
    ) -> None:
        """Rename a table within its schema."""
        self.invoke(RenameTableOp(old_table_name, new_table_name, schema=schema))

    def create_table_comment(
        self,
        table_name: str,
        comment: str,
        *,
        existing_comment: str | None = None,
        schema: str | None = None,
    ) -> None:
        """Set a table's comment (skipped on databases without comments, e.g. SQLite)."""
        self.invoke(
            CreateTableCommentOp(
                table_name, comment, schema=schema, existing_comment=existing_comment
            )
        )

    def drop_table_comment(
        self,
        table_name: str,
        *,
        existing_comment: str | None = None,
        schema: str | None = None,
    ) -> None:
        self.invoke(
            DropTableCommentOp(table_name, schema=schema, existing_comment=existing_comment)
        )

    # -- indexes -----------------------------------------------------------------------

    def create_index(
        self,
        index_name: str | None,
        table_name: str,
        columns: Sequence[str | sa.ColumnElement[Any] | sa.TextClause],
        *,
        schema: str | None = None,
        unique: bool = False,
        if_not_exists: bool = False,
        **kw: Any,
    ) -> None:
        """Create an index on column names and/or expressions (`sa.text("lower(email)")`).

        Dialect options as on sa.Index: `postgresql_where`, `sqlite_where`,
        `postgresql_using`, `postgresql_concurrently` (inside `autocommit_block()`),
        `postgresql_include`, `mysql_length`, `mssql_include`, ...
        """
        self.invoke(
            CreateIndexOp(
                index_name,
                table_name,
                columns,
                schema=schema,
                unique=unique,
                if_not_exists=if_not_exists,
                **kw,
            )
        )

    def drop_index(
        self,
        index_name: str,
        table_name: str | None = None,
        *,
        schema: str | None = None,
        if_exists: bool = False,
        **kw: Any,
    ) -> None:
        """Drop an index; MySQL and SQL Server need `table_name`."""
        self.invoke(DropIndexOp(index_name, table_name, schema=schema, if_exists=if_exists, **kw))

    # -- constraints -------------------------------------------------------------------

    def create_primary_key(
        self,
        constraint_name: str | None,
        table_name: str,
        columns: Sequence[str],
        *,
        schema: str | None = None,
    ) -> None:
        self.invoke(CreatePrimaryKeyOp(constraint_name, table_name, columns, schema=schema))

    def create_unique_constraint(
        self,
        constraint_name: str | None,
        table_name: str,
        columns: Sequence[str],
        *,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        """Add a UNIQUE constraint; `deferrable=`/`initially=` where the database has them."""
        self.invoke(
            CreateUniqueConstraintOp(constraint_name, table_name, columns, schema=schema, **kw)
        )

    def create_foreign_key(
        self,
        constraint_name: str | None,
        source_table: str,
        referent_table: str,
        local_cols: Sequence[str],
        remote_cols: Sequence[str],
        *,
        onupdate: str | None = None,
        ondelete: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
        match: str | None = None,
        source_schema: str | None = None,
        referent_schema: str | None = None,
        **dialect_kw: Any,
    ) -> None:
        self.invoke(
            CreateForeignKeyOp(
                constraint_name,
                source_table,
                referent_table,
                local_cols,
                remote_cols,
                source_schema=source_schema,
                referent_schema=referent_schema,
                onupdate=onupdate,
                ondelete=ondelete,
                deferrable=deferrable,
                initially=initially,
                match=match,
                **dialect_kw,
            )
        )

    def create_check_constraint(
        self,
        constraint_name: str | None,
        table_name: str,
        condition: str | sa.ColumnElement[Any] | sa.TextClause,
        *,
        schema: str | None = None,
        **kw: Any,
    ) -> None:
        """Add a CHECK constraint; `condition` is SQL text or a SQLAlchemy expression."""
        self.invoke(
            CreateCheckConstraintOp(constraint_name, table_name, condition, schema=schema, **kw)
        )

    def create_exclude_constraint(
        self,
        constraint_name: str | None,
        table_name: str,
        *elements: tuple[Any, str],
        where: Any = None,
        using: str = "gist",
        schema: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
        **kw: Any,
    ) -> None:
        """PostgreSQL: EXCLUDE USING <using> ((element, operator), ...) [WHERE (...)]."""
        self.invoke(
            CreateExcludeConstraintOp(
                constraint_name,
                table_name,
                elements,
                schema=schema,
                where=where,
                using=using,
                deferrable=deferrable,
                initially=initially,
                **kw,
            )
        )

    def drop_constraint(
        self,
        constraint_name: str,
        table_name: str,
        type_: str | None = None,
        *,
        schema: str | None = None,
        if_exists: bool = False,
    ) -> None:
        """Drop a constraint; `type_` ("foreignkey", "unique", "check", "primary") is
        needed on MySQL/MariaDB, which drop each kind with a different statement."""
        self.invoke(
            DropConstraintOp(constraint_name, table_name, type_, schema=schema, if_exists=if_exists)
        )

    # -- enum types (PostgreSQL) -------------------------------------------------------

    def create_enum_type(
        self, name: str, values: Sequence[str], *, schema: str | None = None
    ) -> None:
        self.invoke(CreateEnumTypeOp(name, values, schema=schema))

    def add_enum_value(
        self,
        name: str,
        value: str,
        *,
        schema: str | None = None,
        before: str | None = None,
        after: str | None = None,
        if_not_exists: bool = True,
    ) -> None:
        """ALTER TYPE ... ADD VALUE. The new value cannot be used in the same transaction;
        before PostgreSQL 12 this must run inside `autocommit_block()`."""
        self.invoke(
            AddEnumValueOp(
                name,
                value,
                schema=schema,
                before=before,
                after=after,
                if_not_exists=if_not_exists,
            )
        )

    def drop_enum_type(
        self, name: str, *, schema: str | None = None, if_exists: bool = False
    ) -> None:
        self.invoke(DropEnumTypeOp(name, schema=schema, if_exists=if_exists))

    # -- data --------------------------------------------------------------------------

    def execute(
        self,
        sqltext: str | sa.Executable,
        *,
        execution_options: Mapping[str, Any] | None = None,
    ) -> Any:
        """Run SQL. A string is sent exactly as written (no `:name` binding); a SQLAlchemy
        statement is executed, or offline compiled with its values inline."""
        return self.invoke(ExecuteSQLOp(sqltext, execution_options=execution_options))

    def bulk_insert(
        self,
        table: sa.Table | sa.TableClause,
        rows: Sequence[Mapping[str, Any]],
        *,
        multiinsert: bool = True,
    ) -> None:
        """INSERT rows; offline they become literal multi-row VALUES."""
        self.invoke(BulkInsertOp(table, rows, multiinsert=multiinsert))

    @staticmethod
    def inline_literal(value: Any, type_: Any = None) -> sa.BindParameter[Any]:
        """A value rendered into the SQL itself, live and offline (for `execute` of updates)."""
        return sa.literal(value, type_, literal_execute=True)

    @staticmethod
    def f(name: str) -> conv:
        """Mark a constraint/index name as final, so the naming convention leaves it alone."""
        return conv(name)

    # -- batch, transactions, async ----------------------------------------------------

    def batch_alter_table(
        self,
        table_name: str,
        *,
        schema: str | None = None,
        recreate: str = "auto",
        partial_reordering: Sequence[Sequence[str]] | None = None,
        copy_from: sa.Table | None = None,
        table_args: Sequence[Any] = (),
        table_kwargs: Mapping[str, Any] | None = None,
        reflect_args: Sequence[Any] = (),
        reflect_kwargs: Mapping[str, Any] | None = None,
        naming_convention: Mapping[str, Any] | None = None,
    ) -> AbstractContextManager[BatchOperations]:
        """Several changes to one table, done by move-and-copy where needed (see batch docs)."""
        # Imported here: batch mode loads on first use, not with every run's `op`.
        from ddl_ops.batch.block import batch_alter_table

        return batch_alter_table(
            self,
            table_name,
            schema=schema,
            recreate=recreate,
            partial_reordering=partial_reordering,
            copy_from=copy_from,
            table_args=table_args,
            table_kwargs=table_kwargs,
            reflect_args=reflect_args,
            reflect_kwargs=reflect_kwargs,
            naming_convention=naming_convention,
        )

    @contextmanager
    def autocommit_block(self) -> Iterator[None]:
        """Run statements outside any transaction (CREATE INDEX CONCURRENTLY, ALTER TYPE ...).

        Live: the transaction in progress is committed (or `transaction_control.leave()`
        is called, if one was given to `for_connection`), the block runs with
        isolation level AUTOCOMMIT, then a new transaction is begun (or
        `transaction_control.resume()`). A runner that holds the transaction must
        therefore end it through the connection (`conn.commit()` when
        `conn.in_transaction()`), not through the Transaction object it began with,
        or pass a `transaction_control` that swaps its own transaction object.
        Offline: writes COMMIT before and BEGIN after, on databases with transactional DDL.
        """
        with self.context.autocommit_block():
            yield

    def run_async(self, async_function: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Call `await async_function(async_connection, *args, **kw)` and return its result.

        The operations must be bound to the sync side of an AsyncConnection (as inside
        `await async_conn.run_sync(...)`); the async function gets that AsyncConnection.
        Not available offline.
        """
        if self.is_offline:
            raise OfflineModeError("run_async() needs a live async connection, not offline mode")
        try:
            from sqlalchemy.ext.asyncio import AsyncConnection
            from sqlalchemy.util import await_only
        except ImportError as error:
            raise DDLOpsError(
                f"run_async() needs SQLAlchemy's asyncio support ({error}); "
                "install it with `pip install sqlalchemy[asyncio]`"
            ) from error

        async_connection = AsyncConnection._retrieve_proxy_for_target(
            self.get_bind(), regenerate=False
        )
        if async_connection is None:
            raise DDLOpsError(
                "run_async() needs operations bound to an AsyncConnection's sync connection "
                "(run the migration through `await async_conn.run_sync(...)`)"
            )
        return await_only(async_function(async_connection, *args, **kw))


reserve_names(Operations)

__all__ = ["Operations", "register_operation"]
