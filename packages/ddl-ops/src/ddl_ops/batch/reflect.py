"""Build the :class:`TableModel` of an existing table, from the database or from ``copy_from``.

SQLAlchemy's reflection does most of the work; on SQLite a few things it does not return are read
from the catalog directly so a rebuild keeps them: foreign-key ON DELETE/ON UPDATE actions,
AUTOINCREMENT, the exact text of each index (expressions, partial WHERE, collations) and triggers.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import TextClause

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import (
    CheckSpec,
    ColumnDef,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableModel,
    UniqueSpec,
)
from ddl_ops.batch.sqltext import (
    collation_of,
    conflict_clauses,
    foreign_key_timing,
    leading_identifier,
    table_definition_items,
)
from ddl_ops.dialects import text_preparer
from ddl_ops.dialects.sqlite_checks import reread_sqlite_checks

_SQLITE_LITERAL_DEFAULT = re.compile(
    r"""^(?:[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|'(?:[^']|'')*'|NULL|TRUE|FALSE
    |CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP|X'[0-9A-Fa-f]*'|\(.*\))$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


def reflect_table(
    connection: Connection,
    table_name: str,
    *,
    schema: str | None = None,
    reflect_args: Sequence[Any] = (),
    reflect_kwargs: Mapping[str, Any] | None = None,
) -> sa.Table:
    """Reflect one table; ``reflect_args`` override reflected columns (e.g. a Boolean type)."""
    kwargs = {"resolve_fks": False, **(reflect_kwargs or {})}
    try:
        with warnings.catch_warnings():
            if connection.dialect.name == "sqlite":
                # expression indexes are read verbatim from sqlite_master instead
                warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            table = sa.Table(
                table_name,
                sa.MetaData(),
                *reflect_args,
                schema=schema,
                autoload_with=connection,
                **kwargs,
            )
    except sa.exc.NoSuchTableError:
        shown = f"{schema}.{table_name}" if schema else table_name
        raise BatchError(f"batch_alter_table: table {shown!r} does not exist") from None
    if connection.dialect.name == "sqlite":
        reread_sqlite_checks(connection, table)  # SQLAlchemy's pattern misreads some
    return table


def model_from_table(table: sa.Table, dialect: Dialect) -> TableModel:
    """Describe ``table`` (reflected or a ``copy_from`` Table) as the starting point of a batch."""
    quote = text_preparer(dialect).quote
    columns = {c.name: ColumnDef.from_column(c, source=c.name) for c in table.columns}
    model = TableModel(
        name=table.name,
        schema=table.schema,
        columns=columns,
        quote=quote,
        comment=table.comment,
        table_kwargs=dict(table.dialect_kwargs),
    )
    if dialect.name == "sqlite":
        for column in columns.values():
            column.server_default = _sqlite_default(column.server_default)
    if dialect.name == "postgresql":
        for column in columns.values():
            if _text_of(column.server_default).startswith("nextval("):
                column.autoincrement = False
    pk = table.primary_key
    if pk is not None and len(pk.columns) > 0:
        model.primary_key = PrimaryKeySpec(_name(pk.name), [c.name for c in pk.columns])
    # a Column(..., sa.CheckConstraint(...)) of a copy_from Table is held by the column only
    column_checks = [k for c in table.columns for k in c.constraints if k not in table.constraints]
    constraints = [*table.constraints, *column_checks]
    for constraint in sorted(constraints, key=lambda c: str(_name(c.name) or "")):
        if isinstance(constraint, sa.UniqueConstraint):
            model.uniques.append(
                UniqueSpec(
                    _name(constraint.name),
                    [c.name for c in constraint.columns],
                    dict(constraint.dialect_kwargs),
                )
            )
        elif isinstance(constraint, sa.CheckConstraint):
            if _is_type_check(constraint):
                continue
            model.checks.append(CheckSpec(_name(constraint.name), _text_of(constraint.sqltext)))
        elif isinstance(constraint, sa.ForeignKeyConstraint):
            model.foreign_keys.append(_foreign_key_spec(constraint, table))
    for index in sorted(table.indexes, key=lambda ix: str(ix.name or "")):
        elements: list[Any] = []
        for expression in index.expressions:
            if isinstance(expression, sa.Column):
                elements.append(expression.name)
            elif isinstance(expression, str):
                elements.append(expression)
            else:
                elements.append(expression)
        model.indexes.append(
            IndexSpec(
                _name(index.name),
                elements,
                unique=bool(index.unique),
                dialect_kwargs=dict(index.dialect_kwargs),
            )
        )
    if dialect.name in ("mysql", "mariadb"):
        _mark_implicit_foreign_key_indexes(model)
    return model


