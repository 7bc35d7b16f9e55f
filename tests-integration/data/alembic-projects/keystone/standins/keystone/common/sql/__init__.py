"""Stand-in for `keystone.common.sql`: the column types the initial migration uses.

Upstream's JsonBlob (a Text) and DateTimeInt (a BigInteger) convert values in Python;
only their database types matter to a migration.
"""

import sqlalchemy as sql

Text = sql.Text


class JsonBlob(sql.types.TypeDecorator):
    impl = sql.Text
    cache_ok = True


class DateTimeInt(sql.types.TypeDecorator):
    impl = sql.BigInteger
    cache_ok = True
