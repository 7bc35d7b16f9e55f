"""Stand-in for the parts of Keystone its env.py and migrations import (see ../../README.md)."""
