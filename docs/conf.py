"""Sphinx configuration for the migrate toolkit documentation."""

project = "migrate toolkit"
author = "The migrate toolkit developers"
copyright = "2026, The migrate toolkit developers"

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_typehints = "description"
nitpicky = False
