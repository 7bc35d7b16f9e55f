"""Stand-in for oslo.log: the standard library's loggers."""

from logging import getLogger  # noqa: F401
