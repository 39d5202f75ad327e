"""Matching never scores on age, gender, region of birth, health, disability or protected
identity: changing any of them on the participants leaves every score, every reason and
every ranking unchanged, end to end through the adapter and the engine."""

from __future__ import annotations

from datetime import date

import pytest

from vidare.assessments.models import Assessment
from vidare.matching.services import candidates_for_vacancy, vacancies_for_participant
from vidare.people.models import Participant

from .conftest import add_person


def everything(m) -> dict:
    """Every ranking and explanation the user can get, in both directions."""
    out = {}
    for vacancy in (m.cleaner, m.mechanic, m.no_occupation):
        result = candidates_for_vacancy(m.chief, vacancy, top=None, with_excluded=True,
                                        show_special=True)
        out[("vacancy", vacancy.pk)] = (
            result.state, result.eligible_count, result.exclusion_counts,
            [(r.key, r.score, r.explanation) for r in result.rows],
            [(r.key, r.explanation) for r in result.excluded or []])
    for p in Participant.objects.filter(pk__in=[m.amina.pk, m.bo.pk, m.cecilia.pk, m.dan.pk]):
        result = vacancies_for_participant(p, top=None, show_special=True)
        out[("participant", p.pk)] = (result.state, [(r.vacancy.pk, r.score, r.explanation)
                                                     for r in result.rows])
    return out


@pytest.fixture
def crowd(m):
    # More people with overlapping profiles, so rankings have ties and near-ties.
    for i, (code, years) in enumerate([("9111", 1), ("9111", 3), ("7231", 2), ("9111", 3)]):
        add_person(m.w, f"Fler{i}", "Personsson", experiences={code: years},
                   licences=["B"] if i % 2 == 0 else [], skills=["Städteknik"] if i else [],
                   birth_region="sverige" if i % 2 else "asien",
                   adaptation_needs=["handledare"] if i == 1 else [])
    # The chief is named staff, so a protected identity stays in the chief's pool.
    for p in Participant.objects.all():
        p.protected_identity_staff.add(m.chief)
    return m


CHANGES = {
    "gender": lambda qs: [qs.filter(pk=pk).update(gender=g) for pk, g in zip(
        qs.values_list("pk", flat=True), ["kvinna", "man", "annat", "man", "kvinna", "annat",
                                          "man", "kvinna", "annat"], strict=False)],
    "birth_date": lambda qs: [qs.filter(pk=pk).update(birth_date=date(1950 + 7 * i, 1 + i, 3),
                                                      birth_year=1950 + 7 * i)
                              for i, pk in enumerate(qs.values_list("pk", flat=True))],
    "birth_region": lambda qs: [qs.filter(pk=pk).update(birth_region=r) for pk, r in zip(
        qs.values_list("pk", flat=True), ["afrika", "asien", "sverige", "eu", "oceanien",
                                          "nordamerika", "sydamerika", "norden", "okand"],
        strict=False)],
    "protected_identity": lambda qs: qs.update(protected_identity=True),
}


@pytest.mark.parametrize("change", [*CHANGES, "health_and_disability"])
def test_changing_a_personal_attribute_changes_no_score_and_no_ranking(crowd, change):
    m = crowd
    before = everything(m)
    assert before[("vacancy", m.cleaner.pk)][3], "the test needs a ranking to compare"
    if change == "health_and_disability":
        Assessment.objects.update(barriers=["halsa", "funktionsnedsattning"],
                                  barriers_note="Diagnos", adaptations_needed="Allt möjligt")
    else:
        CHANGES[change](Participant.objects.all())
    assert everything(m) == before


def test_what_is_scored_does_change_the_score(crowd):
    """The comparison above can fail: a field matching does use changes the result."""
    m = crowd
    before = everything(m)
    Assessment.objects.filter(participant=m.amina).update(skills=[])
    assert everything(m) != before
