"""The revision DAG of a schema-migration history: heads, branches, merges, labels and
upgrade/downgrade plans. No I/O, no dependencies."""

from revgraph._version import __version__
from revgraph.errors import (
    AmbiguousRevision,
    CycleDetected,
    DanglingReference,
    DuplicateLabel,
    DuplicateRevision,
    InvalidReplaces,
    InvalidRevision,
    MultipleHeads,
    OverlappingRevisions,
    RangeNotAncestor,
    RelativeWalkError,
    RevisionError,
    UnknownRevision,
)
from revgraph.replacing import Equivalence, Squash
from revgraph.revision import Revision
from revgraph.revision_map import RevisionMap

__all__ = [
    "AmbiguousRevision",
    "CycleDetected",
    "DanglingReference",
    "DuplicateLabel",
    "DuplicateRevision",
    "Equivalence",
    "InvalidReplaces",
    "InvalidRevision",
    "MultipleHeads",
    "OverlappingRevisions",
    "RangeNotAncestor",
    "RelativeWalkError",
    "Revision",
    "RevisionError",
    "RevisionMap",
    "Squash",
    "UnknownRevision",
    "__version__",
]
