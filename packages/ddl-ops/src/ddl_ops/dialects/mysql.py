"""MySQL and MariaDB: CHANGE/MODIFY restate the whole column; DDL commits implicitly."""

from __future__ import annotations

from ddl_ops.dialects.base import DialectImpl


class MySQLImpl(DialectImpl):
    name = "mysql"


class MariaDBImpl(MySQLImpl):
    name = "mariadb"
    fallbacks = ("mysql",)
