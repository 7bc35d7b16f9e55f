"""Table comments (column comments are part of the column comparison)."""

from __future__ import annotations

from collections.abc import Iterator

from ddl_ops import CreateTableCommentOp, DropTableCommentOp, MigrateOperation
from migrate_autogen.compare_run import CompareRun
from migrate_autogen.pairs import TablePair
from migrate_autogen.registry import comparators


@comparators.register("table", priority=60)
def compare_table_comment(ctx: CompareRun, pair: TablePair) -> Iterator[MigrateOperation]:
    if not ctx.dialect.supports_comments:
        return
    wanted, existing = pair.meta.comment or None, pair.conn.comment or None
    if wanted == existing:
        return
    if wanted is None:
        yield DropTableCommentOp(pair.name, schema=pair.schema, existing_comment=existing)
    else:
        yield CreateTableCommentOp(pair.name, wanted, schema=pair.schema, existing_comment=existing)
