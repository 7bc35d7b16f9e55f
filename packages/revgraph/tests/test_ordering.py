"""The heads-first order on shapes with many tips, and the tip slots behind it."""

from __future__ import annotations

from revgraph.tipslots import TipSlots


def comb(make_map, length):
    """A main line with a short side head on every even revision."""
    specs = [("r0", None)]
    for i in range(1, length):
        specs.append((f"r{i}", f"r{i - 1}"))
        if i % 2 == 0:
            specs.append((f"s{i}", f"r{i}"))
    return make_map(*specs)


def test_many_heads_are_walked_in_alembics_order(make_map, ids):
    m = comb(make_map, 8)
    assert m.heads == ("s2", "s4", "s6", "r7")
    # each side head first (it blocks the main line below it), then the main line down
    assert ids(m.walk()) == ["s2", "s4", "s6", "r7", "r6", "r5", "r4", "r3", "r2", "r1", "r0"]
    assert ids(m.downgrade_plan(["s2", "s4", "r5"], "r1")) == ["s2", "s4", "r5", "r4", "r3", "r2"]


def test_large_comb_is_complete_and_topological(make_map):
    m = comb(make_map, 6_000)
    walk = list(m.walk())
    assert len(walk) == len(m) == 6_000 + 2_999
    position = {r.revision: i for i, r in enumerate(walk)}
    assert all(position[r.revision] < position[d] for r in walk for d in r.down_revisions)


def test_tip_slots_searches():
    rank = {"a": 5, "b": 1, "c": 9, "d": 3, "e": 7}
    tips = TipSlots(8, rank)
    for rev in ("a", "b", "c"):
        tips.append(rev)
    assert tips.first_ranked_above(0, 4) == 0
    assert tips.first_ranked_above(1, 4) == 2
    assert tips.first_ranked_above(0, 9) == -1
    tips.replace(0, "d")
    assert tips.first_ranked_above(0, 4) == 2
    assert tips.slot_of == {"d": 0, "b": 1, "c": 2}
    tips.remove(1)
    assert tips.live == 2
    assert tips.last_live_before(2) == 0
    assert tips.last_live_before(0) == -1
    tips.remove(0)
    assert tips.last_live_before(2) == -1
    assert tips.first_ranked_above(0, -1) == 2
    tips.append("e")
    assert tips.first_ranked_above(0, 8) == 2 and tips.first_ranked_above(3, 6) == 3
