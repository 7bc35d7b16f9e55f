"""Shared fixtures: an in-memory SQLite connection (no server needed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa


@pytest.fixture
def conn() -> Iterator[sa.Connection]:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.fixture
def create() -> object:
    """create(conn, metadata): create_all then commit, so comparisons see the tables."""

    def run(connection: sa.Connection, metadata: sa.MetaData) -> None:
        metadata.create_all(connection)
        connection.commit()

    return run
