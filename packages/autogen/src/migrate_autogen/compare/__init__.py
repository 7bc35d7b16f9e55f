"""Built-in comparators, one module per kind of schema object.

Importing this package registers them on `migrate_autogen.registry.comparators`.
"""

from migrate_autogen.compare import (  # noqa: F401  (registration on import)
    columns,
    comments,
    constraints,
    defaults,
    enums,
    foreign_keys,
    indexes,
    tables,
    types,
)
