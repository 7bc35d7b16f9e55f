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
from dataclasses import replace
from typing import Any

from parity.ddl_op_batch import BatchBlocks
from parity.ddl_op_model import (
    ACTIONS,
    BATCH_REBUILD_AS_ALTER,
    BATCH_SPLIT,
    COLUMN_SEQUENCE,
    INTEGER_KINDS,
    KINDS,
    MYSQL_HINTS,
    PG_BATCH_SERIAL,
    SQLITE_ROWID_KEY,
    Case,
    Column,
    ForeignKey,
    Index,
    Step,
    Table,
    lit,
)

__all__ = [
    "BATCH_REBUILD_AS_ALTER",
    "BATCH_SPLIT",
    "COLUMN_SEQUENCE",
    "MYSQL_HINTS",
    "PG_BATCH_SERIAL",
    "SQLITE_ROWID_KEY",
    "Case",
    "Generator",
    "generate_case",
]


class Generator(BatchBlocks):
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
        # MariaDB swaps its orphaned index on the column for one named after the new key
        check_cols |= table.orphaned_server_index_columns()
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


def generate_case(seed: int, database: str) -> Case:
    """The case for ``seed`` on ``database``: the same seed always gives the same steps."""
    return Generator(seed, database).case(seed)
