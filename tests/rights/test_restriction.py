"""Restriction of processing (GDPR art. 18): while it holds every write is refused with the
code "restricted" and nothing is saved; lifting it makes the record writable again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from vidare.people.models import Participant
from vidare.people.rights import set_restriction


@pytest.fixture
def person(world, today):
    """Enrolled, with a plan, an intervention and an open second referral."""
    from vidare.people.actions import create_referral
    from vidare.plans.actions import save_intervention, save_plan

    coach = world.users["coach_h"]
    p = world.register(identity_number=world.next_personnummer(born_before=2006,
                                                               born_after=2003))
    enrolment = world.enrol(p)
    plan = save_plan(actor=coach, enrolment=enrolment, established_on=date(2026, 1, 20))
    intervention = save_intervention(actor=coach, enrolment=enrolment, kind="sfi",
                                     title="SFI C", start_date=date(2026, 1, 19),
                                     hours_per_week=Decimal(15))
    referral = create_referral(actor=coach, participant=p, source="egen",
                               centre=world.hisingen, referred_on=date(2026, 3, 2))
    return p, enrolment, plan, intervention, referral


def restrict(world, p, reason="The person disputes the assessment of 2026-01-20."):
    return set_restriction(actor=world.users["chief_h"], participant=p, restricted=True,
                           reason=reason)


def history_rows() -> int:
    from django.apps import apps

    return sum(m.objects.count() for m in apps.get_models()
               if m.__name__.startswith("Historical"))


def writes(world, p, enrolment, plan, intervention, referral):
    """Every action that writes about the person, as (name, call)."""
    from vidare.assessments.actions import record_assessment
    from vidare.enrolments.actions import enrol, reassign, record_exit, set_paused
    from vidare.people.actions import (
        close_referral,
        create_referral,
        record_contact,
        update_participant,
    )
    from vidare.plans.actions import (
        record_attendance,
        save_goal,
        save_intervention,
        save_plan,
    )

    coach = world.users["coach_h"]
    return [
        ("update_participant", lambda: update_participant(actor=coach, participant=p,
                                                          phone="070-1")),
        ("create_referral", lambda: create_referral(
            actor=coach, participant=p, source="egen", centre=world.hisingen,
            referred_on=date(2026, 6, 1))),
        ("record_contact", lambda: record_contact(
            actor=coach, referral=referral, kind="attempt", occurred_on=date(2026, 3, 3),
            channel="telefon", outcome="nadd")),
        ("close_referral", lambda: close_referral(
            actor=coach, referral=referral, closed_on=date(2026, 3, 4),
            close_reason="tackat_nej")),
        ("enrol", lambda: enrol(actor=coach, participant=p, programme=world.unga,
                                centre=world.hisingen, start_date=date(2026, 3, 9))),
        ("reassign", lambda: reassign(actor=coach, enrolment=enrolment, responsible=None)),
        ("set_paused", lambda: set_paused(actor=coach, enrolment=enrolment, paused=True)),
        ("record_exit", lambda: record_exit(actor=coach, enrolment=enrolment,
                                            exit_date=date(2026, 6, 1), reason="studier")),
        ("record_assessment", lambda: record_assessment(actor=coach, participant=p,
                                                        assessed_on=date(2026, 2, 1))),
        ("save_plan", lambda: save_plan(actor=coach, enrolment=enrolment,
                                        summary="Ny text")),
        ("save_goal", lambda: save_goal(actor=coach, plan=plan, kind="arbete",
                                        description="Arbete")),
        ("save_intervention", lambda: save_intervention(
            actor=coach, enrolment=enrolment, intervention=intervention, note="x")),
        ("record_attendance", lambda: record_attendance(
            actor=coach, intervention=intervention, week=date(2026, 2, 2),
            hours_attended=Decimal(10))),
        ("grant_consent", lambda: __import__(
            "vidare.people.consent", fromlist=["grant_consent"]).grant_consent(
            actor=coach, participant=p, party="vard", scope="remiss_ut",
            given_on=date(2026, 2, 1))),
    ]


ACTIONS = ["update_participant", "create_referral", "record_contact", "close_referral",
           "enrol", "reassign", "set_paused", "record_exit", "record_assessment", "save_plan",
           "save_goal", "save_intervention", "record_attendance", "grant_consent"]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_write_is_refused_while_restricted(world, person, action):
    p = person[0]
    restrict(world, p)
    call = dict(writes(world, *person))[action]
    before = history_rows()
    with pytest.raises(ValidationError) as exc:
        call()
    assert exc.value.error_dict["participant"][0].code == "restricted"
    assert history_rows() == before  # nothing half saved


@pytest.mark.parametrize("action", ACTIONS)
def test_lifting_the_restriction_allows_writes_again(world, person, action):
    p = person[0]
    restrict(world, p)
    set_restriction(actor=world.users["chief_h"], participant=p, restricted=False,
                    reason="Settled: the assessment was corrected.")
    dict(writes(world, *person))[action]()


def test_writes_with_a_stale_copy_are_refused_too(world, person):
    """The check reads the database: a copy loaded before the restriction does not slip by."""
    from vidare.people.actions import update_participant

    p = person[0]
    stale = Participant.objects.get(pk=p.pk)
    restrict(world, p)
    with pytest.raises(ValidationError):
        update_participant(actor=world.users["coach_h"], participant=stale, phone="070-2")
    assert Participant.objects.get(pk=p.pk).restricted


def test_restriction_and_its_lifting_are_in_the_history_with_the_reason(world, person):
    p = person[0]
    restrict(world, p, reason="Disputes the work capacity")
    p.refresh_from_db()
    assert p.restricted and p.restricted_reason == "Disputes the work capacity"
    set_restriction(actor=world.users["chief_h"], participant=p, restricted=False,
                    reason="Corrected")
    p.refresh_from_db()
    assert not p.restricted and p.restricted_reason == ""
    last_two = list(p.history.order_by("-history_id")[:2])
    assert [(h.restricted, h.history_change_reason) for h in last_two] == [
        (False, "Corrected"), (True, "Disputes the work capacity")]
    assert {h.history_user.username for h in last_two} == {"chief_h"}


@pytest.mark.parametrize("restricted, reason, field, code", [
    (True, "  ", "reason", "required"),
    (False, "Nothing to lift", "restricted", "unchanged"),
    (True, "x" * 301, "reason", "max_length"),
])
def test_bad_requests_name_field_and_rule(world, person, restricted, reason, field, code):
    p = person[0]
    with pytest.raises(ValidationError) as exc:
        set_restriction(actor=world.users["chief_h"], participant=p, restricted=restricted,
                        reason=reason)
    assert exc.value.error_dict[field][0].code == code
    p.refresh_from_db()
    assert not p.restricted


def test_restricting_twice_is_refused(world, person):
    restrict(world, person[0])
    with pytest.raises(ValidationError) as exc:
        restrict(world, person[0])
    assert exc.value.error_dict["restricted"][0].code == "unchanged"


@pytest.mark.parametrize("key", ["coach_h", "syv_h", "coach_a", "social", "admin"])
def test_only_the_unit_manager_restricts(world, person, key):
    with pytest.raises(PermissionDenied):
        set_restriction(actor=world.users[key], participant=person[0], restricted=True,
                        reason="x")


# --- the form ---------------------------------------------------------------------------

def form_url(p):
    return reverse("people:participant_restriction", args=[p.pk])


def test_unit_manager_restricts_and_lifts_through_the_form(world, person, as_user):
    p = person[0]
    client = as_user("chief_h")
    page = client.get(form_url(p))
    assert page.status_code == 200
    assert page.context["form"].initial == {"restricted": True}
    response = client.post(form_url(p), {"restricted": "True", "reason": "Disputes data"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:participant_detail", args=[p.pk])
    p.refresh_from_db()
    assert p.restricted and p.restricted_reason == "Disputes data"
    # The same form sent again does not flip the restriction back.
    again = client.post(form_url(p), {"restricted": "True", "reason": "Disputes data"})
    assert again.status_code == 200
    assert "already restricted" in again.content.decode()
    assert client.get(form_url(p)).context["form"].initial == {"restricted": False}
    client.post(form_url(p), {"restricted": "False", "reason": "Settled"})
    p.refresh_from_db()
    assert not p.restricted


def test_form_without_reason_shows_the_error_on_the_field(world, person, as_user):
    p = person[0]
    response = as_user("chief_h").post(form_url(p), {"restricted": "True", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    p.refresh_from_db()
    assert not p.restricted


@pytest.mark.parametrize("key, status", [("coach_h", 403), ("syv_h", 403), ("coach_a", 404),
                                         ("analyst", 404), ("admin", 404)])
def test_form_is_the_unit_managers(world, person, as_user, key, status):
    client = as_user(key)
    assert client.get(form_url(person[0])).status_code == status
    assert client.post(form_url(person[0]), {"restricted": "True",
                                             "reason": "x"}).status_code == status
    person[0].refresh_from_db()
    assert not person[0].restricted
