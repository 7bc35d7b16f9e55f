"""Parse the identifier syntax users type: ids, prefixes, labels, symbols and relative steps.

Parsing is pure syntax; RevisionMap gives the parts their meaning.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from revgraph.errors import InvalidRevision

_RELATIVE = re.compile(r"^(?P<symbol>[^@:\s]+?)?(?P<steps>[+-]\d+)$")
_NAME = re.compile(r"^[^@:\s]+$")


@dataclass(frozen=True)
class Identifier:
    """One parsed identifier.

    ``label`` is the part before ``@``; ``symbol`` is an id, prefix, label, ``head``,
    ``heads`` or ``base`` (None when the identifier is relative to the current revisions);
    ``steps`` is the signed relative offset, or None for an absolute identifier.
    """

    text: str
    label: str | None
    symbol: str | None
    steps: int | None

    @property
    def is_relative(self) -> bool:
        return self.steps is not None


def parse(text: str, labels: Container[str] = ()) -> Identifier:
    """Split ``[label@](symbol)[+N|-N]`` into its parts, rejecting anything else.

    ``labels`` are the known branch labels: one may contain ``-`` (``app-samples``), so a
    part that is exactly a label is never read as a relative step.
    """
    if not isinstance(text, str):
        raise InvalidRevision(
            f"revision identifier {text!r} is not a string; check the database driver settings"
        )
    raw = text.strip()
    if not raw:
        raise InvalidRevision("empty revision identifier; give an id, a label, 'head' or 'base'")
    label: str | None = None
    rest = raw
    if "@" in raw:
        label, rest = raw.split("@", 1)
        if not _NAME.match(label):
            raise InvalidRevision(
                f"identifier {text!r} has no valid branch label before '@'; write 'label@head'"
            )
        if not rest:
            raise InvalidRevision(
                f"identifier {text!r} has nothing after '@'; write e.g. '{label}@head'"
            )
    match = None if rest in labels else _RELATIVE.match(rest)
    if match:
        steps = int(match.group("steps"))
        if steps == 0:
            raise InvalidRevision(f"identifier {text!r} moves zero steps; use +N or -N with N > 0")
        return Identifier(raw, label, match.group("symbol"), steps)
    if not _NAME.match(rest):
        raise InvalidRevision(
            f"cannot parse revision identifier {text!r}; expected an id, prefix, label, "
            "'head', 'heads', 'base', 'label@head', '+N', '-N' or 'rev+N'"
        )
    return Identifier(raw, label, rest, None)
