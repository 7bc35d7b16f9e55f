"""What a live PostgreSQL or MySQL table carries beyond its columns, keys and indexes.

``DROP TABLE`` also drops triggers, grants, exclusion constraints, ownership and storage
options. Those that can be re-created from the catalog are read before the rebuild and replayed
after it; those that cannot (row security policies, rules, inheritance, partitioning, MySQL
triggers) make the rebuild refuse to start, naming them, rather than silently lose them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ddl_ops.batch.errors import BatchError
from ddl_ops.batch.model import TableModel
from ddl_ops.batch.sqltext import references_identifier, rename_identifier
from ddl_ops.dialects import text_preparer


@dataclass
class ServerExtras:
    """Statements to replay on the rebuilt table, in order."""

    after_swap: list[str] = field(default_factory=list)


def read_server_extras(connection: Connection, model: TableModel) -> ServerExtras:
    """Read what must be replayed; raise BatchError for what a rebuild would lose."""
    name = connection.dialect.name
    if name == "postgresql":
        return _postgresql_extras(connection, model)
    if name in ("mysql", "mariadb"):
        _refuse(model, _mysql_blockers(connection, model))
    return ServerExtras()


def _refuse(model: TableModel, blockers: list[str]) -> None:
    if blockers:
        raise BatchError(
            f"cannot rebuild {model.display_name!r}: it has {', '.join(blockers)}, which a "
            "rebuild would lose; drop them before this batch and re-create them after it, "
            "or change the table with recreate='never'"
        )


def _mysql_blockers(connection: Connection, model: TableModel) -> list[str]:
    triggers = connection.execute(
        sa.text(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
            "WHERE EVENT_OBJECT_SCHEMA = COALESCE(:schema, DATABASE()) "
            "AND EVENT_OBJECT_TABLE = :table ORDER BY TRIGGER_NAME"
        ),
        {"schema": model.schema, "table": model.name},
    ).scalars()
    return [f"trigger {name!r}" for name in triggers]


def _postgresql_extras(connection: Connection, model: TableModel) -> ServerExtras:
    preparer = text_preparer(connection.dialect)
    table = preparer.format_table(sa.table(model.name, schema=model.schema))
    oid = int(
        connection.execute(sa.text("SELECT CAST(:t AS regclass)::oid"), {"t": table}).scalar_one()
    )
    blockers: list[str] = []
    info = connection.execute(
        sa.text(
            "SELECT c.relkind, c.relrowsecurity, pg_get_userbyid(c.relowner), current_user, "
            "c.reloptions, EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = c.oid "
            "OR inhparent = c.oid) FROM pg_class c WHERE c.oid = :oid"
        ),
        {"oid": oid},
    ).one()
    relkind, row_security, owner, current, reloptions, inherits = info
    if relkind == "p":
        blockers.append("partitions")
    if inherits:
        blockers.append("table inheritance")
    if row_security:
        blockers.append("row level security")
    policies = connection.execute(
        sa.text("SELECT polname FROM pg_policy WHERE polrelid = :oid ORDER BY polname"),
        {"oid": oid},
    ).scalars()
    blockers += [f"policy {p!r}" for p in policies]
    rules = connection.execute(
        sa.text("SELECT rulename FROM pg_rules WHERE schemaname = COALESCE(:s, current_schema()) "
                "AND tablename = :t ORDER BY rulename"),
        {"s": model.schema, "t": model.name},
    ).scalars()  # fmt: skip
    blockers += [f"rule {r!r}" for r in rules]
    column_grants = connection.execute(
        sa.text(
            "SELECT count(*) FROM information_schema.column_privileges cp "
            "WHERE cp.table_schema = COALESCE(:s, current_schema()) AND cp.table_name = :t "
            "AND NOT EXISTS (SELECT 1 FROM information_schema.table_privileges tp "
            "WHERE tp.table_schema = cp.table_schema AND tp.table_name = cp.table_name "
            "AND tp.grantee = cp.grantee AND tp.privilege_type = cp.privilege_type)"
        ),
        {"s": model.schema, "t": model.name},
    ).scalar()
    if column_grants:
        blockers.append("column-level grants")
    _refuse(model, blockers)

    extras = ServerExtras()
    extras.after_swap += _exclusion_constraints(connection, model, oid, table)
    triggers = connection.execute(
        sa.text(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = :oid AND NOT tgisinternal ORDER BY tgname"
        ),
        {"oid": oid},
    ).scalars()
    extras.after_swap += list(triggers)
    if reloptions:
        extras.after_swap.append(f"ALTER TABLE {table} SET ({', '.join(reloptions)})")
    if owner != current:
        extras.after_swap.append(f"ALTER TABLE {table} OWNER TO {preparer.quote(owner)}")
    grants = connection.execute(
        sa.text(
            "SELECT grantee, privilege_type, is_grantable FROM information_schema.table_privileges "
            "WHERE table_schema = COALESCE(:s, current_schema()) AND table_name = :t "
            "AND grantee <> :owner ORDER BY grantee, privilege_type"
        ),
        {"s": model.schema, "t": model.name, "owner": owner},
    ).all()
    for grantee, privilege, grantable in grants:
        who = "PUBLIC" if grantee == "PUBLIC" else preparer.quote(grantee)
        option = " WITH GRANT OPTION" if grantable == "YES" else ""
        extras.after_swap.append(f"GRANT {privilege} ON {table} TO {who}{option}")
    return extras


def _exclusion_constraints(
    connection: Connection, model: TableModel, oid: int, table: str
) -> list[str]:
    """EXCLUDE constraints are not reflected; re-add them, following renamed columns."""
    rows = connection.execute(
        sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = :oid AND contype = 'x' ORDER BY conname"
        ),
        {"oid": oid},
    ).all()
    statements: list[str] = []
    for name, definition in rows:
        sources = {c.source: c.name for c in model.columns.values() if c.source is not None}
        body = definition
        dropped = [
            old
            for old in _old_columns(connection, oid)
            if old not in sources and references_identifier(definition, old)
        ]
        if dropped:
            continue  # as in PostgreSQL, dropping a column drops the constraints using it
        for old, new in sources.items():
            if old != new:
                body = rename_identifier(body, old, new, model.quote)
        quoted = text_preparer(connection.dialect).quote(name)
        statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {body}")
    return statements


def _old_columns(connection: Connection, oid: int) -> list[str]:
    return list(
        connection.execute(
            sa.text(
                "SELECT attname FROM pg_attribute WHERE attrelid = :oid AND attnum > 0 "
                "AND NOT attisdropped"
            ),
            {"oid": oid},
        ).scalars()
    )
