"""The data the matching engine sees: candidate and vacancy profiles, and what it answers.

By design a candidate profile has no field for age, gender, birth region, health or
disability: what the engine cannot see it cannot score. ``candidate_from_mapping`` turns a
record that may carry such attributes (a row, a dict from an adapter) into a profile and
drops exactly those attributes; any other unknown key is an error, so a typo never passes
silently.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

COMMUTE_RANGES = ("kommun", "lan", "obegransat")
MAX_SWEDISH_RANK = 7

# Attributes a record may carry that matching must never see (DESIGN.md: "Matching never
# scores on age, gender, birth region, health or disability").
PROTECTED_ATTRIBUTES = frozenset({
    "age", "birth_date", "birth_year", "gender", "sex", "birth_region", "birth_country",
    "country_of_birth", "ethnicity", "health", "health_notes", "disability",
    "disabilities", "protected_identity", "identity_number", "personnummer",
})

Param = str | int | float


def normalise_label(text: str) -> str:
    """Skill labels compare case-insensitively with collapsed white space."""
    return " ".join(text.casefold().split())


def normalise_labels(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(label for label in (normalise_label(t) for t in texts) if label)


def county_of(municipality: str | None, county: str | None) -> str | None:
    """The county (länskod) of a place: given, or the first two digits of the kommunkod."""
    if county:
        return county
    if municipality:
        return municipality[:2]
    return None


def _check_range(owner: str, name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{owner}: {name} must be an integer from {low} to {high}, "
                         f"got {value!r}")


@dataclass(frozen=True)
class CandidateProfile:
    key: int                                  # participant id
    experience: Mapping[str, float]           # SSYK code -> years of work experience
    desired_occupations: frozenset[str]       # SSYK codes the person wants
    interest_fields: frozenset[str]           # occupation fields
    skills: frozenset[str]                    # normalised labels (casefold, stripped)
    driving_licences: frozenset[str]          # "B", "C", ...
    swedish_rank: int                         # SwedishLevel.rank, 0..7
    work_capacity_percent: int                # 0..100
    available_from: date | None               # None = available now
    home_municipality: str | None             # kommunkod
    home_county: str | None                   # länskod
    commute: str                              # "kommun" | "lan" | "obegransat"
    adaptation_needs: frozenset[str]          # Adaptation codes
    # By design there is no field for age, gender, birth region, health or disability.

    def __post_init__(self) -> None:
        owner = f"candidate {self.key!r}"
        _check_range(owner, "swedish_rank", self.swedish_rank, 0, MAX_SWEDISH_RANK)
        _check_range(owner, "work_capacity_percent", self.work_capacity_percent, 0, 100)
        if self.commute not in COMMUTE_RANGES:
            raise ValueError(f"{owner}: commute must be one of {', '.join(COMMUTE_RANGES)}, "
                             f"got {self.commute!r}")
        for code, years in self.experience.items():
            if not isinstance(years, int | float) or math.isnan(years) or years < 0:
                raise ValueError(f"{owner}: experience years for {code!r} must be a number "
                                 f"≥ 0, got {years!r}")


@dataclass(frozen=True)
class VacancyProfile:
    key: int                                  # vacancy id
    ssyk: str | None                          # None -> not enough information to match
    occupation_field: str | None
    required_skills: frozenset[str]
    merit_skills: frozenset[str]
    driving_licences: frozenset[str]          # every one is required
    min_swedish_rank: int                     # 0 = no requirement
    extent_percent: int                       # 1..100
    extent_adaptable: bool                    # employer can lower the extent
    start: date | None                        # None = as soon as possible
    municipality: str | None
    county: str | None
    adaptations_offered: frozenset[str]
    open_to_all: bool = False                 # no experience/interest in the occupation needed

    def __post_init__(self) -> None:
        owner = f"vacancy {self.key!r}"
        _check_range(owner, "min_swedish_rank", self.min_swedish_rank, 0, MAX_SWEDISH_RANK)
        _check_range(owner, "extent_percent", self.extent_percent, 1, 100)


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    params: Mapping[str, Param] = field(default_factory=dict)


@dataclass(frozen=True)
class Exclusion:
    code: str
    params: Mapping[str, Param] = field(default_factory=dict)


@dataclass(frozen=True)
class Explanation:
    score: int
    eligible: bool
    reasons: tuple[Reason, ...]
    exclusions: tuple[Exclusion, ...]


@dataclass(frozen=True)
class Ranked:
    key: int
    score: int


_CANDIDATE_FIELDS = tuple(f.name for f in fields(CandidateProfile))
_SET_FIELDS = ("desired_occupations", "interest_fields", "driving_licences",
               "adaptation_needs")


def candidate_from_mapping(record: Mapping[str, Any]) -> CandidateProfile:
    """A candidate profile from a record that may carry attributes matching must not see.

    Keys in PROTECTED_ATTRIBUTES are dropped; any other key that is not a profile field is
    an error (KeyError naming it). Missing optional fields take their empty value.
    """
    unknown = sorted(set(record) - set(_CANDIDATE_FIELDS) - PROTECTED_ATTRIBUTES)
    if unknown:
        raise KeyError(f"candidate record has unknown field(s): {', '.join(unknown)}")
    if "key" not in record:
        raise KeyError("candidate record has no 'key'")
    values: dict[str, Any] = {
        "key": record["key"],
        "experience": dict(record.get("experience") or {}),
        "skills": normalise_labels(record.get("skills") or ()),
        "swedish_rank": record.get("swedish_rank", 0),
        "work_capacity_percent": record.get("work_capacity_percent", 100),
        "available_from": record.get("available_from"),
        "home_municipality": record.get("home_municipality"),
        "home_county": record.get("home_county"),
        "commute": record.get("commute", "kommun"),
    }
    for name in _SET_FIELDS:
        values[name] = frozenset(record.get(name) or ())
    return CandidateProfile(**values)
