"""`MatchingIndex` gives exactly what `explain` gives, pair by pair, on any data."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vidare.engines.matching import (
    EXCLUSION_CODES,
    CandidateProfile,
    MatchingIndex,
    Ranked,
    VacancyProfile,
    explain,
)

from .helpers import RELATED, TODAY, candidate, vacancy

CODES = ["5321", "5322", "5330", "9111", "9112", "2221"]
FIELDS = ["Vård", "Städ", "Data"]
SKILLS = ["hlr", "HLR ", "truck", "excel", "städ", "svets"]
LICENCES = ["B", "C", "CE"]
ADAPTATIONS = ["deltid", "handledare", "lugn_miljo", "sprakstod"]
PLACES = [(None, None), ("1490", "14"), ("1490", None), ("1480", "14"), (None, "14"),
          ("0180", "01"), (None, "01")]

maybe_day = st.one_of(st.none(), st.integers(-20, 40).map(lambda d: TODAY + timedelta(d)))


@st.composite
def candidates(draw: st.DrawFn, key: int) -> CandidateProfile:
    home, county = draw(st.sampled_from(PLACES))
    return CandidateProfile(
        key=key,
        experience=draw(st.dictionaries(st.sampled_from(CODES),
                                        st.floats(0, 12, allow_nan=False), max_size=3)),
        desired_occupations=draw(st.frozensets(st.sampled_from(CODES), max_size=2)),
        interest_fields=draw(st.frozensets(st.sampled_from(FIELDS), max_size=2)),
        skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=3)),
        driving_licences=draw(st.frozensets(st.sampled_from(LICENCES), max_size=3)),
        swedish_rank=draw(st.integers(0, 7)),
        work_capacity_percent=draw(st.sampled_from([0, 25, 50, 75, 99, 100])),
        available_from=draw(maybe_day),
        home_municipality=home,
        home_county=county,
        commute=draw(st.sampled_from(["kommun", "lan", "obegransat"])),
        adaptation_needs=draw(st.frozensets(st.sampled_from(ADAPTATIONS), max_size=3)),
    )


@st.composite
def vacancies(draw: st.DrawFn, key: int) -> VacancyProfile:
    municipality, county = draw(st.sampled_from(PLACES))
    return VacancyProfile(
        key=key,
        ssyk=draw(st.one_of(st.none(), st.sampled_from(CODES))),
        occupation_field=draw(st.one_of(st.none(), st.sampled_from(FIELDS))),
        required_skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=2)),
        merit_skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=2)),
        driving_licences=draw(st.frozensets(st.sampled_from(LICENCES), max_size=2)),
        min_swedish_rank=draw(st.integers(0, 7)),
        extent_percent=draw(st.sampled_from([1, 25, 50, 75, 100])),
        extent_adaptable=draw(st.booleans()),
        start=draw(maybe_day),
        municipality=municipality,
        county=county,
        adaptations_offered=draw(st.frozensets(st.sampled_from(ADAPTATIONS), max_size=3)),
        open_to_all=draw(st.booleans()),
    )


@st.composite
def pools(draw: st.DrawFn) -> tuple[list[CandidateProfile], list[VacancyProfile],
                                     dict[str, dict[str, int]]]:
    keys = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=25))
    people = [draw(candidates(k)) for k in keys]
    vkeys = draw(st.lists(st.integers(1, 10_000), unique=True, min_size=1, max_size=8))
    jobs = [draw(vacancies(k)) for k in vkeys]
    related = draw(st.dictionaries(
        st.sampled_from(CODES), st.dictionaries(st.sampled_from(CODES), st.integers(1, 2)),
        max_size=4))
    return people, jobs, related


def reference(people: list[CandidateProfile], job: VacancyProfile,
              related: dict[str, dict[str, int]], index: MatchingIndex) -> list[Ranked]:
    found = [Ranked(c.key, e.score) for c in people
             if (e := explain(c, job, related, TODAY, index.context)).eligible]
    return sorted(found, key=lambda r: (-r.score, r.key))


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(pools(), st.integers(0, 6))
def test_index_agrees_with_explain_on_random_data(
        pool: tuple[list[CandidateProfile], list[VacancyProfile], dict[str, dict[str, int]]],
        top: int) -> None:
    people, jobs, related = pool
    index = MatchingIndex.build(people, jobs, related, TODAY)
    keys, scores = index.top_candidates_all(top, block=3)
    for row, job in enumerate(index.vacancies):
        expected = reference(people, job, related, index)
        assert index.candidates_for(job.key, top=None) == expected
        assert index.candidates_for(job.key, top=top) == expected[:top]
        padded = expected[:top] + [Ranked(-1, -1)] * (top - len(expected[:top]))
        assert keys[row].tolist() == [r.key for r in padded]
        assert scores[row].tolist() == [r.score for r in padded]
        assert index.eligible_keys(job.key).tolist() == sorted(r.key for r in expected)
        counted: Counter[str] = Counter()
        for person in people:
            counted.update(e.code for e in explain(person, job, related, TODAY).exclusions)
        assert index.exclusion_counts(job.key) == {code: counted[code]
                                                   for code in EXCLUSION_CODES}
    for person in people:
        found = [Ranked(j.key, e.score) for j in jobs
                 if (e := explain(person, j, related, TODAY, index.context)).eligible]
        found.sort(key=lambda r: (-r.score, r.key))
        assert index.vacancies_for(person.key, top=None) == found
        assert index.vacancies_for(person.key, top=top) == found[:top]


def test_ties_at_the_boundary_go_to_the_lowest_keys() -> None:
    people = [candidate(k, experience={"5321": 2}) for k in (50, 7, 31, 12, 3, 44)]
    people.append(candidate(99, experience={"5321": 9}))
    index = MatchingIndex.build(people, [vacancy(1)], RELATED, TODAY)
    assert index.candidates_for(1, top=3) == [Ranked(99, 200), Ranked(3, 120),
                                             Ranked(7, 120)]
    keys, scores = index.top_candidates_all(3)
    assert keys.tolist() == [[99, 3, 7]] and scores.tolist() == [[200, 120, 120]]


def test_many_ties_in_large_blocks_are_exact() -> None:
    rng = np.random.default_rng(5)
    people = [candidate(int(k), experience={"5321": float(rng.integers(0, 3))},
                        skills={"hlr"} if rng.random() < 0.3 else set())
              for k in rng.permutation(20_000)[:6000] + 1]
    jobs = [vacancy(k, required_skills={"hlr"} if k % 2 else set()) for k in range(1, 6)]
    index = MatchingIndex.build(people, jobs, RELATED, TODAY)
    keys, scores = index.top_candidates_all(20)
    for row, job in enumerate(index.vacancies):
        expected = reference(people, job, RELATED, index)[:20]
        assert keys[row].tolist() == [r.key for r in expected]
        assert scores[row].tolist() == [r.score for r in expected]


def test_more_adaptation_codes_than_the_cap_still_agree() -> None:
    codes = [f"anpassning{k}" for k in range(12)]
    people = [candidate(k, experience={"5321": 1}, adaptation_needs=set(codes[:k]))
              for k in range(1, 13)]
    jobs = [vacancy(1, adaptations_offered=set(codes)),
            vacancy(2, adaptations_offered=set(codes[5:]))]
    index = MatchingIndex.build(people, jobs, RELATED, TODAY)
    for job in jobs:
        assert index.candidates_for(job.key, None) == reference(people, job, RELATED, index)
    assert index.candidates_for(1, 1) == [Ranked(9, 89)]           # 80 + the cap of 9
    assert index.vacancies_for(12, None) == [Ranked(1, 89), Ranked(2, 87)]
    keys, _ = index.top_candidates_all(2)
    assert keys.tolist() == [[9, 10], [12, 11]]


def test_vacancy_without_ssyk_ranks_nobody_and_says_why() -> None:
    people = [candidate(k, experience={"5321": 1}) for k in range(1, 4)]
    index = MatchingIndex.build(people, [vacancy(8, ssyk=None)], RELATED, TODAY)
    assert index.candidates_for(8) == []
    assert index.exclusion_counts(8)["no_occupation"] == 3
    assert index.exclusion_counts(8)["occupation"] == 0
    assert index.eligible_keys(8).tolist() == []
    keys, scores = index.top_candidates_all(2)
    assert keys.tolist() == [[-1, -1]] and scores.tolist() == [[-1, -1]]
    assert index.vacancies_for(1) == []


def test_empty_pools_give_empty_results() -> None:
    index = MatchingIndex.build([], [vacancy(1)], RELATED, TODAY)
    assert index.candidates_for(1) == []
    assert index.exclusion_counts(1) == dict.fromkeys(EXCLUSION_CODES, 0)
    keys, scores = index.top_candidates_all(4)
    assert keys.shape == scores.shape == (1, 4) and (keys == -1).all()
    no_jobs = MatchingIndex.build([candidate(1)], [], RELATED, TODAY)
    assert no_jobs.vacancies_for(1) == []
    assert no_jobs.top_candidates_all(3)[0].shape == (0, 3)


def test_unknown_keys_raise_key_error_with_a_message() -> None:
    index = MatchingIndex.build([candidate(1)], [vacancy(2)], RELATED, TODAY)
    with pytest.raises(KeyError, match="vacancy 3 is not in this matching index"):
        index.candidates_for(3)
    with pytest.raises(KeyError, match="candidate 5 is not in this matching index"):
        index.vacancies_for(5)
    with pytest.raises(KeyError, match="vacancy 9"):
        index.exclusion_counts(9)
    with pytest.raises(KeyError, match="candidate 2"):
        index.explain(2, 2)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate candidate key 1"):
        MatchingIndex.build([candidate(1), candidate(1)], [], RELATED, TODAY)
    with pytest.raises(ValueError, match="duplicate vacancy key 4"):
        MatchingIndex.build([], [vacancy(4), vacancy(4)], RELATED, TODAY)
    index = MatchingIndex.build([candidate(1)], [vacancy(2)], RELATED, TODAY)
    with pytest.raises(ValueError, match="top must be"):
        index.candidates_for(2, top=-1)
    with pytest.raises(ValueError, match="top must be"):
        index.top_candidates_all(-2)


def test_a_vacancy_too_large_to_score_exactly_is_refused() -> None:
    skills = {f"skill {k}" for k in range(10_000)}
    licences = {f"L{k}" for k in range(100)}
    with pytest.raises(ValueError, match="vacancy 1: too many requirements"):
        MatchingIndex.build([candidate(1, skills=skills)],
                            [vacancy(1, required_skills=skills, driving_licences=licences)],
                            RELATED, TODAY)


def test_index_explain_uses_the_pool_context() -> None:
    people = [candidate(1, experience={"5321": 1}, skills={"svets"})] + \
        [candidate(k) for k in range(2, 70)]
    index = MatchingIndex.build(people, [vacancy(5, required_skills={"svets"})], RELATED,
                                TODAY)
    result = index.explain(1, 5)
    assert next(r.points for r in result.reasons if r.code == "skill_required") == 100
    assert index.candidates_for(5) == [Ranked(1, result.score)]
    assert index.candidate(1) is people[0] and index.vacancy(5).key == 5
    assert date.fromisoformat(
        next(r.params for r in result.reasons if r.code == "start")["start"]  # type: ignore[arg-type]
    ) == TODAY
