"""API v1 of the employer register and placements."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import counts, errors_of
from vidare.access.models import AccessLogEntry
from vidare.employers.actions import record_placement
from vidare.employers.models import Activity, Employer, Placement, RecruitmentNeed

from .conftest import ORGNR


class TestEmployers:
    def test_create_list_retrieve_patch(self, register, api, world):
        client = api("broker_h")
        response = client.post("/api/v1/employers/", {
            "name": "Exempel Måleri AB", "organisation_number": "9697990035",
            "sni_code": "43", "municipality": "1480", "responsible": "broker_h"},
            format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["organisation_number"], body["sni_name"], body["municipality"],
                body["responsible"]) == ("969799-0035",
                                         "Specialiserad bygg- och anläggningsverksamhet",
                                         "1480", "broker_h")
        listed = client.get("/api/v1/employers/", {"q": "måleri"}).json()
        assert [e["id"] for e in listed["results"]] == [body["id"]]
        detail = client.get(f"/api/v1/employers/{register.garage.pk}/").json()
        assert detail["contacts"][0]["name"] == "Kim Kontakt"
        assert detail["agreements"][0]["kind"] == "praktikavtal"
        patched = client.patch(f"/api/v1/employers/{body['id']}/", {"status": "inactive"},
                               format="json")
        assert patched.status_code == 200 and patched.json()["status"] == "inactive"

    @pytest.mark.parametrize("number, code", [("969799-004", "wrong_length"),
                                              ("9697990044", "checksum"),
                                              ("96979A0043", "invalid_format"),
                                              (ORGNR[0], "duplicate")])
    def test_bad_orgnr(self, register, api, number, code):
        before = counts(Employer)
        response = api("broker_h").post("/api/v1/employers/", {
            "name": "X", "organisation_number": number}, format="json")
        assert response.status_code == 400
        assert errors_of(response) == {("organisation_number", code)}
        assert counts(Employer) == before

    def test_bad_references(self, register, api):
        response = api("broker_h").post("/api/v1/employers/", {
            "name": "X", "organisation_number": ORGNR[2], "municipality": "9999",
            "responsible": "nobody", "sni_code": "45200"}, format="json")
        assert errors_of(response) == {("municipality", "unknown_code"),
                                       ("responsible", "unknown_user")}
        response = api("broker_h").post("/api/v1/employers/", {
            "name": "X", "organisation_number": ORGNR[2], "sni_code": "45200"},
            format="json")
        assert errors_of(response) == {("sni_code", "unknown_code")}

    @pytest.mark.parametrize("key, read, write", [
        ("coach_h", 200, 403), ("syv_h", 200, 403), ("chief_h", 200, 201),
        ("analyst", 403, 403), ("social", 403, 403), ("admin", 403, 403)])
    def test_roles(self, register, api, key, read, write):
        client = api(key)
        assert client.get("/api/v1/employers/").status_code == read
        assert client.get(f"/api/v1/employers/{register.garage.pk}/").status_code == read
        response = client.post("/api/v1/employers/", {"name": "X",
                                                      "organisation_number": ORGNR[2]},
                               format="json")
        assert response.status_code == write

    def test_contacts_and_agreements(self, register, api, today):
        client = api("broker_h")
        url = f"/api/v1/employers/{register.cleaning.pk}/"
        assert client.post(url + "contacts/", {"name": "Sara Städ", "email": "nej"},
                           format="json").status_code == 400
        assert client.post(url + "contacts/", {"name": "Sara Städ"},
                           format="json").status_code == 201
        response = client.post(url + "agreements/", {
            "kind": "lonebidrag", "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat()}, format="json")
        assert errors_of(response) == {("ends_on", "end_before_start")}


class TestActivities:
    def test_log_and_follow_up(self, register, api, world, today):
        client = api("broker_h")
        response = client.post("/api/v1/activities/", {
            "employer": register.garage.pk, "kind": "samtal",
            "occurred_on": today.isoformat(),
            "follow_up_on": (today + timedelta(days=3)).isoformat()}, format="json")
        assert response.status_code == 201 and response.json()["by"] == "broker_h"
        due = client.get("/api/v1/activities/", {"follow_up_due": "true"}).json()["results"]
        assert {a["id"] for a in due} == {register.due_mine.pk, register.due_other.pk}
        response = client.patch(f"/api/v1/activities/{register.due_mine.pk}/",
                                {"follow_up_done": True}, format="json")
        assert response.status_code == 200 and response.json()["follow_up_done"]

    def test_bad_input(self, register, api, today):
        client = api("broker_h")
        before = counts(Activity)
        response = client.post("/api/v1/activities/", {
            "employer": register.garage.pk, "kind": "lunch",
            "occurred_on": (today + timedelta(days=1)).isoformat()}, format="json")
        assert errors_of(response) == {("kind", "invalid_choice")}
        response = client.post("/api/v1/activities/", {
            "employer": register.garage.pk, "kind": "samtal",
            "occurred_on": (today + timedelta(days=1)).isoformat()}, format="json")
        assert errors_of(response) == {("occurred_on", "future")}
        response = client.post("/api/v1/activities/", {
            "employer": 999999, "kind": "samtal", "occurred_on": today.isoformat()},
            format="json")
        assert errors_of(response) == {("employer", "does_not_exist")}
        response = client.patch(f"/api/v1/activities/{register.due_mine.pk}/",
                                {"employer": register.cleaning.pk}, format="json")
        assert errors_of(response) == {("employer", "read_only")}
        assert counts(Activity) == before

    def test_a_reader_cannot_write(self, register, api):
        assert api("coach_h").patch(f"/api/v1/activities/{register.due_mine.pk}/",
                                    {"follow_up_done": True},
                                    format="json").status_code == 403


class TestNeeds:
    def test_create_and_filter(self, register, api, today):
        client = api("chief_h")
        response = client.post("/api/v1/recruitment-needs/", {
            "employer": register.cleaning.pk, "occupation": "9111", "number": 4,
            "needed_from": today.isoformat()}, format="json")
        assert response.status_code == 201
        listed = client.get("/api/v1/recruitment-needs/", {"occupation": "9111"}).json()
        assert [n["id"] for n in listed["results"]] == [response.json()["id"]]

    @pytest.mark.parametrize("occupation, code", [("9999", "unknown_code"),
                                                  ("72", "wrong_level"), (7231, "incorrect_type")])
    def test_occupation_rules(self, register, api, today, occupation, code):
        before = counts(RecruitmentNeed)
        response = api("broker_h").post("/api/v1/recruitment-needs/", {
            "employer": register.garage.pk, "occupation": occupation,
            "needed_from": today.isoformat()}, format="json")
        assert errors_of(response) == {("occupation", code)}
        assert counts(RecruitmentNeed) == before


class TestPlacements:
    def test_record_list_and_read_are_scoped(self, register, api, world, today):
        record_placement(None, register.garage, register.other, "praktik", today)
        client = api("broker_h")
        response = client.post("/api/v1/placements/", {
            "employer": register.garage.pk, "participant": register.own.pk,
            "kind": "anstallning", "starts_on": today.isoformat(),
            "vacancy": register.vacancy.pk}, format="json")
        assert response.status_code == 201, response.json()
        mine = response.json()["id"]
        listed = client.get("/api/v1/placements/").json()["results"]
        assert [p["id"] for p in listed] == [mine]
        assert client.get(f"/api/v1/placements/{mine}/").status_code == 200
        assert AccessLogEntry.objects.filter(participant=register.own, what="api:placement",
                                             user=world.users["broker_h"]).exists()
        hidden = Placement.objects.get(participant=register.other).pk
        assert client.get(f"/api/v1/placements/{hidden}/").status_code == 404

    def test_a_participant_out_of_scope_reads_as_unknown(self, register, api, today):
        before = counts(Placement)
        response = api("broker_h").post("/api/v1/placements/", {
            "employer": register.garage.pk, "participant": register.other.pk,
            "kind": "praktik", "starts_on": today.isoformat()}, format="json")
        assert errors_of(response) == {("participant", "does_not_exist")}
        assert counts(Placement) == before

    def test_roles(self, register, api, today):
        body = {"employer": register.garage.pk, "participant": register.own.pk,
                "kind": "praktik", "starts_on": today.isoformat()}
        assert api("syv_h").post("/api/v1/placements/", body,
                                 format="json").status_code == 403
        assert api("coach_h").post("/api/v1/placements/", body,
                                   format="json").status_code == 201
        assert api("social").get("/api/v1/placements/").json()["results"] == []
