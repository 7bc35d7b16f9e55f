"""Helpers the dialect modules use to write DDL through SQLAlchemy's compiler.

Statements are `RenderedDDL` elements: the text is produced at compile time from
the compiler, so quoting (`dialect.identifier_preparer`), literal rendering and
percent escaping always match the dialect the statement runs on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn, ExecutableDDLElement
from sqlalchemy.sql.compiler import DDLCompiler


class RenderedDDL(ExecutableDDLElement):
    """A DDL statement whose text a function writes, given the dialect's DDL compiler."""

    inherit_cache = False

    def __init__(self, render: Callable[[DDLCompiler], str]):
        self.render = render


@compiles(RenderedDDL)
def _compile_rendered(element: RenderedDDL, compiler: DDLCompiler, **kw: Any) -> str:
    return element.render(compiler)


def table_name(compiler: DDLCompiler, name: str, schema: str | None) -> str:
    """A quoted, schema-qualified table name."""
    preparer = compiler.preparer
    quoted = preparer.quote(name)
    if schema:
        return f"{preparer.quote_schema(schema)}.{quoted}"
    return quoted


def quote(compiler: DDLCompiler, name: str) -> str:
    return compiler.preparer.quote(name)


def type_sql(compiler: DDLCompiler, type_: Any, column: sa.Column[Any] | None = None) -> str:
    return compiler.dialect.type_compiler_instance.process(type_, type_expression=column)


def string_literal(compiler: DDLCompiler, value: str) -> str:
    return compiler.sql_compiler.render_literal_value(value, sa.String())


def stand_in_column(
    name: str, type_: Any, table_name_: str, schema: str | None, **kw: Any
) -> sa.Column[Any]:
    """A Column attached to a throwaway Table, which some compiler methods require."""
    column = sa.Column(name, type_ if type_ is not None else sa.types.NullType(), **kw)
    sa.Table(table_name_, sa.MetaData(), column, schema=schema)
    return column


def default_sql(compiler: DDLCompiler, server_default: Any, type_: Any = None) -> str | None:
    """The text after DEFAULT for a server default given as str, text(), expression or clause."""
    if server_default is None:
        return None
    if isinstance(server_default, sa.DefaultClause):
        server_default = server_default.arg
    column = sa.Column("_", type_ if type_ is not None else sa.types.NullType())
    column.server_default = sa.DefaultClause(server_default)
    return compiler.get_column_default_string(column)


def column_spec(compiler: DDLCompiler, column: sa.Column[Any]) -> str:
    """The column's definition as CREATE TABLE would write it (type, default, NULL, checks)."""
    return compiler.process(CreateColumn(column))
