"""The single version source of this package (read by hatch at build time)."""

__version__ = "0.1.0"
