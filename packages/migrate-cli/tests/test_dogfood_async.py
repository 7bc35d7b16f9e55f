"""Handing an AsyncConnection to the runtime says how to do it right.

Found sharing a FastAPI app's async engine: `config.attributes["connection"]
= conn` with an AsyncConnection failed deep in SQLAlchemy ("AsyncConnection
.connection accessor is not implemented ..."), with no hint of run_sync().
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from migrate_cli import command
from migrate_cli.errors import CommandError
from migrate_cli.testing import MigrationProject


def test_async_connection_is_refused_with_the_run_sync_recipe(tmp_path: Path) -> None:
    pytest.importorskip("aiosqlite")
    project = MigrationProject(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add_table("a1", None, "account")
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")

    async def share_async_connection() -> str:
        async with engine.connect() as connection:
            with pytest.raises(CommandError) as raised:
                command.upgrade(project.config(connection=connection), "head")
        await engine.dispose()
        return str(raised.value)

    message = asyncio.run(share_async_connection())

    assert "AsyncConnection" in message and "run_sync" in message
    assert project.heads() == ()


def test_the_run_sync_recipe_works(tmp_path: Path) -> None:
    pytest.importorskip("aiosqlite")
    project = MigrationProject(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    project.add_table("a1", None, "account")
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")

    async def upgrade() -> None:
        async with engine.begin() as connection:
            await connection.run_sync(
                lambda sync: command.upgrade(project.config(connection=sync), "head")
            )
        await engine.dispose()

    asyncio.run(upgrade())

    assert project.heads() == ("a1",)
