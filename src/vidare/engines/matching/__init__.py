"""Matching engine: candidates ↔ vacancies with hard filters, integer soft scores and reasons.

Pure Python + NumPy/SciPy, no Django. `explain` is the per-pair reference (scoring.py has
the rules); `MatchingIndex` computes the same integers for a whole pool (index.py has the
encoding). The Django side builds profiles from participants and vacancies and renders
reasons (codes + params) in Swedish.
"""

from .index import AllPairsStats, MatchingIndex
from .profiles import (
    COMMUTE_RANGES,
    PROTECTED_ATTRIBUTES,
    CandidateProfile,
    Exclusion,
    Explanation,
    Ranked,
    Reason,
    VacancyProfile,
    candidate_from_mapping,
    normalise_label,
)
from .scoring import (
    EXCLUSION_CODES,
    RELEVANCE_UNIT,
    ScoringContext,
    explain,
)

__all__ = [
    "COMMUTE_RANGES",
    "EXCLUSION_CODES",
    "PROTECTED_ATTRIBUTES",
    "RELEVANCE_UNIT",
    "AllPairsStats",
    "CandidateProfile",
    "Exclusion",
    "Explanation",
    "MatchingIndex",
    "Ranked",
    "Reason",
    "ScoringContext",
    "VacancyProfile",
    "candidate_from_mapping",
    "explain",
    "normalise_label",
]