def declared_model(table: sa.Table, dialect: Dialect) -> TableModel:
    """The model of a ``copy_from`` Table, as the database created it from that declaration.

    On PostgreSQL an autoincrementing integer key was created as SERIAL, whose sequence is
    named ``<table>_<column>_seq``; the rebuild keeps using (and re-owns) that sequence.
    """
    model = model_from_table(table, dialect)
    serial = table.autoincrement_column
    if dialect.name == "postgresql" and serial is not None and serial.name in model.columns:
        column = model.columns[serial.name]
        if column.server_default is None and column.identity is None:
            limit = dialect.max_identifier_length or 63
            sequence = f"{table.name}_{serial.name}_seq"[:limit]
            preparer = text_preparer(dialect)
            qualified = preparer.quote(sequence)
            if table.schema:
                qualified = f"{preparer.quote_schema(table.schema)}.{qualified}"
            literal = qualified.replace("'", "''")
            column.server_default = sa.text(f"nextval('{literal}'::regclass)")
            column.autoincrement = False
            column.owned_sequence = qualified
    return model


def reflect_model(
    connection: Connection,
    table_name: str,
    *,
    schema: str | None = None,
    reflect_args: Sequence[Any] = (),
    reflect_kwargs: Mapping[str, Any] | None = None,
) -> TableModel:
    """Reflect ``table_name`` and add what SQLite's catalog knows beyond SQLAlchemy reflection."""
    table = reflect_table(
        connection,
        table_name,
        schema=schema,
        reflect_args=reflect_args,
        reflect_kwargs=reflect_kwargs,
    )
    model = model_from_table(table, connection.dialect)
    if connection.dialect.name == "sqlite":
        _add_sqlite_catalog_details(connection, model)
    if getattr(connection.dialect, "is_mariadb", False):
        _add_mariadb_column_checks(connection, model)

    if connection.dialect.name == "postgresql":
        _order_foreign_keys_by_creation(connection, model)
    return model


def _mark_implicit_foreign_key_indexes(model: TableModel) -> None:
    """InnoDB makes an index named after a foreign key that no index serves; reflection shows
    it as an ordinary index. Re-created explicitly, it would stay beside an index the batch
    adds for the same columns, where ALTERs would have had the server drop it."""
    keys = {fk.name: fk.columns for fk in model.foreign_keys if fk.name}
    for index in model.indexes:
        if not index.unique and index.name in keys and index.column_names() == keys[index.name]:
            index.implicit_for = index.name


def _order_foreign_keys_by_creation(connection: Connection, model: TableModel) -> None:
    """PostgreSQL runs foreign key actions in the order the keys were created (their triggers
    fire by OID); reflection sorts them by name, so restore the creation order."""
    table = text_preparer(connection.dialect).format_table(
        sa.table(model.name, schema=model.schema)
    )
    names = connection.execute(
        sa.text(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = CAST(:table AS regclass) ORDER BY oid"
        ),
        {"table": table},
    ).scalars()
    position = {name: index for index, name in enumerate(names)}
    model.foreign_keys.sort(key=lambda fk: position.get(fk.name, len(position)))


def _add_mariadb_column_checks(connection: Connection, model: TableModel) -> None:
    """MariaDB keeps column-level CHECKs (also JSON's json_valid) apart; reflection skips them."""
    query = sa.text(
        "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE()) AND TABLE_NAME = :table "
        "AND LEVEL = 'Column' ORDER BY CONSTRAINT_NAME"
    )
    try:
        rows = connection.execute(query, {"schema": model.schema, "table": model.name}).all()
    except sa.exc.DBAPIError:
        return  # before MariaDB 10.5.10 the view has no LEVEL column to tell them apart
    known = {check.name for check in model.checks}
    for name, clause in rows:
        if name not in known:
            model.checks.append(CheckSpec(name, clause))


def _add_sqlite_catalog_details(connection: Connection, model: TableModel) -> None:
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


def _foreign_key_spec(constraint: sa.ForeignKeyConstraint, table: sa.Table) -> ForeignKeySpec:
    targets = [element.target_fullname.split(".") for element in constraint.elements]
    first = targets[0]
    referred_schema = ".".join(first[:-2]) or None
    return ForeignKeySpec(
        name=_name(constraint.name),
        columns=[element.parent.name for element in constraint.elements],
        referred_table=first[-2],
        referred_columns=[parts[-1] for parts in targets],
        referred_schema=referred_schema,
        ondelete=constraint.ondelete,
        onupdate=constraint.onupdate,
        deferrable=constraint.deferrable,
        initially=constraint.initially,
        match=constraint.match,
    )


def _is_type_check(constraint: sa.CheckConstraint) -> bool:
    """CHECKs generated by a Boolean/Enum type come back with the column; do not add them twice."""
    return bool(getattr(constraint, "_type_bound", False))


def _text_of(sqltext: Any) -> str:
    return sqltext.text if isinstance(sqltext, TextClause) else str(sqltext)


def _name(name: Any) -> str | None:
    return str(name) if isinstance(name, str) and name else None
