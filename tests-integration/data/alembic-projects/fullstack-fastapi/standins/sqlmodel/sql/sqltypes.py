"""Stand-in for `sqlmodel.sql.sqltypes.AutoString`: SQLModel's VARCHAR type (a String)."""

import sqlalchemy as sa


class AutoString(sa.types.TypeDecorator):
    impl = sa.String
    cache_ok = True
