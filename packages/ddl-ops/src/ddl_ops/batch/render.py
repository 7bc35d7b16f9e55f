"""Turn a :class:`TableModel` into SQLAlchemy objects: the new table, its indexes, the row copy."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ClauseElement, TextClause

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import ColumnDef, ForeignKeySpec, IndexSpec, TableModel
from ddl_ops.dialects.registry import rebuild_strategy

ALL_PARTS = frozenset({"primary", "unique", "check", "foreignkey"})


def resolve_names(model: TableModel, naming_convention: Mapping[str, str] | None) -> TableModel:
    """Name every unnamed constraint and index the naming convention can name.

    Names are worked out on a table carrying the final name (never the temporary one), so a
    convention such as ``uq_%(table_name)s_%(column_0_name)s`` gives the name the table keeps.
    A convention that cannot name an item (e.g. ``%(constraint_name)s`` on an unnamed CHECK)
    leaves it unnamed, which SQLite accepts.
    """
    resolved = model.copy()
    metadata = sa.MetaData()
    if naming_convention:
        convention = {"ix": "ix_%(column_0_label)s", **naming_convention}
        metadata = sa.MetaData(naming_convention=convention)
    _add_referent_stubs(resolved, metadata, skip=resolved.name)
    table = sa.Table(
        resolved.name,
        metadata,
        *[c.to_column() for c in resolved.columns.values()],
        schema=resolved.schema,
    )
    items: list[tuple[Any, Any]] = []
    if resolved.primary_key is not None:
        items.append((resolved.primary_key, lambda s: sa.PrimaryKeyConstraint(*s.columns)))
    items += [(u, lambda s: sa.UniqueConstraint(*s.columns)) for u in resolved.uniques]
    items += [(c, lambda s: sa.CheckConstraint(sa.text(s.sqltext))) for c in resolved.checks]
    items += [(fk, lambda s: _foreign_key(s, resolved, None)) for fk in resolved.foreign_keys]
    for spec, make in items:
        if spec.name is not None:
            continue
        constraint = make(spec)
        try:
            table.append_constraint(constraint)
        except sa.exc.InvalidRequestError:
            continue
        spec.name = _plain_name(constraint.name)
    for index in resolved.indexes:
        if index.name is not None or index.raw_sql is not None:
            continue
        try:
            created = sa.Index(None, *_index_elements(index, table), _table=table)
        except (sa.exc.InvalidRequestError, KeyError):
            created = None
        index.name = _plain_name(created.name) if created is not None else None
        if index.name is None:
            raise BatchError(
                f"an index on {resolved.display_name!r} has no name and the naming convention "
                "cannot make one; give the index a name"
            )
    return resolved


def build_table(
    model: TableModel,
    name: str,
    metadata: sa.MetaData,
    *,
    parts: Collection[str] = ALL_PARTS,
    self_name: str | None = None,
) -> sa.Table:
    """The model as a Table called ``name``, holding only the constraint kinds in ``parts``.

    Foreign keys that point at the table itself refer to ``self_name`` (the final name), so that
    they are right once the new table has been renamed into place.
    """
    _add_referent_stubs(model, metadata, skip=name)
    args: list[Any] = [c.to_column() for c in model.columns.values()]
    if model.primary_key is not None and "primary" in parts:
        args.append(
            sa.PrimaryKeyConstraint(
                *model.primary_key.columns,
                name=model.primary_key.name,
                **model.primary_key.dialect_kwargs,
            )
        )
    if "unique" in parts:
        args += [
            sa.UniqueConstraint(*u.columns, name=u.name, **u.dialect_kwargs) for u in model.uniques
        ]
    if "check" in parts:
        args += [sa.CheckConstraint(sa.text(c.sqltext), name=c.name) for c in model.checks]
    if "foreignkey" in parts:
        args += [_foreign_key(fk, model, self_name) for fk in model.foreign_keys]
    kwargs = dict(model.table_kwargs)
    if model.sqlite_autoincrement:
        kwargs["sqlite_autoincrement"] = True
    return sa.Table(name, metadata, *args, schema=model.schema, comment=model.comment, **kwargs)


def constraints_of(
    model: TableModel, table: sa.Table, parts: Collection[str]
) -> list[sa.Constraint]:
    """Constraints of kinds ``parts`` bound to ``table``, for ALTER TABLE ... ADD CONSTRAINT."""
    made: list[sa.Constraint] = []
    if model.primary_key is not None and "primary" in parts:
        made.append(
            sa.PrimaryKeyConstraint(
                *model.primary_key.columns,
                name=model.primary_key.name,
                **model.primary_key.dialect_kwargs,
            )
        )
    if "unique" in parts:
        made += [
            sa.UniqueConstraint(*u.columns, name=u.name, **u.dialect_kwargs) for u in model.uniques
        ]
    if "check" in parts:
        made += [sa.CheckConstraint(sa.text(c.sqltext), name=c.name) for c in model.checks]
    if "foreignkey" in parts:
        made += [_foreign_key(fk, model, table.name) for fk in model.foreign_keys]
    for constraint in made:
        table.append_constraint(constraint)
    return made


def index_objects(model: TableModel, table: sa.Table) -> list[sa.Index]:
    """The model's indexes (those without verbatim SQL) bound to ``table``."""
    return [
        sa.Index(
            ix.name,
            *_index_elements(ix, table),
            unique=ix.unique,
            _table=table,
            **ix.dialect_kwargs,
        )
        for ix in model.indexes
        if ix.raw_sql is None and ix.implicit_for is None
    ]


