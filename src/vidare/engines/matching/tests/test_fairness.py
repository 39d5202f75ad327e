"""Matching never scores on age, gender, birth region, health or disability.

The profile types have no such fields; these tests build candidates from records that do
carry them (as an adapter reading the participant register would see them) and prove that
changing them changes no score, no eligibility, no reason and no ranking.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from typing import Any

import pytest

from vidare.engines.matching import (
    PROTECTED_ATTRIBUTES,
    CandidateProfile,
    MatchingIndex,
    candidate_from_mapping,
    explain,
)
from vidare.engines.matching.synthetic import generate, load_reference, related_from_reference

TODAY = date(2026, 12, 1)
VARIATIONS: dict[str, list[Any]] = {
    "age": [19, 34, 58, 66],
    "birth_date": [date(1960, 1, 1), date(2005, 7, 7)],
    "gender": ["kvinna", "man", "annat", None],
    "birth_region": ["Sverige", "Norden", "Afrika", "Asien", "Sydamerika"],
    "health": ["", "sjukskriven 50 %", "långvarig smärta"],
    "disability": [False, True, "neuropsykiatrisk"],
}


def record_of(profile: CandidateProfile, rng: random.Random) -> dict[str, Any]:
    record: dict[str, Any] = {f.name: getattr(profile, f.name)
                              for f in dataclasses.fields(profile)}
    record.update({name: rng.choice(values) for name, values in VARIATIONS.items()})
    return record


def test_profile_types_have_no_protected_fields() -> None:
    names = {f.name for f in dataclasses.fields(CandidateProfile)}
    assert not names & PROTECTED_ATTRIBUTES
    assert set(VARIATIONS) <= PROTECTED_ATTRIBUTES


def test_changing_protected_attributes_changes_no_score_or_rank() -> None:
    reference = load_reference()
    related = related_from_reference(reference)
    people, jobs = generate(400, 40, seed=11, today=TODAY, reference=reference)
    runs: list[dict[str, Any]] = []
    for seed in range(4):
        rng = random.Random(seed)
        pool = [candidate_from_mapping(record_of(p, rng)) for p in people]
        index = MatchingIndex.build(pool, jobs, related, TODAY)
        runs.append({
            "explanations": [explain(c, v, related, TODAY, index.context)
                             for c in pool[:60] for v in jobs],
            "by_vacancy": [index.candidates_for(v.key, top=None) for v in jobs],
            "by_candidate": [index.vacancies_for(c.key, top=None) for c in pool],
            "all": [a.tolist() for a in index.top_candidates_all(20)],
            "exclusions": [index.exclusion_counts(v.key) for v in jobs],
        })
    assert any(run["by_vacancy"][0] for run in runs)
    for run in runs[1:]:
        assert run == runs[0]
    # Control: the comparison does see a change in a field that is scored.
    changed = [dataclasses.replace(p, experience={}) if p.key % 2 else p for p in people]
    index = MatchingIndex.build(changed, jobs, related, TODAY)
    assert [index.candidates_for(v.key, top=None) for v in jobs] != runs[0]["by_vacancy"]


def test_records_with_unknown_fields_are_refused() -> None:
    with pytest.raises(KeyError, match=r"unknown field.*salary"):
        candidate_from_mapping({"key": 1, "salary": 30000, "age": 40})
    with pytest.raises(KeyError, match="no 'key'"):
        candidate_from_mapping({"gender": "man"})
    person = candidate_from_mapping({"key": 3, "skills": [" HLR ", ""], "gender": "kvinna",
                                     "desired_occupations": ["5321"]})
    assert person.skills == frozenset({"hlr"})
    assert person.desired_occupations == frozenset({"5321"})
    assert person.commute == "kommun" and person.work_capacity_percent == 100
