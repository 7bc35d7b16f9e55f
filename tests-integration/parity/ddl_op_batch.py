"""Batch blocks for the ddl-ops parity generator: ``with op.batch_alter_table(...)``.

A mixin of `Generator` (ddl_op_sequences.py), kept apart because a block is the one step that
has its own Alembic and offline variants: one block per change for Alembic, ``copy_from``
offline.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from parity.ddl_op_model import (
    BATCH_REBUILD_AS_ALTER,
    BATCH_SPLIT,
    PG_BATCH_SERIAL,
    SQLITE_ROWID_KEY,
    Step,
    Table,
    lit,
)


class BatchBlocks:
    """The batch part of the generator; the rest of `Generator` supplies the helpers."""

    rng: Any
    sqlite: bool
    mariadb: bool
    postgresql: bool
    block_foreign_keys: set[str]
    column_code: Any
    action_kw: Any
    index_kw: Any

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
