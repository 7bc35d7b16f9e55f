"""Operations to Python source for migration scripts."""

from migrate_autogen.render.code import (
    RenderedScript,
    render_body,
    render_migration_script,
    render_op,
    render_python_code,
)
from migrate_autogen.render.ops import RendererRegistry, renderers
from migrate_autogen.render.render_run import Call, RenderContext, RenderRun

__all__ = [
    "Call",
    "RenderContext",
    "RenderRun",
    "RenderedScript",
    "RendererRegistry",
    "render_body",
    "render_migration_script",
    "render_op",
    "render_python_code",
    "renderers",
]
