"""Seeded random sequences of schema operations, valid on the database they are made for.

Each case is a list of `Step`s whose code is plain migration-script Python (``op.add_column(
sa.Column(...))``), so the same text runs through Alembic's ``Operations`` and ours, and a
failure prints a reproduction a person can paste into a migration. The generator keeps a model
of the schema as the steps leave it and only emits what the database accepts: a column that
exists, an index that can be dropped, a constraint on a column of the right type, no
nullability/type change a foreign key forbids, and so on.

A step that touches a documented difference from Alembic carries that difference's tag and
the code to give Alembic instead (see ``KNOWN_DIFFERENCES`` in test_ddl_ops_parity.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

# kind -> (type code, server default values, kinds it can change to on every database)
KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "int": ("sa.Integer()", ("0", "7"), ("bigint", "num")),
    "bigint": ("sa.BigInteger()", ("0", "42"), ("int",)),
    "str20": ("sa.String(20)", ("abc", "it's"), ("str40",)),
    "str40": ("sa.String(40)", ("xyz",), ("str20",)),
    "num": ("sa.Numeric(10, 2)", ("1.50",), ()),
    "bool": ("sa.Boolean()", (), ()),
    "date": ("sa.Date()", (), ()),
}
INTEGER_KINDS = ("int", "bigint")
ACTIONS = (None, "CASCADE", "SET NULL", "RESTRICT", "NO ACTION")

# tags of steps that meet a documented difference from Alembic
MYSQL_HINTS = "mysql-modify-without-existing"
PG_BATCH_SERIAL = "postgresql-batch-serial-sequence"
COLUMN_SEQUENCE = "column-sequence-created"
BATCH_SPLIT = "batch-block-as-separate-changes"
BATCH_REBUILD_AS_ALTER = "batch-rebuild-keeps-what-the-table-had"
SQLITE_ROWID_KEY = "sqlite-integer-key-stays-rowid"


@dataclass
class Column:
    name: str
    kind: str
    nullable: bool = True
    default: str | None = None
    comment: str | None = None
    primary_key: bool = False
    sequence: str | None = None

    @property
    def type_code(self) -> str:
        return KINDS[self.kind][0]


@dataclass
class ForeignKey:
    name: str
    column: str
    referred_table: str
    ondelete: str | None
    onupdate: str | None


@dataclass
class Index:
    name: str
    columns: list[str]
    unique: bool
    where: str | None = None


@dataclass
class Table:
    name: str
    columns: dict[str, Column]
    pk_name: str | None = None
    serial_sequence: str | None = None
    uniques: dict[str, list[str]] = field(default_factory=dict)
    checks: dict[str, tuple[str, str]] = field(default_factory=dict)
    foreign_keys: dict[str, ForeignKey] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    comment: str | None = None
    # columns a database keeps an index on by itself (MariaDB, for a foreign key)
    implicitly_indexed: set[str] = field(default_factory=set)
    # MariaDB: indexes InnoDB made for a foreign key (name -> column); they outlive the key
    server_indexes: dict[str, str] = field(default_factory=dict)

    def note_foreign_key(self, fk: ForeignKey) -> None:
        """InnoDB indexes a key's column under the key's name unless an index leads with it."""
        self.implicitly_indexed.add(fk.column)
        leading = {ix.columns[0] for ix in self.indexes.values()}
        leading |= {cols[0] for cols in self.uniques.values()}
        leading |= set(self.server_indexes.values())
        if fk.column not in leading:
            self.server_indexes[fk.name] = fk.column

    def orphaned_server_index_columns(self) -> set[str]:
        """Columns with a server-made index whose key is gone: a new index leading with one
        makes MariaDB drop that index, which a rebuild (reading it as a plain index) keeps."""
        return {c for n, c in self.server_indexes.items() if n not in self.foreign_keys}

    def copy(self) -> Table:
        return replace(
            self,
            columns={k: replace(v) for k, v in self.columns.items()},
            uniques={k: list(v) for k, v in self.uniques.items()},
            checks=dict(self.checks),
            foreign_keys={k: replace(v) for k, v in self.foreign_keys.items()},
            indexes={k: replace(v, columns=list(v.columns)) for k, v in self.indexes.items()},
            implicitly_indexed=set(self.implicitly_indexed),
            server_indexes=dict(self.server_indexes),
        )

    def used_columns(self) -> set[str]:
        """Columns some key, index or constraint uses: not dropped, renamed or retyped."""
        used = {c.name for c in self.columns.values() if c.primary_key}
        used |= {c for cols in self.uniques.values() for c in cols}
        used |= {col for col, _ in self.checks.values()}
        used |= {fk.column for fk in self.foreign_keys.values()}
        used |= {c for ix in self.indexes.values() for c in ix.columns}
        return used | self.implicitly_indexed


@dataclass
class Step:
    """One operation (or one batch block) as migration-script code."""

    code: str
    tags: frozenset[str] = frozenset()
    alembic_code: str | None = None  # what Alembic runs instead, for a tagged step
    offline_code: str | None = None  # ours in --sql mode, when it needs copy_from


@dataclass
class Case:
    seed: int
    database: str
    steps: list[Step]

    def code(self, which: str = "ours") -> str:
        """The whole case as a migration's body: "ours", "alembic" or "offline"."""
        parts = []
        for step in self.steps:
            text = step.code
            if which == "alembic" and step.alembic_code is not None:
                text = step.alembic_code
            elif which == "offline" and step.offline_code is not None:
                text = step.offline_code
            parts.append(text)
        return "\n".join(parts)


