"""API v1: vacancies."""

from __future__ import annotations

import pytest

from tests.api.conftest import counts, errors_of
from vidare.vacancies.models import Vacancy


def test_create_read_filter_patch(register, api):
    client = api("broker_h")
    response = client.post("/api/v1/vacancies/", {
        "title": "Sommarvikarie vårdbiträde", "kind": "sommarvikariat", "occupation": "5330",
        "employer": register.cleaning.pk, "driving_licences": ["B"],
        "required_skills": ["Omvårdnad"], "adaptations_offered": ["handledare"],
        "min_swedish_level": "sfi_d", "extent_percent": 75, "extent_adaptable": True,
        "municipality": "1480", "open_to_all": True}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["occupation"], body["can_be_matched"], body["driving_licences"],
            body["source"]) == ("5330", True, ["B"], "manual")
    assert body["occupation_field"]
    assert [v["id"] for v in client.get("/api/v1/vacancies/",
                                        {"kind": "sommarvikariat"}).json()["results"]] == [
        body["id"]]
    assert {v["id"] for v in client.get("/api/v1/vacancies/",
                                        {"occupation": "5"}).json()["results"]} == {body["id"]}
    patched = client.patch(f"/api/v1/vacancies/{body['id']}/",
                           {"status": "filled", "driving_licences": []}, format="json")
    assert patched.status_code == 200
    assert (patched.json()["status"], patched.json()["driving_licences"]) == ("filled", [])


def test_without_occupation_is_not_matchable(register, api):
    client = api("broker_h")
    response = client.post("/api/v1/vacancies/", {"title": "Något"}, format="json")
    assert response.status_code == 201
    assert response.json()["can_be_matched"] is False
    assert [v["id"] for v in client.get("/api/v1/vacancies/",
                                        {"can_be_matched": "false"}).json()["results"]] == [
        response.json()["id"]]


@pytest.mark.parametrize("body, expected", [
    ({"occupation": "9999"}, ("occupation", "unknown_code")),
    ({"occupation": "72"}, ("occupation", "wrong_level")),
    ({"extent_percent": 0}, ("extent_percent", "min_value")),
    ({"driving_licences": ["Q"]}, ("driving_licences", "unknown_code")),
    ({"adaptations_offered": ["massage"]}, ("adaptations_offered", "unknown_code")),
    ({"min_swedish_level": "flytande"}, ("min_swedish_level", "invalid_choice")),
    ({"title": ""}, ("title", "blank")),
    ({"external_id": "1", "source": "jobsearch"}, None),  # read-only: ignored
])
def test_bad_input(register, api, body, expected):
    before = counts(Vacancy)
    response = api("broker_h").post("/api/v1/vacancies/", {"title": "Jobb", **body},
                                    format="json")
    if expected is None:
        assert response.status_code == 201
        assert response.json()["source"] == "manual" and response.json()["external_id"] == ""
        return
    assert response.status_code == 400
    assert errors_of(response) == {expected}
    assert counts(Vacancy) == before


@pytest.mark.parametrize("key, read, write", [("coach_h", 200, 403), ("af_h", 200, 403),
                                              ("chief_h", 200, 201), ("analyst", 403, 403),
                                              ("social", 403, 403)])
def test_roles(register, api, key, read, write):
    client = api(key)
    assert client.get(f"/api/v1/vacancies/{register.vacancy.pk}/").status_code == read
    assert client.post("/api/v1/vacancies/", {"title": "Jobb"},
                       format="json").status_code == write
