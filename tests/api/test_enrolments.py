"""API: enrolments, exits and reassignment."""

from __future__ import annotations

from datetime import date

from vidare.access.models import AccessLogEntry
from vidare.enrolments.actions import record_exit
from vidare.enrolments.models import Enrolment, Exit
from vidare.people.actions import create_referral
from vidare.people.models import Referral

from .conftest import counts, errors_of

URL = "/api/v1/enrolments/"


def enrolment_data(participant, **overrides):
    data = {"participant": participant.pk, "programme": "jobbtorg", "centre": "hisingen",
            "start_date": "2026-02-02", "responsible": "coach_h",
            "referral": participant.referrals.get().pk,
            "target_groups": ["forsorjningsstod"]}
    data.update(overrides)
    return data


def test_enrol(world, api):
    participant = world.register()
    response = api("coach_h").post(URL, enrolment_data(participant), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    enrolment = Enrolment.objects.get(pk=body["id"])
    assert (enrolment.participant, enrolment.programme, enrolment.centre,
            enrolment.responsible, enrolment.start_date) == (
        participant, world.jobbtorg, world.hisingen, world.users["coach_h"], date(2026, 2, 2))
    assert (body["status"], body["programme"], body["centre"], body["responsible"],
            body["target_groups"], body["max_end_date"]) == (
        "active", "jobbtorg", "hisingen", "coach_h", ["forsorjningsstod"], "2027-08-02")
    assert participant.referrals.get().status == "enrolled"
    assert enrolment.history.earliest().history_user == world.users["coach_h"]


def test_enrol_rules_name_field_and_code_and_save_nothing(world, api):
    participant = world.register()
    other = world.register()
    world.enrol(other)
    client = api("coach_h")
    cases = [
        # born 1960-1999: far older than Jobbtorg Unga's 16-24
        (participant, {"programme": "jobbtorg-unga", "target_groups": []},
         ("start_date", "age_outside_band")),
        (other, {}, ("start_date", "overlapping_enrolment")),
        (participant, {"start_date": "2099-01-01"}, ("start_date", "future")),
        (participant, {"target_groups": ["funktionsnedsattning"]},
         ("target_groups", "target_group_required")),
        (participant, {"programme": "resursjobb"}, ("programme", "not_offered_at_centre")),
        (participant, {"programme": "nope"}, ("programme", "unknown_code")),
        (participant, {"responsible": "coach_a"}, ("responsible", "responsible_not_at_centre")),
        (participant, {"responsible": "ghost"}, ("responsible", "unknown_user")),
    ]
    before = counts(Enrolment, Referral)
    for person, change, error in cases:
        response = client.post(URL, enrolment_data(person, **change), format="json")
        assert response.status_code == 400, change
        assert errors_of(response) == {error}, change
    assert counts(Enrolment, Referral) == before
    assert participant.referrals.get().status == "open"


def test_enrol_permissions(world, api):
    participant = world.register()
    before = counts(Enrolment)
    # No ENROL capability at all.
    assert api("broker_h").post(URL, enrolment_data(participant),
                                format="json").status_code == 403
    # Has ENROL, but not at Hisingen.
    angered = world.register(centre=world.angered, actor=world.users["coach_a"])
    response = api("coach_a").post(URL, enrolment_data(angered, responsible=None),
                                   format="json")
    assert response.status_code == 403
    # Cannot even name someone outside their scope.
    response = api("coach_a").post(URL, enrolment_data(participant, centre="angered",
                                                       responsible="coach_a"), format="json")
    assert response.status_code == 400
    assert ("participant", "does_not_exist") in errors_of(response)
    assert counts(Enrolment) == before


def test_list_filters_and_scope(world, api):
    mine = world.enrol(world.register())
    unassigned = world.enrol(world.register(), responsible=None)
    paused = world.enrol(world.register())
    Enrolment.objects.filter(pk=paused.pk).update(status="paused")
    angered_person = world.register(centre=world.angered, actor=world.users["coach_a"])
    angered = world.enrol(angered_person, actor=world.users["coach_a"], centre=world.angered,
                          responsible=world.users["coach_a"])
    client = api("coach_h")

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return {e["id"] for e in response.json()["results"]}

    assert ids() == {mine.pk, unassigned.pk, paused.pk}
    assert ids(status="paused") == {paused.pk}
    assert ids(responsible="me") == {mine.pk, paused.pk}
    assert ids(centre="hisingen") == {mine.pk, unassigned.pk, paused.pk}
    assert ids(centre="angered") == set()
    assert ids(participant=mine.participant_id) == {mine.pk}
    assert api("coach_a").get(URL).json()["count"] == 1
    assert client.get(f"{URL}{angered.pk}/").status_code == 404

    # Lists of enrolments log nothing; every retrieve logs one row (the 404 above is
    # logged as a refused attempt).
    assert not AccessLogEntry.objects.filter(allowed=True).exists()
    assert client.get(f"{URL}{mine.pk}/").json()["participant"] == mine.participant_id
    log = AccessLogEntry.objects.get(allowed=True)
    assert (log.participant_id, log.what, log.channel, log.username) == (
        mine.participant_id, "api:enrolment", "api", "coach_h")

    response = client.get(URL, {"centre": "mars", "status": "gone"})
    assert response.status_code == 400
    assert errors_of(response) == {("centre", "unknown_code"), ("status", "invalid_choice")}


def test_exit(world, api):
    enrolment = world.enrol(world.register())
    response = api("coach_h").post(f"{URL}{enrolment.pk}/exit/", {
        "exit_date": "2026-10-30", "reason": "arbete_osubventionerat",
        "employer_name": "Vårdbolaget AB", "occupation": "5321", "extent_percent": 75,
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    exit_ = Exit.objects.get(pk=body["id"])
    assert (exit_.enrolment, exit_.occupation.code, exit_.extent_percent) == (enrolment, "5321",
                                                                              75)
    assert (body["enrolment"], body["occupation"], body["reason"]) == (
        enrolment.pk, "5321", "arbete_osubventionerat")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_date) == ("exited", date(2026, 10, 30))
    assert exit_.history.get().history_user == world.users["coach_h"]

    listed = api("coach_h").get("/api/v1/exits/", {"enrolment": enrolment.pk}).json()
    assert [e["id"] for e in listed["results"]] == [exit_.pk]
    assert api("coach_h").get(f"/api/v1/exits/{exit_.pk}/").json()["reason"] == (
        "arbete_osubventionerat")
    assert api("coach_a").get(f"/api/v1/exits/{exit_.pk}/").status_code == 404


def test_exit_errors_save_nothing(world, api):
    enrolment = world.enrol(world.register())
    url = f"{URL}{enrolment.pk}/exit/"
    client = api("coach_h")
    cases = [
        ({"exit_date": "2026-01-01"}, ("exit_date", "before_start")),
        ({"exit_date": "2099-01-01"}, ("exit_date", "future")),
        ({"reason": "semester"}, ("reason", "invalid_choice")),
        ({"occupation": "9999"}, ("occupation", "unknown_code")),
        ({"occupation": "532"}, ("occupation", "ssyk_level")),
        ({"occupation": 5321}, ("occupation", "incorrect_type")),
    ]
    before = counts(Exit, Enrolment)
    for change, error in cases:
        data = {"exit_date": "2026-10-30", "reason": "studier", **change}
        response = client.post(url, data, format="json")
        assert response.status_code == 400, change
        assert errors_of(response) == {error}, change
    assert api("broker_h").post(url, {"exit_date": "2026-10-30", "reason": "studier"},
                                format="json").status_code == 403
    assert api("coach_a").post(url, {"exit_date": "2026-10-30", "reason": "studier"},
                               format="json").status_code == 404
    assert counts(Exit, Enrolment) == before
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_exits_are_read_only(world, api):
    enrolment = world.enrol(world.register())
    response = api("coach_h").post("/api/v1/exits/", {"enrolment": enrolment.pk,
                                                      "exit_date": "2026-10-30",
                                                      "reason": "studier"}, format="json")
    assert response.status_code == 405
    assert errors_of(response) == {("__all__", "method_not_allowed")}
    assert not Exit.objects.exists()


def test_reassign(world, api):
    enrolment = world.enrol(world.register())
    url = f"{URL}{enrolment.pk}/reassign/"

    response = api("chief_h").post(url, {"responsible": "chief_h"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["responsible"] == "chief_h"
    enrolment.refresh_from_db()
    assert enrolment.responsible == world.users["chief_h"]
    assert enrolment.history.latest().history_user == world.users["chief_h"]

    response = api("chief_h").post(url, {"responsible": "coach_a"}, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {("responsible", "responsible_not_at_centre")}
    response = api("chief_h").post(url, {}, format="json")
    assert errors_of(response) == {("responsible", "required")}
    assert api("broker_h").post(url, {"responsible": None}, format="json").status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.responsible == world.users["chief_h"]

    response = api("chief_h").post(url, {"responsible": None}, format="json")
    assert response.status_code == 200
    assert response.json()["responsible"] is None


def test_pause_and_resume(world, api, today):
    enrolment = world.enrol(world.register())
    url = f"{URL}{enrolment.pk}/pause/"
    response = api("coach_h").post(url, {"status": "paused"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "paused"
    enrolment.refresh_from_db()
    assert enrolment.status == "paused"
    assert enrolment.history.latest().history_user == world.users["coach_h"]

    for bad, code in (({}, "required"), ({"status": "exited"}, "invalid_choice"),
                      ({"status": True}, "invalid_choice")):
        response = api("coach_h").post(url, bad, format="json")
        assert response.status_code == 400
        assert errors_of(response) == {("status", code)}
    assert api("broker_h").post(url, {"status": "active"}, format="json").status_code == 403
    assert api("coach_a").post(url, {"status": "active"}, format="json").status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == "paused"

    response = api("chief_h").post(url, {"status": "active"}, format="json")
    assert response.json()["status"] == "active"
    record_exit(actor=world.users["coach_h"], enrolment=enrolment, exit_date=today,
                reason="studier")
    response = api("coach_h").post(url, {"status": "paused"}, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {("status", "enrolment_exited")}
    enrolment.refresh_from_db()
    assert enrolment.status == "exited"


def test_enrol_finds_the_referral_when_its_id_differs_from_the_participants(world, api):
    # Referral and participant ids must never be compared: a second referral for another
    # person makes them drift apart.
    other = world.register()
    create_referral(actor=world.users["coach_h"], participant=other, source="egen",
                    centre=world.hisingen, referred_on=date(2026, 1, 6))
    participant = world.register()
    referral = participant.referrals.get()
    assert referral.pk != participant.pk
    response = api("coach_h").post(URL, enrolment_data(participant), format="json")
    assert response.status_code == 201, response.json()
    assert Enrolment.objects.get(pk=response.json()["id"]).referral == referral
