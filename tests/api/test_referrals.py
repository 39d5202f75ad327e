"""API: referrals of registered participants, contacts and closing."""

from __future__ import annotations

from vidare.people.models import Referral, ReferralContact

from .conftest import counts, errors_of

URL = "/api/v1/referrals/"


def test_create_referral_for_registered_participant(world, api):
    participant = world.register()
    response = api("coach_h").post(URL, {
        "participant": participant.pk, "source": "arbetsformedlingen", "centre": "hisingen",
        "programme": "jobbtorg-unga", "referred_on": "2026-11-20", "referrer_name": "Handläggare",
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    referral = Referral.objects.get(pk=body["id"])
    assert (referral.participant, referral.programme.code, referral.status) == (
        participant, "jobbtorg-unga", "open")
    assert (body["centre"], body["programme"], body["status"], body["contacts"]) == (
        "hisingen", "jobbtorg-unga", "open", [])
    assert referral.history.get().history_user == world.users["coach_h"]


def test_create_referral_errors(world, api):
    participant = world.register()
    other = world.register(centre=world.angered, actor=world.users["coach_a"])
    before = counts(Referral)
    base = {"participant": participant.pk, "source": "egen", "centre": "hisingen",
            "referred_on": "2026-11-20"}
    client = api("coach_h")

    cases = [
        ({"referred_on": "2099-01-01"}, {("referred_on", "future")}),
        ({"referred_on": "20 november"}, {("referred_on", "invalid")}),
        ({"source": "granne"}, {("source", "invalid_choice")}),
        ({"programme": "okand"}, {("programme", "unknown_code")}),
        # Someone outside the coach's scope reads exactly like someone who does not exist.
        ({"participant": other.pk}, {("participant", "does_not_exist")}),
        ({"participant": 999999}, {("participant", "does_not_exist")}),
    ]
    for change, expected in cases:
        response = client.post(URL, {**base, **change}, format="json")
        assert response.status_code == 400, change
        assert errors_of(response) == expected, change

    # Referring to a centre where the coach does not work is refused.
    response = client.post(URL, {**base, "centre": "angered"}, format="json")
    assert response.status_code == 403
    assert counts(Referral) == before


def test_record_contact(world, api):
    referral = world.register().referrals.get()
    url = f"{URL}{referral.pk}/contacts/"
    contact = {"kind": "attempt", "occurred_on": "2026-11-03", "channel": "telefon",
               "outcome": "ej_nadd", "note": "Inget svar."}

    response = api("coach_h").post(url, contact, format="json")

    assert response.status_code == 201, response.json()
    row = ReferralContact.objects.get(pk=response.json()["id"])
    assert (row.referral, row.staff, row.outcome) == (referral, world.users["coach_h"], "ej_nadd")
    assert response.json()["staff"] == "coach_h"
    assert row.history.get().history_user == world.users["coach_h"]
    listed = api("coach_h").get(f"{URL}{referral.pk}/").json()
    assert [c["id"] for c in listed["contacts"]] == [row.pk]

    before = counts(ReferralContact)
    response = api("coach_h").post(url, {**contact, "occurred_on": "2026-01-01"}, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {("occurred_on", "before_referral")}
    assert api("coach_a").post(url, contact, format="json").status_code == 404
    assert api("broker_h").post(url, contact, format="json").status_code == 403
    assert counts(ReferralContact) == before


def test_close_referral(world, api):
    referral = world.register().referrals.get()
    url = f"{URL}{referral.pk}/close/"

    response = api("coach_h").post(url, {"closed_on": "2026-01-01", "close_reason": "tackat_nej"},
                                   format="json")
    assert response.status_code == 400
    assert errors_of(response) == {("closed_on", "before_referral")}
    referral.refresh_from_db()
    assert referral.status == "open"

    assert api("coach_a").post(url, {"closed_on": "2026-02-01", "close_reason": "tackat_nej"},
                               format="json").status_code == 404

    response = api("coach_h").post(url, {"closed_on": "2026-02-01", "close_reason": "tackat_nej",
                                         "close_note": "Vill inte delta."}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["close_reason"]) == ("closed",
                                                                            "tackat_nej")
    referral.refresh_from_db()
    assert (referral.status, referral.close_note) == ("closed", "Vill inte delta.")
    assert referral.history.latest().history_user == world.users["coach_h"]

    again = api("coach_h").post(url, {"closed_on": "2026-02-01", "close_reason": "ovrigt"},
                                format="json")
    assert again.status_code == 400
    assert errors_of(again) == {("status", "referral_not_open")}


def test_list_filters_and_scope(world, api):
    first = world.register()
    world.enrol(first)
    second = world.register()
    world.register(centre=world.angered, actor=world.users["coach_a"])
    client = api("coach_h")

    everyone = client.get(URL).json()
    assert everyone["count"] == 2
    open_ = client.get(URL, {"status": "open"}).json()["results"]
    assert [r["participant"] for r in open_] == [second.pk]
    mine = client.get(URL, {"participant": first.pk}).json()["results"]
    assert [r["status"] for r in mine] == ["enrolled"]

    response = client.get(URL, {"status": "maybe"})
    assert response.status_code == 400
    assert errors_of(response) == {("status", "invalid_choice")}
    assert api("analyst").get(URL).json()["count"] == 0
