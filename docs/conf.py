"""Sphinx configuration for the migrate toolkit documentation."""

from pathlib import Path

from ddl_ops.lint.docs import write_rule_pages

project = "migrate toolkit"
author = "The migrate toolkit developers"
copyright = "2026, The migrate toolkit developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinxcontrib.mermaid",
]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_typehints = "description"
nitpicky = False


def _write_lint_rule_pages(app: object) -> None:
    """One page per lint rule, from the rules' own metadata (see ddl_ops.lint.docs)."""
    write_rule_pages(Path(__file__).parent / "ddl-ops" / "lint-rules")


def setup(app: object) -> None:
    app.connect("builder-inited", _write_lint_rule_pages)  # type: ignore[attr-defined]
