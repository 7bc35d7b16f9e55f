"""Stand-in for the parts of CKAN its env.py and migrations import (see ../../README.md)."""
