"""How `migrate` reaches the database for this project; runs for every command that needs it.

This file is yours: change how the URL is found, add `include_object`, share
an application's engine, and so on. `migrate_cli.context` keeps Alembic's
names, so the Alembic documentation on env.py applies here too.
"""

from logging.config import fileConfig

import sqlalchemy as sa

from migrate_cli import context

config = context.config

# Logging comes from the config file's [loggers] sections, when it has them.
if config.config_file_name is not None and config.get_section("loggers") is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# The MetaData of your models, for `migrate revision --autogenerate` and `migrate check`:
#     from myapp.models import Base
#     target_metadata = Base.metadata
target_metadata = None


def run_migrations_offline() -> None:
    """`--sql`: write the migrations as a SQL script, with only the URL and no connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_with(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Connect and run; a program may hand over its own connection in config.attributes."""
    shared = config.attributes.get("connection")
    if shared is not None:
        run_with(shared)
        return
    engine = sa.engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=sa.pool.NullPool,
    )
    try:
        with engine.connect() as connection:
            run_with(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
