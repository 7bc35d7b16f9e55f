"""Seeded random (old, new) model pairs for the autogenerate parity suite.

A pair is two `ModelSpec` values: plain data that builds a `MetaData` and
prints itself as Python, so a failing seed shows both models as code. The new
model is the old one after a few random changes of the kinds users make weekly
(tables and columns added or dropped, types widened, nullability, defaults,
comments, primary keys, foreign keys with ON DELETE, unique and CHECK
constraints, indexes). Renames are never generated: autogenerate cannot tell a
rename from a drop and an add, and neither tool claims to.

Every model is valid on SQLite, PostgreSQL and MariaDB alike: indexed columns
are never TEXT, a foreign key's column has its target's type, and a column a
constraint or index uses is not dropped without it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
TABLE_NAMES = ["account", "item", "tag", "note", "order_line"]
COLUMN_NAMES = ["qty", "code", "label", "price", "done", "seen", "day", "body", "rank"]

# type key -> Python source building it; a retype stays within one family, as a real
# migration would (PostgreSQL refuses e.g. VARCHAR -> INTEGER without USING)
TYPES: dict[str, str] = {
    "int": "sa.Integer()",
    "bigint": "sa.BigInteger()",
    "smallint": "sa.SmallInteger()",
    "str20": "sa.String(20)",
    "str40": "sa.String(40)",
    "text": "sa.Text()",
    "num10": "sa.Numeric(10, 2)",
    "num12": "sa.Numeric(12, 3)",
    "bool": "sa.Boolean()",
    "datetime": "sa.DateTime()",
    "date": "sa.Date()",
}
FAMILIES = [
    ["smallint", "int", "bigint"],
    ["str20", "str40", "text"],
    ["num10", "num12"],
    ["bool"],
    ["datetime"],
    ["date"],
]
# type key -> server defaults it may take (Python source)
DEFAULTS: dict[str, list[str]] = {
    "int": ["'0'", "'7'"],
    "bigint": ["'0'", "'7'"],
    "smallint": ["'0'", "'7'"],
    "str20": ["'a'", "'b c'"],
    "str40": ["'a'", "'b c'"],
    "text": [],  # MariaDB before 10.2 refuses TEXT defaults; keep the model portable
    "num10": ["'0'", "'1.50'"],
    "num12": ["'0'", "'1.500'"],
    "bool": ["sa.false()", "sa.true()"],
    "datetime": ["sa.func.now()", "sa.text('CURRENT_TIMESTAMP')"],
    "date": ["'2020-01-01'"],
}
# CHECK conditions by type key; {c} is the column name
CHECKS: dict[str, list[str]] = {
    "int": ["{c} >= 0", "{c} IS NULL OR {c} <> 13", "{c} BETWEEN 0 AND 100"],
    "bigint": ["{c} >= 0", "{c} IS NULL OR {c} <> 13"],
    "smallint": ["{c} >= 0", "{c} < 1000"],
    "str20": ["length({c}) > 0", "{c} IN ('a', 'b, c', 'd')", "{c} <> ''"],
    "str40": ["length({c}) > 0", "{c} <> 'x(y)'", "{c} <> 'CHECK (x)'"],
    "num10": ["{c} >= 0", "{c} < 1000.5"],
    "num12": ["{c} >= 0"],
}
INDEXABLE = {"int", "bigint", "smallint", "str20", "str40", "num10", "num12", "date", "datetime"}
ON_DELETE = [None, "CASCADE", "SET NULL", "RESTRICT"]


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type_key: str
    nullable: bool = True
    default: str | None = None  # Python source of the server default
    comment: str | None = None


@dataclass(frozen=True)
class ForeignKeySpec:
    column: str
    target: str  # a table whose primary key is its "id" alone
    ondelete: str | None = None


@dataclass(frozen=True)
class IndexSpec:
    columns: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    id_type: str = "int"
    columns: tuple[ColumnSpec, ...] = ()
    pk_extra: str | None = None  # a second primary key column beside "id"
    fks: tuple[ForeignKeySpec, ...] = ()
    uniques: tuple[tuple[str, ...], ...] = ()
    checks: tuple[tuple[str, str], ...] = ()  # (name, condition)
    indexes: tuple[IndexSpec, ...] = ()
    comment: str | None = None

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    def used_columns(self) -> set[str]:
        """Columns some constraint or index needs: they are not dropped or retyped freely."""
        used = {fk.column for fk in self.fks} | {c for u in self.uniques for c in u}
        used |= {c for i in self.indexes for c in i.columns}
        used |= {c for name, cond in self.checks for c in COLUMN_NAMES if cond_uses(cond, c)}
        if self.pk_extra:
            used.add(self.pk_extra)
        return used


def cond_uses(condition: str, column: str) -> bool:
    return any(tok == column for tok in condition.replace("(", " ").replace(")", " ").split())


@dataclass(frozen=True)
class ModelSpec:
    tables: tuple[TableSpec, ...] = ()

    def table(self, name: str) -> TableSpec:
        return next(t for t in self.tables if t.name == name)

    def names(self) -> list[str]:
        return [t.name for t in self.tables]

    def build(self) -> sa.MetaData:
        """The models as SQLAlchemy objects (evaluated from `to_code`, so both agree)."""
        namespace: dict[str, Any] = {"sa": sa}
        exec(compile(self.to_code(), "<model>", "exec"), namespace)
        metadata: sa.MetaData = namespace["metadata"]
        return metadata

    def to_code(self) -> str:
        lines = [f"metadata = sa.MetaData(naming_convention={NAMING!r})"]
        for t in self.tables:
            lines.append(f"sa.Table({t.name!r}, metadata,")
            id_args = [repr("id"), TYPES[t.id_type], "primary_key=True"]
            if t.pk_extra:
                id_args.append("autoincrement=False")
            lines.append(f"    sa.Column({', '.join(id_args)}),")
            for c in t.columns:
                args = [repr(c.name), TYPES[c.type_key]]
                fk = next((f for f in t.fks if f.column == c.name), None)
                if fk is not None:
                    ondelete = f", ondelete={fk.ondelete!r}" if fk.ondelete else ""
                    args.append(f"sa.ForeignKey({(fk.target + '.id')!r}{ondelete})")
                if c.name == t.pk_extra:
                    args.append("primary_key=True")
                args.append(f"nullable={c.nullable and c.name != t.pk_extra}")
                if c.default is not None:
                    args.append(f"server_default={c.default}")
                if c.comment is not None:
                    args.append(f"comment={c.comment!r}")
                lines.append(f"    sa.Column({', '.join(args)}),")
            for cols in t.uniques:
                lines.append(f"    sa.UniqueConstraint({', '.join(map(repr, cols))}),")
            for name, cond in t.checks:
                lines.append(f"    sa.CheckConstraint({cond!r}, name={name!r}),")
            for ix in t.indexes:
                ix_name = f"ix_{t.name}_{'_'.join(ix.columns)}"
                unique = ", unique=True" if ix.unique else ""
                cols = ", ".join(map(repr, ix.columns))
                lines.append(f"    sa.Index({ix_name!r}, {cols}{unique}),")
            if t.comment is not None:
                lines.append(f"    comment={t.comment!r},")
            lines.append(")")
        return "\n".join(lines) + "\n"


@dataclass
class ModelPair:
    seed: int
    old: ModelSpec
    new: ModelSpec
    changes: list[str] = field(default_factory=list)  # the kinds of change made, in order

    def describe(self) -> str:
        return (
            f"seed {self.seed}; changes: {', '.join(self.changes) or 'none'}\n"
            f"# old model\n{self.old.to_code()}# new model\n{self.new.to_code()}"
        )


def model_pair(seed: int) -> ModelPair:
    """The (old, new) pair for ``seed``: the same on every machine and Python version."""
    rng = random.Random(seed)
    old = random_model(rng)
    new = old
    changes: list[str] = []
    wanted, attempts = rng.randint(1, 5), 0
    while len(changes) < wanted and attempts < 20:  # a change may not apply to this model
        attempts += 1
        kind = rng.choice(CHANGES)
        changed = MUTATIONS[kind](rng, new)
        if changed is not None and changed != new and same_families(old, changed):
            new = changed
            changes.append(kind)
    return ModelPair(seed, old, new, changes)


def same_families(old: ModelSpec, new: ModelSpec) -> bool:
    """No column of the old models comes back in another type family.

    A column dropped and added again under its name reads as a retype (say DATETIME ->
    SMALLINT) that no database converts; neither tool can, so no pair asks it.
    """
    family = {key: n for n, keys in enumerate(FAMILIES) for key in keys}
    old_tables = {t.name: t for t in old.tables}
    for table in new.tables:
        before = old_tables.get(table.name)
        if before is None:
            continue
        old_types = {c.name: c.type_key for c in before.columns}
        for column in table.columns:
            was = old_types.get(column.name)
            if was is not None and family[was] != family[column.type_key]:
                return False
    return True


def random_model(rng: random.Random) -> ModelSpec:
    names = rng.sample(TABLE_NAMES, rng.randint(1, 4))
    model = ModelSpec()
    for name in names:
        model = replace(model, tables=(*model.tables, random_table(rng, name, model)))
    return model


def random_table(rng: random.Random, name: str, model: ModelSpec) -> TableSpec:
    table = TableSpec(
        name=name,
        id_type=rng.choice(["int", "int", "bigint"]),
        comment=rng.choice([None, None, "a table"]),
    )
    for col_name in rng.sample(COLUMN_NAMES, rng.randint(0, 4)):
        table = replace(table, columns=(*table.columns, random_column(rng, col_name)))
    for _ in range(rng.randint(0, 2)):
        kind = rng.choice(["unique", "check", "index", "fk", "fk"])
        grown = GROWTH[kind](rng, table, model)
        if grown is not None:
            table = grown
    return table


def random_column(rng: random.Random, name: str) -> ColumnSpec:
    type_key = rng.choice(list(TYPES))
    defaults = DEFAULTS[type_key]
    return ColumnSpec(
        name=name,
        type_key=type_key,
        nullable=rng.random() < 0.7,
        default=rng.choice(defaults) if defaults and rng.random() < 0.4 else None,
        comment=rng.choice([None, None, "a note"]),
    )


# --- growing one table (used when building a model and when changing one) ---


def _free_indexable(table: TableSpec, taken: set[str]) -> list[str]:
    return [c.name for c in table.columns if c.type_key in INDEXABLE and c.name not in taken]


def add_unique(rng: random.Random, table: TableSpec, model: ModelSpec) -> TableSpec | None:
    taken = {u[0] for u in table.uniques} | {c for u in table.uniques for c in u}
    free = _free_indexable(table, taken)
    if not free:
        return None
    cols = tuple(rng.sample(free, min(len(free), rng.randint(1, 2))))
    return replace(table, uniques=(*table.uniques, cols))


def add_check(rng: random.Random, table: TableSpec, model: ModelSpec) -> TableSpec | None:
    # MariaDB refuses a CHECK on a column whose foreign key acts ON DELETE (error 1901)
    keyed = {f.column for f in table.fks}
    choices = [c for c in table.columns if c.type_key in CHECKS and c.name not in keyed]
    if not choices:
        return None
    column = rng.choice(choices)
    name = f"{column.name}_ok"
    if any(n == name for n, _ in table.checks):
        return None
    condition = rng.choice(CHECKS[column.type_key]).format(c=column.name)
    return replace(table, checks=(*table.checks, (name, condition)))


def add_index(rng: random.Random, table: TableSpec, model: ModelSpec) -> TableSpec | None:
    taken = {i.columns[0] for i in table.indexes}
    free = _free_indexable(table, taken)
    if not free:
        return None
    first = rng.choice(free)
    rest = _free_indexable(table, {first})
    cols = (first,) + ((rng.choice(rest),) if rest and rng.random() < 0.3 else ())
    return replace(table, indexes=(*table.indexes, IndexSpec(cols, unique=rng.random() < 0.3)))


def add_fk(rng: random.Random, table: TableSpec, model: ModelSpec) -> TableSpec | None:
    targets = [t for t in model.tables if t.pk_extra is None and t.name != table.name]
    if table.pk_extra is None:
        targets.append(table)  # a self reference
    if not targets:
        return None
    target = rng.choice(targets)
    col_name = f"{target.name}_id" if target.name != table.name else "parent_id"
    if any(c.name == col_name for c in table.columns):
        return None
    ondelete = rng.choice(ON_DELETE)
    column = ColumnSpec(col_name, target.id_type, nullable=True)
    return replace(
        table,
        columns=(*table.columns, column),
        fks=(*table.fks, ForeignKeySpec(col_name, target.name, ondelete)),
    )


GROWTH = {"unique": add_unique, "check": add_check, "index": add_index, "fk": add_fk}


# --- changing a model ---


def _with_table(model: ModelSpec, table: TableSpec) -> ModelSpec:
    return replace(model, tables=tuple(table if t.name == table.name else t for t in model.tables))


def _pick(rng: random.Random, model: ModelSpec) -> TableSpec | None:
    return rng.choice(model.tables) if model.tables else None


def m_add_table(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    free = [n for n in TABLE_NAMES if n not in model.names()]
    if not free:
        return None
    table = random_table(rng, rng.choice(free), model)
    return replace(model, tables=(*model.tables, table))


def m_drop_table(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    table = _pick(rng, model)
    if table is None:
        return None
    kept = []
    for t in model.tables:
        if t.name == table.name:
            continue
        # the referencing column stays; only its foreign key goes with the table
        kept.append(replace(t, fks=tuple(f for f in t.fks if f.target != table.name)))
    return ModelSpec(tuple(kept))


def m_add_column(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    table = _pick(rng, model)
    free = [n for n in COLUMN_NAMES if table and n not in {c.name for c in table.columns}]
    if table is None or not free:
        return None
    return _with_table(
        model, replace(table, columns=(*table.columns, random_column(rng, rng.choice(free))))
    )


def m_drop_column(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    table = _pick(rng, model)
    if table is None:
        return None
    free = [c for c in table.columns if c.name not in table.used_columns()]
    if not free:
        return None
    gone = rng.choice(free).name
    return _with_table(
        model, replace(table, columns=tuple(c for c in table.columns if c.name != gone))
    )


def _change_column(rng: random.Random, model: ModelSpec, how: Any) -> ModelSpec | None:
    table = _pick(rng, model)
    if table is None or not table.columns:
        return None
    column = rng.choice(table.columns)
    changed = how(rng, table, column)
    if changed is None:
        return None
    columns = tuple(changed if c.name == column.name else c for c in table.columns)
    return _with_table(model, replace(table, columns=columns))


def _retype(rng: random.Random, table: TableSpec, column: ColumnSpec) -> ColumnSpec | None:
    if column.name in table.used_columns() or column.name.endswith("_id"):
        return None
    family = next(f for f in FAMILIES if column.type_key in f)
    others = [k for k in family if k != column.type_key]
    if not others:
        return None
    type_key = rng.choice(others)
    default = column.default if column.default in DEFAULTS[type_key] else None
    return replace(column, type_key=type_key, default=default)


def _nullability(rng: random.Random, table: TableSpec, column: ColumnSpec) -> ColumnSpec | None:
    if column.name == table.pk_extra:
        return None
    if column.nullable and any(
        f.column == column.name and f.ondelete == "SET NULL" for f in table.fks
    ):
        return None  # SET NULL needs a nullable column
    return replace(column, nullable=not column.nullable)


def _default(rng: random.Random, table: TableSpec, column: ColumnSpec) -> ColumnSpec | None:
    options = [d for d in [None, *DEFAULTS[column.type_key]] if d != column.default]
    if not options or column.name.endswith("_id"):
        return None
    return replace(column, default=rng.choice(options))


def _comment(rng: random.Random, table: TableSpec, column: ColumnSpec) -> ColumnSpec | None:
    options = [d for d in [None, "a note", "another note"] if d != column.comment]
    return replace(column, comment=rng.choice(options))


def m_retype(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    return _change_column(rng, model, _retype)


def m_nullable(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    return _change_column(rng, model, _nullability)


def m_default(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    return _change_column(rng, model, _default)


def m_comment(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    return _change_column(rng, model, _comment)


def m_table_comment(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    table = _pick(rng, model)
    if table is None:
        return None
    options = [d for d in [None, "a table", "another table"] if d != table.comment]
    return _with_table(model, replace(table, comment=rng.choice(options)))


def _grow(kind: str) -> Any:
    def mutate(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
        table = _pick(rng, model)
        grown = GROWTH[kind](rng, table, model) if table else None
        return _with_table(model, grown) if grown is not None else None

    return mutate


def _shrink(attr: str) -> Any:
    def mutate(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
        table = _pick(rng, model)
        items = getattr(table, attr) if table else ()
        if table is None or not items:
            return None
        gone = rng.choice(items)
        return _with_table(model, replace(table, **{attr: tuple(i for i in items if i != gone)}))

    return mutate


def m_index_unique(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    table = _pick(rng, model)
    if table is None or not table.indexes:
        return None
    ix = rng.choice(table.indexes)
    flipped = replace(ix, unique=not ix.unique)
    return _with_table(
        model, replace(table, indexes=tuple(flipped if i == ix else i for i in table.indexes))
    )


def m_ondelete(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    table = _pick(rng, model)
    if table is None or not table.fks:
        return None
    fk = rng.choice(table.fks)
    options = [o for o in ON_DELETE if o != fk.ondelete]
    if not table.column(fk.column).nullable:
        options = [o for o in options if o != "SET NULL"]
    changed = replace(fk, ondelete=rng.choice(options))
    return _with_table(
        model, replace(table, fks=tuple(changed if f == fk else f for f in table.fks))
    )


def m_primary_key(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    """Add or remove a second primary key column (never on a table others reference)."""
    table = _pick(rng, model)
    if table is None:
        return None
    referenced = any(f.target == table.name for t in model.tables for f in t.fks)
    if referenced or any(f.target == table.name for f in table.fks):
        return None
    if table.pk_extra is not None:
        return _with_table(model, replace(table, pk_extra=None))
    candidates = [
        c.name
        for c in table.columns
        if c.type_key in ("int", "bigint", "str20") and c.name not in table.used_columns()
    ]
    if not candidates:
        return None
    return _with_table(model, replace(table, pk_extra=rng.choice(candidates)))


def m_id_type(rng: random.Random, model: ModelSpec) -> ModelSpec | None:
    """Widen or narrow a primary key, and the foreign keys pointing at it with it."""
    table = _pick(rng, model)
    if table is None:
        return None
    new_type = "bigint" if table.id_type == "int" else "int"
    tables = []
    for t in model.tables:
        refs = {f.column for f in t.fks if f.target == table.name}
        columns = tuple(replace(c, type_key=new_type) if c.name in refs else c for c in t.columns)
        t = replace(t, columns=columns)
        if t.name == table.name:
            t = replace(t, id_type=new_type)
        tables.append(t)
    return ModelSpec(tuple(tables))


MUTATIONS = {
    "add_table": m_add_table,
    "drop_table": m_drop_table,
    "add_column": m_add_column,
    "drop_column": m_drop_column,
    "retype_column": m_retype,
    "nullability": m_nullable,
    "server_default": m_default,
    "column_comment": m_comment,
    "table_comment": m_table_comment,
    "add_unique": _grow("unique"),
    "drop_unique": _shrink("uniques"),
    "add_check": _grow("check"),
    "drop_check": _shrink("checks"),
    "add_index": _grow("index"),
    "drop_index": _shrink("indexes"),
    "index_unique": m_index_unique,
    "add_foreign_key": _grow("fk"),
    "drop_foreign_key": _shrink("fks"),
    "fk_ondelete": m_ondelete,
    "primary_key": m_primary_key,
    "primary_key_type": m_id_type,
}
CHANGES = list(MUTATIONS)
