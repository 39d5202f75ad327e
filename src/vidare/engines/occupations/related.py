"""Related SSYK unit groups, computed from the taxonomy (no hand-made pairs).

Rules, strongest kept per pair, both directions stored, never a group with itself:

* ``same_minor_group`` (strength 2): the same SSYK 2012 minor group, i.e. the same first three
  digits. Codes are JobTech's 400 level-4 groups (the storage scheme); JobTech merges SCB's
  manager groups 1211/1212 into 1210, so such a merged group has no sibling from the split.
* ``shared_titles`` (strength 2): an occupation name or job title (after normalisation) that
  belongs to both groups, e.g. the title "Säljare" links occupation names in ten groups.
* ``same_field`` (strength 1): the same JobTech occupation field (yrkesområde).

"Common career moves" would need transition data (people's successive occupations); nothing in
the shipped data holds that, so no such pairs are made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .data import Taxonomy
from .text import normalise

SAME_MINOR_GROUP = "same_minor_group"
SHARED_TITLES = "shared_titles"
SAME_FIELD = "same_field"
STRENGTH: dict[str, int] = {SAME_MINOR_GROUP: 2, SHARED_TITLES: 2, SAME_FIELD: 1}
# When two rules give the same strength, the kind recorded is the first in this order.
KIND_ORDER: tuple[str, ...] = (SAME_MINOR_GROUP, SHARED_TITLES, SAME_FIELD)


@dataclass(frozen=True)
class RelatedPair:
    occupation: str
    related: str
    kind: str
    strength: int


def _pairs(members: Iterable[str]) -> Iterable[tuple[str, str]]:
    codes = sorted(set(members))
    for a in codes:
        for b in codes:
            if a != b:
                yield a, b


def related_pairs(taxonomy: Taxonomy) -> list[RelatedPair]:
    """Every related pair (a, b) with a != b, in both directions, sorted by (a, b)."""
    best: dict[tuple[str, str], str] = {}

    def offer(pair: tuple[str, str], kind: str) -> None:
        current = best.get(pair)
        if current is None or (STRENGTH[kind], -KIND_ORDER.index(kind)) > (
                STRENGTH[current], -KIND_ORDER.index(current)):
            best[pair] = kind

    codes = [g.ssyk for g in taxonomy.groups]
    by_minor: dict[str, list[str]] = defaultdict(list)
    by_field: dict[str, list[str]] = defaultdict(list)
    for group in taxonomy.groups:
        by_minor[group.ssyk[:3]].append(group.ssyk)
        if group.field:
            by_field[group.field].append(group.ssyk)
    labels: dict[str, set[str]] = defaultdict(set)
    for name in taxonomy.names:
        labels[normalise(name.name)].add(name.ssyk)
    for title in taxonomy.titles:
        labels[normalise(title.title)].add(title.ssyk)

    for members in by_minor.values():
        for pair in _pairs(members):
            offer(pair, SAME_MINOR_GROUP)
    for shared in labels.values():
        for pair in _pairs(shared):
            offer(pair, SHARED_TITLES)
    for members in by_field.values():
        for pair in _pairs(members):
            offer(pair, SAME_FIELD)
    known = set(codes)
    return [RelatedPair(a, b, kind, STRENGTH[kind])
            for (a, b), kind in sorted(best.items()) if a in known and b in known]


def related_map(pairs: Iterable[RelatedPair]) -> dict[str, dict[str, int]]:
    """SSYK code → {related code: strength} (interface I2 of the matching engine)."""
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for pair in pairs:
        result[pair.occupation][pair.related] = pair.strength
    return dict(result)
