"""Compare SQLAlchemy models with a live database and render the migration script.

ops = compare_metadata(conn, metadata)            # [] when the database matches
script = produce_migrations(conn, metadata)       # upgrade_ops / downgrade_ops
print(render_python_code(script.upgrade_ops))     # op.add_column(...) ...
"""

from migrate_autogen._version import __version__
from migrate_autogen.api import compare_metadata, produce_migrations
from migrate_autogen.compare_run import AutogenContext, CompareRun
from migrate_autogen.errors import AutogenError, AutogenWarning
from migrate_autogen.options import DEFAULT_VERSION_TABLE, CompareOptions, RenderOptions
from migrate_autogen.pairs import NOT_CHANGED, ColumnChange, ColumnPair, TablePair
from migrate_autogen.registry import ComparatorRegistry, comparators
from migrate_autogen.render import (
    RenderContext,
    RenderedScript,
    RenderRun,
    render_migration_script,
    render_op,
    render_python_code,
    renderers,
)
from migrate_autogen.rewriter import Rewriter
from migrate_autogen.script import (
    IrreversibleOperation,
    MigrationScript,
    drop_empty_migrations,
    reverse_operations,
)

__all__ = [
    "DEFAULT_VERSION_TABLE",
    "NOT_CHANGED",
    "AutogenContext",
    "AutogenError",
    "AutogenWarning",
    "ColumnChange",
    "ColumnPair",
    "ComparatorRegistry",
    "CompareOptions",
    "CompareRun",
    "IrreversibleOperation",
    "MigrationScript",
    "RenderContext",
    "RenderOptions",
    "RenderRun",
    "RenderedScript",
    "Rewriter",
    "TablePair",
    "__version__",
    "compare_metadata",
    "comparators",
    "drop_empty_migrations",
    "produce_migrations",
    "render_migration_script",
    "render_op",
    "render_python_code",
    "renderers",
    "reverse_operations",
]
