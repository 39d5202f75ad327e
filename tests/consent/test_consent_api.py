"""API: /api/v1/consents/ — list by participant, record, withdraw; the same rules, rights and
error shape as the web pages, and nothing written on bad input."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.conftest import counts, errors_of
from vidare.access.models import AccessLogEntry
from vidare.people.consent import grant_consent
from vidare.people.models import Consent

pytestmark = pytest.mark.django_db

URL = "/api/v1/consents/"


@pytest.fixture
def person(world):
    return world.register(actor=world.users["social"], first_name="Sara", last_name="Testsson")


def consent(world, person, **fields):
    fields = {"party": "socialtjanst", "scope": "narvaro_status", "given_on": date(2026, 2, 1),
              **fields}
    return grant_consent(actor=world.users["coach_h"], participant=person, **fields)


def payload(person, **over):
    return {"participant": person.pk, "party": "arbetsformedlingen", "scope": "remiss_ut",
            "given_on": "2026-06-01", "expires_on": "2026-12-31", "note": "Signed", **over}


def test_record_list_read_and_withdraw(world, api, clock, person):
    coach = api("coach_h")
    response = coach.post(URL, payload(person), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("participant", "party", "scope", "given_on", "expires_on",
                                 "withdrawn_on", "status", "recorded_by", "note")} == {
        "participant": person.pk, "party": "arbetsformedlingen", "scope": "remiss_ut",
        "given_on": "2026-06-01", "expires_on": "2026-12-31", "withdrawn_on": None,
        "status": "valid", "recorded_by": "coach_h", "note": "Signed"}
    created = Consent.objects.get(pk=body["id"])
    assert created.history.get().history_user == world.users["coach_h"]

    other = world.register()
    consent(world, other)
    listed = coach.get(URL, {"participant": person.pk}).json()
    assert [c["id"] for c in listed["results"]] == [created.pk]
    assert coach.get(URL).json()["count"] == 2

    assert coach.get(f"{URL}{created.pk}/").json()["status"] == "valid"
    log = AccessLogEntry.objects.get(participant=person)
    assert (log.what, log.channel) == ("api:consent", "api")

    response = coach.post(f"{URL}{created.pk}/withdraw/", {"withdrawn_on": "2026-06-15"},
                          format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["withdrawn_on"], response.json()["status"]) == (
        "2026-06-15", "withdrawn")
    assert created.history.count() == 2


@pytest.mark.parametrize("change, error", [
    ({"given_on": "2026-06-16"}, ("given_on", "future")),
    ({"expires_on": "2026-05-31"}, ("expires_on", "expiry_before_given")),
    ({"party": "grannen"}, ("party", "invalid_choice")),
    ({"scope": None}, ("scope", "null")),
    ({"given_on": "1 juni"}, ("given_on", "invalid")),
    ({"participant": 999999}, ("participant", "does_not_exist")),
])
def test_bad_input_names_field_and_rule_and_writes_nothing(world, api, clock, person, change,
                                                           error):
    before = counts(Consent)
    response = api("coach_h").post(URL, payload(person, **change), format="json")
    assert response.status_code == 400
    assert errors_of(response) == {error}
    assert counts(Consent) == before


def test_missing_fields(world, api, clock, person):
    response = api("coach_h").post(URL, {"participant": person.pk}, format="json")
    assert errors_of(response) == {("party", "required"), ("scope", "required"),
                                   ("given_on", "required")}
    assert not Consent.objects.exists()


@pytest.mark.parametrize("day, error", [
    ("2026-01-31", ("withdrawn_on", "before_given")),
    ("2026-06-16", ("withdrawn_on", "future")),
    ("", ("withdrawn_on", "invalid")),
])
def test_withdraw_errors_change_nothing(world, api, clock, person, day, error):
    c = consent(world, person)
    before = counts(Consent)
    response = api("coach_h").post(f"{URL}{c.pk}/withdraw/", {"withdrawn_on": day},
                                   format="json")
    assert response.status_code == 400
    assert errors_of(response) == {error}
    assert counts(Consent) == before


def test_withdraw_twice(world, api, clock, person):
    c = consent(world, person)
    url = f"{URL}{c.pk}/withdraw/"
    assert api("coach_h").post(url, {"withdrawn_on": "2026-03-01"},
                               format="json").status_code == 200
    response = api("chief_h").post(url, {"withdrawn_on": "2026-04-01"}, format="json")
    assert errors_of(response) == {("withdrawn_on", "already_withdrawn")}
    assert Consent.objects.get().withdrawn_on == date(2026, 3, 1)


def test_the_officer_reads_own_clients_consents_but_writes_none(world, api, clock, person):
    c = consent(world, person)
    officer = api("social")
    assert [x["id"] for x in officer.get(URL).json()["results"]] == [c.pk]
    before = counts(Consent)
    assert officer.post(URL, payload(person), format="json").status_code == 403
    assert officer.post(f"{URL}{c.pk}/withdraw/", {"withdrawn_on": "2026-06-01"},
                        format="json").status_code == 403
    assert counts(Consent) == before


@pytest.mark.parametrize("key, write_status", [("coach_a", 404), ("analyst", 403),
                                               ("admin", 403)])
def test_outside_the_case_nothing_is_seen_or_written(world, api, clock, person, key,
                                                     write_status):
    """A coach elsewhere may write consents, but this person "does not exist" for them."""
    c = consent(world, person)
    client = api(key)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{c.pk}/").status_code == 404
    assert client.post(f"{URL}{c.pk}/withdraw/", {"withdrawn_on": "2026-06-01"},
                       format="json").status_code == write_status
    before = counts(Consent)
    response = client.post(URL, payload(person), format="json")
    if write_status == 404:
        assert errors_of(response) == {("participant", "does_not_exist")}
    else:
        assert response.status_code == 403
    assert counts(Consent) == before


def test_a_team_member_without_the_right_to_edit_is_refused(world, api, clock, person):
    world.enrol(person)
    response = api("syv_h").post(URL, payload(person), format="json")
    assert response.status_code == 403
    assert not Consent.objects.exists()


def test_list_query_is_validated(world, api, clock):
    response = api("coach_h").get(URL, {"participant": "Sara"})
    assert response.status_code == 400
    assert errors_of(response) == {("participant", "invalid")}
