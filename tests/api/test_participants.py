"""API: participants — register with referral, search, read, change; scope and special data."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import give_consent

from vidare.access.models import AccessLogEntry
from vidare.people.models import Participant, Referral

from .conftest import counts, errors_of

URL = "/api/v1/participants/"


def payload(world, **overrides):
    pnr = world.next_personnummer()
    data = {
        "identity_number": f"{pnr[2:8]}-{pnr[8:]}",  # the 10-digit form people type
        "first_name": "Amina", "last_name": "Testsson", "gender": "kvinna",
        "languages": ["sv", "ar"], "birth_region": "asien", "phone": "070-000 00 00",
        "referral": {"source": "socialtjanst", "centre": "hisingen",
                     "referred_on": "2026-11-02", "reason": "Försörjningsstöd sedan 2025."},
    }
    data.update(overrides)
    return data


def test_register_participant_with_referral(world, api):
    data = payload(world)
    response = api("coach_h").post(URL, data, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    participant = Participant.objects.get(pk=body["id"])
    pnr = data["identity_number"].replace("-", "")
    assert participant.identity_number.endswith(pnr) and len(participant.identity_number) == 12
    assert body["identity_number"] == participant.identity_number
    assert body["identity_kind"] == "personnummer"
    assert body["birth_date"] == participant.birth_date.isoformat()
    assert sorted(body["languages"]) == ["ar", "sv"]
    assert body["birth_region"] == "asien"
    assert "referral" not in body
    referral = participant.referrals.get()
    assert (referral.centre.code, referral.status, referral.referred_on) == (
        "hisingen", "open", date(2026, 11, 2))
    # Saving the languages adds a second history row to the creation.
    assert participant.history.earliest().history_type == "+"
    assert {h.history_user for h in participant.history.all()} == {world.users["coach_h"]}
    assert referral.history.get().history_user == world.users["coach_h"]


def test_invalid_check_digit_names_field_and_rule(world, api):
    pnr = world.next_personnummer()
    wrong = pnr[:-1] + str((int(pnr[-1]) + 1) % 10)
    before = counts(Participant, Referral)

    response = api("coach_h").post(URL, payload(world, identity_number=wrong), format="json")

    assert response.status_code == 400
    assert errors_of(response) == {("identity_number", "checksum")}
    assert counts(Participant, Referral) == before


@pytest.mark.parametrize(("language", "text"), [
    ("sv", "Numret innehåller ett otillåtet tecken (”X”)."),
    ("en", "The number contains a character that is not allowed (”X”)."),
])
def test_identity_number_errors_are_in_the_users_language(world, api, language, text):
    # The rules live in a Django-free module; the message is translated where it is shown.
    client = api("coach_h")
    response = client.post(URL, payload(world, identity_number="19900101-238X"), format="json",
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("identity_number", "format")
    assert error["message"].startswith(text) and "19900101-2385" in error["message"]


@pytest.mark.parametrize(("referral", "error"), [
    ({"referred_on": "2099-01-01"}, ("referral.referred_on", "future")),
    ({"source": "uppsokande"}, ("referral.outreach_area", "required_for_outreach")),
    ({"centre": "nowhere"}, ("referral.centre", "unknown_code")),
    ({"programme": "resursjobb"}, ("referral.programme", "not_offered_at_centre")),
])
def test_referral_errors_save_nothing(world, api, referral, error):
    """The participant row is written before the referral is checked: all or nothing."""
    data = payload(world)
    data["referral"].update(referral)
    before = counts(Participant, Referral)

    response = api("coach_h").post(URL, data, format="json")

    assert response.status_code == 400
    assert errors_of(response) == {error}
    assert counts(Participant, Referral) == before


@pytest.mark.parametrize(("field", "value", "code"), [
    ("languages", ["sv", "xx"], "unknown_code"),
    ("languages", [46], "incorrect_type"),
    ("gender", "okänt", "invalid_choice"),
    ("first_name", "", "blank"),
])
def test_bad_types_and_codes(world, api, field, value, code):
    before = counts(Participant, Referral)
    response = api("coach_h").post(URL, payload(world, **{field: value}), format="json")
    assert response.status_code == 400
    assert errors_of(response) == {(field, code)}
    assert counts(Participant, Referral) == before


def test_duplicate_identity_number(world, api):
    existing = world.register()
    before = counts(Participant, Referral)
    response = api("coach_h").post(URL, payload(world, identity_number=existing.identity_number),
                                   format="json")
    assert response.status_code == 400
    assert errors_of(response) == {("identity_number", "duplicate")}
    assert counts(Participant, Referral) == before


def test_roles_without_capability_get_403_and_nothing_is_written(world, api):
    before = counts(Participant, Referral)
    for key in ("broker_h", "analyst", "admin"):
        response = api(key).post(URL, payload(world), format="json")
        assert response.status_code == 403, key
        assert errors_of(response) == {("__all__", "permission_denied")}
    # A job coach at Angered cannot register someone referred to Hisingen.
    response = api("coach_a").post(URL, payload(world), format="json")
    assert response.status_code == 403
    assert counts(Participant, Referral) == before


def test_not_logged_in(world):
    from rest_framework.test import APIClient

    response = APIClient().get(URL)
    assert response.status_code == 403
    assert errors_of(response) == {("__all__", "not_authenticated")}


def test_partial_update(world, api):
    participant = world.register(phone="")
    versions = participant.history.count()
    response = api("coach_h").patch(f"{URL}{participant.pk}/",
                                    {"phone": "031-00 00 00", "languages": ["so"]},
                                    format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["phone"] == "031-00 00 00"
    assert response.json()["languages"] == ["so"]
    participant.refresh_from_db()
    assert participant.phone == "031-00 00 00"
    assert list(participant.languages.values_list("code", flat=True)) == ["so"]
    assert participant.history.count() > versions
    assert participant.history.latest().history_user == world.users["coach_h"]


def test_partial_update_bad_input_and_permissions(world, api):
    participant = world.register(email="")
    versions = participant.history.count()
    url = f"{URL}{participant.pk}/"

    response = api("coach_h").patch(url, {"email": "inte-en-adress"}, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {("email", "invalid")}

    response = api("broker_h").patch(url, {"email": "a@example.org"}, format="json")
    assert response.status_code == 403

    response = api("coach_a").patch(url, {"email": "a@example.org"}, format="json")
    assert response.status_code == 404
    assert errors_of(response) == {("__all__", "not_found")}

    participant.refresh_from_db()
    assert participant.email == ""
    assert participant.history.count() == versions


def test_search_by_name_and_identity_number(world, api):
    anna = world.register(first_name="Anna", last_name="Lind")
    # Many test numbers share their last four digits: Bertil's must not share Anna's.
    other = next(n for n in iter(world.next_personnummer, None)
                 if n[8:] != anna.identity_number[8:])
    world.register(first_name="Bertil", last_name="Berg", identity_number=other)
    client = api("coach_h")

    by_name = client.get(URL, {"q": "anna lin"}).json()
    assert [p["id"] for p in by_name["results"]] == [anna.pk]

    n = anna.identity_number
    for text in (n, f"{n[2:8]}-{n[8:]}", n[8:]):
        found = client.get(URL, {"q": text}).json()
        assert [p["id"] for p in found["results"]] == [anna.pk], text

    assert client.get(URL, {"q": "Nobody"}).json()["count"] == 0


def test_list_logs_one_row_per_participant_returned(world, api):
    shown = [world.register(), world.register()]
    world.register(centre=world.angered, actor=world.users["coach_a"])  # out of scope

    response = api("coach_h").get(URL)

    assert response.status_code == 200
    assert {p["id"] for p in response.json()["results"]} == {p.pk for p in shown}
    rows = AccessLogEntry.objects.filter(what="api:participant_list")
    assert sorted(r.participant_id for r in rows) == sorted(p.pk for p in shown)
    assert {(r.username, r.channel, r.special_category_shown) for r in rows} == {
        ("coach_h", "api", False)}
    # The list shows who, not their details.
    assert "phone" not in response.json()["results"][0]
    assert "birth_region" not in response.json()["results"][0]


def test_scope(world, api):
    hisingen = world.register(first_name="Hisingen")
    angered = world.register(first_name="Angered", centre=world.angered,
                             actor=world.users["coach_a"])

    listed = api("coach_a").get(URL).json()
    assert [p["id"] for p in listed["results"]] == [angered.pk]
    assert api("coach_a").get(f"{URL}{hisingen.pk}/").status_code == 404
    assert api("coach_a").get(f"{URL}{angered.pk}/").status_code == 200

    for key in ("analyst", "admin"):
        assert api(key).get(URL).json()["count"] == 0
        assert api(key).get(f"{URL}{hisingen.pk}/").status_code == 404
    # A 404 outside scope is logged as a refused attempt, never as a read.
    refused = AccessLogEntry.objects.filter(participant=hisingen)
    assert sorted(e.username for e in refused) == ["admin", "analyst", "coach_a"]
    assert not refused.filter(allowed=True).exists()


def test_social_secretary_sees_only_people_they_referred(world, api):
    world.register()  # referred by a job coach
    social = api("social")
    response = social.post(URL, payload(world), format="json")
    assert response.status_code == 201, response.json()
    mine = response.json()["id"]
    assert Referral.objects.get(participant_id=mine).referrer_user == world.users["social"]
    assert social.get(URL).json()["results"] == []  # not before the person consents
    give_consent(Participant.objects.get(pk=mine))

    assert [p["id"] for p in social.get(URL).json()["results"]] == [mine]
    # No special-category capability: birth_region was neither stored nor shown.
    assert "birth_region" not in social.get(f"{URL}{mine}/").json()
    assert Participant.objects.get(pk=mine).birth_region == "okand"


def test_special_category_and_access_log_on_retrieve(world, api):
    participant = world.register(birth_region="afrika")
    url = f"{URL}{participant.pk}/"

    body = api("coach_h").get(url).json()
    assert body["birth_region"] == "afrika"
    for key in ("broker_h", "af_h"):
        response = api(key).get(url)
        assert response.status_code == 200
        assert "birth_region" not in response.json()
        assert response.json()["first_name"] == participant.first_name

    rows = AccessLogEntry.objects.filter(participant=participant, what="api:participant")
    assert sorted((r.username, r.special_category_shown, r.channel) for r in rows) == [
        ("af_h", False, "api"), ("broker_h", False, "api"), ("coach_h", True, "api")]
    assert all(r.request_id for r in rows)


def test_protected_identity_hides_address_and_contact_details(world, api):
    # Registered by the unit manager, who is named for the person; the coach is not.
    protected = world.register(actor=world.users["chief_h"], protected_identity=True,
                               address="Hemlig väg 1",
                               postal_code="41701", city="Göteborg", phone="0700000000",
                               email="hemlig@example.org")
    open_ = world.register(address="Öppen gata 2", phone="0701111111")

    hidden = api("coach_h").get(f"{URL}{protected.pk}/").json()
    for name in ("address", "postal_code", "city", "phone", "email"):
        assert name not in hidden
    assert hidden["protected_identity"] is True
    shown = api("coach_h").get(f"{URL}{open_.pk}/").json()
    assert (shown["address"], shown["phone"]) == ("Öppen gata 2", "0701111111")
