"""How `migrate` reaches the database through an asyncio driver, for every command needing it.

The migrations themselves are synchronous: they run inside
`AsyncConnection.run_sync()`. This file is yours to edit.
"""

import asyncio
from logging.config import fileConfig

import sqlalchemy as sa

from migrate_cli import context

config = context.config

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


async def run_async_migrations() -> None:
    # Imported here so `--sql` works without the asyncio extras (greenlet, the async driver).
    from sqlalchemy.ext.asyncio import async_engine_from_config

    engine = async_engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=sa.pool.NullPool,
    )
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_with)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Connect and run; a program may hand over its own (sync) connection in config.attributes."""
    shared = config.attributes.get("connection")
    if shared is not None:
        run_with(shared)
        return
    asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
