"""Migration histories the runtime benchmarks run, written twice: for migrate and for Alembic.

Both copies have the same revision ids, graph and operations; only the import
of `op` and `context` differs, so the two tools do the same work. Shared by
bench_cli_runtime.py and bench_cli_scripts.py (not a benchmark itself).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

#: "ours" writes `from ddl_ops import op` / `from migrate_cli import context`.
TOOLS = {"ours": ("ddl_ops", "migrate_cli"), "alembic": ("alembic", "alembic")}

ENV_PY = """
from sqlalchemy import create_engine, pool

from {context_module} import context

config = context.config
per_migration = config.get_main_option("per_migration", "false") == "true"
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=per_migration)
        with context.begin_transaction():
            context.run_migrations()
"""

SCRIPT = '''"""{message}"""

import sqlalchemy as sa
from {op_module} import op

revision = {rev!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
    pass
'''


def small_shape(count: int) -> Iterator[tuple[str, object, str]]:
    """20 create_table, then add_column; every 50 a side branch that the next 10 merge back."""
    previous: str | None = None
    side: str | None = None
    for index in range(count):
        rev = f"a{index:05d}"
        down: object = previous
        if index % 50 == 10 and side is not None:
            down = (previous, side)
            side = None
        if index < 20:
            body = (
                f'    op.create_table("t{index}", sa.Column("id", sa.Integer, primary_key=True),'
                ' sa.Column("name", sa.String(50)))'
            )
        else:
            body = f'    op.add_column("t{index % 20}", sa.Column("c{index}", sa.Integer))'
        yield rev, down, body
        if index % 50 == 0 and index >= 20 and previous is not None:
            side = f"b{index:05d}"
            yield (
                side,
                rev,
                f'    op.add_column("t{index % 20}", sa.Column("s{index}", sa.Integer))',
            )
        previous = rev


def heavy_shape(count: int) -> Iterator[tuple[str, object, str]]:
    """Each migration a table with a few columns, a foreign key to the previous one, an index."""
    previous: str | None = None
    for index in range(count):
        rev = f"h{index:05d}"
        fk = (
            f',\n        sa.Column("parent_id", sa.Integer, sa.ForeignKey("h{index - 1}.id"))'
            if index
            else ""
        )
        body = (
            f'    op.create_table(\n        "h{index}",\n'
            '        sa.Column("id", sa.Integer, primary_key=True),\n'
            '        sa.Column("name", sa.String(50), nullable=False),\n'
            '        sa.Column("amount", sa.Numeric(10, 2), server_default="0"),\n'
            '        sa.Column("created", sa.DateTime, server_default=sa.func.now())'
            f"{fk},\n    )\n"
            f'    op.create_index("ix_h{index}_name", "h{index}", ["name"])'
        )
        yield rev, previous, body
        previous = rev


SHAPES = {"add_column": small_shape, "create_table+fk": heavy_shape}


def write_project(root: Path, tool: str, shape: str, count: int) -> tuple[Path, int]:
    """The env folder of one tool's copy of a shape, and its number of migrations."""
    op_module, context_module = TOOLS[tool]
    env = root / f"{tool}_{shape.replace('+', '_')}"
    versions = env / "versions"
    versions.mkdir(parents=True)
    (env / "env.py").write_text(ENV_PY.format(context_module=context_module))
    written = 0
    for rev, down, body in SHAPES[shape](count):
        text = SCRIPT.format(
            message=f"step {rev}", rev=rev, down=down, upgrade=body, op_module=op_module
        )
        (versions / f"{rev}_step.py").write_text(text)
        written += 1
    return env, written


def env_int(name: str, default: int, quick: int) -> int:
    """An integer knob: its variable, else the quick value under BENCH_QUICK=1, else the default."""
    if name in os.environ:
        return int(os.environ[name])
    return quick if os.environ.get("BENCH_QUICK") == "1" else default
