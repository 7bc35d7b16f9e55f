"""One module per database; `get_dialect_impl` picks the DialectImpl for a dialect.

The registry (`ddl_ops.dialects.registry`) imports a database's module the first time
that database is asked for, so importing ddl_ops loads none of them.
"""

from __future__ import annotations

from ddl_ops.dialects.base import DialectImpl, first_on_chain
from ddl_ops.dialects.instances import offline_copy, text_preparer
from ddl_ops.dialects.registry import (
    dialect_chain_for_name,
    dialect_for_name,
    get_dialect_impl,
    impl_name_for,
    register_dialect_impl,
)

__all__ = [
    "DialectImpl",
    "dialect_chain_for_name",
    "dialect_for_name",
    "first_on_chain",
    "get_dialect_impl",
    "impl_name_for",
    "offline_copy",
    "register_dialect_impl",
    "text_preparer",
]
