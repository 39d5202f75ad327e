"""The matching API: candidates, vacancies for a participant, proposals and outcomes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from vidare.access.models import AccessLogEntry
from vidare.matching.actions import propose
from vidare.matching.models import Proposal


@pytest.fixture
def api(m):
    def client_for(key):
        client = APIClient()
        client.force_authenticate(m.w.users[key])
        return client
    return client_for


def error_codes(response):
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def test_candidates_ranked_with_reasons_and_counts(m, api):
    response = api("broker_h").get(f"/api/v1/vacancies/{m.cleaner.pk}/candidates/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "ok" and body["eligible_count"] == 2 and body["pool_size"] == 4
    assert [r["participant"] for r in body["results"]] == [m.amina.pk, m.bo.pk]
    first = body["results"][0]
    assert first["score"] == 210  # no adaptation points for a role without special category
    assert {"code": "experience", "text": "Has worked 3 years as städare"} in first["reasons"]
    assert "adaptation" not in {r["code"] for r in first["reasons"]}
    assert body["exclusion_counts"] == [{"code": "driving_licence",
                                         "label": "Driving licence missing", "count": 1}]
    assert body["without_assessment"] == [{"id": m.dan.pk, "name": "Dan Okartlagd"}]
    logged = set(AccessLogEntry.objects.filter(channel="api").values_list("participant_id",
                                                                          flat=True))
    assert logged == {m.amina.pk, m.bo.pk, m.dan.pk}
    chief = api("chief_h").get(f"/api/v1/vacancies/{m.cleaner.pk}/candidates/").json()
    assert chief["results"][0]["score"] == 211
    assert "adaptation" in {r["code"] for r in chief["results"][0]["reasons"]}


def test_candidates_bad_input(m, api):
    client = api("broker_h")
    body = client.get(f"/api/v1/vacancies/{m.no_occupation.pk}/candidates/").json()
    assert body["state"] == "no_occupation" and body["results"] == []
    assert "not enough information to match" in body["message"]
    assert client.get("/api/v1/vacancies/999999/candidates/").status_code == 404
    response = client.get(f"/api/v1/vacancies/{m.cleaner.pk}/candidates/?top=0")
    assert error_codes(response) == {("top", "out_of_range")}
    assert api("syv_h").get(f"/api/v1/vacancies/{m.cleaner.pk}/candidates/"
                            ).status_code == 403


def test_vacancies_for_a_participant(m, api):
    client = api("broker_h")
    body = client.get(f"/api/v1/participants/{m.amina.pk}/vacancies/").json()
    assert body["state"] == "ok" and body["without_occupation"] == 1
    assert [r["vacancy"] for r in body["results"]] == [m.cleaner.pk]
    assert AccessLogEntry.objects.filter(participant=m.amina, channel="api").exists()
    body = client.get(f"/api/v1/participants/{m.dan.pk}/vacancies/").json()
    assert body["state"] == "no_assessment" and body["results"] == []
    assert client.get(f"/api/v1/participants/{m.other.pk}/vacancies/").status_code == 404
    assert api("syv_h").get(f"/api/v1/participants/{m.amina.pk}/vacancies/"
                            ).status_code == 403


def test_create_list_retrieve_and_outcome(m, api):
    client = api("broker_h")
    response = client.post("/api/v1/proposals/", {"vacancy": m.cleaner.pk,
                                                  "participant": m.amina.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["score"], body["proposed_by"]) == ("foreslagen", 210,
                                                                    "broker_h")
    pk = body["id"]
    assert [p["id"] for p in client.get("/api/v1/proposals/").json()["results"]] == [pk]
    assert client.get(f"/api/v1/proposals/?vacancy={m.mechanic.pk}").json()["results"] == []
    assert client.get(f"/api/v1/proposals/{pk}/").json()["reasons"][0]["code"] == "experience"
    response = client.post(f"/api/v1/proposals/{pk}/outcome/",
                           {"status": "intervju", "on": body["proposed_on"]}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "intervju"
    response = client.post(f"/api/v1/proposals/{pk}/outcome/",
                           {"status": "presenterad", "on": body["proposed_on"]}, format="json")
    assert error_codes(response) == {("status", "invalid_transition")}
    response = client.post(f"/api/v1/proposals/{pk}/outcome/",
                           {"status": "foreslagen", "on": body["proposed_on"]}, format="json")
    assert error_codes(response) == {("status", "invalid_choice")}


def test_create_bad_input(m, api):
    client = api("broker_h")
    cases = [
        ({"vacancy": m.cleaner.pk, "participant": m.other.pk}, ("participant", "does_not_exist")),
        ({"vacancy": m.cleaner.pk, "participant": m.dan.pk},
         ("participants[0]", "no_assessment")),
        ({"vacancy": m.no_occupation.pk, "participant": m.amina.pk},
         ("vacancy", "no_occupation")),
        ({"vacancy": 999999, "participant": m.amina.pk}, ("vacancy", "does_not_exist")),
    ]
    for data, expected in cases:
        response = client.post("/api/v1/proposals/", data, format="json")
        assert response.status_code == 400, data
        assert expected in error_codes(response), (data, response.json())
    assert not Proposal.objects.exists()
    assert api("syv_h").post("/api/v1/proposals/", cases[0][0], format="json"
                             ).status_code == 403


def test_other_centres_proposals_are_hidden(m, api):
    [p] = propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk])
    other = api("coach_a")
    assert other.get(f"/api/v1/proposals/{p.pk}/").status_code == 404
    assert other.get("/api/v1/proposals/").json()["results"] == []
    assert other.post(f"/api/v1/proposals/{p.pk}/outcome/",
                      {"status": "intervju", "on": "2026-03-02"}, format="json"
                      ).status_code == 404