def lit(value: Any) -> str:
    return repr(value)


class Generator:
    """Builds one case; `database` is "sqlite", "postgresql" or "mariadb"."""

    def __init__(self, seed: int, database: str):
        self.rng = random.Random(f"ddl-ops/{database}/{seed}")
        self.database = database
        self.tables: dict[str, Table] = {}
        self.counter = 0
        # foreign keys made in the batch block being written (see drop_constraint)
        self.block_foreign_keys: set[str] = set()

    # -- helpers -------------------------------------------------------------------------

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    @property
    def sqlite(self) -> bool:
        return self.database == "sqlite"

    @property
    def mariadb(self) -> bool:
        return self.database == "mariadb"

    @property
    def postgresql(self) -> bool:
        return self.database == "postgresql"

    def incoming(self, table: str) -> list[tuple[str, ForeignKey]]:
        return [
            (t.name, fk)
            for t in self.tables.values()
            for fk in t.foreign_keys.values()
            if fk.referred_table == table and t.name != table
        ]

    def referenceable(self) -> list[Table]:
        """Tables with a single Integer primary key named id, which foreign keys may target."""
        return [t for t in self.tables.values() if t.columns["id"].kind == "int"]

    # -- rendering -----------------------------------------------------------------------

    def column_code(self, col: Column, fk: ForeignKey | None = None) -> str:
        args = [lit(col.name), col.type_code]
        if col.sequence:
            args.append(f"sa.Sequence({lit(col.sequence)})")
        if fk is not None:
            args.append(self.fk_element(fk))
        if col.primary_key:
            args.append("primary_key=True")
        else:
            args.append(f"nullable={col.nullable}")
        if col.default is not None:
            args.append(f"server_default={lit(col.default)}")
        if col.comment is not None:
            args.append(f"comment={lit(col.comment)}")
        return f"sa.Column({', '.join(args)})"

    def fk_element(self, fk: ForeignKey) -> str:
        kw = self.action_kw(fk)
        return f"sa.ForeignKey({lit(fk.referred_table + '.id')}, name={lit(fk.name)}{kw})"

    @staticmethod
    def action_kw(fk: ForeignKey) -> str:
        kw = ""
        if fk.ondelete:
            kw += f", ondelete={lit(fk.ondelete)}"
        if fk.onupdate:
            kw += f", onupdate={lit(fk.onupdate)}"
        return kw

    def index_kw(self, ix: Index) -> str:
        if ix.where is None:
            return ""
        return f", {self.database}_where=sa.text({lit(ix.where)})"

    def table_code(self, table: Table) -> str:
        """The table as a `sa.Table(...)`, for copy_from: as the database holds it now."""
        items = []
        for col in table.columns.values():
            code = self.column_code(replace(col, sequence=None))
            renamed_serial = table.serial_sequence not in (None, f"{table.name}_id_seq")
            if col.primary_key and renamed_serial and self.postgresql:
                default = f"nextval('{table.serial_sequence}'::regclass)"
                code = code[:-1] + f", server_default=sa.text({lit(default)}))"
            items.append(code)
        if table.pk_name:
            items.append(f"sa.PrimaryKeyConstraint('id', name={lit(table.pk_name)})")
        items += [
            f"sa.UniqueConstraint({', '.join(map(lit, cols))}, name={lit(name)})"
            for name, cols in table.uniques.items()
        ]
        items += [
            f"sa.CheckConstraint({lit(text)}, name={lit(name)})"
            for name, (_, text) in table.checks.items()
        ]
        items += [
            f"sa.ForeignKeyConstraint([{lit(fk.column)}], [{lit(fk.referred_table + '.id')}], "
            f"name={lit(fk.name)}{self.action_kw(fk)})"
            for fk in table.foreign_keys.values()
        ]
        items += [
            f"sa.Index({lit(ix.name)}, {', '.join(map(lit, ix.columns))}, "
            f"unique={ix.unique}{self.index_kw(ix)})"
            for ix in table.indexes.values()
        ]
        items += [
            f"sa.Index({lit(name)}, {lit(column)})" for name, column in table.server_indexes.items()
        ]
        comment = f", comment={lit(table.comment)}" if table.comment else ""
        return f"sa.Table({lit(table.name)}, sa.MetaData(), {', '.join(items)}{comment})"

    # -- the case ------------------------------------------------------------------------

    def case(self, seed: int) -> Case:
        steps: list[Step] = []
        for _ in range(self.rng.randint(2, 3)):
            steps.append(self.create_table())
        for _ in range(self.rng.randint(3, 9)):
            step = self.random_step()
            if step is not None:
                steps.append(step)
        return Case(seed=seed, database=self.database, steps=steps)

    def random_step(self) -> Step | None:
        choices: list[tuple[float, Any]] = [
            (1.0, self.create_table),
            (0.4, self.drop_table),
            (0.6, self.rename_table),
            (2.0, self.add_column),
            (1.2, self.drop_column),
            (2.0, self.create_index),
            (1.0, self.drop_index),
            (3.0, self.batch),
        ]
        if not self.sqlite:
            choices += [
                (3.0, self.alter_column),
                (1.0, self.create_unique),
                (1.0, self.create_check),
                (1.5, self.create_foreign_key),
                (1.5, self.drop_constraint),
                (0.6, self.table_comment),
            ]
        else:
            choices += [(1.0, self.rename_column_in_place)]
        for _ in range(10):
            weights = [w for w, _ in choices]
            make = self.rng.choices([f for _, f in choices], weights)[0]
            step = make()
            if step is not None:
                return step
        return None

    # -- tables --------------------------------------------------------------------------

    def new_column(self, name: str, allow_not_null: bool = True) -> Column:
        kind = self.rng.choice(list(KINDS))
        col = Column(name, kind)
        defaults = KINDS[kind][1]
        if defaults and self.chance(0.4):
            col.default = self.rng.choice(defaults)
        if allow_not_null and self.chance(0.3):
            col.nullable = False
        if self.chance(0.25):
            col.comment = self.rng.choice(["a note", "it's 100%", "x"])
        return col

    def create_table(self) -> Step:
        name = self.fresh("t")
        id_kind = "int" if self.chance(0.8) else "bigint"
        table = Table(name, {"id": Column("id", id_kind, nullable=False, primary_key=True)})
        for _ in range(self.rng.randint(1, 3)):
            col = self.new_column(self.fresh("c"))
            table.columns[col.name] = col
        extras: list[str] = []
        tags: set[str] = set()
        seq_col: Column | None = None
        if not self.sqlite and self.chance(0.1):
            seq_col = Column(self.fresh("c"), "int", sequence=self.fresh("seq"))
            table.columns[seq_col.name] = seq_col
            tags.add(COLUMN_SEQUENCE)
        if self.postgresql:
            table.pk_name = f"{name}_pkey"
            table.serial_sequence = f"{name}_id_seq"
        fk: ForeignKey | None = None
        targets = self.referenceable()
        fk_col: Column | None = None
        if targets and self.chance(0.5):
            target = self.rng.choice(targets)
            fk_col = Column(self.fresh("c"), "int")
            fk = self.make_fk(fk_col, target.name)
            table.columns[fk_col.name] = fk_col
            table.foreign_keys[fk.name] = fk
            if self.mariadb:
                table.note_foreign_key(fk)
        plain = [c for c in table.columns.values() if not c.primary_key and c is not fk_col]
        if plain and self.chance(0.3):
            col = self.rng.choice(plain)
            uq = self.fresh("uq")
            table.uniques[uq] = [col.name]
            extras.append(f"sa.UniqueConstraint({lit(col.name)}, name={lit(uq)})")
        check = self.check_for(table)
        if check is not None and self.chance(0.3):
            ck, col_name, text = check
            table.checks[ck] = (col_name, text)
            extras.append(f"sa.CheckConstraint({lit(text)}, name={lit(ck)})")
        if plain and self.chance(0.3):
            ix = self.make_index(table)
            if ix is not None:
                table.indexes[ix.name] = ix
                extras.append(
                    f"sa.Index({lit(ix.name)}, {', '.join(map(lit, ix.columns))}, "
                    f"unique={ix.unique}{self.index_kw(ix)})"
                )
        if self.chance(0.3):
            table.comment = self.rng.choice(["table note", "who's who"])
        columns = [self.column_code(c, fk if c is fk_col else None) for c in table.columns.values()]
        comment = f", comment={lit(table.comment)}" if table.comment else ""
        body = ",\n    ".join([lit(name), *columns, *extras])
        code = f"op.create_table(\n    {body}{comment}\n)"
        self.tables[name] = table
        step = Step(code, frozenset(tags))
        if seq_col is not None:
            step.alembic_code = (
                f"op.execute(sa.schema.CreateSequence(sa.Sequence({lit(seq_col.sequence)})))\n"
                + code
            )
        return step

    def make_fk(self, col: Column, target: str) -> ForeignKey:
        ondelete = self.rng.choice(ACTIONS)
        onupdate = self.rng.choice(ACTIONS)
        if not col.nullable and "SET NULL" in (ondelete, onupdate):
            ondelete = onupdate = "CASCADE"
        return ForeignKey(self.fresh("fk"), col.name, target, ondelete, onupdate)

    def check_for(self, table: Table) -> tuple[str, str, str] | None:
        fk_cols = {fk.column for fk in table.foreign_keys.values()}
        candidates = [
            c
            for c in table.columns.values()
            if not c.primary_key
            and c.kind in ("int", "bigint", "str20", "str40", "num")
            # MariaDB refuses a CHECK on a column a foreign key may change (error 1901)
            and not (self.mariadb and c.name in fk_cols)
        ]
        if not candidates:
            return None
        col = self.rng.choice(candidates)
        text = f"{col.name} >= 0" if col.kind in INTEGER_KINDS + ("num",) else f"{col.name} <> ''"
        return self.fresh("ck"), col.name, text

    def make_index(self, table: Table) -> Index | None:
        plain = [c.name for c in table.columns.values() if not c.primary_key]
        if not plain:
            return None
        count = 2 if len(plain) > 1 and self.chance(0.3) else 1
        columns = self.rng.sample(plain, count)
        if not self.leads_new_index(table, columns[0]):
            return None
        where = None
        if not self.mariadb and self.chance(0.3):
            where = f"{columns[0]} IS NOT NULL"
        return Index(self.fresh("ix"), columns, self.chance(0.3), where)

    def leads_new_index(self, table: Table, column: str) -> bool:
        """Whether an index may lead with ``column``; MariaDB then drops its own index for a
        foreign key on it (see Table.orphaned_server_index_columns)."""
        if column in table.orphaned_server_index_columns():
            return False
        table.server_indexes = {n: c for n, c in table.server_indexes.items() if c != column}
        return True

    def drop_table(self) -> Step | None:
        candidates = [t for t in self.tables if not self.incoming(t)]
        if len(self.tables) < 2 or not candidates:
            return None
        name = self.rng.choice(candidates)
        del self.tables[name]
        return Step(f"op.drop_table({lit(name)})")

    def rename_table(self) -> Step | None:
        if not self.tables:
            return None
        old = self.rng.choice(list(self.tables))
        new = self.fresh("t")
        table = self.tables.pop(old)
        table.name = new
        self.tables[new] = table
        for other in self.tables.values():
            for fk in other.foreign_keys.values():
                if fk.referred_table == old:
                    fk.referred_table = new
        return Step(f"op.rename_table({lit(old)}, {lit(new)})")

    def table_comment(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        if table.comment and self.chance(0.5):
            table.comment = None
            return Step(f"op.drop_table_comment({lit(table.name)})")
        table.comment = self.rng.choice(["new note", "it's a table"])
        return Step(f"op.create_table_comment({lit(table.name)}, {lit(table.comment)})")

    # -- columns -------------------------------------------------------------------------

    def add_column(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        col = self.new_column(self.fresh("c"))
        if not col.nullable and col.default is None:
            col.nullable = True
        fk = None
        targets = self.referenceable()
        if not self.sqlite and targets and self.chance(0.2):
            col = Column(col.name, "int")
            fk = self.make_fk(col, self.rng.choice(targets).name)
            table.foreign_keys[fk.name] = fk
            if self.mariadb:
                table.note_foreign_key(fk)
        tags: set[str] = set()
        if not self.sqlite and fk is None and self.chance(0.08):
            col.sequence = self.fresh("seq")
            col.default = None
            tags.add(COLUMN_SEQUENCE)
        table.columns[col.name] = col
        code = f"op.add_column({lit(table.name)}, {self.column_code(col, fk)})"
        step = Step(code, frozenset(tags))
        if col.sequence:
            step.alembic_code = (
                f"op.execute(sa.schema.CreateSequence(sa.Sequence({lit(col.sequence)})))\n" + code
            )
        return step

    def droppable_columns(self, table: Table) -> list[str]:
        used = table.used_columns()
        incoming = {fk.column for _, fk in self.incoming(table.name)}
        return [
            c
            for c in table.columns
            if c not in used and c not in incoming and not table.columns[c].sequence
        ]

    def drop_column(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        candidates = self.droppable_columns(table)
        if len(table.columns) < 3 or not candidates:
            return None
        name = self.rng.choice(candidates)
        del table.columns[name]
        return Step(f"op.drop_column({lit(table.name)}, {lit(name)})")

    def rename_column_in_place(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        candidates = self.droppable_columns(table)
        if not candidates:
            return None
        old = self.rng.choice(candidates)
        new = self.fresh("c")
        col = table.columns[old]
        col.name = new
        table.columns = {(new if k == old else k): v for k, v in table.columns.items()}
        return Step(f"op.alter_column({lit(table.name)}, {lit(old)}, new_column_name={lit(new)})")

    def alter_column(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        return self.alter_column_on(table, "op", batch=False)

    def alter_column_on(self, table: Table, target: str, batch: bool) -> Step | None:
        """alter_column of one column, on `op` or inside a batch (`batch_op`)."""
        candidates = [c for c in table.columns.values() if not c.primary_key and not c.sequence]
        if not candidates:
            return None
        col = self.rng.choice(candidates)
        before = replace(col)
        used = table.used_columns() | {fk.column for _, fk in self.incoming(table.name)}
        kw: list[str] = []
        fk_cols = {fk.column: fk for fk in table.foreign_keys.values()}
        set_null_fk = col.name in fk_cols and "SET NULL" in (
            fk_cols[col.name].ondelete,
            fk_cols[col.name].onupdate,
        )
        if self.chance(0.4) and not (col.nullable and set_null_fk):
            col.nullable = not col.nullable
            kw.append(f"nullable={col.nullable}")
        if col.name not in used and KINDS[col.kind][2] and self.chance(0.35):
            new_kind = self.rng.choice(KINDS[col.kind][2])
            col.kind = new_kind
            if col.default is not None and col.default not in KINDS[new_kind][1]:
                col.default = None
                kw.append("server_default=None")
            kw.append(f"type_={col.type_code}")
        if self.chance(0.35) and KINDS[col.kind][1] and not any("server_default" in k for k in kw):
            if col.default is not None and self.chance(0.4):
                col.default = None
            else:
                col.default = self.rng.choice(KINDS[col.kind][1])
            kw.append(f"server_default={lit(col.default)}")
        if not self.sqlite and self.chance(0.25):
            col.comment = None if col.comment and self.chance(0.5) else "changed note"
            kw.append(f"comment={lit(col.comment)}")
        renamed = None
        if col.name not in used and self.chance(0.25):
            renamed = self.fresh("c")
            kw.append(f"new_column_name={lit(renamed)}")
        if not kw:
            return None
        hints = self.existing_hints(before)
        tags: set[str] = set()
        given = hints
        if self.mariadb and self.chance(0.3):
            # the documented difference: we read what the caller left out from the database
            given = [h for h in hints if self.chance(0.4)]
            if len(given) < len(hints):
                tags.add(MYSQL_HINTS)
        elif (
            not self.mariadb and self.chance(0.5) or batch and not self.mariadb and self.chance(0.5)
        ):
            given = []
        if renamed is not None:
            table.columns = {(renamed if k == col.name else k): v for k, v in table.columns.items()}
            col.name = renamed
        args = ", ".join([lit(before.name), *kw, *given])
        prefix = "" if batch else f"{lit(table.name)}, "
        code = f"{target}.alter_column({prefix}{args})"
        step = Step(code, frozenset(tags))
        if tags:
            full = ", ".join([lit(before.name), *kw, *hints])
            step.alembic_code = f"{target}.alter_column({prefix}{full})"
            # offline there is no live column to read the hints from: the caller gives them
            step.offline_code = step.alembic_code
        return step

    def existing_hints(self, col: Column) -> list[str]:
        hints = [f"existing_type={col.type_code}", f"existing_nullable={col.nullable}"]
        if col.default is not None:
            hints.append(f"existing_server_default={lit(col.default)}")
        if col.comment is not None:
            hints.append(f"existing_comment={lit(col.comment)}")
        return hints

    # -- indexes and constraints ---------------------------------------------------------

    def create_index(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        ix = self.make_index(table)
        if ix is None:
            return None
        table.indexes[ix.name] = ix
        cols = ", ".join(map(lit, ix.columns))
        return Step(
            f"op.create_index({lit(ix.name)}, {lit(table.name)}, [{cols}], "
            f"unique={ix.unique}{self.index_kw(ix)})"
        )

    def droppable_indexes(self, table: Table) -> list[str]:
        fk_cols = {fk.column for fk in table.foreign_keys.values()}
        return [
            name
            for name, ix in table.indexes.items()
            if not (self.mariadb and ix.columns[0] in fk_cols)
        ]

    def drop_index(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        candidates = self.droppable_indexes(table)
        if not candidates:
            return None
        name = self.rng.choice(candidates)
        del table.indexes[name]
        return Step(f"op.drop_index({lit(name)}, table_name={lit(table.name)})")

    def create_unique(self, target: str = "op", table: Table | None = None) -> Step | None:
        table = table or self.rng.choice(list(self.tables.values()))
        plain = [c.name for c in table.columns.values() if not c.primary_key]
        if not plain:
            return None
        cols = self.rng.sample(plain, 2 if len(plain) > 1 and self.chance(0.3) else 1)
        if sorted(cols) in [sorted(c) for c in table.uniques.values()]:
            return None  # a second identical UNIQUE: SQLite reflection shows only one
        if not self.leads_new_index(table, cols[0]):
            return None
        name = self.fresh("uq")
        table.uniques[name] = cols
        prefix = "" if target != "op" else f"{lit(table.name)}, "
        return Step(
            f"{target}.create_unique_constraint({lit(name)}, {prefix}[{', '.join(map(lit, cols))}])"
        )

    def create_check(self, target: str = "op", table: Table | None = None) -> Step | None:
        table = table or self.rng.choice(list(self.tables.values()))
        check = self.check_for(table)
        if check is None:
            return None
        name, col, text = check
        table.checks[name] = (col, text)
        prefix = "" if target != "op" else f"{lit(table.name)}, "
        return Step(f"{target}.create_check_constraint({lit(name)}, {prefix}{lit(text)})")

    def create_foreign_key(self, target: str = "op", table: Table | None = None) -> Step | None:
        table = table or self.rng.choice(list(self.tables.values()))
        targets = self.referenceable()
        fk_cols = {fk.column for fk in table.foreign_keys.values()}
        check_cols = {col for col, _ in table.checks.values()} if self.mariadb else set()
        candidates = [
            c
            for c in table.columns.values()
            if c.kind == "int"
            and not c.primary_key
            and c.name not in fk_cols
            and c.name not in check_cols
        ]
        if not targets or not candidates:
            return None
        col = self.rng.choice(candidates)
        fk = self.make_fk(col, self.rng.choice(targets).name)
        table.foreign_keys[fk.name] = fk
        if self.mariadb:
            table.note_foreign_key(fk)
        if target != "op":
            self.block_foreign_keys.add(fk.name)
        kw = self.action_kw(fk)
        prefix = "" if target != "op" else f"{lit(table.name)}, "
        return Step(
            f"{target}.create_foreign_key({lit(fk.name)}, {prefix}{lit(fk.referred_table)}, "
            f"[{lit(col.name)}], ['id']{kw})"
        )

    def drop_constraint(self, target: str = "op", table: Table | None = None) -> Step | None:
        table = table or self.rng.choice(list(self.tables.values()))
        options: list[tuple[str, str]] = [(n, "unique") for n in table.uniques]
        options += [(n, "check") for n in table.checks]
        options += [
            (n, "foreignkey")
            for n in table.foreign_keys
            # MariaDB leaves an index behind a key dropped by ALTER; a key added and dropped
            # within one rebuild never existed, so the two forms differ by that index
            if not (self.mariadb and target != "op" and n in self.block_foreign_keys)
        ]
        if self.mariadb:
            fk_cols = {fk.column for fk in table.foreign_keys.values()}
            # MariaDB will not drop the only index a foreign key can use
            options = [
                (n, kind)
                for n, kind in options
                if not (kind == "unique" and table.uniques[n][0] in fk_cols)
            ]
        if not options:
            return None
        name, kind = self.rng.choice(options)
        if kind == "unique":
            del table.uniques[name]
        elif kind == "check":
            del table.checks[name]
        else:
            del table.foreign_keys[name]
        prefix = "" if target != "op" else f"{lit(table.name)}, "
        return Step(f"{target}.drop_constraint({lit(name)}, {prefix}type_={lit(kind)})")

    # -- batch ---------------------------------------------------------------------------

    def batch(self) -> Step | None:
        table = self.rng.choice(list(self.tables.values()))
        before = table.copy()
        recreate = "auto"
        if not self.sqlite and self.chance(0.6):
            recreate = "always"
        rebuilds = self.sqlite or recreate == "always"
        self.block_foreign_keys = set()
        subs: list[Step] = []
        for _ in range(self.rng.randint(1, 4)):
            sub = self.batch_step(table, rebuilds)
            if sub is not None:
                subs.append(sub)
        if not subs:
            return None
        tags = {tag for sub in subs for tag in sub.tags}
        lines = [sub.code for sub in subs]
        opts = f", recreate={lit(recreate)}" if recreate != "auto" else ""
        head = f"with op.batch_alter_table({lit(table.name)}{opts}) as batch_op:\n"
        body = "\n".join("    " + line for line in lines)
        step = Step(head + body, frozenset(tags))
        alembic_lines = [sub.alembic_code or sub.code for sub in subs]
        alembic_head = head
        if recreate == "always":
            # Alembic's rebuild here loses the table comment, renames the serial sequence and
            # fails on foreign keys to or from the table; its ALTER form is the reference
            step.tags |= {BATCH_REBUILD_AS_ALTER}
            if self.postgresql and before.serial_sequence:
                step.tags |= {PG_BATCH_SERIAL}
            alembic_head = f"with op.batch_alter_table({lit(table.name)}) as batch_op:\n"
        if len(subs) > 1:
            # Alembic misplaces added columns and loses indexes and constraints on columns
            # renamed earlier in the same block; one block per change is its reliable form
            step.tags |= {BATCH_SPLIT}
            step.alembic_code = "\n".join(alembic_head + "    " + line for line in alembic_lines)
        elif subs[0].alembic_code is not None or alembic_head != head:
            step.alembic_code = alembic_head + "    " + alembic_lines[0]
        # offline there is no live column to read the existing_* hints from: give them
        offline_body = "\n".join("    " + line for line in alembic_lines)
        step.offline_code = head + offline_body
        if rebuilds:
            copy_from = self.table_code(before)
            step.offline_code = (
                f"with op.batch_alter_table({lit(table.name)}{opts}, copy_from={copy_from}) "
                f"as batch_op:\n{offline_body}"
            )
        return step

    def batch_step(self, table: Table, rebuilds: bool) -> Step | None:
        """One change inside a batch block; a rebuild can also change keys and constraints."""
        choices: list[Any] = [
            self.batch_add_column,
            self.batch_drop_column,
            lambda t: self.alter_column_on(t, "batch_op", batch=True),
            lambda t: self.alter_column_on(t, "batch_op", batch=True),
            self.batch_create_index,
            self.batch_drop_index,
        ]
        if rebuilds or not self.sqlite:
            choices += [
                lambda t: self.create_unique("batch_op", t),
                lambda t: self.create_check("batch_op", t),
                lambda t: self.create_foreign_key("batch_op", t),
                lambda t: self.drop_constraint("batch_op", t),
            ]
        if self.sqlite:
            choices.append(self.batch_widen_primary_key)
        return self.rng.choice(choices)(table)

    def batch_add_column(self, table: Table) -> Step | None:
        col = self.new_column(self.fresh("c"))
        if not col.nullable and col.default is None and not self.sqlite:
            col.nullable = True
        if not col.nullable and col.default is None:
            col.default = None
            col.nullable = True
        table.columns[col.name] = col
        return Step(f"batch_op.add_column({self.column_code(col)})")

    def batch_drop_column(self, table: Table) -> Step | None:
        candidates = self.droppable_columns(table)
        if len(table.columns) < 3 or not candidates:
            return None
        name = self.rng.choice(candidates)
        del table.columns[name]
        return Step(f"batch_op.drop_column({lit(name)})")

    def batch_create_index(self, table: Table) -> Step | None:
        ix = self.make_index(table)
        if ix is None:
            return None
        table.indexes[ix.name] = ix
        cols = ", ".join(map(lit, ix.columns))
        return Step(
            f"batch_op.create_index({lit(ix.name)}, [{cols}], "
            f"unique={ix.unique}{self.index_kw(ix)})"
        )

    def batch_drop_index(self, table: Table) -> Step | None:
        candidates = self.droppable_indexes(table)
        if not candidates:
            return None
        name = self.rng.choice(candidates)
        del table.indexes[name]
        return Step(f"batch_op.drop_index({lit(name)})")

    def batch_widen_primary_key(self, table: Table) -> Step | None:
        """INTEGER -> BIGINT of the key: on SQLite only INTEGER PRIMARY KEY is the rowid."""
        pk = table.columns["id"]
        if pk.kind != "int" or self.incoming(table.name):
            return None
        # the database keeps INTEGER (the rowid); only that spelling is a rowid alias
        return Step(
            "batch_op.alter_column('id', type_=sa.BigInteger(), existing_type=sa.Integer())",
            frozenset({SQLITE_ROWID_KEY}),
            alembic_code="batch_op.alter_column('id', type_=sa.BigInteger()"
            ".with_variant(sa.Integer(), 'sqlite'), existing_type=sa.Integer())",
        )


def generate_case(seed: int, database: str) -> Case:
    """The case for ``seed`` on ``database``: the same seed always gives the same steps."""
    return Generator(seed, database).case(seed)
