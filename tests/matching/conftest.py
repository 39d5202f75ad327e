"""A small matching world on top of the shared `world`: an employer, vacancies and
participants with assessments (made through the real actions)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

TODAY = date(2026, 3, 2)


def add_person(w: Any, first: str, last: str, *, centre: Any = None, actor: Any = None,
               assess: bool = True, experiences: dict[str, float] | None = None,
               skills: list[str] | None = None, licences: list[str] | None = None,
               swedish: str = "sva_gymnasie", capacity: int = 100,
               desired: list[str] | None = None, interests: list[str] | None = None,
               available_from: date | None = None, commute: str = "lan",
               municipality: str | None = "1480", adaptation_needs: list[str] | None = None,
               target_groups: list[str] | None = None, **person: Any) -> Any:
    from vidare.assessments.actions import record_assessment
    from vidare.codelists.models import DrivingLicence

    centre = centre or w.hisingen
    actor = actor or (w.users["coach_h"] if centre == w.hisingen else w.users["coach_a"])
    p = w.register(actor=actor, centre=centre, first_name=first, last_name=last, **person)
    w.enrol(p, actor=actor, centre=centre, responsible=actor,
            target_groups=[w.tg[g] for g in (target_groups or ["forsorjningsstod"])])
    if assess:
        record_assessment(
            actor=actor, participant=p, assessed_on=date(2026, 1, 20),
            swedish_level=swedish, skills=skills or [], work_capacity_percent=capacity,
            driving_licences=list(DrivingLicence.objects.filter(code__in=licences or [])),
            work_experiences=[{"occupation": code, "years": years}
                              for code, years in (experiences or {}).items()],
            desired_occupations=desired or [], interest_fields=interests or [],
            available_from=available_from, commute=commute, home_municipality=municipality,
            adaptation_needs=adaptation_needs or [], today=TODAY)
    return p


@pytest.fixture
def m(world: Any) -> SimpleNamespace:
    from vidare.employers.actions import create_employer
    from vidare.vacancies.actions import create_vacancy

    w = world
    employer = create_employer(actor=None, name="Exempel Städ AB",
                               organisation_number="556036-0793", municipality=None)
    cleaner = create_vacancy(actor=None, employer=employer, title="Lokalvårdare", kind="jobb",
                             occupation="9111", required_skills=["Städteknik"],
                             merit_skills=["Maskinstädning"], driving_licences=["B"],
                             municipality=_municipality("1480"),
                             adaptations_offered=["lugn_miljo", "handledare"])
    no_occupation = create_vacancy(actor=None, employer=employer, title="Diverse uppdrag",
                                   kind="jobb")
    mechanic = create_vacancy(actor=None, employer=employer, title="Fordonstekniker",
                              kind="jobb", occupation="7231", driving_licences=["B"],
                              municipality=_municipality("1480"))
    amina = add_person(w, "Amina", "Städsson", experiences={"9111": 3}, skills=["städteknik "],
                       licences=["B"], desired=["9111"], adaptation_needs=["lugn_miljo"],
                       target_groups=["utrikesfodd"])
    bo = add_person(w, "Bo", "Vårdsson", experiences={"5321": 2}, licences=["B"],
                    interests=["Sanering och renhållning"], skills=["Maskinstädning"])
    cecilia = add_person(w, "Cecilia", "Utankort", experiences={"9111": 5}, licences=[])
    dan = add_person(w, "Dan", "Okartlagd", assess=False)
    other = add_person(w, "Eva", "Angeredsson", centre=w.angered, experiences={"9111": 4},
                       licences=["B"])
    return SimpleNamespace(w=w, employer=employer, cleaner=cleaner, mechanic=mechanic,
                           no_occupation=no_occupation, amina=amina, bo=bo, cecilia=cecilia,
                           dan=dan, other=other, broker=w.users["broker_h"],
                           chief=w.users["chief_h"], coach=w.users["coach_h"])


def _municipality(code: str) -> Any:
    from vidare.codelists.models import Municipality

    return Municipality.objects.get(code=code)
