"""SQL Server in a migration run: what the migration log asks of it. No migration lock of
its own (the default); transactional DDL as ddl-ops says (yes)."""

from __future__ import annotations

from migrate_cli.runtime.databases.default import DatabaseStrategy


class MssqlStrategy(DatabaseStrategy):
    name = "mssql"
    knows_its_user = True
    utc_now_sql = "SYSUTCDATETIME()"
