"""Consent pages: the register on the participant page, recording and withdrawing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.api.conftest import counts
from vidare.people.consent import grant_consent, withdraw_consent
from vidare.people.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return world.register(actor=world.users["social"], first_name="Sara", last_name="Testsson")


def consent(world, person, **fields):
    fields = {"party": "socialtjanst", "scope": "narvaro_status", "given_on": date(2026, 2, 1),
              **fields}
    return grant_consent(actor=world.users["coach_h"], participant=person, **fields)


def detail(client, person):
    return client.get(reverse("people:participant_detail", args=[person.pk]))


def add_url(person):
    return reverse("people:consent_add", args=[person.pk])


def withdraw_url(c):
    return reverse("people:consent_withdraw", args=[c.pk])


def test_participant_page_lists_consents_with_their_state_today(world, as_user, clock, person):
    valid = consent(world, person)
    expired = consent(world, person, party="arbetsformedlingen", scope="remiss_ut",
                      expires_on=date(2026, 3, 31))
    withdrawn = consent(world, person, party="vard", scope="informationsutbyte")
    withdraw_consent(actor=world.users["coach_h"], consent=withdrawn,
                     withdrawn_on=date(2026, 5, 2))
    html = detail(as_user("coach_h"), person).content.decode()
    assert 'id="h-consents"' in html
    for c, status in [(valid, "valid"), (expired, "expired"), (withdrawn, "withdrawn")]:
        row = html.split(f'id="consent-{c.pk}"')[1].split("</tr>")[0]
        assert f"consent-{status}" in row
        # Only a consent that still holds can be withdrawn.
        assert (withdraw_url(c) in row) == (status == "valid")
    assert add_url(person) in html


def test_the_officer_cannot_record_or_withdraw(world, as_user, clock, person):
    c = consent(world, person)
    html = detail(as_user("social"), person).content.decode()
    assert add_url(person) not in html and withdraw_url(c) not in html
    assert as_user("social").get(add_url(person)).status_code == 403
    assert as_user("social").post(withdraw_url(c), {"withdrawn_on": "2026-06-01"}
                                  ).status_code == 403
    assert Consent.objects.get().withdrawn_on is None


def test_record_consent(world, as_user, clock, person):
    client = as_user("coach_h")
    assert client.get(add_url(person)).status_code == 200
    response = client.post(add_url(person), {
        "party": "arbetsformedlingen", "scope": "remiss_ut", "given_on": "2026-06-15",
        "expires_on": "2026-12-31", "note": "Signed form in the case file"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:participant_detail", args=[person.pk])
    c = Consent.objects.get()
    assert (c.party, c.scope, c.given_on, c.expires_on, c.recorded_by) == (
        "arbetsformedlingen", "remiss_ut", date(2026, 6, 15), date(2026, 12, 31),
        world.users["coach_h"])
    assert c.history.get().history_user == world.users["coach_h"]


@pytest.mark.parametrize("change, field, text", [
    ({"expires_on": "2026-01-01"}, "expires_on", "cannot expire before it was given"),
    ({"given_on": "2026-06-16"}, "given_on", "cannot be in the future"),
    ({"given_on": ""}, "given_on", "required"),
    ({"party": "grannen"}, "party", "not one of the available choices"),
])
def test_record_consent_errors_are_shown_on_the_field_and_nothing_is_saved(
        world, as_user, clock, person, change, field, text):
    data = {"party": "socialtjanst", "scope": "narvaro_status", "given_on": "2026-02-01",
            **change}
    before = counts(Consent)
    response = as_user("coach_h").post(add_url(person), data)
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])
    assert counts(Consent) == before


def test_withdraw_consent(world, as_user, clock, person):
    c = consent(world, person)
    client = as_user("coach_h")
    page = client.get(withdraw_url(c))
    assert page.status_code == 200 and "2026-02-01" in page.content.decode()
    assert client.post(withdraw_url(c), {"withdrawn_on": "2026-06-15"}).status_code == 302
    c.refresh_from_db()
    assert c.withdrawn_on == date(2026, 6, 15)
    again = client.post(withdraw_url(c), {"withdrawn_on": "2026-06-15"})
    assert again.status_code == 200
    assert "already withdrawn on 2026-06-15" in " ".join(
        again.context["form"].errors["withdrawn_on"])
    assert c.history.count() == 2


@pytest.mark.parametrize("key, status", [("coach_a", 404), ("analyst", 404), ("admin", 404),
                                         ("syv_h", 403), ("broker_h", 403)])
def test_consent_pages_outside_the_case(world, as_user, clock, person, key, status):
    c = consent(world, person)
    client = as_user(key)
    assert client.get(add_url(person)).status_code == status
    assert client.post(add_url(person), {"party": "vard", "scope": "informationsutbyte",
                                         "given_on": "2026-06-01"}).status_code == status
    assert client.post(withdraw_url(c), {"withdrawn_on": "2026-06-01"}).status_code == status
    assert Consent.objects.get().withdrawn_on is None


def test_officer_without_consent_gets_404_on_the_consent_pages(world, as_user, clock, person):
    c = consent(world, person, expires_on=date(2026, 5, 31))
    assert as_user("social").get(withdraw_url(c)).status_code == 404
    assert as_user("social").get(add_url(person)).status_code == 404
