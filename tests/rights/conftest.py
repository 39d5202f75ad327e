"""A person with every kind of record Vidare keeps, each free text carrying a marker, so the
extract can be checked for completeness and gallring for leaving nothing behind."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest


@dataclass
class FullPerson:
    participant: Any
    enrolment: Any
    identity_number: str
    # Every identifier and free text put into the record (old values included).
    needles: list[str] = field(default_factory=list)


def identity_forms(number: str) -> list[str]:
    """12 digits, 10 digits, and both with the dash."""
    return [number, number[2:], f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"]


def build_full_person(world: Any, *, first_name: str = "Zelmira",
                      last_name: str = "Quibbleström", tag: str = "ZQ",
                      exit_on: date | None = date(2026, 5, 29)) -> FullPerson:
    from vidare.assessments.actions import record_assessment
    from vidare.codelists.models import DrivingLicence, EducationLevel, Language, Occupation
    from vidare.enrolments.actions import record_exit
    from vidare.people.actions import (
        close_referral,
        create_referral,
        record_contact,
        update_participant,
    )
    from vidare.people.consent import grant_consent
    from vidare.people.rights import set_restriction
    from vidare.plans.actions import record_attendance, save_goal, save_intervention, save_plan

    coach, chief = world.users["coach_h"], world.users["chief_h"]
    number = world.next_personnummer()
    mark = f"MARK{tag}"
    languages = list(Language.objects.order_by("pk")[:2])
    participant = world.register(
        identity_number=number, first_name=first_name, last_name=last_name,
        address=f"Kvarnstigen{tag} 17 B", postal_code="41756", city=f"Xylbyhamn{tag}",
        phone="070-555 12 34", email=f"{first_name.lower()}.{tag.lower()}@example.org",
        gender="kvinna", birth_region="asien", children_in_household=2,
        languages=languages,
        referral={"referrer_name": f"Ingrid Remiss{tag}",
                  "referrer_organisation": f"Socialkontor{tag} Väster",
                  "referrer_contact": f"ingrid.{tag.lower()}@example.org",
                  "reason": f"{mark}-referral-reason"})
    participant.protected_identity_staff.add(chief)
    # The first phone number now lives only in the history.
    update_participant(actor=coach, participant=participant, phone="070-555 98 76")
    referral = participant.referrals.get()
    record_contact(actor=coach, referral=referral, kind="attempt", occurred_on=date(2026, 1, 7),
                   channel="telefon", outcome="nadd", note=f"{mark}-contact-note")
    second = create_referral(actor=coach, participant=participant, source="vard",
                             centre=world.hisingen, referred_on=date(2026, 1, 6),
                             reason=f"{mark}-second-reason")
    close_referral(actor=coach, referral=second, closed_on=date(2026, 1, 9),
                   close_reason="annan_insats", close_note=f"{mark}-close-note")
    grant_consent(actor=coach, participant=participant, party="socialtjanst",
                  scope="narvaro_status", given_on=date(2026, 1, 5),
                  note=f"{mark}-consent-note")
    enrolment = world.enrol(participant, referral=referral,
                            target_groups=[world.tg["forsorjningsstod"], world.tg["utrikesfodd"]])
    occupation = Occupation.objects.filter(level=4).order_by("code").first()
    education = EducationLevel.objects.order_by("pk").first()
    for version, assessed_on in ((1, date(2026, 1, 20)), (2, date(2026, 2, 10))):
        record_assessment(
            actor=coach, participant=participant, assessed_on=assessed_on,
            education_level=education, swedish_level="sfi_c", work_capacity_percent=75,
            skills=[f"{mark}-skill-{version}"], interests=f"{mark}-interests-{version}",
            goals=f"{mark}-goals-{version}", adaptations_needed=f"{mark}-adapt-{version}",
            barriers=["halsa", "sprak"], barriers_note=f"{mark}-barrier-note-{version}",
            other_languages=languages[:1],
            driving_licences=list(DrivingLicence.objects.order_by("pk")[:1]),
            work_experiences=[{"occupation": occupation.code, "years": 3,
                               "description": f"{mark}-workexp-{version}"}])
    plan = save_plan(actor=coach, enrolment=enrolment, established_on=date(2026, 1, 25),
                     summary=f"{mark}-plan-summary")
    save_goal(actor=coach, plan=plan, kind="arbete", description=f"{mark}-goal")
    intervention = save_intervention(
        actor=coach, enrolment=enrolment, kind="praktik", title=f"{mark}-intervention-title",
        provider=f"{mark}-provider AB", start_date=date(2026, 2, 2),
        hours_per_week=Decimal(20), status="ongoing", note=f"{mark}-intervention-note")
    record_attendance(actor=coach, intervention=intervention, week=date(2026, 2, 9),
                      hours_attended=Decimal(16), hours_absent=Decimal(4),
                      absence_reason="sjuk", note=f"{mark}-attendance-note")
    set_restriction(actor=chief, participant=participant, restricted=True,
                    reason=f"{mark}-restriction-reason")
    set_restriction(actor=chief, participant=participant, restricted=False,
                    reason=f"{mark}-lifted-reason")
    # A proposal for a vacancy, declined with a reason (matching).
    from vidare.matching.actions import propose, record_outcome
    from vidare.vacancies.actions import create_vacancy

    vacancy = create_vacancy(actor=None, title="Öppen för alla", occupation=occupation.code,
                             open_to_all=True, extent_percent=50)
    [proposal] = propose(actor=chief, vacancy=vacancy, participants=[participant],
                         today=date(2026, 2, 11))
    record_outcome(actor=chief, proposal=proposal, status="avbojd", on=date(2026, 2, 12),
                   declined_by="annat", reason=f"{mark}-decline-reason",
                   today=date(2026, 2, 12))
    # A placement at an employer, with a note about the person.
    from vidare.employers.actions import create_employer, record_placement
    from vidare.employers.models import Employer

    employer = (Employer.objects.filter(organisation_number="969799-0050").first()
                or create_employer(actor=None, name="Placeringsgivaren AB",
                                   organisation_number="969799-0050"))
    record_placement(chief, employer, participant, "praktik", date(2026, 2, 16),
                     note=f"{mark}-placement-note")
    if exit_on is not None:
        record_exit(actor=coach, enrolment=enrolment, exit_date=exit_on,
                    reason="arbete_osubventionerat", occupation=occupation, extent_percent=100,
                    employer_name=f"{mark}-employer AB", note=f"{mark}-exit-note")
    participant.refresh_from_db()
    needles = [
        *identity_forms(number), first_name, last_name, f"Kvarnstigen{tag}", f"Xylbyhamn{tag}",
        "555 12 34", "555 98 76", f"{first_name.lower()}.{tag.lower()}@example.org",
        f"Ingrid Remiss{tag}", f"Socialkontor{tag}", f"ingrid.{tag.lower()}@example.org",
        mark,  # every free text above carries it
    ]
    return FullPerson(participant, enrolment, number, needles)


@pytest.fixture
def full_person(world: Any, today: date) -> FullPerson:
    return build_full_person(world)


