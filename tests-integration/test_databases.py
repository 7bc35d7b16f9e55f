"""The database fixture hands each test a reachable, empty database."""

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase, reset_database


def test_database_starts_empty_and_accepts_ddl(db: LiveDatabase) -> None:
    with db.engine.begin() as conn:
        assert sa.inspect(conn).get_table_names() == []
        conn.execute(sa.text("CREATE TABLE probe (id INTEGER PRIMARY KEY)"))
    with db.engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["probe"]


def test_other_schema_exists_where_the_database_has_schemas(db: LiveDatabase) -> None:
    if db.other_schema is None:
        assert db.dialect == "sqlite"
        return
    with db.engine.connect() as conn:
        assert db.other_schema in sa.inspect(conn).get_schema_names()


@pytest.mark.backends("postgresql", "mariadb", "mysql")  # SQLite gets a fresh file instead
def test_reset_drops_tables_whatever_their_names(db: LiveDatabase) -> None:
    names = ["x 5%", "odd`name", "Mixed Case"]
    with db.engine.begin() as conn:
        for name in names:
            # compiled through SQLAlchemy, so % and quotes are escaped for this driver
            conn.execute(
                sa.schema.CreateTable(sa.Table(name, sa.MetaData(), sa.Column("id", sa.Integer)))
            )
    reset_database(db)
    with db.engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []
