"""Reasons and exclusions in words; what a user without special-category access may see."""

from __future__ import annotations

import pytest

from vidare.engines.matching import Exclusion, Explanation, Reason
from vidare.matching.explain import Explainer, display_score, snapshot
from vidare.matching.services import candidates_for_vacancy

from .conftest import add_person

EXPLANATION = Explanation(
    score=213, eligible=True,
    reasons=(Reason("experience", 120, {"ssyk": "9111", "years": 2.5}),
             Reason("related_experience", 40, {"ssyk": "9119", "related_to": "9111",
                                               "years": 1.0, "strength": 2}),
             Reason("desired", 30, {"ssyk": "9111"}),
             Reason("interest_field", 20, {"field": "Sanering och renhållning"}),
             Reason("adaptation", 3, {"count": 3}),
             Reason("driving_licence", 0, {"licences": "B, C"}),
             Reason("extent", 0, {"extent": 100, "capacity": 50, "adaptable": 1}),
             Reason("start", 0, {}), Reason("commute", 0, {"basis": "county"})),
    exclusions=())


@pytest.mark.django_db
def test_reasons_in_plain_words():
    lines = [line.text for line in Explainer(show_special=True).reasons(EXPLANATION.reasons)]
    assert lines == [
        "Has worked 2.5 years as städare",
        "Has worked 1 year as övrig hemservicepersonal m.fl., close to städare",
        "Wants to work as städare",
        "Wants to work in sanering och renhållning",
        "The employer can offer the adaptation needed",
        "Has a B, C driving licence",
        "The employer can lower the extent to what the person can work",
    ]


@pytest.mark.django_db
def test_without_special_category_the_adaptation_is_neither_said_nor_counted():
    lines = Explainer(show_special=False).reasons(EXPLANATION.reasons)
    assert "adaptation" not in {line.code for line in lines}
    assert display_score(213, EXPLANATION, show_special=False) == 210
    assert display_score(213, snapshot(EXPLANATION), show_special=False) == 210
    assert display_score(213, EXPLANATION, show_special=True) == 213
    # The snapshot kept on a proposal holds the code, not the count.
    assert {"code": "adaptation", "points": 3, "params": {}} in snapshot(EXPLANATION)["reasons"]


@pytest.mark.django_db
def test_exclusions_and_unknown_codes():
    explainer = Explainer(show_special=False)
    lines = explainer.exclusions([Exclusion("driving_licence", {"missing": "C, CE"}),
                                  Exclusion("commute", {}), Exclusion("future_code", {})])
    assert [line.text for line in lines] == [
        "Lacks a C, CE driving licence", "Workplace outside the person's travel range",
        "future_code"]
    assert explainer.reason("future_code", {}) == "future_code"  # never a crash


@pytest.mark.django_db
def test_open_to_all_says_why_someone_without_experience_is_listed():
    lines = Explainer(False).reasons([Reason("extent", 0, {"extent": 100, "capacity": 100})],
                                     open_to_all=True)
    assert [line.text for line in lines] == ["The job is open to all: no experience needed"]


def test_related_experience_ranks_with_its_reason(m):
    """End to end with the related-occupations table (codelists)."""
    p = add_person(m.w, "Rut", "Hemservice", experiences={"9119": 4}, licences=["B"])
    result = candidates_for_vacancy(m.broker, m.cleaner)
    row = next(r for r in result.rows if r.key == p.pk)
    assert row.lines[0].code == "related_experience"
    assert "close to städare" in row.lines[0].text
