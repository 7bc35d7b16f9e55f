"""A mutable description of one table: what batch changes are applied to before a rebuild.

The existing table (reflected or given as ``copy_from``) becomes a :class:`TableModel`; each
batch operation edits it; the move-and-copy then renders the edited model as the new table and
copies every column that still has a ``source`` column in the old one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ClauseElement, TextClause

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.sqltext import references_identifier, rename_identifier, split_index_statement
from ddl_ops.ops.base import UNSET

IndexElement = str | ClauseElement


@dataclass
class ColumnDef:
    """One column of the new table, and the old column whose values fill it (``source``)."""

    name: str
    type: Any
    nullable: bool = True
    server_default: Any = None
    autoincrement: Any = "auto"
    comment: str | None = None
    computed: sa.Computed | None = None
    identity: sa.Identity | None = None
    dialect_kwargs: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    type_changed: bool = False
    # the type the column had before this batch changed it (None while unchanged)
    type_before: Any = None
    owned_sequence: str | None = None
    copy_expression: str | None = None
    fill_value: Any = None

    @classmethod
    def from_column(cls, column: sa.Column[Any], *, source: str | None) -> ColumnDef:
        server_default = column.server_default
        default_arg = None
        if isinstance(server_default, sa.DefaultClause):
            default_arg = server_default.arg
        return cls(
            name=column.name,
            type=column.type,
            nullable=bool(column.nullable) and not column.primary_key,
            server_default=default_arg,
            autoincrement=column.autoincrement,
            comment=column.comment,
            computed=_fresh_computed(column.computed),
            identity=column.identity._copy() if column.identity is not None else None,
            dialect_kwargs=dict(column.dialect_kwargs),
            source=source,
        )

    def to_column(self) -> sa.Column[Any]:
        """A fresh, unattached Column (generated and identity columns keep their definition)."""
        args: list[Any] = []
        if self.computed is not None:
            args.append(self.computed._copy())
        if self.identity is not None:
            args.append(self.identity._copy())
        default = self.server_default
        return sa.Column(
            self.name,
            self.type,
            *args,
            nullable=self.nullable,
            server_default=sa.DefaultClause(default) if default is not None else None,
            autoincrement=self.autoincrement,
            comment=self.comment,
            **self.dialect_kwargs,
        )

    @property
    def is_generated(self) -> bool:
        """Computed columns are never written by INSERT ... SELECT; the database fills them."""
        return self.computed is not None


@dataclass
class PrimaryKeySpec:
    name: str | None
    columns: list[str]
    dialect_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class UniqueSpec:
    name: str | None
    columns: list[str]
    dialect_kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class CheckSpec:
    name: str | None
    sqltext: str


@dataclass
class ForeignKeySpec:
    name: str | None
    columns: list[str]
    referred_table: str
    referred_columns: list[str]
    referred_schema: str | None = None
    ondelete: str | None = None
    onupdate: str | None = None
    deferrable: bool | None = None
    initially: str | None = None
    match: str | None = None


@dataclass
class IndexSpec:
    """An index: column names and/or SQL expressions, or (SQLite) its verbatim CREATE statement."""

    name: str | None
    elements: list[IndexElement]
    unique: bool = False
    dialect_kwargs: dict[str, Any] = field(default_factory=dict)
    raw_sql: str | None = None
    # MySQL/MariaDB: the foreign key this index was made for by the server; a rebuild leaves it
    # to the server again (the key brings it back only if no other index serves it)
    implicit_for: str | None = None

    def column_names(self) -> list[str]:
        return [element for element in self.elements if isinstance(element, str)]


def _sql_of(element: Any) -> str:
    if isinstance(element, TextClause):
        return element.text
    return str(element)


@dataclass
class TableModel:
    """The table as it will be after the batch; ``quote`` quotes identifiers for the dialect."""

    name: str
    schema: str | None
    columns: dict[str, ColumnDef]
    quote: Callable[[str], str]
    primary_key: PrimaryKeySpec | None = None
    uniques: list[UniqueSpec] = field(default_factory=list)
    checks: list[CheckSpec] = field(default_factory=list)
    foreign_keys: list[ForeignKeySpec] = field(default_factory=list)
    indexes: list[IndexSpec] = field(default_factory=list)
    comment: str | None = None
    table_kwargs: dict[str, Any] = field(default_factory=dict)
    sqlite_autoincrement: bool = False
    triggers: list[str] = field(default_factory=list)

    def copy(self) -> TableModel:
        """An independent copy to edit; quoting, types and user-given table args are shared."""
        shared: list[Any] = [self.quote]
        shared += [column.type for column in self.columns.values()]
        return copy.deepcopy(self, {id(item): item for item in shared})

    @property
    def display_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    # columns -------------------------------------------------------------------------------

    def column(self, name: str) -> ColumnDef:
        try:
            return self.columns[name]
        except KeyError:
            raise BatchError(
                f"table {self.display_name!r} has no column {name!r} "
                f"(its columns are: {', '.join(self.columns)})"
            ) from None

    def add_column(
        self,
        column: sa.Column[Any],
        *,
        insert_before: str | None = None,
        insert_after: str | None = None,
    ) -> None:
        """Add a new (empty) column, optionally placed before/after an existing one."""
        if column.name in self.columns:
            raise BatchError(f"table {self.display_name!r} already has a column {column.name!r}")
        if insert_before is not None and insert_after is not None:
            raise BatchError("give insert_before or insert_after, not both")
        new = ColumnDef.from_column(column, source=None)
        new.fill_value = new.server_default
        names = list(self.columns)
        if insert_before is not None:
            self.column(insert_before)
            position = names.index(insert_before)
        elif insert_after is not None:
            self.column(insert_after)
            position = names.index(insert_after) + 1
        else:
            position = len(names)
        items = list(self.columns.items())
        items.insert(position, (new.name, new))
        self.columns = dict(items)
        self._absorb_inline_schema_items(column)

    def _absorb_inline_schema_items(self, column: sa.Column[Any]) -> None:
        """Keep what a new Column carries inline: primary_key, unique, index, FKs, CHECKs."""
        if column.primary_key:
            if self.primary_key is None:
                self.primary_key = PrimaryKeySpec(None, [column.name])
            else:
                self.primary_key.columns.append(column.name)
        if column.unique:
            self.uniques.append(UniqueSpec(None, [column.name]))
        if column.index:
            self.indexes.append(IndexSpec(None, [column.name]))
        for fk in column.foreign_keys:
            schema, table, referred = _parse_fk_target(fk.target_fullname)
            self.foreign_keys.append(
                ForeignKeySpec(
                    name=fk.name if isinstance(fk.name, str) else None,
                    columns=[column.name],
                    referred_table=table,
                    referred_columns=[referred],
                    referred_schema=schema,
                    ondelete=fk.ondelete,
                    onupdate=fk.onupdate,
                    deferrable=fk.deferrable,
                    initially=fk.initially,
                    match=fk.match,
                )
            )
        for constraint in column.constraints:
            if isinstance(constraint, sa.CheckConstraint):
                name = constraint.name if isinstance(constraint.name, str) else None
                self.checks.append(CheckSpec(name, _sql_of(constraint.sqltext)))

    def move_column(
        self, name: str, *, before: str | None = None, after: str | None = None
    ) -> None:
        """Place an existing column before or after another one."""
        if (before is None) == (after is None):
            raise BatchError("give insert_before or insert_after, not both")
        column = self.column(name)
        anchor = before if before is not None else after
        assert anchor is not None
        self.column(anchor)
        items = [(k, v) for k, v in self.columns.items() if k != name]
        position = [k for k, _ in items].index(anchor) + (0 if before is not None else 1)
        items.insert(position, (name, column))
        self.columns = dict(items)

    def alter_column(
        self,
        name: str,
        *,
        nullable: bool | None = None,
        type_: Any = None,
        server_default: Any = UNSET,
        new_name: str | None = None,
        comment: Any = UNSET,
        autoincrement: bool | None = None,
    ) -> None:
        """Change a column in place; ``server_default=None``/``comment=None`` remove them."""
        column = self.column(name)
        if nullable is not None:
            column.nullable = nullable
        if type_ is not None:
            if not column.type_changed:
                column.type_before = column.type
            column.type = type_() if isinstance(type_, type) else type_
            column.type_changed = True
        if server_default is not UNSET:
            column.server_default = _default_arg(server_default)
        if comment is not UNSET:
            column.comment = comment
        if autoincrement is not None:
            column.autoincrement = autoincrement
        if new_name is not None and new_name != name:
            self._rename_column(name, new_name)

    def _rename_column(self, old: str, new: str) -> None:
        if new in self.columns:
            raise BatchError(f"table {self.display_name!r} already has a column {new!r}")
        self.columns = {(new if key == old else key): value for key, value in self.columns.items()}
        self.columns[new].name = new

        def swap(names: list[str]) -> list[str]:
            return [new if n == old else n for n in names]

        if self.primary_key is not None:
            self.primary_key.columns = swap(self.primary_key.columns)
        for unique in self.uniques:
            unique.columns = swap(unique.columns)
        for check in self.checks:
            check.sqltext = rename_identifier(check.sqltext, old, new, self.quote)
        for fk in self.foreign_keys:
            fk.columns = swap(fk.columns)
            if self._is_self_reference(fk):
                fk.referred_columns = swap(fk.referred_columns)
        for column in self.columns.values():
            if column.computed is not None:
                text = rename_identifier(_sql_of(column.computed.sqltext), old, new, self.quote)
                column.computed = sa.Computed(sa.text(text), persisted=column.computed.persisted)
        for index in self.indexes:
            self._rename_in_index(index, old, new)

    def _rename_in_index(self, index: IndexSpec, old: str, new: str) -> None:
        if index.raw_sql is not None:
            head, body = split_index_statement(index.raw_sql)
            index.raw_sql = head + rename_identifier(body, old, new, self.quote)
        renamed: list[IndexElement] = []
        for element in index.elements:
            if isinstance(element, str):
                renamed.append(new if element == old else element)
            else:
                renamed.append(sa.text(rename_identifier(_sql_of(element), old, new, self.quote)))
        index.elements = renamed
        for key, value in list(index.dialect_kwargs.items()):
            if key.endswith("_where") and value is not None:
                text = rename_identifier(_sql_of(value), old, new, self.quote)
                index.dialect_kwargs[key] = sa.text(text)

    def _is_self_reference(self, fk: ForeignKeySpec) -> bool:
        return fk.referred_table == self.name and fk.referred_schema in (None, self.schema)

    def drop_column(self, name: str) -> None:
        """Remove a column and, as PostgreSQL does, every index and constraint that uses it."""
        self.column(name)
        if len(self.columns) == 1:
            raise BatchError(f"cannot drop {name!r}, the only column of {self.display_name!r}")
        for column in self.columns.values():
            if column.computed is not None and references_identifier(
                _sql_of(column.computed.sqltext), name
            ):
                raise BatchError(
                    f"cannot drop column {name!r} of {self.display_name!r}: the generated "
                    f"column {column.name!r} is computed from it; drop or alter that one first"
                )
        del self.columns[name]
        if self.primary_key is not None and name in self.primary_key.columns:
            self.primary_key = None
        self.uniques = [u for u in self.uniques if name not in u.columns]
        self.checks = [c for c in self.checks if not references_identifier(c.sqltext, name)]
        self.foreign_keys = [
            fk
            for fk in self.foreign_keys
            if name not in fk.columns
            and not (self._is_self_reference(fk) and name in fk.referred_columns)
        ]
        self.indexes = [ix for ix in self.indexes if not index_uses_column(ix, name)]

    def reorder(self, partial_orderings: Iterable[Sequence[str]]) -> None:
        """Apply ``partial_reordering``: each tuple lists columns in the order they must appear."""
        names = list(self.columns)
        after: dict[str, set[str]] = {n: set() for n in names}
        for ordering in partial_orderings:
            for name in ordering:
                self.column(name)
            for earlier, later in zip(ordering, ordering[1:]):
                after[later].add(earlier)
        ordered: list[str] = []
        placed: set[str] = set()
        while len(ordered) < len(names):
            ready = [n for n in names if n not in placed and after[n] <= placed]
            if not ready:
                raise BatchError(
                    f"partial_reordering for {self.display_name!r} contradicts itself "
                    "(a column is asked to come both before and after another)"
                )
            ordered.append(ready[0])
            placed.add(ready[0])
        self.columns = {n: self.columns[n] for n in ordered}

    # constraints and indexes ----------------------------------------------------------------

    def add_primary_key(self, name: str | None, columns: Sequence[str]) -> None:
        for column in columns:
            self.column(column).nullable = False
        self.primary_key = PrimaryKeySpec(name, list(columns))

    def add_unique(self, name: str | None, columns: Sequence[str], **dialect_kw: Any) -> None:
        for column in columns:
            self.column(column)
        self.uniques.append(UniqueSpec(name, list(columns), dict(dialect_kw)))
        self._drop_server_index_covered_by(list(columns))

    def add_check(self, name: str | None, condition: Any) -> None:
        self.checks.append(CheckSpec(name, _sql_of(condition)))

    def add_foreign_key(self, spec: ForeignKeySpec) -> None:
        for column in spec.columns:
            self.column(column)
        self.foreign_keys.append(spec)

    def add_index(self, spec: IndexSpec) -> None:
        for name in spec.column_names():
            self.column(name)
        if spec.name is not None and any(ix.name == spec.name for ix in self.indexes):
            raise BatchError(f"table {self.display_name!r} already has an index {spec.name!r}")
        self.indexes.append(spec)
        leading = spec.elements[0] if spec.elements else None
        self._drop_server_index_covered_by([leading] if isinstance(leading, str) else [])

    def _drop_server_index_covered_by(self, columns: list[str]) -> None:
        """MySQL/MariaDB drop the index they made for a foreign key once another index leads
        with its column; a rebuild must not bring it back as an index of its own."""
        if not columns:
            return
        self.indexes = [
            ix
            for ix in self.indexes
            if ix.implicit_for is None or ix.column_names()[:1] != columns[:1]
        ]

    def drop_index(self, name: str) -> None:
        kept = [ix for ix in self.indexes if ix.name != name]
        if len(kept) == len(self.indexes):
            known = ", ".join(str(ix.name) for ix in self.indexes) or "none"
            raise BatchError(
                f"table {self.display_name!r} has no index {name!r} (its indexes: {known})"
            )
        self.indexes = kept

    def drop_constraint(self, name: str | None, type_: str | None = None) -> None:
        """Drop a named constraint; ``type_`` ("foreignkey", "unique", ...) narrows the search."""
        if name is None and type_ != "primary":
            raise BatchError(
                f"drop_constraint on table {self.display_name!r} needs the constraint's name "
                "(only the primary key can be dropped without one, with type_='primary'); "
                "write the name the database gave it in place of None, or give the models' "
                "MetaData a naming_convention so constraints get known names"
            )
        found = False
        pk = self.primary_key
        if (
            type_ in (None, "primary")
            and pk is not None
            and (pk.name == name or type_ == "primary")
        ):
            self.primary_key = None
            found = True
        if type_ in (None, "unique"):
            before = len(self.uniques)
            self.uniques = [u for u in self.uniques if u.name != name]
            found = found or len(self.uniques) != before
            if not found:
                # MySQL/MariaDB reflect a UNIQUE constraint as the unique index it is
                before = len(self.indexes)
                self.indexes = [i for i in self.indexes if not (i.unique and i.name == name)]
                found = len(self.indexes) != before
        if type_ in (None, "check"):
            before = len(self.checks)
            self.checks = [c for c in self.checks if c.name != name]
            found = found or len(self.checks) != before
        if type_ in (None, "foreignkey"):
            before = len(self.foreign_keys)
            self.foreign_keys = [fk for fk in self.foreign_keys if fk.name != name]
            found = found or len(self.foreign_keys) != before
            for index in self.indexes:
                if index.implicit_for is not None and index.implicit_for == name:
                    index.implicit_for = None  # as DROP FOREIGN KEY does, the index stays
        if not found:
            raise BatchError(
                f"table {self.display_name!r} has no {type_ or ''} constraint named {name!r} "
                f"(known names: {', '.join(self.constraint_names()) or 'none'}); an unnamed "
                "constraint can be dropped once it has a name: pass naming_convention= to "
                "batch_alter_table"
            )

    def constraint_names(self) -> list[str]:
        names: list[str | None] = []
        if self.primary_key is not None:
            names.append(self.primary_key.name)
        names += [u.name for u in self.uniques]
        names += [c.name for c in self.checks]
        names += [fk.name for fk in self.foreign_keys]
        return [n for n in names if n]


def _fresh_computed(computed: sa.Computed | None) -> sa.Computed | None:
    """An unattached copy, so the model never holds on to a reflected Table."""
    if computed is None:
        return None
    return sa.Computed(sa.text(_sql_of(computed.sqltext)), persisted=computed.persisted)


def index_uses_column(index: IndexSpec, column: str) -> bool:
    if index.raw_sql is not None:
        return references_identifier(split_index_statement(index.raw_sql)[1], column)
    if column in index.column_names():
        return True
    for element in index.elements:
        if not isinstance(element, str) and references_identifier(_sql_of(element), column):
            return True
    return any(
        key.endswith("_where")
        and value is not None
        and references_identifier(_sql_of(value), column)
        for key, value in index.dialect_kwargs.items()
    )


def _default_arg(value: Any) -> Any:
    """Normalise a server_default argument the way Column(server_default=...) accepts it."""
    if value is None or value is False:
        return None
    if isinstance(value, sa.DefaultClause):
        return value.arg
    return value


def _parse_fk_target(target: str) -> tuple[str | None, str, str]:
    parts = target.split(".")
    if len(parts) == 2:
        return None, parts[0], parts[1]
    return ".".join(parts[:-2]), parts[-2], parts[-1]
