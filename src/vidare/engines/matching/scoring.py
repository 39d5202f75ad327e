"""The scoring rules, and `explain`: the per-pair reference implementation.

Every point is an integer. Points that show relevance for the occupation (experience,
related experience, wishes, interest field, skills) are multiples of RELEVANCE_UNIT (10);
adaptation points are at most ADAPTATION_CAP (9), so "relevant" ⇔ the score without
adaptation points is > 0 ⇔ (for an otherwise eligible pair) the score is ≥ 10. The fast
`MatchingIndex` relies on that; it computes the very same integers.

Soft points
  experience        same occupation: 40 × level, level = 1 + min(whole years, 4) → 40..200
  related_experience  experience in a related occupation: 10 × strength × level
  desired           wants the vacancy's occupation: 30
  desired_related   wants a related occupation: 10 × strength
  interest_field    interested in the vacancy's occupation field: 20
  skill_required    has a required skill: 20 × rarity weight (1..5)
  skill_merit       has a meritorious skill: 10 × rarity weight (a skill both required and
                    meritorious counts as required)
  adaptation        1 per adaptation the person needs and the employer offers, at most 9;
                    the reason carries only the count, never the need
Rarity weight of a skill held by n of the N candidates in the pool:
  clamp(floor(log2((N + 1) / (n + 1))), 1, 5), with integer arithmetic. A pool of 0
  (the default context) gives weight 1 to every skill.

Hard filters (exclusions)
  driving_licence   every required licence class held (plain set inclusion)
  swedish_level     rank ≥ the vacancy's minimum
  extent            work capacity ≥ extent; if the employer can adapt the extent, any
                    capacity ≥ 1 % passes
  start             compared by ISO week (Monday to Sunday): the person must be available
                    in or before the week the job starts. A start or availability date in
                    the past, or none, means "this week" (of `today`).
  commute           "obegransat": anywhere. "lan": same county. "kommun": same municipality;
                    when only the county of the place or of the home is known, same county.
                    A county is taken from the first two digits of the kommunkod when not
                    given. Unknown place of work, or an unknown home (no municipality and
                    no county), is never a reason to exclude: the filter passes and the
                    reason says what was unknown.
  occupation        no relevance points and the vacancy is not open to all
  no_occupation     the vacancy has no SSYK code: nobody is eligible (explicit state)
A pair is eligible ⇔ it has no exclusion. Ranking: score descending, then key ascending.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .profiles import (
    CandidateProfile,
    Exclusion,
    Explanation,
    Param,
    Reason,
    VacancyProfile,
    county_of,
    normalise_labels,
)

RELEVANCE_UNIT = 10
ADAPTATION_CAP = 9
SAME_EXPERIENCE_FACTOR = 4      # × RELEVANCE_UNIT × level
EXPERIENCE_MAX_LEVEL = 5
DESIRED_FACTOR = 3              # × RELEVANCE_UNIT
INTEREST_FIELD_FACTOR = 2       # × RELEVANCE_UNIT
REQUIRED_SKILL_FACTOR = 2       # × RELEVANCE_UNIT × rarity weight
MERIT_SKILL_FACTOR = 1          # × RELEVANCE_UNIT × rarity weight
MAX_RARITY_WEIGHT = 5

EXCLUSION_CODES = ("driving_licence", "swedish_level", "extent", "start", "commute",
                   "occupation", "no_occupation")
SOFT_RELEVANCE_CODES = frozenset({"experience", "related_experience", "desired",
                                  "desired_related", "interest_field", "skill_required",
                                  "skill_merit"})


def experience_level(years: float) -> int:
    """1 for less than a year, +1 per whole year, at most 5."""
    return 1 + min(math.floor(years), EXPERIENCE_MAX_LEVEL - 1)


def rarity_weight(holders: int, pool: int) -> int:
    """clamp(floor(log2((pool + 1) / (holders + 1))), 1, 5), in exact integer arithmetic."""
    weight = 0
    while weight < MAX_RARITY_WEIGHT and (holders + 1) << (weight + 1) <= pool + 1:
        weight += 1
    return max(weight, 1)


def week_number(day: date) -> int:
    """Weeks since 0001-01-01, a Monday: one number per ISO week."""
    return (day.toordinal() - 1) // 7


def effective_day(day: date | None, today: date) -> date:
    return today if day is None or day < today else day


def strength_of(related: Mapping[str, Mapping[str, int]], ssyk: str, other: str) -> int:
    if other == ssyk:
        return 0
    return max(int(related.get(ssyk, {}).get(other, 0)), 0)


@dataclass(frozen=True)
class ScoringContext:
    """What scores depend on beyond the pair: the rarity of skills in the candidate pool."""

    pool_size: int = 0
    skill_holders: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_candidates(cls, candidates: Iterable[CandidateProfile]) -> ScoringContext:
        return cls.from_skill_sets([normalise_labels(c.skills) for c in candidates])

    @classmethod
    def from_skill_sets(cls, skill_sets: Sequence[frozenset[str]]) -> ScoringContext:
        """From each candidate's normalised skills."""
        holders: Counter[str] = Counter()
        for skills in skill_sets:
            holders.update(skills)
        return cls(len(skill_sets), dict(holders))

    def skill_weight(self, skill: str) -> int:
        return rarity_weight(self.skill_holders.get(skill, 0), self.pool_size)


