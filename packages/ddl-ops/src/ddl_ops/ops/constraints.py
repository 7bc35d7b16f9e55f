"""Constraint operations: primary key, unique, foreign key, check, exclude; drop by type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ddl_ops.errors import MissingInformation
from ddl_ops.ops.base import MigrateOperation
from ddl_ops.ops.stubs import rebind_to

CONSTRAINT_TYPES = ("foreignkey", "unique", "check", "primary")


def _stand_in_table(
    name: str, columns: Sequence[str], schema: str | None, metadata: sa.MetaData | None
) -> sa.Table:
    """A Table with just the named columns, to hang a constraint on for compiling."""
    metadata = metadata if metadata is not None else sa.MetaData()
    cols = [sa.Column(c, sa.types.NullType()) for c in dict.fromkeys(columns)]
    return sa.Table(name, metadata, *cols, schema=schema)


class AddConstraintOp(MigrateOperation):
    """Base of the Create*Op constraint operations: each builds its sa.Constraint."""

    constraint_name: str | None
    constraint_type: str = ""
    table_name: str
    schema: str | None

    def to_constraint(self, metadata: sa.MetaData | None = None) -> sa.Constraint:
        raise NotImplementedError

    def reverse(self) -> DropConstraintOp:
        return DropConstraintOp.from_constraint(self.to_constraint())


class CreatePrimaryKeyOp(AddConstraintOp):
    """ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY."""

    constraint_type = "primary"

    def __init__(
        self,
        constraint_name: str | None,
        table_name: str,
        columns: Sequence[str],
        *,
        schema: str | None = None,
        **dialect_kw: Any,
    ):
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.dialect_kw = dialect_kw

    @classmethod
    def from_constraint(cls, constraint: sa.PrimaryKeyConstraint) -> CreatePrimaryKeyOp:
        table = _table_of(constraint)
        return cls(
            _name(constraint),
            table.name,
            [c.name for c in constraint.columns],
            schema=table.schema,
            **constraint.dialect_kwargs,
        )

    def to_constraint(self, metadata: sa.MetaData | None = None) -> sa.PrimaryKeyConstraint:
        table = _stand_in_table(self.table_name, self.columns, self.schema, metadata)
        pk = sa.PrimaryKeyConstraint(*self.columns, name=self.constraint_name, **self.dialect_kw)
        table.append_constraint(pk)
        return pk


class CreateUniqueConstraintOp(AddConstraintOp):
    """ALTER TABLE ... ADD CONSTRAINT ... UNIQUE; `deferrable`/`initially` as dialect_kw."""

    constraint_type = "unique"

    def __init__(
        self,
        constraint_name: str | None,
        table_name: str,
        columns: Sequence[str],
        *,
        schema: str | None = None,
        **dialect_kw: Any,
    ):
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.columns = list(columns)
        self.schema = schema
        self.dialect_kw = dialect_kw

    @classmethod
    def from_constraint(cls, constraint: sa.UniqueConstraint) -> CreateUniqueConstraintOp:
        table = _table_of(constraint)
        kw: dict[str, Any] = dict(constraint.dialect_kwargs)
        if constraint.deferrable is not None:
            kw["deferrable"] = constraint.deferrable
        if constraint.initially is not None:
            kw["initially"] = constraint.initially
        return cls(
            _name(constraint),
            table.name,
            [c.name for c in constraint.columns],
            schema=table.schema,
            **kw,
        )

    def to_constraint(self, metadata: sa.MetaData | None = None) -> sa.UniqueConstraint:
        table = _stand_in_table(self.table_name, self.columns, self.schema, metadata)
        uq = sa.UniqueConstraint(*self.columns, name=self.constraint_name, **self.dialect_kw)
        table.append_constraint(uq)
        return uq


class CreateForeignKeyOp(AddConstraintOp):
    """ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... REFERENCES, across schemas too."""

    constraint_type = "foreignkey"

    def __init__(
        self,
        constraint_name: str | None,
        source_table: str,
        referent_table: str,
        local_cols: Sequence[str],
        remote_cols: Sequence[str],
        *,
        source_schema: str | None = None,
        referent_schema: str | None = None,
        onupdate: str | None = None,
        ondelete: str | None = None,
        deferrable: bool | None = None,
        initially: str | None = None,
        match: str | None = None,
        **dialect_kw: Any,
    ):
        self.constraint_name = constraint_name
        self.table_name = source_table
        self.schema = source_schema
        self.referent_table = referent_table
        self.local_cols = list(local_cols)
        self.remote_cols = list(remote_cols)
        self.referent_schema = referent_schema
        self.onupdate = onupdate
        self.ondelete = ondelete
        self.deferrable = deferrable
        self.initially = initially
        self.match = match
        self.dialect_kw = dialect_kw

    @property
    def source_table(self) -> str:
        return self.table_name

    @property
    def source_schema(self) -> str | None:
        return self.schema

    @classmethod
    def from_constraint(cls, constraint: sa.ForeignKeyConstraint) -> CreateForeignKeyOp:
        table = _table_of(constraint)
        first = constraint.elements[0]
        ref_schema, ref_table = _split_target(first.target_fullname)
        return cls(
            _name(constraint),
            table.name,
            ref_table,
            [c.name for c in constraint.columns],
            [e.target_fullname.split(".")[-1] for e in constraint.elements],
            source_schema=table.schema,
            referent_schema=ref_schema,
            onupdate=constraint.onupdate,
            ondelete=constraint.ondelete,
            deferrable=constraint.deferrable,
            initially=constraint.initially,
            match=constraint.match,
            **constraint.dialect_kwargs,
        )

    def to_constraint(self, metadata: sa.MetaData | None = None) -> sa.ForeignKeyConstraint:
        metadata = metadata if metadata is not None else sa.MetaData()
        source = _stand_in_table(self.table_name, self.local_cols, self.schema, metadata)
        same_table = (self.referent_table, self.referent_schema) == (self.table_name, self.schema)
        if not same_table:
            _stand_in_table(self.referent_table, self.remote_cols, self.referent_schema, metadata)
        else:
            for name in self.remote_cols:
                if name not in source.c:
                    source.append_column(sa.Column(name, sa.types.NullType()))
        prefix = f"{self.referent_schema}." if self.referent_schema else ""
        refcols = [f"{prefix}{self.referent_table}.{c}" for c in self.remote_cols]
        fk = sa.ForeignKeyConstraint(
            self.local_cols,
            refcols,
            name=self.constraint_name,
            onupdate=self.onupdate,
            ondelete=self.ondelete,
            deferrable=self.deferrable,
            initially=self.initially,
            match=self.match,
            **self.dialect_kw,
        )
        source.append_constraint(fk)
        return fk


class CreateCheckConstraintOp(AddConstraintOp):
    """ALTER TABLE ... ADD CONSTRAINT ... CHECK (condition)."""

    constraint_type = "check"

    def __init__(
        self,
        constraint_name: str | None,
        table_name: str,
        condition: str | sa.ColumnElement[Any] | sa.TextClause,
        *,
        schema: str | None = None,
        **dialect_kw: Any,
    ):
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.condition = condition
        self.schema = schema
        self.dialect_kw = dialect_kw

    @classmethod
    def from_constraint(cls, constraint: sa.CheckConstraint) -> CreateCheckConstraintOp:
        table = _table_of(constraint)
        return cls(
            _name(constraint),
            table.name,
            constraint.sqltext,
            schema=table.schema,
            **constraint.dialect_kwargs,
        )

    def to_constraint(self, metadata: sa.MetaData | None = None) -> sa.CheckConstraint:
        table = _stand_in_table(self.table_name, [], self.schema, metadata)
        if isinstance(self.condition, str):
            condition = sa.text(self.condition)
        else:
            condition = rebind_to(table, self.condition)
        ck = sa.CheckConstraint(condition, name=self.constraint_name, **self.dialect_kw)
        table.append_constraint(ck)
        return ck


class CreateExcludeConstraintOp(AddConstraintOp):
    """PostgreSQL EXCLUDE USING ... (elements as (expression or column name, operator) pairs)."""

    constraint_type = "exclude"

    def __init__(
        self,
        constraint_name: str | None,
        table_name: str,
        elements: Sequence[tuple[Any, str]],
        *,
        schema: str | None = None,
        where: Any = None,
        using: str = "gist",
        deferrable: bool | None = None,
        initially: str | None = None,
        **dialect_kw: Any,
    ):
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.elements = list(elements)
        self.schema = schema
        self.where = where
        self.using = using
        self.deferrable = deferrable
        self.initially = initially
        self.dialect_kw = dialect_kw

    @classmethod
    def from_constraint(cls, constraint: sa.Constraint) -> CreateExcludeConstraintOp:
        table = _table_of(constraint)
        elements = [
            (name if name is not None else expr, operator)
            for expr, name, operator in constraint._render_exprs  # type: ignore[attr-defined]
        ]
        return cls(
            _name(constraint),
            table.name,
            elements,
            schema=table.schema,
            where=constraint.where,  # type: ignore[attr-defined]
            using=constraint.using,  # type: ignore[attr-defined]
            deferrable=constraint.deferrable,
            initially=constraint.initially,
        )

    def to_constraint(self, metadata: sa.MetaData | None = None) -> sa.Constraint:
        from sqlalchemy.dialects.postgresql import ExcludeConstraint

        names = [e for e, _ in self.elements if isinstance(e, str)]
        table = _stand_in_table(self.table_name, names, self.schema, metadata)
        where = sa.text(self.where) if isinstance(self.where, str) else self.where
        exclude = ExcludeConstraint(
            *[(table.c[e] if isinstance(e, str) else e, o) for e, o in self.elements],
            name=self.constraint_name,
            using=self.using,
            where=where,
            deferrable=self.deferrable,
            initially=self.initially,
            **self.dialect_kw,
        )
        table.append_constraint(exclude)
        return exclude


class DropConstraintOp(MigrateOperation):
    """ALTER TABLE ... DROP CONSTRAINT; `type_` matters on MySQL (FOREIGN KEY, INDEX, CHECK)."""

    def __init__(
        self,
        constraint_name: str,
        table_name: str,
        type_: str | None = None,
        *,
        schema: str | None = None,
        existing_constraint: sa.Constraint | None = None,
        if_exists: bool = False,
    ):
        if type_ is not None and type_ not in (*CONSTRAINT_TYPES, "exclude"):
            raise ValueError(
                f"unknown constraint type {type_!r} for constraint {constraint_name!r} on "
                f"{table_name!r}; use one of {', '.join(CONSTRAINT_TYPES)} or None"
            )
        self.constraint_name = constraint_name
        self.table_name = table_name
        self.constraint_type = type_
        self.schema = schema
        self.existing_constraint = existing_constraint
        self.if_exists = if_exists

    @property
    def type_(self) -> str | None:
        return self.constraint_type

    @classmethod
    def from_constraint(cls, constraint: sa.Constraint) -> DropConstraintOp:
        table = _table_of(constraint)
        return cls(
            _name(constraint),
            table.name,
            constraint_type_of(constraint),
            schema=table.schema,
            existing_constraint=constraint,
        )

    def to_constraint(self, metadata: sa.MetaData | None = None) -> sa.Constraint:
        if self.existing_constraint is not None:
            return self.existing_constraint
        table = _stand_in_table(self.table_name, [], self.schema, metadata)
        kind = {
            "foreignkey": sa.ForeignKeyConstraint,
            "unique": sa.UniqueConstraint,
            "primary": sa.PrimaryKeyConstraint,
        }.get(self.constraint_type or "")
        constraint: sa.Constraint
        if kind is sa.ForeignKeyConstraint:
            constraint = sa.ForeignKeyConstraint([], [], name=self.constraint_name)
        elif kind is not None:
            constraint = kind(name=self.constraint_name)
        elif self.constraint_type == "check":
            constraint = sa.CheckConstraint("", name=self.constraint_name)
        else:
            constraint = sa.Constraint(name=self.constraint_name)
        table.append_constraint(constraint)
        return constraint

    def reverse(self) -> AddConstraintOp:
        if self.existing_constraint is None:
            raise MissingInformation(
                f"cannot reverse dropping constraint {self.constraint_name} on "
                f"{self.table_name}: the operation was made without existing_constraint"
            )
        return constraint_op_for(self.existing_constraint)


def constraint_type_of(constraint: sa.Constraint) -> str | None:
    if isinstance(constraint, sa.ForeignKeyConstraint):
        return "foreignkey"
    if isinstance(constraint, sa.UniqueConstraint):
        return "unique"
    if isinstance(constraint, sa.PrimaryKeyConstraint):
        return "primary"
    if isinstance(constraint, sa.CheckConstraint):
        return "check"
    if type(constraint).__name__ == "ExcludeConstraint":
        return "exclude"
    return None


def constraint_op_for(constraint: sa.Constraint) -> AddConstraintOp:
    """The Create*Op that creates this constraint."""
    if isinstance(constraint, sa.ForeignKeyConstraint):
        return CreateForeignKeyOp.from_constraint(constraint)
    if isinstance(constraint, sa.UniqueConstraint):
        return CreateUniqueConstraintOp.from_constraint(constraint)
    if isinstance(constraint, sa.PrimaryKeyConstraint):
        return CreatePrimaryKeyOp.from_constraint(constraint)
    if isinstance(constraint, sa.CheckConstraint):
        return CreateCheckConstraintOp.from_constraint(constraint)
    if type(constraint).__name__ == "ExcludeConstraint":
        return CreateExcludeConstraintOp.from_constraint(constraint)
    raise MissingInformation(f"no operation creates a {type(constraint).__name__}")


def _table_of(constraint: sa.Constraint) -> sa.Table:
    table = getattr(constraint, "table", None)
    if not isinstance(table, sa.Table):
        raise MissingInformation(
            f"constraint {constraint.name!r} is not attached to a table; attach it first"
        )
    return table


def _name(constraint: sa.Constraint) -> Any:
    name = constraint.name
    return None if name is None or type(name).__name__ == "_NoneName" else name


def _split_target(fullname: str) -> tuple[str | None, str]:
    parts = fullname.split(".")
    table = parts[-2]
    schema = ".".join(parts[:-2]) or None
    return schema, table
