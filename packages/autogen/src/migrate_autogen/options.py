"""The options `compare_metadata` and the renderer accept, validated in one place.

Unknown option names raise a one-line TypeError naming the option, so a typo in
env.py fails loudly instead of silently comparing with defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa

from migrate_autogen.dialects import rules_for
from migrate_autogen.registry import ComparatorRegistry

DEFAULT_VERSION_TABLE = "migrate_version"

# compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type)
TypeComparer = Callable[[Any, "sa.Column[Any]", "sa.Column[Any]", Any, Any], bool | None]
# compare_server_default(context, inspected_column, metadata_column,
#                        rendered_inspected_default, metadata_default, rendered_metadata_default)
DefaultComparer = Callable[[Any, "sa.Column[Any]", "sa.Column[Any]", Any, Any, Any], bool | None]
IncludeName = Callable[[str | None, str, Mapping[str, str | None]], bool]
IncludeObject = Callable[[Any, str | None, str, bool, Any], bool]
RenderItem = Callable[[str, Any, Any], str | bool]


@dataclass
class CompareOptions:
    """What to compare and which objects to leave alone."""

    compare_type: bool | TypeComparer = True
    compare_server_default: bool | DefaultComparer = True
    include_schemas: bool = False
    include_name: IncludeName | None = None
    include_object: IncludeObject | None = None
    version_table: str = DEFAULT_VERSION_TABLE
    version_table_schema: str | None = None
    # extra comparator registry (in addition to the global one), e.g. per project
    comparators: ComparatorRegistry | None = None
    # free-form values user comparators can read (Alembic's context.opts equivalent)
    user_options: dict[str, Any] | None = None

    @classmethod
    def from_kwargs(cls, options: Mapping[str, Any]) -> CompareOptions:
        return cls(**_checked(cls, options, "compare_metadata"))


@dataclass
class RenderOptions:
    """How operations are written as Python source."""

    # None: batch exactly when the operations were compared on SQLite (see `batch_wanted`)
    render_as_batch: bool | None = None
    # the database the operations are for, when they do not say so themselves
    dialect_name: str | None = None
    user_module_prefix: str | None = None
    render_item: RenderItem | None = None
    sqlalchemy_module_prefix: str = "sa."
    op_prefix: str = "op."
    rename_hints: bool = True

    @classmethod
    def from_kwargs(cls, options: Mapping[str, Any]) -> RenderOptions:
        return cls(**_checked(cls, options, "render"))

    def batch_wanted(self, dialect_name: str | None) -> bool:
        """Whether to group each table's changes in ``batch_alter_table`` blocks.

        An explicit True/False wins. Left unset, SQLite gets batch blocks: it cannot
        ALTER a column, a constraint or a foreign key in place, so a script of plain
        ``op.alter_column`` calls would fail there.
        """
        if self.render_as_batch is not None:
            return self.render_as_batch
        return rules_for(self.dialect_name or dialect_name).render_as_batch


def _checked(cls: type, options: Mapping[str, Any], where: str) -> dict[str, Any]:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(
            f"{where}: unknown option(s) {', '.join(unknown)}; "
            f"known options are {', '.join(sorted(known))}"
        )
    return dict(options)


def split_options(options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split mixed keyword options into (compare options, render options)."""
    render_names = {f.name for f in fields(RenderOptions)}
    compare = {k: v for k, v in options.items() if k not in render_names}
    render = {k: v for k, v in options.items() if k in render_names}
    return compare, render
