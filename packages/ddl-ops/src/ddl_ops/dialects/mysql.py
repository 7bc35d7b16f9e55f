"""MySQL and MariaDB: CHANGE/MODIFY restate the whole column; DDL commits implicitly.

Differences handled here:
- a column change other than its default or name is `MODIFY` (or `CHANGE` when
  renaming too) with the full definition: online, the `existing_*` hints not given are
  read from the live column; offline `existing_type` and `existing_nullable` are required;
- renaming alone is `RENAME COLUMN` on MySQL 8.0+ and MariaDB 10.5.2+, else `CHANGE`;
- constraints are dropped by kind: FOREIGN KEY, INDEX (unique), PRIMARY KEY, and
  CHECK on MySQL but CONSTRAINT on MariaDB;
- MySQL (not MariaDB) accepts defaults on TEXT/BLOB/JSON only as expressions, so
  they are written in parentheses there;
- RENAME TO qualifies the new name with the schema, or MySQL would move the table.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import AddConstraint, CreateIndex
from sqlalchemy.sql.compiler import DDLCompiler

from ddl_ops.dialects.base import DialectImpl
from ddl_ops.dialects.default import (
    alter_table_with,
    attach_column,
    create_column_sequences,
    emit_create_table,
    refuse_unnamed_drop,
)
from ddl_ops.dialects.mysql_rebuild import MariaDBRebuild, MySQLRebuild
from ddl_ops.dialects.render import RenderedDDL, column_spec, default_sql, quote, table_name
from ddl_ops.dialects.type_kinds import is_string, string_length
from ddl_ops.errors import MissingInformation, OperationNotSupported
from ddl_ops.execution import SQLContext
from ddl_ops.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateTableOp,
    DropConstraintOp,
    RenameTableOp,
)
from ddl_ops.ops.base import UNSET
from ddl_ops.registry import register_sql


class MySQLImpl(DialectImpl):
    name = "mysql"
    begin_statement = "START TRANSACTION"
    drop_index_names_table = True
    alter_column_restates_column = True
    # DATETIME has no time zone; the drivers send the wall-clock time as it is (MariaDB
    # rejects an offset in the literal; MySQL would convert the time)
    datetime_literals_drop_tzinfo = True
    rebuild = MySQLRebuild()
    sqlglot_dialect = "mysql"  # MariaDB's DDL is read as MySQL's too

    @classmethod
    def type_change_rewrite(cls, old: Any, new: Any) -> str | None:
        if _in_place(old, new):
            return None
        return "InnoDB copies the table (ALGORITHM=COPY), blocking writes"

    @property
    def is_mariadb(self) -> bool:
        return False

    @property
    def supports_rename_column_statement(self) -> bool:
        return self.version_at_least(8, 0)

    @property
    def needs_expression_defaults_on_blobs(self) -> bool:
        return True


# bytes per character MySQL/MariaDB reserve for utf8mb4, the default character set
_BYTES_PER_CHAR = 4


def _in_place(old: Any, new: Any) -> bool:
    """Changes InnoDB makes with ALGORITHM=INPLACE/INSTANT, without copying the table:
    VARCHAR widening that keeps the length prefix size (1 byte up to 255 bytes, else 2)."""
    if isinstance(old, sa.Enum) and isinstance(new, sa.Enum):
        old_values, new_values = list(old.enums), list(new.enums)
        return new_values[: len(old_values)] == old_values  # values appended at the end
    if not (is_string(old) and is_string(new)):
        return False
    if isinstance(old, sa.Text) or isinstance(new, sa.Text):
        return False
    old_len, new_len = string_length(old), string_length(new)
    if old_len is None or new_len is None or new_len < old_len:
        return False
    prefix = (old_len * _BYTES_PER_CHAR > 255, new_len * _BYTES_PER_CHAR > 255)
    return prefix[0] == prefix[1]


class MariaDBImpl(MySQLImpl):
    name = "mariadb"
    fallbacks = ("mysql",)
    supports_expression_indexes = False
    rebuild = MariaDBRebuild()

    @property
    def is_mariadb(self) -> bool:
        return True

    @property
    def supports_rename_column_statement(self) -> bool:
        return self.version_at_least(10, 5, 2)

    @property
    def needs_expression_defaults_on_blobs(self) -> bool:
        return False


def _impl(ctx: SQLContext) -> MySQLImpl:
    impl = ctx.impl
    return impl if isinstance(impl, MySQLImpl) else MySQLImpl(ctx.dialect)


def is_blob_like(type_: Any) -> bool:
    """TEXT, BLOB, JSON and GEOMETRY types, on which MySQL wants expression defaults."""
    return isinstance(type_, (sa.Text, sa.LargeBinary, sa.JSON)) or type(
        type_
    ).__name__.upper() in ("TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "GEOMETRY")


def expression_default(server_default: Any) -> Any:
    """Wrap a literal default in parentheses, MySQL's expression-default form."""
    arg = server_default.arg if isinstance(server_default, sa.DefaultClause) else server_default
    if isinstance(arg, str):
        escaped = arg.replace("'", "''")
        return sa.text(f"('{escaped}')")
    if isinstance(arg, sa.TextClause) and not arg.text.lstrip().startswith("("):
        return sa.text(f"({arg.text})")
    return server_default


