"""How `migrate` reaches each of this project's databases; runs for every command that needs them.

`databases` in [migrate] lists the names; each name's section has its
sqlalchemy.url. Migrations run on every database in turn, each inside its
own transaction and with its own version table. This file is yours to edit.
"""

import re
from logging.config import fileConfig

import sqlalchemy as sa

from migrate_cli import context

config = context.config

if config.config_file_name is not None and config.get_section("loggers") is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

database_names = [
    name for name in re.split(r"[,\s]+", config.get_main_option("databases", "") or "") if name
]

# The MetaData per database, for `migrate revision --autogenerate`:
#     target_metadata = {"engine1": app.models.Base.metadata, "engine2": ...}
target_metadata: dict[str, sa.MetaData | None] = {}


def run_migrations_offline() -> None:
    """`--sql`: write one SQL file per database (engine1.sql, ...) in the current directory."""
    for name in database_names:
        with open(f"{name}.sql", "w", encoding="utf-8") as buffer:
            context.configure(
                url=config.get_section_option(name, "sqlalchemy.url"),
                output_buffer=buffer,
                target_metadata=target_metadata.get(name),
                literal_binds=True,
            )
            with context.begin_transaction():
                context.run_migrations(engine_name=name)
        print(f"Wrote {name}.sql")


def run_migrations_online() -> None:
    for name in database_names:
        engine = sa.engine_from_config(
            config.get_section(name, {}), prefix="sqlalchemy.", poolclass=sa.pool.NullPool
        )
        try:
            with engine.connect() as connection:
                context.configure(
                    connection=connection,
                    upgrade_token=f"{name}_upgrades",
                    downgrade_token=f"{name}_downgrades",
                    target_metadata=target_metadata.get(name),
                )
                with context.begin_transaction():
                    context.run_migrations(engine_name=name)
        finally:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
