"""`explain`: the scoring rules, reason by reason and filter by filter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from vidare.engines.matching import Explanation, ScoringContext, explain
from vidare.engines.matching.scoring import experience_level, rarity_weight, week_number

from .helpers import RELATED, TODAY, candidate, vacancy


def codes(result: Explanation) -> dict[str, int]:
    """Reason code → total points (0-point reasons included)."""
    points: dict[str, int] = {}
    for reason in result.reasons:
        points[reason.code] = points.get(reason.code, 0) + reason.points
    return points


def excluded(result: Explanation) -> list[str]:
    return [e.code for e in result.exclusions]


def test_experience_in_the_same_occupation_scores_by_capped_years() -> None:
    assert [experience_level(y) for y in (0, 0.9, 1, 2.5, 4, 10, 40)] == [1, 1, 2, 3, 5, 5, 5]
    result = explain(candidate(experience={"5321": 3.0}), vacancy(), RELATED, TODAY)
    assert result.eligible
    assert result.score == 160
    reason = result.reasons[0]
    assert (reason.code, reason.points) == ("experience", 160)
    assert reason.params == {"ssyk": "5321", "years": 3.0}


def test_related_experience_and_wishes_scale_with_strength() -> None:
    person = candidate(experience={"5322": 1.0, "5330": 0.5},
                       desired_occupations={"5321", "5322"})
    result = explain(person, vacancy(), RELATED, TODAY)
    points = codes(result)
    assert points["related_experience"] == 2 * 10 * 2 + 1 * 10 * 1
    assert points["desired"] == 30
    assert points["desired_related"] == 20
    related = [r for r in result.reasons if r.code == "related_experience"]
    assert related[0].params == {"ssyk": "5322", "related_to": "5321", "years": 1.0,
                                 "strength": 2}
    assert result.score == 50 + 30 + 20


def test_unrelated_experience_gives_nothing_and_excludes_on_occupation() -> None:
    result = explain(candidate(experience={"9111": 5}), vacancy(), RELATED, TODAY)
    assert not result.eligible
    assert excluded(result) == ["occupation"]
    assert result.exclusions[0].params == {"ssyk": "5321"}


def test_interest_field_counts_as_relevance() -> None:
    result = explain(candidate(interest_fields={"Hälso- och sjukvård"}), vacancy(),
                     RELATED, TODAY)
    assert result.eligible and codes(result)["interest_field"] == 20


def test_skills_weighted_by_rarity_in_the_pool() -> None:
    assert [rarity_weight(n, 99) for n in (0, 1, 3, 10, 30, 49, 50, 99)] == \
        [5, 5, 4, 3, 1, 1, 1, 1]
    assert rarity_weight(0, 0) == 1
    person = candidate(skills={"hlr", "truckkort a"})
    job = vacancy(required_skills={"HLR "}, merit_skills={"Truckkort  A", "hlr"})
    plain = explain(person, job, RELATED, TODAY)
    # Without a pool every skill weighs 1; a skill both required and merit is required.
    assert [(r.code, r.points, r.params) for r in plain.reasons] == [
        ("skill_required", 20, {"skill": "hlr"}),
        ("skill_merit", 10, {"skill": "truckkort a"}),
        ("extent", 0, {"extent": 100, "capacity": 100, "adaptable": 0}),
        ("start", 0, {"start": TODAY.isoformat(), "available_from": TODAY.isoformat()}),
        ("commute", 0, {"range": "kommun", "basis": "municipality", "place": "1490"}),
    ]
    pool = [person] + [candidate(k, skills={"truckkort a"}) for k in range(2, 80)]
    ranked = explain(person, job, RELATED, TODAY, ScoringContext.from_candidates(pool))
    assert codes(ranked)["skill_required"] == 20 * 5      # 1 of 79 holds it
    assert codes(ranked)["skill_merit"] == 10 * 1         # everybody holds it


def test_adaptations_give_small_points_and_never_name_the_need() -> None:
    person = candidate(experience={"5321": 0}, adaptation_needs={"lugn_miljo", "deltid"})
    job = vacancy(adaptations_offered={"lugn_miljo", "deltid", "handledare"})
    result = explain(person, job, RELATED, TODAY)
    reason = next(r for r in result.reasons if r.code == "adaptation")
    assert reason.points == 2 and reason.params == {"count": 2}
    assert "lugn_miljo" not in repr(result) and "deltid" not in repr(result)


def test_adaptation_points_alone_are_not_relevance() -> None:
    person = candidate(adaptation_needs={"lugn_miljo"})
    result = explain(person, vacancy(adaptations_offered={"lugn_miljo"}), RELATED, TODAY)
    assert result.score == 1 and not result.eligible
    assert excluded(result) == ["occupation"]
    open_job = vacancy(adaptations_offered={"lugn_miljo"}, open_to_all=True)
    assert explain(person, open_job, RELATED, TODAY).eligible


def test_driving_licence_needs_every_class() -> None:
    job = vacancy(driving_licences={"B", "C"})
    person = candidate(experience={"5321": 1}, driving_licences={"B"})
    result = explain(person, job, RELATED, TODAY)
    assert excluded(result) == ["driving_licence"]
    assert result.exclusions[0].params == {"missing": "C"}
    ok = explain(candidate(experience={"5321": 1}, driving_licences={"B", "C", "CE"}), job,
                 RELATED, TODAY)
    assert ok.eligible
    assert next(r for r in ok.reasons if r.code == "driving_licence").params == \
        {"licences": "B, C"}


def test_swedish_level_minimum() -> None:
    job = vacancy(min_swedish_rank=5)
    low = explain(candidate(experience={"5321": 1}, swedish_rank=4), job, RELATED, TODAY)
    assert excluded(low) == ["swedish_level"]
    assert low.exclusions[0].params == {"required": 5, "actual": 4}
    assert explain(candidate(experience={"5321": 1}, swedish_rank=5), job, RELATED,
                   TODAY).eligible


def test_extent_against_work_capacity_unless_adaptable() -> None:
    person = candidate(experience={"5321": 1}, work_capacity_percent=50)
    assert excluded(explain(person, vacancy(extent_percent=75), RELATED, TODAY)) == ["extent"]
    assert explain(person, vacancy(extent_percent=50), RELATED, TODAY).eligible
    assert explain(person, vacancy(extent_percent=100, extent_adaptable=True), RELATED,
                   TODAY).eligible
    nobody = candidate(experience={"5321": 1}, work_capacity_percent=0)
    assert excluded(explain(nobody, vacancy(extent_adaptable=True), RELATED,
                            TODAY)) == ["extent"]


def test_start_is_compared_by_iso_week() -> None:
    monday = TODAY + timedelta(days=5)                # 2026-12-07
    assert monday.weekday() == 0 and week_number(monday) == week_number(TODAY) + 1
    job = vacancy(start=monday)
    same_week = candidate(experience={"5321": 1}, available_from=monday + timedelta(days=6))
    next_week = candidate(experience={"5321": 1}, available_from=monday + timedelta(days=7))
    assert explain(same_week, job, RELATED, TODAY).eligible
    late = explain(next_week, job, RELATED, TODAY)
    assert excluded(late) == ["start"]
    assert late.exclusions[0].params == {"start": "2026-12-07", "available_from": "2026-12-14"}
    # No start, or a start in the past: this week. Availability in the past: now.
    past = vacancy(start=date(2026, 1, 1))
    assert explain(candidate(experience={"5321": 1}, available_from=date(2025, 5, 5)), past,
                   RELATED, TODAY).eligible
    assert excluded(explain(next_week, vacancy(start=None), RELATED, TODAY)) == ["start"]


@pytest.mark.parametrize(("commute", "home", "county", "place", "place_county", "passes",
                          "basis"), [
    ("kommun", "1490", "14", "1490", "14", True, "municipality"),
    ("kommun", "1490", "14", "1480", "14", False, "municipality"),
    ("lan", "1490", "14", "1480", "14", True, "county"),
    ("lan", "1490", "14", "0180", "01", False, "county"),
    ("obegransat", "1490", "14", "0180", "01", True, "any"),
    ("kommun", "1490", "14", None, "14", True, "county"),       # only the county is known
    ("kommun", "1490", "14", None, "01", False, "county"),
    ("kommun", None, "14", "1480", None, True, "county"),       # home county only
    ("kommun", None, None, "1480", "14", True, "unknown_home"),
    ("lan", "1490", None, "1480", None, True, "county"),        # counties from kommunkod
    ("kommun", "1490", "14", None, None, True, "unknown_place"),
])
def test_commute(commute: str, home: str | None, county: str | None, place: str | None,
                 place_county: str | None, passes: bool, basis: str) -> None:
    person = candidate(experience={"5321": 1}, commute=commute, home_municipality=home,
                       home_county=county)
    result = explain(person, vacancy(municipality=place, county=place_county), RELATED,
                     TODAY)
    assert result.eligible is passes
    found = [r.params for r in result.reasons if r.code == "commute"] + \
        [e.params for e in result.exclusions if e.code == "commute"]
    assert found[0]["basis"] == basis


def test_vacancy_without_ssyk_is_an_explicit_state() -> None:
    result = explain(candidate(experience={"5321": 3}, skills={"hlr"}),
                     vacancy(ssyk=None, occupation_field=None, required_skills={"hlr"}),
                     RELATED, TODAY)
    assert not result.eligible
    assert excluded(result) == ["no_occupation"]
    assert result.score == 20                               # soft points still shown


def test_every_exclusion_is_reported_at_once() -> None:
    person = candidate(swedish_rank=1, work_capacity_percent=25, commute="kommun",
                       available_from=TODAY + timedelta(days=60))
    job = vacancy(driving_licences={"B"}, min_swedish_rank=4, municipality="1480",
                  start=TODAY + timedelta(days=7))
    assert excluded(explain(person, job, RELATED, TODAY)) == [
        "driving_licence", "swedish_level", "extent", "start", "commute", "occupation"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("swedish_rank", 8, "swedish_rank must be an integer from 0 to 7"),
    ("work_capacity_percent", -1, "work_capacity_percent"),
    ("commute", "region", "commute must be one of"),
    ("experience", {"5321": -2}, "experience years"),
    ("experience", {"5321": float("nan")}, "experience years"),
])
def test_bad_candidate_values_are_refused_with_the_field_named(field: str, value: Any,
                                                                message: str) -> None:
    with pytest.raises(ValueError, match=message):
        candidate(**{field: value})


def test_bad_vacancy_values_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValueError, match="vacancy 7: extent_percent must be"):
        vacancy(7, extent_percent=0)
    with pytest.raises(ValueError, match="min_swedish_rank"):
        vacancy(min_swedish_rank=9)
