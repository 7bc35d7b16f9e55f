"""The live schema as reflected: plain data every layer may read."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

TableKey = tuple["str | None", str]


@dataclass
class ReflectedDatabase:
    """The live schema: reflected tables by (schema, name), PostgreSQL enums, unreadable indexes."""

    metadata: sa.MetaData
    tables: dict[TableKey, sa.Table] = field(default_factory=dict)
    enums: dict[TableKey, list[str]] = field(default_factory=dict)
    # index names the dialect cannot reflect (SQLite expression indexes), per table
    opaque_indexes: dict[TableKey, set[str]] = field(default_factory=dict)
