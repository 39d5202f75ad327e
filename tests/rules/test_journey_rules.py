"""The rules of the journey, through the actions every interface calls."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vidare.assessments.actions import record_assessment
from vidare.assessments.models import Assessment
from vidare.core.identity import test_samordningsnummer_list
from vidare.enrolments.actions import record_exit
from vidare.enrolments.models import Enrolment, EnrolmentStatus, Exit
from vidare.people.actions import DuplicateParticipant, close_referral, record_contact
from vidare.people.models import Participant, Referral
from vidare.plans.actions import record_attendance, save_intervention
from vidare.plans.models import Attendance, Intervention

TODAY = date(2026, 11, 27)


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


# --- registration -------------------------------------------------------------------------

def test_register_stores_normalised_number_and_derived_birth_date(world):
    number = world.next_personnummer()
    ten_digit = f"{number[2:8]}-{number[8:]}"
    p = world.register(identity_number=ten_digit)
    assert p.identity_number == number
    assert p.identity_kind == "personnummer"
    assert p.birth_date == date(int(number[:4]), int(number[4:6]), int(number[6:8]))
    assert p.history.count() == 1


@pytest.mark.parametrize("text, code", [
    ("12345", "format"),
    ("abcdefghijkl", "format"),
])
def test_register_rejects_bad_numbers_and_writes_nothing(world, text, code):
    with pytest.raises(ValidationError) as err:
        world.register(identity_number=text)
    assert codes(err.value)["identity_number"] == [code]
    assert Participant.objects.count() == 0 and Referral.objects.count() == 0


def test_register_rejects_wrong_check_digit(world):
    number = world.next_personnummer()
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as err:
        world.register(identity_number=wrong)
    assert codes(err.value)["identity_number"] == ["checksum"]


def test_samordningsnummer_with_unknown_day_is_accepted(world):
    partial = next(n for n in test_samordningsnummer_list() if n[6:8] == "60"
                   and 1960 < int(n[:4]) < 2000)
    p = world.register(identity_number=partial)
    assert p.identity_kind == "samordningsnummer"
    assert p.birth_date is None and p.birth_year == int(partial[:4])


def test_duplicate_number_names_the_existing_person(world):
    number = world.next_personnummer()
    first = world.register(identity_number=number)
    with pytest.raises(DuplicateParticipant) as err:
        world.register(identity_number=number[2:])
    assert err.value.existing == first
    assert codes(err.value)["identity_number"] == ["duplicate"]
    assert Participant.objects.count() == 1


def test_reserve_number_needs_a_birth_date(world):
    with pytest.raises(ValidationError) as err:
        world.register(identity_number="R2026-000001")
    assert codes(err.value)["birth_date"] == ["required"]
    p = world.register(identity_number="r2026-000001", birth_date=date(1990, 5, 1))
    assert p.identity_number == "R2026-000001" and p.birth_year == 1990


def test_outreach_referral_needs_an_area_and_rolls_back_the_person(world):
    with pytest.raises(ValidationError) as err:
        world.register(referral={"source": "uppsokande"})
    assert codes(err.value)["outreach_area"] == ["required_for_outreach"]
    assert Participant.objects.count() == 0
    p = world.register(referral={"source": "uppsokande", "outreach_area": "Norrby"})
    assert p.referrals.get().outreach_area == "Norrby"


def test_broker_cannot_register(world):
    with pytest.raises(PermissionDenied):
        world.register(actor=world.users["broker_h"])


def test_social_assistance_officer_refers_to_any_centre_and_is_recorded(world):
    p = world.register(actor=world.users["social"], centre=world.angered)
    referral = p.referrals.get()
    assert referral.referrer_user == world.users["social"]
    assert referral.centre == world.angered


def test_referral_contacts_and_closing(world):
    p = world.register()
    referral = p.referrals.get()
    coach = world.users["coach_h"]
    with pytest.raises(ValidationError) as err:
        record_contact(actor=coach, referral=referral, kind="attempt",
                       occurred_on=date(2025, 12, 1), channel="telefon", outcome="ej_nadd")
    assert codes(err.value)["occurred_on"] == ["before_referral"]
    record_contact(actor=coach, referral=referral, kind="attempt",
                   occurred_on=date(2026, 1, 7), channel="telefon", outcome="ej_nadd")
    with pytest.raises(ValidationError) as err:
        close_referral(actor=coach, referral=referral, closed_on=date(2026, 2, 1),
                       close_reason="")
    assert codes(err.value)["close_reason"] == ["required"]
    close_referral(actor=coach, referral=referral, closed_on=date(2026, 2, 1),
                   close_reason="ej_nadd")
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.contacts.count() == 1
    with pytest.raises(ValidationError) as err:
        world.enrol(p, referral=referral)
    assert codes(err.value)["referral"] == ["referral_closed"]


# --- enrolment ----------------------------------------------------------------------------

def test_enrolment_checks_age_band(world):
    older = world.register(identity_number=world.next_personnummer(born_before=1990,
                                                                   born_after=1970))
    with pytest.raises(ValidationError) as err:
        world.enrol(older, programme=world.unga)
    assert codes(err.value)["start_date"] == ["age_outside_band"]
    assert Enrolment.objects.count() == 0


def test_enrolment_requires_a_target_group_of_the_programme(world):
    p = world.register()
    with pytest.raises(ValidationError) as err:
        world.enrol(p, target_groups=[world.tg["funktionsnedsattning"]])
    assert codes(err.value)["target_groups"] == ["target_group_required"]


def test_programme_must_be_offered_at_the_centre(world):
    p = world.register()
    with pytest.raises(ValidationError) as err:
        world.enrol(p, programme=world.resurs, target_groups=[world.tg["funktionsnedsattning"]])
    assert codes(err.value)["programme"] == ["not_offered_at_centre"]


def test_inactive_programme_or_centre_takes_no_new_enrolments(world):
    p = world.register()
    world.hisingen.active = False
    world.hisingen.save()
    with pytest.raises(ValidationError) as err:
        world.enrol(p)
    assert codes(err.value)["centre"] == ["centre_inactive"]
    world.hisingen.active = True
    world.hisingen.save()
    world.jobbtorg.active = False
    world.jobbtorg.save()
    with pytest.raises(ValidationError) as err:
        world.enrol(p)
    assert codes(err.value)["programme"] == ["programme_inactive"]
    assert not Enrolment.objects.filter(participant=p).exists()


def test_overlapping_enrolment_in_same_programme_is_refused_but_re_enrolment_recorded(world):
    p = world.register()
    first = world.enrol(p)
    with pytest.raises(ValidationError) as err:
        world.enrol(p, start_date=date(2026, 3, 1), referral=None)
    assert codes(err.value)["start_date"] == ["overlapping_enrolment"]
    record_exit(actor=world.users["coach_h"], enrolment=first, exit_date=date(2026, 4, 1),
                reason="avbrott", today=TODAY)
    again = world.enrol(p, start_date=date(2026, 4, 1), referral=None)
    assert again.is_re_enrolment and not first.is_re_enrolment


def test_responsible_must_work_at_the_centre(world):
    p = world.register()
    with pytest.raises(ValidationError) as err:
        world.enrol(p, responsible=world.users["coach_a"])
    assert codes(err.value)["responsible"] == ["responsible_not_at_centre"]


def test_coach_of_other_centre_cannot_enrol_here(world):
    p = world.register()
    with pytest.raises(PermissionDenied):
        world.enrol(p, actor=world.users["coach_a"])


def test_start_before_referral_is_refused(world):
    p = world.register()
    with pytest.raises(ValidationError) as err:
        world.enrol(p, start_date=date(2026, 1, 1))
    assert codes(err.value)["start_date"] == ["before_referral"]


# --- exit ---------------------------------------------------------------------------------

def test_exit_rules_and_interventions_closed(world):
    coach = world.users["coach_h"]
    e = world.enrol(world.register())
    praktik = save_intervention(actor=coach, enrolment=e, kind="praktik", title="Praktik",
                                start_date=date(2026, 2, 2), status="ongoing")
    planned = save_intervention(actor=coach, enrolment=e, kind="sfi", title="SFI C",
                                start_date=date(2026, 9, 1))
    with pytest.raises(ValidationError) as err:
        record_exit(actor=coach, enrolment=e, exit_date=date(2026, 1, 1), reason="studier",
                    today=TODAY)
    assert codes(err.value)["exit_date"] == ["before_start"]
    with pytest.raises(ValidationError) as err:
        record_exit(actor=coach, enrolment=e, exit_date=date(2027, 1, 1), reason="studier",
                    today=TODAY)
    assert codes(err.value)["exit_date"] == ["future"]
    with pytest.raises(ValidationError) as err:
        record_exit(actor=coach, enrolment=e, exit_date=date(2026, 6, 1), reason="semester",
                    today=TODAY)
    assert "reason" in codes(err.value)
    assert Exit.objects.count() == 0
    record_exit(actor=coach, enrolment=e, exit_date=date(2026, 6, 1),
                reason="arbete_osubventionerat", employer_name="Städbolaget AB", today=TODAY)
    e.refresh_from_db()
    praktik.refresh_from_db()
    planned.refresh_from_db()
    assert e.status == EnrolmentStatus.EXITED and e.end_date == date(2026, 6, 1)
    assert praktik.status == "completed" and praktik.end_date == date(2026, 6, 1)
    assert planned.status == "cancelled"
    assert e.exit.is_work_or_studies
    with pytest.raises(ValidationError) as err:
        record_exit(actor=coach, enrolment=e, exit_date=date(2026, 6, 2), reason="ovrigt",
                    today=TODAY)
    assert codes(err.value)["enrolment"] == ["already_exited"]


# --- interventions and attendance ------------------------------------------------------

def test_attendance_rules(world):
    coach = world.users["coach_h"]
    e = world.enrol(world.register())
    i = save_intervention(actor=coach, enrolment=e, kind="praktik", title="Praktik lager",
                          start_date=date(2026, 3, 4), end_date=date(2026, 4, 30),
                          hours_per_week=Decimal(20))
    with pytest.raises(ValidationError) as err:
        record_attendance(actor=coach, intervention=i, week=date(2026, 5, 11),
                          hours_attended=Decimal(10), today=TODAY)
    assert codes(err.value)["week"] == ["outside_intervention"]
    with pytest.raises(ValidationError) as err:
        record_attendance(actor=coach, intervention=i, week=date(2026, 3, 9),
                          hours_attended=Decimal(10), hours_absent=Decimal(4), today=TODAY)
    assert codes(err.value)["absence_reason"] == ["required"]
    assert Attendance.objects.count() == 0
    # A Wednesday is recorded on its Monday; a second recording corrects the same week.
    row = record_attendance(actor=coach, intervention=i, week=date(2026, 3, 4),
                            hours_attended=Decimal(12), today=TODAY)
    assert row.week_start == date(2026, 3, 2)
    record_attendance(actor=coach, intervention=i, week=date(2026, 3, 2),
                      hours_attended=Decimal(16), hours_absent=Decimal(4),
                      absence_reason="sjuk", today=TODAY)
    row.refresh_from_db()
    assert Attendance.objects.count() == 1 and row.hours_attended == Decimal(16)
    assert row.history.count() == 2
    i.refresh_from_db()
    assert i.status == "ongoing"


def test_intervention_cannot_start_before_enrolment(world):
    e = world.enrol(world.register())
    with pytest.raises(ValidationError) as err:
        save_intervention(actor=world.users["coach_h"], enrolment=e, kind="sfi", title="SFI",
                          start_date=date(2025, 12, 1))
    assert codes(err.value)["start_date"] == ["before_enrolment"]
    assert Intervention.objects.count() == 0


# --- assessment ---------------------------------------------------------------------------

def test_assessment_versions_and_unknown_codes(world):
    coach = world.users["coach_h"]
    p = world.register()
    world.enrol(p)
    a1 = record_assessment(actor=coach, participant=p, assessed_on=date(2026, 1, 20),
                           swedish_level="sfi_c", skills=["Truck", "truck", " Kassa "],
                           work_experiences=[{"occupation": "9111", "years": 3}])
    assert a1.version == 1 and a1.skills == ["Truck", "Kassa"]
    assert a1.work_experiences.get().occupation.code == "9111"
    with pytest.raises(ValidationError) as err:
        record_assessment(actor=coach, participant=p, assessed_on=date(2026, 2, 20),
                          work_experiences=[{"occupation": "9999", "years": 1}])
    assert codes(err.value)["work_experiences[0].occupation"] == ["unknown_code"]
    with pytest.raises(ValidationError) as err:
        record_assessment(actor=coach, participant=p, assessed_on=date(2026, 2, 20),
                          barriers=["fattigdom"])
    assert codes(err.value)["barriers"] == ["unknown_code"]
    assert Assessment.objects.count() == 1
    a2 = record_assessment(actor=coach, participant=p, assessed_on=date(2026, 2, 20),
                           swedish_level="sfi_d")
    assert a2.version == 2
    a1.refresh_from_db()
    assert a1.swedish_level == "sfi_c"


def test_assessment_needs_an_open_enrolment(world):
    p = world.register()
    with pytest.raises(ValidationError) as err:
        record_assessment(actor=world.users["coach_h"], participant=p,
                          assessed_on=date(2026, 1, 20))
    assert codes(err.value)["enrolment"] == ["no_active_enrolment"]


def test_assessment_by_role_without_special_access_keeps_special_values(world):
    p = world.register()
    world.enrol(p)
    record_assessment(actor=world.users["coach_h"], participant=p,
                      assessed_on=date(2026, 1, 20), adaptations_needed="Höj- och sänkbart bord",
                      barriers=["halsa"])
    a2 = record_assessment(actor=world.users["af_h"], participant=p,
                           assessed_on=date(2026, 2, 3), adaptations_needed="",
                           barriers=[], swedish_level="sfi_d")
    assert a2.version == 2 and a2.swedish_level == "sfi_d"
    assert a2.adaptations_needed == "Höj- och sänkbart bord" and a2.barriers == ["halsa"]
