"""Raw SQL as operations: parsed with sqlglot, mapped to the operations `op.*` builds.

So `op.execute("CREATE INDEX ...")` and a `--sql` file get the same rules as
`op.create_index(...)`. Statements are split and located with sqlglot's tokenizer and
parsed one by one, so one odd statement does not hide the others. Statements that change
nothing the rules look at (DML, grants, comments) map to no operation; DDL the parser
cannot read is reported (MG001) rather than guessed at.

sqlglot is the optional extra `ddl-ops[lint]`; without it raw SQL is reported as not
checked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ddl_ops.dialects.registry import impl_class_for
from ddl_ops.ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropIndexOp,
    DropTableOp,
    MigrateOperation,
    RenameTableOp,
)

try:
    import sqlglot
    from sqlglot import TokenType, exp
    from sqlglot.errors import SqlglotError
except ImportError:  # pragma: no cover - exercised only without the [lint] extra
    sqlglot = None  # type: ignore[assignment]

# Keyword sequences of statements sqlglot keeps as an opaque Command that are known safe
# (they are the safe patterns the rules recommend).
_KNOWN_SAFE_COMMANDS = (
    ("VALIDATE", "CONSTRAINT"),
    ("USING", "INDEX"),
    ("RENAME", "CONSTRAINT"),
    ("OWNER", "TO"),
    ("ENABLE", "TRIGGER"),
    ("DISABLE", "TRIGGER"),
)
# Opaque statements that lint must understand to check: reported when not recognized.
_CHECKED_PREFIXES = (("ALTER", "TABLE"), ("CREATE", "INDEX"), ("CREATE", "UNIQUE"), ("DROP",))


@dataclass
class ParsedStatement:
    """One statement: the operations it amounts to, or why it could not be read."""

    line: int
    text: str
    ops: list[MigrateOperation] = field(default_factory=list)
    problem: str | None = None
    #: SQL comments before it and after it on its last line (where `-- migrate: ignore[...]`
    #: goes)
    comments: list[str] = field(default_factory=list)
    #: "begin" / "end" for BEGIN and COMMIT/ROLLBACK, so SQL files track the transaction
    transaction: str | None = None


def sqlglot_available() -> bool:
    return sqlglot is not None


def parse_sql(text: str, dialect: str) -> list[ParsedStatement]:
    """Split `text` into statements and map each to operations (lines count from 1)."""
    if sqlglot is None:
        return [ParsedStatement(1, text, problem="sqlglot is not installed (ddl-ops[lint])")]
    read = impl_class_for(dialect).sqlglot_dialect or dialect
    try:
        tokens = sqlglot.Dialect.get_or_raise(read).tokenize(text)
    except SqlglotError as error:
        return [ParsedStatement(1, text.strip(), problem=_first_line(error))]
    statements = []
    for chunk, terminator in _split(tokens):
        start, end = chunk[0].start, chunk[-1].end + 1
        statement = _parse_one(text[start:end], chunk[0].line, read)
        for token in [*chunk, *([terminator] if terminator is not None else [])]:
            statement.comments += [c.strip() for c in token.comments]
        statements.append(statement)
    return statements


def _split(tokens: list[Any]) -> Iterator[tuple[list[Any], Any]]:
    """Statements as token lists, each with its terminating semicolon token (or None)."""
    chunk: list[Any] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if chunk:
                yield chunk, token
            chunk = []
        else:
            chunk.append(token)
    if chunk:
        yield chunk, None


@contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    """sqlglot logs a warning for each statement it keeps as a Command; lint reports it."""
    logger = logging.getLogger("sqlglot")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _parse_one(text: str, line: int, read: str) -> ParsedStatement:
    statement = ParsedStatement(line, text)
    try:
        with _quiet_sqlglot():
            tree = sqlglot.parse_one(text, read=read)
    except SqlglotError as error:
        statement.problem = _first_line(error)
        return statement
    if isinstance(tree, exp.Transaction):
        statement.transaction = "begin"
    elif isinstance(tree, (exp.Commit, exp.Rollback)):
        statement.transaction = "end"
    elif isinstance(tree, exp.Command):
        statement.problem = _command_problem(tree, read)
    else:
        try:
            statement.ops = list(_operations(tree))
        except _NotUnderstood as error:
            statement.problem = str(error)
    return statement


class _NotUnderstood(Exception):
    """A statement the parser read but whose meaning lint cannot map."""


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _command_problem(tree: Any, read: str) -> str | None:
    words = [str(tree.this).upper()]
    words += [
        t.text.upper()
        for t in sqlglot.Dialect.get_or_raise(read).tokenize(str(tree.expression or ""))
    ]
    if not any(tuple(words[: len(p)]) == p for p in _CHECKED_PREFIXES):
        return None
    for safe in _KNOWN_SAFE_COMMANDS:
        if any(tuple(words[i : i + len(safe)]) == safe for i in range(len(words))):
            return None
    return "the SQL parser does not know this form of " + " ".join(words[:2])


def _name(node: Any) -> str:
    return node.name if hasattr(node, "name") else str(node)


def _table(node: Any) -> tuple[str, str | None]:
    return node.name, (node.db or None)


def _operations(tree: Any) -> Iterator[MigrateOperation]:
    if isinstance(tree, exp.Create):
        yield from _create(tree)
    elif isinstance(tree, exp.Drop):
        yield from _drop(tree)
    elif isinstance(tree, exp.Alter) and str(tree.args.get("kind", "")).upper() == "TABLE":
        table, schema = _table(tree.this)
        for action in tree.args.get("actions") or []:
            yield from _alter_action(action, table, schema, bool(tree.args.get("not_valid")))


def _create(tree: Any) -> Iterator[MigrateOperation]:
    kind = str(tree.args.get("kind", "")).upper()
    if kind == "TABLE":
        target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        table, schema = _table(target)
        yield CreateTableOp(table, [], schema=schema)
    elif kind == "INDEX":
        index = tree.this
        table, schema = _table(index.args["table"])
        params = index.args.get("params")
        columns = [col.sql() for col in (params.args.get("columns") or [])] if params else []
        kw = {"postgresql_concurrently": True} if tree.args.get("concurrently") else {}
        yield CreateIndexOp(
            _name(index), table, columns, schema=schema, unique=bool(tree.args.get("unique")), **kw
        )


def _drop(tree: Any) -> Iterator[MigrateOperation]:
    kind = str(tree.args.get("kind", "")).upper()
    for target in tree.args.get("tables") or []:
        name, schema = _table(target)
        if kind == "TABLE":
            yield DropTableOp(name, schema=schema)
        elif kind == "INDEX":
            kw: dict[str, Any] = {}
            if tree.args.get("concurrently"):
                kw["postgresql_concurrently"] = True
            yield DropIndexOp(name, schema=schema, **kw)


def _alter_action(
    action: Any, table: str, schema: str | None, not_valid: bool
) -> Iterator[MigrateOperation]:
    if isinstance(action, exp.ColumnDef):
        yield AddColumnOp(table, _column(action), schema=schema)
    elif isinstance(action, exp.AlterColumn):
        yield from _alter_column(action, table, schema)
    elif isinstance(action, exp.ModifyColumn):
        definition = action.this
        old_name = action.args.get("rename_from")
        column = _name(old_name) if old_name is not None else definition.name
        new_name = definition.name if old_name is not None else None
        yield AlterColumnOp(
            table,
            column,
            schema=schema,
            type_=_sa_type(definition.args.get("kind")),
            new_column_name=new_name if new_name != column else None,
        )
    elif isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "COLUMN":
        for column in action.args.get("tables") or []:
            yield DropColumnOp(table, column.name, schema=schema)
    elif isinstance(action, exp.RenameColumn):
        yield AlterColumnOp(
            table, action.this.name, schema=schema, new_column_name=action.args["to"].name
        )
    elif isinstance(action, exp.AlterRename):
        yield RenameTableOp(table, action.this.name, schema=schema)
    elif isinstance(action, exp.AddConstraint):
        for item in action.expressions:
            yield from _constraint(item, table, schema, not_valid)


def _alter_column(action: Any, table: str, schema: str | None) -> Iterator[MigrateOperation]:
    column = action.this.name
    if action.args.get("dtype") is not None:
        yield AlterColumnOp(table, column, schema=schema, type_=_sa_type(action.args["dtype"]))
    if action.args.get("allow_null") is False:
        yield AlterColumnOp(table, column, schema=schema, nullable=False)
    elif action.args.get("allow_null") is True:
        yield AlterColumnOp(table, column, schema=schema, nullable=True)


def _constraint(
    item: Any, table: str, schema: str | None, not_valid: bool
) -> Iterator[MigrateOperation]:
    name = None
    parts = [item]
    if isinstance(item, exp.Constraint):
        name = item.this.name
        parts = list(item.expressions)
    kw: dict[str, Any] = {"postgresql_not_valid": True} if not_valid else {}
    for part in parts:
        if isinstance(part, exp.ForeignKey):
            reference = part.args["reference"].this
            target = reference.this if isinstance(reference, exp.Schema) else reference
            remote_cols = [c.name for c in getattr(reference, "expressions", [])]
            referent, referent_schema = _table(target)
            yield CreateForeignKeyOp(
                name,
                table,
                referent,
                [c.name for c in part.expressions],
                remote_cols,
                source_schema=schema,
                referent_schema=referent_schema,
                **kw,
            )
        elif isinstance(part, exp.CheckColumnConstraint):
            yield CreateCheckConstraintOp(name, table, part.this.sql(), schema=schema, **kw)
        elif isinstance(part, exp.UniqueColumnConstraint):
            columns = [c.name for c in part.this.expressions] if part.this else []
            yield CreateUniqueConstraintOp(name, table, columns, schema=schema)
        elif isinstance(part, exp.PrimaryKey):
            yield CreatePrimaryKeyOp(name, table, [c.name for c in part.expressions], schema=schema)
        else:
            raise _NotUnderstood(f"constraint {part.sql()!r} is not understood")


def _column(definition: Any) -> sa.Column[Any]:
    nullable = True
    server_default = None
    primary_key = False
    for constraint in definition.args.get("constraints") or []:
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get("allow_null"):
            nullable = False
        elif isinstance(kind, exp.DefaultColumnConstraint):
            server_default = sa.text(kind.this.sql())
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            primary_key = True
    column: sa.Column[Any] = sa.Column(
        definition.name,
        _sa_type(definition.args.get("kind")),
        nullable=nullable,
        server_default=server_default,
        primary_key=primary_key,
    )
    return column


_SA_TYPES: dict[str, Any] = {
    "TINYINT": sa.SmallInteger,
    "SMALLINT": sa.SmallInteger,
    "MEDIUMINT": sa.Integer,
    "INT": sa.Integer,
    "BIGINT": sa.BigInteger,
    "SERIAL": sa.Integer,
    "BIGSERIAL": sa.BigInteger,
    "VARCHAR": sa.String,
    "NVARCHAR": sa.String,
    "CHAR": sa.CHAR,
    "NCHAR": sa.CHAR,
    "TEXT": sa.Text,
    "DECIMAL": sa.Numeric,
    "FLOAT": sa.Float,
    "DOUBLE": sa.Float,
    "BOOLEAN": sa.Boolean,
    "DATE": sa.Date,
    "DATETIME": sa.DateTime,
    "TIMESTAMP": sa.DateTime,
    "TIMESTAMPTZ": sa.DateTime,
}


class ParsedType(sa.types.UserDefinedType[Any]):
    """A type from parsed SQL that the rules have no SQLAlchemy class for (an enum, a
    domain): kept by its SQL text, for messages."""

    cache_ok = True

    def __init__(self, text: str):
        self.text = text

    def get_col_spec(self, **kw: Any) -> str:
        return self.text


def _sa_type(data_type: Any) -> Any:
    """The SQLAlchemy type for a parsed type (ParsedType for types the rules need not know)."""
    if data_type is None:
        return sa.types.NullType()
    name = data_type.this.name if hasattr(data_type.this, "name") else str(data_type.this)
    factory = _SA_TYPES.get(name.upper())
    if factory is None:
        return ParsedType(data_type.sql())
    params = [int(p.this.this) for p in data_type.expressions if _is_number(p)]
    if factory is sa.DateTime:
        return sa.DateTime(timezone=name.upper() == "TIMESTAMPTZ")
    if factory in (sa.String, sa.CHAR):
        return factory(params[0]) if params else factory()
    if factory is sa.Numeric:
        precision = params[0] if params else None
        return sa.Numeric(precision, params[1] if len(params) > 1 else None)
    return factory()


def _is_number(param: Any) -> bool:
    literal = getattr(param, "this", None)
    return isinstance(literal, exp.Literal) and not literal.is_string and literal.this.isdigit()


def not_null_check_column(condition: Any) -> str | None:
    """`col IS NOT NULL` as a CHECK condition (text or SQLAlchemy expression) -> "col"."""
    if sqlglot is None:
        return None
    text = condition if isinstance(condition, str) else str(condition)
    try:
        tree = sqlglot.parse_one(text)
    except SqlglotError:
        return None
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if isinstance(tree, exp.Not) and isinstance(tree.this, exp.Is):
        tree = tree.this
    elif not (isinstance(tree, exp.Is) and tree.args.get("negate")):
        return None
    if isinstance(tree.this, exp.Column) and isinstance(tree.expression, exp.Null):
        return str(tree.this.name)
    return None
