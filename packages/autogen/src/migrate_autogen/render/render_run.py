"""One rendering: its options, the imports the code turned out to need, the calls it writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate_autogen.options import RenderOptions


@dataclass
class Call:
    """One rendered method call, kept structured so batch mode can drop the table argument."""

    method: str
    args: list[str]
    kwargs: list[tuple[str, str]] = field(default_factory=list)
    table_arg: int | None = None  # position of the table name among args (dropped in batch)
    table_kwarg: str | None = None  # or its keyword (drop_index's table_name)
    comments: list[str] = field(default_factory=list)  # lines written above the call
    batchable: bool = True


@dataclass
class RenderRun:
    """Passed to renderers and to the ``render_item`` hook as ``autogen_context``."""

    options: RenderOptions
    imports: set[str] = field(default_factory=set)

    @property
    def sa(self) -> str:
        return self.options.sqlalchemy_module_prefix

    @property
    def op(self) -> str:
        return self.options.op_prefix

    def hook(self, kind: str, obj: Any) -> str | None:
        """The ``render_item`` hook's rendering of ``obj``, or None to use the default."""
        hook = self.options.render_item
        if hook is None:
            return None
        result = hook(kind, obj, self)
        return result if isinstance(result, str) else None


RenderContext = RenderRun
"""The earlier name of `RenderRun`, kept for renderers written against it."""
