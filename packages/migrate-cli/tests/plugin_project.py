"""A sample project for the pytest plugin's tests, and deliberately broken copies of it.

Written as files (migrate.ini, models.py, env.py, revisions) so the plugin is exercised the
way a project uses it: found through the ini file, env.py importing the models.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from migrate_cli.testing import script_source

MODELS = """
import sqlalchemy as sa

metadata = sa.MetaData()

account = sa.Table(
    "account", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, index=True),
    sa.Column("email", sa.String(100)),
)
item = sa.Table(
    "item", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),
    sa.Column("sku", sa.String(20), nullable=False),
    sa.Column("qty", sa.Integer),
    sa.UniqueConstraint("sku", name="uq_item_sku"),
)
"""

ENV_PY = """
import sqlalchemy as sa

import models
from migrate_cli import context

config = context.config
target_metadata = models.metadata


def run_with(connection):
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


shared = config.attributes.get("connection")
if shared is not None:
    run_with(shared)
else:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url"), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        run_with(connection)
"""

REVISIONS = [
    (
        "a1",
        None,
        'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True),\n'
        '    sa.Column("name", sa.String(50), nullable=False))',
        'op.drop_table("account")',
    ),
    (
        "b2",
        "a1",
        'op.add_column("account", sa.Column("email", sa.String(100)))',
        'op.drop_column("account", "email")',
    ),
    (
        "c3",
        "b2",
        'op.create_table("item", sa.Column("id", sa.Integer, primary_key=True),\n'
        '    sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False),\n'
        '    sa.Column("sku", sa.String(20), nullable=False),\n'
        '    sa.UniqueConstraint("sku", name="uq_item_sku"))',
        'op.drop_table("item")',
    ),
    (
        "d4",
        "c3",
        'op.create_index("ix_account_name", "account", ["name"])',
        'op.drop_index("ix_account_name", table_name="account")',
    ),
    (
        "e5",
        "d4",
        'op.add_column("item", sa.Column("qty", sa.Integer))',
        'op.drop_column("item", "qty")',
    ),
]


def write_project(root: Path, ini_extra: str = "") -> Path:
    """The sample project under ``root``; returns its migrate.ini."""
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "models.py").write_text(textwrap.dedent(MODELS))
    (root / "migrations" / "env.py").write_text(ENV_PY)
    for rev, down, upgrade, downgrade in REVISIONS:
        write_revision(root, rev, down, upgrade, downgrade)
    ini = root / "migrate.ini"
    ini.write_text(
        "[migrate]\n"
        "script_location = %(here)s/migrations\n"
        "prepend_sys_path = %(here)s\n"
        "sqlalchemy.url = sqlite:///%(here)s/app.db\n"
        # The index is small: building it without CONCURRENTLY is accepted on purpose.
        "\n[migrate.lint]\npostgresql.ignore = MG201\n" + ini_extra
    )
    return ini


def write_revision(root: Path, rev: str, down: str | None, upgrade: str, downgrade: str) -> None:
    path = root / "migrations" / "versions" / f"{rev}.py"
    path.write_text(script_source(rev, down, upgrade, downgrade))


def break_with_two_heads(root: Path) -> None:
    write_revision(
        root,
        "f6",
        "e5",
        'op.create_table("x", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("x")',
    )
    write_revision(
        root,
        "g7",
        "e5",
        'op.create_table("y", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("y")',
    )


def break_downgrade(root: Path) -> None:
    write_revision(root, "e5", "d4", 'op.add_column("item", sa.Column("qty", sa.Integer))', "pass")


def break_models(root: Path) -> None:
    models = root / "models.py"
    models.write_text(
        models.read_text().replace(
            'sa.Column("qty", sa.Integer),',
            'sa.Column("qty", sa.Integer),\n    sa.Column("note", sa.Text),',
        )
    )


def break_data(root: Path) -> None:
    write_revision(root, "f6", "e5", 'op.execute("DELETE FROM item")', "pass")


def break_with_a_required_column(root: Path) -> None:
    """A NOT NULL column without a default: fine on an empty table, fails on real data."""
    write_revision(
        root,
        "f6",
        "e5",
        'op.add_column("account", sa.Column("plan", sa.String(10), nullable=False))',
        'op.drop_column("account", "plan")',
    )


def env_ignoring_the_given_connection(root: Path) -> None:
    """An env.py that always connects to the application's own database (its URL from the
    app's settings, not from the config)."""
    env = root / "migrations" / "env.py"
    text = env.read_text().replace('config.attributes.get("connection")', "None")
    text = text.replace('config.get_main_option("sqlalchemy.url")', f'"sqlite:///{root}/app.db"')
    env.write_text(text)


def break_lint(root: Path) -> None:
    """A column dropped in one step: lint's MG105 on every database."""
    write_revision(
        root,
        "f6",
        "e5",
        'op.drop_column("item", "qty")',
        'op.add_column("item", sa.Column("qty", sa.Integer))',
    )