def adapt_defaults(ctx: SQLContext, table: sa.Table) -> sa.Table:
    """On MySQL, a copy of the table with blob-like defaults as expressions."""
    if not _impl(ctx).needs_expression_defaults_on_blobs:
        return table
    affected = [
        c.name
        for c in table.columns
        if is_blob_like(c.type) and isinstance(c.server_default, sa.DefaultClause)
    ]
    if not affected:
        return table
    copy = table.to_metadata(sa.MetaData())
    for name in affected:
        column = copy.c[name]
        column.server_default = sa.DefaultClause(expression_default(column.server_default))
    return copy


def named_column_checks(column: sa.Column[Any]) -> list[sa.CheckConstraint]:
    return [
        check
        for check in column.constraints
        if isinstance(check, sa.CheckConstraint) and isinstance(check.name, str)
    ]


def table_level_checks(ctx: SQLContext, table: sa.Table) -> sa.Table:
    """On MariaDB, a copy of the table with named column-level CHECKs as table constraints:
    MariaDB accepts `CONSTRAINT name CHECK (...)` only at table level, not in a column."""
    if not _impl(ctx).is_mariadb or not any(named_column_checks(c) for c in table.columns):
        return table
    copy = table.to_metadata(sa.MetaData())
    for column in copy.columns:
        for check in named_column_checks(column):
            column.constraints.discard(check)
            copy.append_constraint(sa.CheckConstraint(check.sqltext, name=check.name))
    return copy


@register_sql(CreateTableOp, dialect="mysql")
def create_table(op: CreateTableOp, ctx: SQLContext) -> None:
    table = adapt_defaults(ctx, op.table_for_create(ctx.metadata()))
    emit_create_table(ctx, table_level_checks(ctx, table))


@register_sql(AddColumnOp, dialect="mysql")
def add_column(op: AddColumnOp, ctx: SQLContext) -> None:
    """One ALTER TABLE adds the column with its keys, indexes and checks: DDL commits as it
    runs here, so a key the rows violate must fail the whole change, not leave the column."""
    # adapt_defaults rewrites every column of the table it is given: keep such a column
    # off the shared stand-in, which holds earlier columns too.
    share = not (is_blob_like(op.column.type) and op.column.server_default is not None)
    column = attach_column(op.column, op.table_name, op.schema, ctx, share=share)
    create_column_sequences(ctx, [column])
    table = adapt_defaults(ctx, column.table)
    column = table.c[column.name]
    extras: list[Any] = [fk.constraint for fk in column.foreign_keys]
    extras += [
        k
        for k in table.constraints
        if isinstance(k, sa.UniqueConstraint) and getattr(k, "_column_flag", False)
    ]
    if _impl(ctx).is_mariadb:  # named CHECKs only at table level there (see above)
        for check in named_column_checks(column):
            column.constraints.discard(check)
            extras.append(sa.CheckConstraint(check.sqltext, name=check.name, _autoattach=False))
            table.append_constraint(extras[-1])
    indexes = sorted(table.indexes, key=lambda i: str(i.name or ""))

    def render(c: DDLCompiler) -> str:
        alter = f"ALTER TABLE {table_name(c, table.name, table.schema)} "
        clauses = [c.process(AddConstraint(k)).removeprefix(alter) for k in extras]
        on_table = f" ON {table_name(c, table.name, table.schema)} "
        for index in indexes:
            created = c.process(CreateIndex(index)).strip()
            clauses.append("ADD " + created.removeprefix("CREATE ").replace(on_table, " ", 1))
        return ", ".join([f"{alter}ADD COLUMN {column_spec(c, column)}", *clauses])

    ctx.execute(RenderedDDL(render))


