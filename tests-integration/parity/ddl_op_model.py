"""The schema model and case format of the ddl-ops parity generator (ddl_op_sequences.py).

A `Table` is what the generator believes the database holds after the steps so far; a `Step`
is one operation as migration-script code, with the variants Alembic and the offline run get.
"""

from __future__ import annotations

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
