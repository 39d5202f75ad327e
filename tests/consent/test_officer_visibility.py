"""The referring social-assistance officer sees a client only while the client's consent to
report attendance and status to the social services is valid: on the page, in lists, in the
API and in the attendance report. Once it expires or is withdrawn the person is gone, and
opening them is a 404, exactly as for someone who was never theirs."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from vidare.people.consent import grant_consent, withdraw_consent
from vidare.people.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of_officer(world):
    p = world.register(actor=world.users["social"], first_name="Sara", last_name="Testsson")
    world.enrol(p)
    return p


def consent(world, person, **fields):
    fields = {"party": "socialtjanst", "scope": "narvaro_status", "given_on": date(2026, 2, 1),
              **fields}
    return grant_consent(actor=world.users["coach_h"], participant=person, **fields)


def what_the_officer_gets(world, as_user, api, person) -> dict[str, object]:
    web, rest = as_user("social"), api("social")
    return {
        "scope": Participant.objects.visible_to(world.users["social"]).filter(
            pk=person.pk).exists(),
        "list": [p.pk for p in web.get(reverse("people:participant_list")).context[
            "object_list"]],
        "detail": web.get(reverse("people:participant_detail", args=[person.pk])).status_code,
        "report": web.get(reverse("plans:attendance_report", args=[person.pk])).status_code,
        "api_list": [p["id"] for p in rest.get("/api/v1/participants/").json()["results"]],
        "api_detail": rest.get(f"/api/v1/participants/{person.pk}/").status_code,
        "api_enrolments": rest.get("/api/v1/enrolments/").json()["count"],
    }


def visible(person):
    return {"scope": True, "list": [person.pk], "detail": 200, "report": 200,
            "api_list": [person.pk], "api_detail": 200, "api_enrolments": 1}


HIDDEN = {"scope": False, "list": [], "detail": 404, "report": 404, "api_list": [],
          "api_detail": 404, "api_enrolments": 0}


def test_nothing_without_consent(world, as_user, api, clock, client_of_officer):
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == HIDDEN


def test_gone_the_day_after_expiry(world, as_user, api, clock, client_of_officer):
    consent(world, client_of_officer, expires_on=date(2026, 6, 30))
    clock(date(2026, 6, 30))
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == visible(
        client_of_officer)
    clock(date(2026, 7, 1))
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == HIDDEN


def test_gone_from_the_day_of_withdrawal(world, as_user, api, clock, client_of_officer):
    c = consent(world, client_of_officer)
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == visible(
        client_of_officer)
    withdraw_consent(actor=world.users["coach_h"], consent=c, withdrawn_on=date(2026, 6, 15))
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == HIDDEN


def test_not_before_the_consent_is_given(world, as_user, api, clock, client_of_officer):
    consent(world, client_of_officer, given_on=date(2026, 6, 15))
    clock(date(2026, 6, 14))
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == HIDDEN
    clock(date(2026, 6, 15))
    assert what_the_officer_gets(world, as_user, api, client_of_officer)["detail"] == 200


def test_a_consent_to_another_party_or_purpose_does_not_open_the_record(
        world, as_user, api, clock, client_of_officer):
    consent(world, client_of_officer, party="arbetsformedlingen")
    consent(world, client_of_officer, scope="informationsutbyte")
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == HIDDEN


def test_a_new_consent_brings_the_person_back(world, as_user, api, clock, client_of_officer):
    consent(world, client_of_officer, expires_on=date(2026, 3, 31))
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == HIDDEN
    consent(world, client_of_officer, given_on=date(2026, 6, 10))
    assert what_the_officer_gets(world, as_user, api, client_of_officer) == visible(
        client_of_officer)


def test_consent_does_not_let_an_officer_see_another_officers_client(
        world, as_user, api, clock):
    """Consent is to the social services as the referring officer's party; the scope still
    limits the officer to the people they referred."""
    p = world.register()  # referred by the coach
    world.enrol(p)
    consent(world, p)
    assert what_the_officer_gets(world, as_user, api, p) == HIDDEN


def test_the_coach_is_not_affected_by_consent(world, as_user, clock, client_of_officer):
    response = as_user("coach_h").get(
        reverse("people:participant_detail", args=[client_of_officer.pk]))
    assert response.status_code == 200
