"""Stand-in package for the parts of CTFd its migrations import (see ../../README.md)."""
