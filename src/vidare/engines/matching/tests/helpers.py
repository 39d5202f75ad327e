"""Small builders for candidate and vacancy profiles with neutral defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

from vidare.engines.matching import CandidateProfile, VacancyProfile

TODAY = date(2026, 12, 2)          # a Wednesday
RELATED: dict[str, dict[str, int]] = {
    "5321": {"5322": 2, "5330": 1},
    "5322": {"5321": 2, "5330": 1},
    "5330": {"5321": 1, "5322": 1},
    "9111": {"9112": 2},
    "9112": {"9111": 2},
}


def candidate(key: int = 1, **fields: Any) -> CandidateProfile:
    values: dict[str, Any] = {
        "key": key, "experience": {}, "desired_occupations": frozenset(),
        "interest_fields": frozenset(), "skills": frozenset(), "driving_licences": frozenset(),
        "swedish_rank": 7, "work_capacity_percent": 100, "available_from": None,
        "home_municipality": "1490", "home_county": "14", "commute": "kommun",
        "adaptation_needs": frozenset(),
    }
    for name, value in fields.items():
        values[name] = frozenset(value) if isinstance(value, set) else value
    return CandidateProfile(**values)


def vacancy(key: int = 1, **fields: Any) -> VacancyProfile:
    values: dict[str, Any] = {
        "key": key, "ssyk": "5321", "occupation_field": "Hälso- och sjukvård",
        "required_skills": frozenset(), "merit_skills": frozenset(),
        "driving_licences": frozenset(), "min_swedish_rank": 0, "extent_percent": 100,
        "extent_adaptable": False, "start": None, "municipality": "1490", "county": "14",
        "adaptations_offered": frozenset(), "open_to_all": False,
    }
    for name, value in fields.items():
        values[name] = frozenset(value) if isinstance(value, set) else value
    return VacancyProfile(**values)
