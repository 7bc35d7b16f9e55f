"""Stand-in for the parts of Mailu its env.py and migrations import (see ../../README.md)."""

from mailu import models  # noqa: F401  (f4f0f89e0047 uses `mailu.models...` after `import mailu`)