DEFAULT_CONTEXT = ScoringContext()


def commute_check(c: CandidateProfile, v: VacancyProfile) -> tuple[bool, str]:
    """(passes, basis); basis is one of unknown_place, any, unknown_home, county,
    municipality."""
    place_county = county_of(v.municipality, v.county)
    if place_county is None:
        return True, "unknown_place"
    if c.commute == "obegransat":
        return True, "any"
    home_county = county_of(c.home_municipality, c.home_county)
    if home_county is None:
        return True, "unknown_home"
    if c.commute == "kommun" and c.home_municipality and v.municipality:
        return c.home_municipality == v.municipality, "municipality"
    return home_county == place_county, "county"


def _joined(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes))


def explain(c: CandidateProfile, v: VacancyProfile, related: Mapping[str, Mapping[str, int]],
            today: date, context: ScoringContext | None = None) -> Explanation:
    """Score one pair with reasons and exclusions. `context` carries the skill rarity of
    the candidate pool (`MatchingIndex.context`); without it every skill weighs 1."""
    ctx = context or DEFAULT_CONTEXT
    reasons: list[Reason] = []
    exclusions: list[Exclusion] = []
    unit = RELEVANCE_UNIT
    ssyk = v.ssyk

    # Soft scores.
    if ssyk is not None:
        if ssyk in c.experience:
            years = c.experience[ssyk]
            reasons.append(Reason("experience",
                                  unit * SAME_EXPERIENCE_FACTOR * experience_level(years),
                                  {"ssyk": ssyk, "years": years}))
        for code in sorted(c.experience):
            strength = strength_of(related, ssyk, code)
            if strength:
                years = c.experience[code]
                reasons.append(Reason("related_experience",
                                      unit * strength * experience_level(years),
                                      {"ssyk": code, "related_to": ssyk, "years": years,
                                       "strength": strength}))
        if ssyk in c.desired_occupations:
            reasons.append(Reason("desired", unit * DESIRED_FACTOR, {"ssyk": ssyk}))
        for code in sorted(c.desired_occupations):
            strength = strength_of(related, ssyk, code)
            if strength:
                reasons.append(Reason("desired_related", unit * strength,
                                      {"ssyk": code, "related_to": ssyk,
                                       "strength": strength}))
    if v.occupation_field is not None and v.occupation_field in c.interest_fields:
        reasons.append(Reason("interest_field", unit * INTEREST_FIELD_FACTOR,
                              {"field": v.occupation_field}))
    skills = normalise_labels(c.skills)
    required = normalise_labels(v.required_skills)
    merit = normalise_labels(v.merit_skills) - required
    for skill in sorted(skills & required):
        reasons.append(Reason("skill_required",
                              unit * REQUIRED_SKILL_FACTOR * ctx.skill_weight(skill),
                              {"skill": skill}))
    for skill in sorted(skills & merit):
        reasons.append(Reason("skill_merit",
                              unit * MERIT_SKILL_FACTOR * ctx.skill_weight(skill),
                              {"skill": skill}))
    relevance = sum(r.points for r in reasons)
    met_needs = len(c.adaptation_needs & v.adaptations_offered)
    if met_needs:
        reasons.append(Reason("adaptation", min(met_needs, ADAPTATION_CAP),
                              {"count": met_needs}))

    # Hard filters: a met requirement is a 0-point reason, a failed one an exclusion.
    if v.driving_licences:
        missing = v.driving_licences - c.driving_licences
        if missing:
            exclusions.append(Exclusion("driving_licence", {"missing": _joined(missing)}))
        else:
            reasons.append(Reason("driving_licence", 0,
                                  {"licences": _joined(v.driving_licences)}))
    if v.min_swedish_rank > 0:
        params: dict[str, Param] = {"required": v.min_swedish_rank, "actual": c.swedish_rank}
        if c.swedish_rank < v.min_swedish_rank:
            exclusions.append(Exclusion("swedish_level", params))
        else:
            reasons.append(Reason("swedish_level", 0, params))
    needed = 1 if v.extent_adaptable else v.extent_percent
    params = {"extent": v.extent_percent, "capacity": c.work_capacity_percent,
              "adaptable": int(v.extent_adaptable)}
    if c.work_capacity_percent < needed:
        exclusions.append(Exclusion("extent", params))
    else:
        reasons.append(Reason("extent", 0, params))
    start = effective_day(v.start, today)
    available = effective_day(c.available_from, today)
    params = {"start": start.isoformat(), "available_from": available.isoformat()}
    if week_number(available) > week_number(start):
        exclusions.append(Exclusion("start", params))
    else:
        reasons.append(Reason("start", 0, params))
    passes, basis = commute_check(c, v)
    params = {"range": c.commute, "basis": basis,
              "place": v.municipality or county_of(v.municipality, v.county) or ""}
    if passes:
        reasons.append(Reason("commute", 0, params))
    else:
        exclusions.append(Exclusion("commute", params))
    if ssyk is None:
        exclusions.append(Exclusion("no_occupation", {}))
    elif relevance == 0 and not v.open_to_all:
        exclusions.append(Exclusion("occupation", {"ssyk": ssyk}))

    return Explanation(score=sum(r.points for r in reasons), eligible=not exclusions,
                       reasons=tuple(reasons), exclusions=tuple(exclusions))