def column_definition(ctx: SQLContext, op: AlterColumnOp, compiler: DDLCompiler) -> str:
    """The column's name and full definition, from the new values and the existing_* hints."""
    type_ = op.type_ if op.type_ is not None else op.existing_type
    nullable = op.nullable if op.nullable is not None else op.existing_nullable
    default = op.server_default if op.server_default is not UNSET else op.existing_server_default
    comment = op.comment if op.comment is not UNSET else op.existing_comment
    autoincrement = op.autoincrement if op.autoincrement is not None else op.existing_autoincrement
    if (
        default is not None
        and is_blob_like(type_)
        and _impl(ctx).needs_expression_defaults_on_blobs
    ):
        default = expression_default(default)
    column = sa.Column(
        op.new_column_name or op.column_name,
        type_,
        nullable=bool(nullable),
        server_default=default
        if default is None or isinstance(default, sa.DefaultClause)
        else sa.DefaultClause(default),
        comment=comment,
        autoincrement=bool(autoincrement),
        primary_key=bool(autoincrement),
    )
    sa.Table(op.table_name, sa.MetaData(), column, schema=op.schema)
    spec = compiler.get_column_specification(column)
    if autoincrement and "AUTO_INCREMENT" not in spec:
        spec += " AUTO_INCREMENT"
    return spec


def with_live_column_hints(ctx: SQLContext, op: AlterColumnOp) -> AlterColumnOp:
    """Online, a copy of `op` whose missing existing_* hints come from the live column.

    MODIFY/CHANGE restate the whole column, so whatever the statement leaves out is lost:
    Alembic makes a NOT NULL column nullable and drops its default and comment when the
    caller does not repeat them. The database knows them, so ask it. A hint that was
    given wins; offline there is nothing to ask, and `require_existing` says what to give.
    """
    wanted = (
        op.existing_type is None
        or op.existing_nullable is None
        or op.existing_server_default is None
        or op.existing_comment is None
        or op.existing_autoincrement is None
    )
    if ctx.is_offline or not wanted:
        return op
    inspector = sa.inspect(ctx.connection)
    try:
        columns = inspector.get_columns(op.table_name, schema=op.schema)
    except sa.exc.NoSuchTableError:
        return op  # the ALTER itself reports the missing table
    live = next((c for c in columns if c["name"] == op.column_name), None)
    if live is None:
        return op
    filled = copy.copy(op)
    if filled.existing_type is None:
        filled.existing_type = live["type"]
    if filled.existing_nullable is None:
        filled.existing_nullable = bool(live["nullable"])
    live_default = live.get("default")
    if filled.existing_server_default is None and live_default is not None:
        filled.existing_server_default = sa.text(live_default)
    if filled.existing_comment is None and live.get("comment") is not None:
        filled.existing_comment = live["comment"]
    if filled.existing_autoincrement is None and live.get("autoincrement") is True:
        filled.existing_autoincrement = True
    return filled


def require_existing(op: AlterColumnOp, why: str) -> None:
    missing = []
    if op.type_ is None and op.existing_type is None:
        missing.append("existing_type")
    if op.nullable is None and op.existing_nullable is None:
        missing.append("existing_nullable")
    if missing:
        raise MissingInformation(
            f"MySQL/MariaDB restate the whole column to {why} {op.table_name}.{op.column_name}, "
            f"and offline (--sql) the column cannot be read: give {' and '.join(missing)} to "
            "alter_column (and existing_server_default / existing_comment if it has them, or "
            "they are removed)"
        )


