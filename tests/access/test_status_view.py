"""The social-assistance officer sees status and attendance of the clients they referred,
while consent is valid, and nothing else of the record (access/matrix.py, STATUS_VIEW)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vidare.access.matrix import Relation
from vidare.access.roles import Role
from vidare.core.api_base import STATUS_FIELDS
from vidare.core.testing import MatrixWalker, build_matrix_world, make_user

# Values the world puts in the record outside the status view.
CASE_DETAILS = ("Matrisgatan 1", "0701234567", "Planens text", "Ett mål", "Exit note",
                "Consent note")


@pytest.fixture
def world(db):
    return build_matrix_world()


@pytest.fixture
def officer(world):
    return MatrixWalker(world).client(world.user(Role.SOCIALSEKRETERARE))


def test_the_participant_page_is_the_status_view(world, officer):
    case = world.cases[Relation.OWN]
    response = officer.get(reverse("people:participant_detail", args=[case.participant.pk]))
    html = response.content.decode()
    assert response.templates[0].name == "people/participant_status.html"
    assert case.participant.last_name in html and "Matrisprogram 1" in html
    assert "Moved" in html  # the exit's coded reason
    assert reverse("plans:attendance_report", args=[case.participant.pk]) in html
    assert not [v for v in CASE_DETAILS if v in html]
    for absent in ('id="h-timeline"', 'id="h-contact"', "Adults in household",
                   reverse("people:participant_history", args=[case.participant.pk])):
        assert absent not in html


def test_the_api_gives_status_fields_only(world, officer):
    case = world.cases[Relation.OWN]
    for url, model in [
            (f"/api/v1/participants/{case.participant.pk}/", "Participant"),
            (f"/api/v1/referrals/{case.referral.pk}/", "Referral"),
            (f"/api/v1/enrolments/{case.enrolment.pk}/", "Enrolment"),
            (f"/api/v1/exits/{case.exit.pk}/", "Exit"),
            (f"/api/v1/interventions/{case.intervention.pk}/", "Intervention"),
            (f"/api/v1/attendance/{case.attendance.pk}/", "Attendance"),
            (f"/api/v1/consents/{case.consent.pk}/", "Consent")]:
        response = officer.get(url)
        assert response.status_code == 200, url
        data = response.json()
        assert "id" in data and set(data) <= STATUS_FIELDS[model], (url, set(data))
        assert not [v for v in CASE_DETAILS if v in response.content.decode()], url
    assert officer.get(f"/api/v1/exits/{case.exit.pk}/").json()["reason"] == "flyttat"
    for url in (f"/api/v1/assessments/{case.assessment.pk}/", f"/api/v1/plans/{case.plan.pk}/"):
        assert officer.get(url).status_code == 404


def test_the_officer_sees_only_the_referrals_they_made(world, officer):
    from vidare.people.actions import create_referral

    case = world.cases[Relation.OWN]
    coach_referral = create_referral(actor=world.user(Role.JOBBCOACH),
                                     participant=case.participant, source="egen",
                                     centre=world.own_centre, referred_on=world.today)
    ids = {r["id"] for r in officer.get("/api/v1/referrals/").json()["results"]}
    assert case.referral.pk in ids and coach_referral.pk not in ids
    assert officer.get(f"/api/v1/referrals/{coach_referral.pk}/").status_code == 404
    page = officer.get(reverse("people:participant_detail", args=[case.participant.pk]))
    assert set(page.context["referrals"]) == set(
        case.participant.referrals.filter(referrer_user=officer_user(world)))
    assert coach_referral not in page.context["referrals"]


def test_when_consent_is_withdrawn_the_client_disappears(world, officer):
    from vidare.access.models import AccessLogEntry
    from vidare.people.consent import withdraw_consent

    case = world.cases[Relation.OWN]
    url = reverse("people:participant_detail", args=[case.participant.pk])
    assert officer.get(url).status_code == 200
    withdraw_consent(actor=world.user(Role.JOBBCOACH), consent=case.consent,
                     withdrawn_on=world.today)
    assert officer.get(url).status_code == 404
    assert officer.get(f"/api/v1/participants/{case.participant.pk}/").status_code == 404
    assert officer.get("/api/v1/participants/").json()["results"] == []
    refused = AccessLogEntry.objects.filter(user=officer_user(world), allowed=False)
    assert {e.participant_id for e in refused} == {case.participant.pk}


def test_an_officer_who_is_also_a_coach_elsewhere_gets_the_status_view_here(world):
    """Roles add up per centre: the client referred here is seen in the status view; a
    person at the centre where the user coaches, in full."""
    user = make_user("m-officer-coach", (Role.SOCIALSEKRETERARE, None),
                     (Role.JOBBCOACH, world.other_centre))
    own, other = world.cases[Relation.OWN], world.cases[Relation.OTHER]
    from vidare.people.actions import create_referral

    create_referral(actor=user, participant=own.participant, source="socialtjanst",
                    centre=world.own_centre, referred_on=world.today)
    client = MatrixWalker(world).client(user)
    status = client.get(reverse("people:participant_detail", args=[own.participant.pk]))
    assert status.templates[0].name == "people/participant_status.html"
    assert set(client.get(f"/api/v1/participants/{own.participant.pk}/").json()) <= (
        STATUS_FIELDS["Participant"])
    full = client.get(reverse("people:participant_detail", args=[other.participant.pk]))
    assert full.templates[0].name == "people/participant_detail.html"
    assert "address" in client.get(f"/api/v1/participants/{other.participant.pk}/").json()


def officer_user(world):
    return world.user(Role.SOCIALSEKRETERARE)
