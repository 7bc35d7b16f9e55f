"""Offline SQL, run by the database's own command-line client, builds the same schema
(and rows) as the same operations run live.

Needs the `sqlite3`, `psql` and `mariadb` clients on PATH; a missing client skips.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase, reset_database

from ddl_ops import Operations

CLIENTS = {"sqlite": "sqlite3", "postgresql": "psql", "mysql": "mariadb"}


def migration(ops: Operations) -> None:
    """A week of schema changes, using what this database can do in place."""
    impl = ops.impl
    weird = 'weird "name"'
    team = ops.create_table(
        "team",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    )
    ops.bulk_insert(team, [{"id": 1, "name": "red"}, {"id": 2, "name": "it's 100% blue"}])
    ops.create_table(
        "order",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(weird, sa.String(20), server_default="it's 100%"),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("team.id", ondelete="CASCADE")),
        sa.Column("label", sa.String(20), index=True),
    )
    ops.bulk_insert(
        sa.table("order", sa.column("id"), sa.column("team_id"), sa.column("label")),
        [{"id": 1, "team_id": 1, "label": "a:b"}, {"id": 2, "team_id": 2, "label": None}],
    )
    ops.add_column("order", sa.Column("qty", sa.Integer, server_default="1", nullable=False))
    ops.create_index("ix_order_qty", "order", ["qty"], unique=False)
    ops.alter_column(
        "order",
        "qty",
        new_column_name="quantity",
        existing_type=sa.Integer,
        existing_nullable=False,
    )
    order = sa.table("order", sa.column("id"), sa.column("quantity"))
    ops.execute(order.update().where(order.c.id == 2).values(quantity=ops.inline_literal(5)))
    ops.execute("UPDATE team SET name = 'green' WHERE id = 1")
    labels = sa.table("order", sa.column("label", sa.String))
    ops.execute(labels.update().where(labels.c.label.is_(None)).values(label="none"))
    if impl.supports_alter_column:
        ops.alter_column(
            "order",
            "label",
            nullable=False,
            server_default="none",
            existing_type=sa.String(20),
            existing_nullable=True,
        )
        ops.alter_column(
            "team",
            "name",
            type_=sa.String(80),
            existing_type=sa.String(50),
            existing_nullable=False,
        )
    if impl.supports_alter_constraints:
        ops.create_unique_constraint("uq_team_name", "team", ["name"])
        ops.create_check_constraint("ck_order_quantity", "order", "quantity > 0")
    if impl.supports_comments:
        ops.create_table_comment("team", "who's who")
    ops.drop_index("ix_order_label", "order")
    with ops.autocommit_block():
        ops.create_index("ix_team_name", "team", ["name"], postgresql_concurrently=True)
    ops.rename_table("team", "teams")
    ops.drop_column("order", weird)


def snapshot(engine: sa.Engine) -> dict[str, Any]:
    """Everything reflection tells about the tables, plus their rows."""
    result: dict[str, Any] = {}
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for table in sorted(inspector.get_table_names()):
            columns = [
                (
                    c["name"],
                    str(c["type"].compile(dialect=conn.dialect)),
                    c["nullable"],
                    str(c["default"]).strip("()") if c["default"] is not None else None,
                )
                for c in inspector.get_columns(table)
            ]
            fks = sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                for f in inspector.get_foreign_keys(table)
            )
            indexes = sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            )
            uniques = sorted(u["name"] or "" for u in inspector.get_unique_constraints(table))
            checks = sorted(c["name"] or "" for c in inspector.get_check_constraints(table))
            comment = (
                inspector.get_table_comment(table)["text"]
                if conn.dialect.supports_comments
                else None
            )
            rows = conn.execute(
                sa.text(f"SELECT * FROM {conn.dialect.identifier_preparer.quote(table)} ORDER BY 1")
            ).all()
            result[table] = {
                "columns": columns,
                "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                "fks": fks,
                "indexes": indexes,
                "uniques": uniques,
                "checks": checks,
                "comment": comment,
                "rows": [tuple(r) for r in rows],
            }
    return result


def offline_script(engine: sa.Engine) -> str:
    buf = io.StringIO()
    ops = Operations.for_dialect(engine.dialect, buf)
    if ops.impl.transactional_ddl:
        buf.write(f"{ops.impl.begin_statement};\n\n")
    migration(ops)
    if ops.impl.transactional_ddl:
        buf.write(f"{ops.impl.commit_statement};\n")
    return buf.getvalue()


def run_client(db: LiveDatabase, url: sa.URL, script: str) -> None:
    client = CLIENTS[url.get_backend_name()]
    if shutil.which(client) is None:
        pytest.skip(f"requires the {client} command-line client")
    env = dict(os.environ)
    if client == "sqlite3":
        command = [client, "-bail", str(url.database)]
    elif client == "psql":
        command = [
            client,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            "-d",
            str(url.database),
        ]
        if url.password:
            env["PGPASSWORD"] = str(url.password)
    else:
        command = [
            client,
            "-h",
            url.host or "127.0.0.1",
            "-P",
            str(url.port or 3306),
            "-u",
            url.username or "root",
            str(url.database),
        ]
        if url.password:
            env["MYSQL_PWD"] = str(url.password)
    done = subprocess.run(
        command, input=script, text=True, capture_output=True, env=env, timeout=60
    )
    assert done.returncode == 0 and "ERROR" not in done.stderr.upper(), (
        f"{client} failed:\n{done.stderr}\n--- script ---\n{script}"
    )


def test_offline_sql_gives_the_same_schema_as_live(db: LiveDatabase, tmp_path: Path) -> None:
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")  # initialize the dialect: server version, MariaDB flag
    script = offline_script(db.engine)
    if db.name == "sqlite":
        offline_url = sa.make_url(f"sqlite:///{tmp_path / 'offline.db'}")
        offline_engine = sa.create_engine(offline_url)
    else:
        offline_url, offline_engine = db.url, db.engine
    run_client(db, offline_url, script)
    from_script = snapshot(offline_engine)
    if db.name == "sqlite":
        offline_engine.dispose()
    else:
        reset_database(db)
    with db.engine.connect() as conn:
        conn.begin()  # not `with`: autocommit_block() commits it and begins another
        migration(Operations.for_connection(conn))
        conn.commit()
    live = snapshot(db.engine)
    assert from_script == live
    assert set(live) == {"order", "teams"}
    assert ("green",) in [(row[1],) for row in live["teams"]["rows"]]
    assert [row[-1] for row in live["order"]["rows"]] == [1, 5]