@register_sql(AlterColumnOp, dialect="mysql")
def alter_column(op: AlterColumnOp, ctx: SQLContext) -> None:
    table, schema, name = op.table_name, op.schema, op.column_name
    restate = (
        op.type_ is not None
        or op.nullable is not None
        or op.comment is not UNSET
        or op.autoincrement is not None
    )
    rename_in_place = op.new_column_name is not None and _impl(ctx).supports_rename_column_statement
    if restate or (op.new_column_name is not None and not rename_in_place):
        op = with_live_column_hints(ctx, op)
        require_existing(op, "rename" if not restate else "change")
        if op.new_column_name is not None:
            new = op.new_column_name
            clause = lambda c: (  # noqa: E731
                f"CHANGE {quote(c, name)} {column_definition(ctx, op, c)}"
            )
        else:
            clause = lambda c: f"MODIFY {column_definition(ctx, op, c)}"  # noqa: E731
        ctx.execute(alter_table_with(table, schema, clause))
        return
    if op.server_default is not UNSET:
        ctx.execute(alter_table_with(table, schema, lambda c: default_clause(ctx, op, c)))
    if op.new_column_name is not None:
        new = op.new_column_name
        ctx.execute(
            alter_table_with(
                table, schema, lambda c: f"RENAME COLUMN {quote(c, name)} TO {quote(c, new)}"
            )
        )


def default_clause(ctx: SQLContext, op: AlterColumnOp, compiler: DDLCompiler) -> str:
    column = quote(compiler, op.column_name)
    if op.server_default is None:
        return f"ALTER COLUMN {column} DROP DEFAULT"
    type_ = op.type_ if op.type_ is not None else op.existing_type
    default = op.server_default
    if is_blob_like(type_) and _impl(ctx).needs_expression_defaults_on_blobs:
        default = expression_default(default)
    text = default_sql(compiler, default, type_)
    if is_sql_expression(default) and text and not text.startswith("("):
        # MySQL takes a function default in SET DEFAULT only in parentheses (as
        # CREATE TABLE writes it); MariaDB accepts both.
        text = f"({text})"
    return f"ALTER COLUMN {column} SET DEFAULT {text}"


def is_sql_expression(default: Any) -> bool:
    """A default that is SQL to evaluate (func.now(), an expression), not a literal or text()."""
    arg = default.arg if isinstance(default, sa.DefaultClause) else default
    return isinstance(arg, sa.ClauseElement) and not isinstance(arg, sa.TextClause)


@register_sql(DropConstraintOp, dialect="mysql")
def drop_constraint(op: DropConstraintOp, ctx: SQLContext) -> None:
    mariadb = _impl(ctx).is_mariadb
    if op.if_exists and not mariadb:
        raise OperationNotSupported(
            f"MySQL has no DROP ... IF EXISTS for constraints ({op.constraint_name} on "
            f"{op.table_name}); drop it unconditionally or check first"
        )
    if_exists = "IF EXISTS " if op.if_exists else ""
    kind = op.constraint_type
    if kind == "primary":
        ctx.execute(alter_table_with(op.table_name, op.schema, lambda c: "DROP PRIMARY KEY"))
        return
    refuse_unnamed_drop(op, ctx)
    keyword = {
        "foreignkey": "FOREIGN KEY",
        "unique": "INDEX",
        "check": "CONSTRAINT" if mariadb else "CHECK",
    }.get(kind or "", "CONSTRAINT")
    ctx.execute(
        alter_table_with(
            op.table_name,
            op.schema,
            lambda c: f"DROP {keyword} {if_exists}{quote(c, op.constraint_name)}",
        )
    )


@register_sql(RenameTableOp, dialect="mysql")
def rename_table(op: RenameTableOp, ctx: SQLContext) -> None:
    ctx.execute(
        alter_table_with(
            op.old_table_name,
            op.schema,
            lambda c: f"RENAME TO {table_name(c, op.new_table_name, op.schema)}",
        )
    )
