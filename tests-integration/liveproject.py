"""A migrate_cli test project bound to one live test database."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from dbtesting import LiveDatabase

from migrate_cli.testing import MigrationProject


class LiveProject(MigrationProject):
    """A migration environment on disk for one live database, read through its engine.

    Sharing the fixture's engine keeps one pool per test, so MariaDB and PostgreSQL
    connections are closed with the database fixture, not left to the garbage collector.
    """

    def __init__(self, root: Path, db: LiveDatabase) -> None:
        super().__init__(root, db.url_string)
        self.db = db

    @property
    def engine(self) -> sa.Engine:
        return self.db.engine
