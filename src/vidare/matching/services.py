"""Matching as the pages and the API use it: the engine fed by the adapter (profiles.py).

Both directions return explicit states instead of empty lists: a vacancy without an
occupation is "not enough information to match"; a participant without an assessment
"cannot be matched"; people in the pool without an assessment are counted and listed.
Nothing here writes; actions.run_matching records a run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from vidare.engines.matching import Explanation, MatchingIndex, VacancyProfile, explain

from .explain import Explainer, Line, display_score
from .profiles import (
    CandidatePool,
    candidate_pool,
    open_vacancies,
    participant_profile,
    vacancy_profile,
)

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.people.models import Participant

TOP = 20
# People listed with their exclusion reasons, at most (the counts cover everyone).
EXCLUDED_SHOWN = 500
NO_GROUP = ""  # in group counts: people in no target group

# States of a result.
OK = "ok"
NO_OCCUPATION = "no_occupation"   # vacancy: not enough information to match
NO_ASSESSMENT = "no_assessment"   # participant: cannot be matched


def related() -> Mapping[str, Mapping[str, int]]:
    """SSYK code -> {related code: strength} (codelists.services, built by part A)."""
    from vidare.codelists.services import related_occupations

    return related_occupations()


@dataclass
class CandidateRow:
    """One ranked person; `score` as the user may see it (explain.display_score)."""

    key: int
    name: str
    score: int
    lines: list[Line]
    explanation: Explanation


@dataclass
class CandidateResult:
    vacancy: Any
    state: str
    pool_size: int
    missing: list[tuple[int, str]]
    eligible_count: int
    rows: list[CandidateRow]
    exclusion_counts: list[tuple[str, int]]  # most excluding first
    excluded: list[CandidateRow] | None = None  # on request
    excluded_total: int = 0
    group_counts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def assessed_count(self) -> int:
        return self.pool_size - len(self.missing)


def _group_counts(keys: Iterable[int], groups: Mapping[int, frozenset[str]]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for key in keys:
        codes = groups.get(key) or (NO_GROUP,)
        counts.update(codes)
    return dict(sorted(counts.items()))


def candidates_for_vacancy(user: User, vacancy: Any, *, top: int = TOP,
                           with_excluded: bool = False, with_groups: bool = False,
                           show_special: bool = False, today: date | None = None,
                           pool: CandidatePool | None = None) -> CandidateResult:
    """Ranked candidates for `vacancy` among the people `user` may match."""
    today = today or timezone.localdate()
    pool = pool or candidate_pool(user, with_groups=with_groups)
    v = vacancy_profile(vacancy)
    result = CandidateResult(vacancy, OK, pool.size, pool.missing, 0, [], [])
    everyone = [c.key for c in pool.profiles]
    if with_groups:
        result.group_counts = {"pool": _group_counts(pool.names, pool.groups),
                               "eligible": {}, "top": {}}
    if v.ssyk is None:
        result.state = NO_OCCUPATION
        result.exclusion_counts = [("no_occupation", len(everyone))] if everyone else []
        return result
    if not pool.profiles:
        return result
    rel = related()
    index = MatchingIndex.build(pool.profiles, [v], rel, today)
    eligible = {int(k) for k in index.eligible_keys(v.key)}
    result.eligible_count = len(eligible)
    counts = index.exclusion_counts(v.key)
    result.exclusion_counts = sorted(((code, n) for code, n in counts.items() if n),
                                     key=lambda item: (-item[1], item[0]))
    explainer = Explainer(show_special)
    ranked = index.candidates_for(v.key, top=top)
    for r in ranked:
        e = index.explain(r.key, v.key)
        result.rows.append(CandidateRow(r.key, pool.names[r.key],
                                        display_score(r.score, e, show_special),
                                        explainer.reasons(e.reasons,
                                                          open_to_all=v.open_to_all), e))
    if with_groups:
        result.group_counts["eligible"] = _group_counts(eligible, pool.groups)
        result.group_counts["top"] = _group_counts((r.key for r in ranked), pool.groups)
    excluded = [k for k in everyone if k not in eligible]
    result.excluded_total = len(excluded)
    if with_excluded:
        result.excluded = []
        shown = sorted(excluded, key=lambda k: (pool.names[k], k))[:EXCLUDED_SHOWN]
        for key in shown:
            e = index.explain(key, v.key)
            result.excluded.append(CandidateRow(key, pool.names[key],
                                                display_score(e.score, e, show_special),
                                                explainer.exclusions(e.exclusions), e))
    return result


@dataclass
class VacancyRow:
    vacancy: Any
    score: int
    lines: list[Line]
    explanation: Explanation


@dataclass
class VacancyResult:
    state: str
    rows: list[VacancyRow]
    open_count: int          # open vacancies considered
    without_occupation: int  # of those, how many cannot be matched (no occupation)
    not_eligible: int = 0


def vacancies_for_participant(participant: Participant, *, top: int = TOP,
                              show_special: bool = False, today: date | None = None,
                              vacancies: Iterable[Any] | None = None) -> VacancyResult:
    """Ranked open vacancies and internships for a participant the caller may see."""
    today = today or timezone.localdate()
    candidate = participant_profile(participant)
    found = list(vacancies if vacancies is not None else open_vacancies(today))
    profiles = [vacancy_profile(v) for v in found]
    matchable = [p for p in profiles if p.ssyk is not None]
    result = VacancyResult(OK, [], len(found), len(profiles) - len(matchable))
    if candidate is None:
        result.state = NO_ASSESSMENT
        return result
    if not matchable:
        return result
    rel = related()
    index = MatchingIndex.build([candidate], matchable, rel, today)
    by_key = {v.pk: v for v in found}
    explainer = Explainer(show_special)
    ranked = index.vacancies_for(candidate.key, top=top)
    for r in ranked:
        e = index.explain(candidate.key, r.key)
        result.rows.append(VacancyRow(by_key[r.key], display_score(r.score, e, show_special),
                                      explainer.reasons(e.reasons,
                                                        open_to_all=by_key[r.key].open_to_all),
                                      e))
    eligible_total = len(index.vacancies_for(candidate.key, top=None))
    result.not_eligible = len(matchable) - eligible_total
    return result


def explain_in_pool(pool: CandidatePool, vacancy: VacancyProfile, keys: Iterable[int],
                    today: date | None = None) -> dict[int, Explanation]:
    """The explanation of each of `keys` (in the pool) for `vacancy`, with the skill rarity
    of the whole pool: the scores the candidate page shows."""
    rel, day, by_key = related(), today or timezone.localdate(), pool.by_key()
    return {k: explain(by_key[k], vacancy, rel, day, pool.context) for k in keys}
