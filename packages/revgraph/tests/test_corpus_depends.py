"""A range whose end only depends on its start (GeoNature's ign_bd_alti pair).

``87651375c2e8`` (``ign_bd_alti_vector``) has no parent but depends on ``1715cf31a75d``
(``ign_bd_alti``), another root. Upgrading to the first applies the second before it, so
the range between them holds both, like any other START:END range.
"""

from __future__ import annotations

from revgraph import Revision, RevisionMap

DEM = RevisionMap(
    [
        Revision("1715cf31a75d", None, ["ign_bd_alti"]),
        Revision("87651375c2e8", None, ["ign_bd_alti_vector"], ["1715cf31a75d"]),
    ]
)


def test_range_to_a_revision_that_depends_on_the_start_includes_the_end():
    found = DEM.iterate_range("1715cf31a75d", "87651375c2e8")
    assert [r.revision for r in found] == ["87651375c2e8", "1715cf31a75d"]


def test_range_by_labels_matches_the_upgrade_plan():
    found = DEM.iterate_range("ign_bd_alti@head", "ign_bd_alti_vector@head")
    plan = DEM.upgrade_plan([], "ign_bd_alti_vector@head")
    assert [r.revision for r in reversed(found)] == [r.revision for r in plan]
