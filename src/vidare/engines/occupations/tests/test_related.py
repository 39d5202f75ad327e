"""Related occupations from the taxonomy: the three rules, strongest kept, no self pairs."""

from __future__ import annotations

from vidare.engines.occupations import Taxonomy
from vidare.engines.occupations.related import (
    SAME_FIELD,
    SAME_MINOR_GROUP,
    SHARED_TITLES,
    related_map,
    related_pairs,
)

from .conftest import tiny


def test_rules_on_a_tiny_taxonomy() -> None:
    pairs = {(p.occupation, p.related): (p.kind, p.strength) for p in related_pairs(tiny())}
    assert pairs[("4321", "4322")] == (SAME_MINOR_GROUP, 2)
    assert pairs[("9111", "5151")] == (SHARED_TITLES, 2)   # "Städansvarig" in both
    assert pairs[("4321", "8344")] == (SAME_FIELD, 1)
    assert ("4322", "9111") not in pairs                   # nothing in common
    assert all(a != b for a, b in pairs)
    assert all(pairs[(b, a)] == value for (a, b), value in pairs.items())


def test_strongest_kind_is_kept_and_ties_prefer_the_minor_group() -> None:
    base = tiny()
    # Same minor group, same field and a shared title: one pair, strength 2, minor group.
    pairs = [p for p in related_pairs(base) if (p.occupation, p.related) == ("4321", "4322")]
    assert [(p.kind, p.strength) for p in pairs] == [(SAME_MINOR_GROUP, 2)]


def test_related_map_matches_the_interface(shipped: Taxonomy) -> None:
    related = related_map(related_pairs(shipped))
    assert related["9111"]["9119"] == 2           # 911 Cleaners, same minor group
    assert related["9111"]["5151"] == 1           # field "Städ" (cleaning)
    assert "9111" not in related["9111"]
    assert set(related) <= {g.ssyk for g in shipped.groups}
    # Manager groups are JobTech's merged codes: 1210 (SCB 1211 + 1212) has no 121x sibling.
    assert not [c for c, s in related["1210"].items() if c.startswith("121") and s == 2
                and c != "1210"]
    strengths = {s for links in related.values() for s in links.values()}
    assert strengths == {1, 2}