def copy_rows(model: TableModel, target: sa.Table, dialect: Dialect) -> sa.Insert | None:
    """INSERT INTO new (...) SELECT ... FROM old, mapping renamed and reordered columns.

    Changed types are CAST on databases that need it; SQLite is left to its column affinity,
    which converts losslessly where CAST would silently turn unconvertible text into 0.
    """
    casts = rebuild_strategy(dialect).casts_copied_values
    copied = [c for c in model.columns.values() if c.source is not None and not c.is_generated]
    old = sa.table(model.name, *[sa.column(c.source or "") for c in copied], schema=model.schema)
    filled = [c for c in model.columns.values() if _needs_fill(c)]
    if not copied:
        # every old column is gone: still one new row per old row, holding the new defaults
        filled = [c for c in model.columns.values() if not c.is_generated]
        if not filled:
            return None
    selected: list[Any] = []
    for column in [*copied, *filled]:
        if column.source is None:
            fill = _fill_expression(column.fill_value)
            if casts:
                fill = sa.cast(fill, column.type)
            selected.append(fill)
            continue
        expression: Any = old.c[column.source]
        if column.copy_expression is not None:
            expression = sa.literal_column(f"({column.copy_expression})")
        elif column.type_changed and casts:
            expression = sa.cast(expression, column.type)
        selected.append(expression)
    targets = [target.c[c.name] for c in [*copied, *filled]]
    return target.insert().from_select(targets, sa.select(*selected).select_from(old))


def _needs_fill(column: ColumnDef) -> bool:
    """A column added in this batch whose default changed later in it, or that is NOT NULL
    with no default.

    Existing rows must get the default the column was added with, as if each change had run
    on its own; the new table's default would give them the later one.
    """
    if column.source is not None or column.is_generated:
        return False
    if column.server_default is not column.fill_value:
        return True
    # NOT NULL with nothing to fill it: name it (as NULL), or MySQL refuses the copy even of
    # an empty table ("doesn't have a default value"); rows, if any, then fail NOT NULL
    return not column.nullable and column.server_default is None


def _fill_expression(value: Any) -> Any:
    if value is None:
        return sa.null()
    if isinstance(value, TextClause):
        return sa.literal_column(f"({value.text})")
    if isinstance(value, ClauseElement):
        return value
    return sa.literal(value)


def _index_elements(index: IndexSpec, table: sa.Table) -> list[Any]:
    return [table.c[e] if isinstance(e, str) else e for e in index.elements]


def _foreign_key(
    spec: ForeignKeySpec, model: TableModel, self_name: str | None
) -> sa.ForeignKeyConstraint:
    referred = spec.referred_table
    schema = spec.referred_schema
    if self_name is not None and referred == model.name and schema in (None, model.schema):
        referred, schema = self_name, model.schema
    prefix = f"{schema}.{referred}" if schema else referred
    return sa.ForeignKeyConstraint(
        spec.columns,
        [f"{prefix}.{c}" for c in spec.referred_columns],
        name=spec.name,
        ondelete=spec.ondelete,
        onupdate=spec.onupdate,
        deferrable=spec.deferrable,
        initially=spec.initially,
        match=spec.match,
    )


def _add_referent_stubs(model: TableModel, metadata: sa.MetaData, skip: str | None = None) -> None:
    """Tables that foreign keys point at must exist in the MetaData for the DDL to compile."""
    wanted: dict[tuple[str | None, str], list[str]] = {}
    for fk in model.foreign_keys:
        schema = fk.referred_schema
        if fk.referred_table == model.name and schema in (None, model.schema):
            schema = model.schema
        key = (schema, fk.referred_table)
        wanted.setdefault(key, [])
        wanted[key] += [c for c in fk.referred_columns if c not in wanted[key]]
    for (schema, table_name), columns in wanted.items():
        if table_name == skip:
            continue
        full = f"{schema}.{table_name}" if schema else table_name
        existing = metadata.tables.get(full)
        if existing is None:
            sa.Table(
                table_name,
                metadata,
                *[sa.Column(c, sa.types.NullType()) for c in columns],
                schema=schema,
            )
        else:
            for column in columns:
                if column not in existing.c:
                    existing.append_column(sa.Column(column, sa.types.NullType()))


def _plain_name(name: Any) -> str | None:
    return str(name) if isinstance(name, str) and name else None
