"""The organisation's code lists over the API: everyone reads, the system administrator
writes through the same actions as the pages (same rules, same codes), nothing half saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vidare.organisation.models import Centre, Programme, TargetGroup

from .conftest import OTHER_ROLES, snapshot


def send(client: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(method, path, json.dumps(body), content_type="application/json")


def rules(response: Any) -> set[tuple[str, str]]:
    body = response.json()
    assert {"field", "code", "message"} <= set(body["errors"][0])
    return {(e["field"], e["code"]) for e in body["errors"]}


@pytest.mark.parametrize("key", [*OTHER_ROLES, "admin"])
def test_everyone_reads_the_code_lists(world, as_user, key):
    client = as_user(key)
    centres = client.get("/api/v1/centres/").json()["results"]
    assert [c["code"] for c in centres] == ["angered", "hisingen"]
    programme = client.get(f"/api/v1/programmes/{world.jobbtorg.pk}/").json()
    assert programme["centres"] == ["angered", "hisingen"]
    assert sorted(programme["target_groups"]) == ["forsorjningsstod", "kort_utbildning",
                                                  "utrikesfodd"]
    groups = {g["code"]: g for g in client.get("/api/v1/target-groups/").json()["results"]}
    assert groups["funktionsnedsattning"]["special_category"] is False  # the world's default


@pytest.mark.parametrize("key", OTHER_ROLES)
@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/v1/centres/", {"code": "lundby", "name": "Lundby"}),
    ("POST", "/api/v1/target-groups/", {"code": "unga", "name": "Unga"}),
    ("PATCH", "/api/v1/programmes/{jobbtorg}/", {"max_age": 67}),
])
def test_only_the_system_administrator_writes(world, as_user, key, method, path, body):
    before = snapshot()
    response = send(as_user(key), method, path.format(jobbtorg=world.jobbtorg.pk), body)
    assert response.status_code == 403
    assert snapshot() == before


def test_active_filter(world, as_user):
    world.angered.active = False
    world.angered.save()
    client = as_user("coach_h")
    assert [c["code"] for c in client.get("/api/v1/centres/?active=true").json()["results"]] \
        == ["hisingen"]
    assert [c["code"] for c in client.get("/api/v1/centres/?active=false").json()["results"]] \
        == ["angered"]
    response = client.get("/api/v1/programmes/?active=kanske")
    assert response.status_code == 400 and rules(response) == {("active", "invalid")}


CENTRES, PROGRAMMES = "/api/v1/centres/", "/api/v1/programmes/"


@pytest.mark.parametrize(("path", "body", "expected"), [
    (CENTRES, {"code": "HISINGEN", "name": "Ny"}, {("code", "duplicate")}),
    (CENTRES, {"code": "ny", "name": "hisingen"}, {("name", "duplicate")}),
    (CENTRES, {"code": "ny plats", "name": "Ny"}, {("code", "invalid")}),
    (CENTRES, {"code": "ny", "name": "Ny", "municipality": "9999"},
     {("municipality", "unknown_code")}),
    (CENTRES, {"code": "ny", "name": "Ny", "municipality": 1480},
     {("municipality", "incorrect_type")}),
    (CENTRES, {"name": "Ny"}, {("code", "required")}),
    (PROGRAMMES, {"code": "ny", "name": "Ny"}, {("centres", "required")}),
    (PROGRAMMES, {"code": "ny", "name": "Ny", "centres": ["nowhere"]},
     {("centres", "unknown_code")}),
    (PROGRAMMES, {"code": "ny", "name": "Ny", "centres": ["hisingen"], "min_age": 30,
                  "max_age": 20}, {("max_age", "age_band")}),
    (PROGRAMMES, {"code": "ny", "name": "Ny", "centres": ["hisingen"],
                  "max_length_months": 0}, {("max_length_months", "min_value")}),
    (PROGRAMMES, {"code": "ny", "name": "Ny", "centres": ["hisingen"],
                  "target_groups": ["ingen-sadan"]}, {("target_groups", "unknown_code")}),
])
def test_bad_input_names_field_and_rule_and_saves_nothing(world, as_user, path, body,
                                                          expected):
    before = snapshot()
    response = send(as_user("admin"), "POST", path, body)
    assert response.status_code == 400
    assert rules(response) == expected
    assert snapshot() == before


class TestCentres:
    def test_create_and_change_with_history(self, world, as_user):
        admin = as_user("admin")
        response = send(admin, "POST", "/api/v1/centres/", {
            "code": " Lundby ", "name": "Lundby", "municipality": "1480",
            "address": "Lundbygatan 1"})
        assert response.status_code == 201, response.content
        created = response.json()
        assert (created["code"], created["municipality"], created["active"]) == (
            "lundby", "1480", True)
        response = send(admin, "PATCH", f"/api/v1/centres/{created['id']}/",
                        {"address": "Lundbygatan 3"})
        assert response.status_code == 200 and response.json()["address"] == "Lundbygatan 3"
        centre = Centre.objects.get(code="lundby")
        assert [(h.history_type, h.history_user) for h in centre.history.order_by(
            "history_id")] == [("+", world.users["admin"]), ("~", world.users["admin"])]

    def test_no_deactivation_while_enrolments_are_open(self, world, as_user, busy):
        before = snapshot()
        response = send(as_user("admin"), "PATCH", f"/api/v1/centres/{world.hisingen.pk}/",
                        {"active": False})
        assert response.status_code == 400
        assert rules(response) == {("active", "open_enrolments")}
        assert "1" in response.json()["errors"][0]["message"]
        assert snapshot() == before


class TestProgrammes:
    def test_create_with_centres_and_target_groups(self, world, as_user):
        response = send(as_user("admin"), "POST", "/api/v1/programmes/", {
            "code": "sommarjobb", "name": "Sommarjobb", "min_age": 16, "max_age": 19,
            "max_length_months": 3, "centres": ["hisingen"],
            "target_groups": ["forsorjningsstod"]})
        assert response.status_code == 201, response.content
        programme = Programme.objects.get(code="sommarjobb")
        assert [c.code for c in programme.centres.all()] == ["hisingen"]
        assert [g.code for g in programme.target_groups.all()] == ["forsorjningsstod"]
        assert response.json()["centres"] == ["hisingen"]

    def test_a_change_leaves_centres_and_groups_out_unless_named(self, world, as_user):
        response = send(as_user("admin"), "PATCH", f"/api/v1/programmes/{world.jobbtorg.pk}/",
                        {"max_age": 67})
        assert response.status_code == 200
        assert response.json()["centres"] == ["angered", "hisingen"]
        world.jobbtorg.refresh_from_db()
        assert world.jobbtorg.max_age == 67 and world.jobbtorg.target_groups.count() == 3
        response = send(as_user("admin"), "PATCH", f"/api/v1/programmes/{world.jobbtorg.pk}/",
                        {"target_groups": []})
        assert response.status_code == 200 and response.json()["target_groups"] == []

    def test_a_centre_with_open_enrolments_stays(self, world, as_user, busy):
        before = snapshot()
        response = send(as_user("admin"), "PATCH", f"/api/v1/programmes/{world.jobbtorg.pk}/",
                        {"centres": ["angered"]})
        assert response.status_code == 400
        assert rules(response) == {("centres", "open_enrolments")}
        assert snapshot() == before


class TestTargetGroups:
    def test_create_special_category_group(self, world, as_user):
        response = send(as_user("admin"), "POST", "/api/v1/target-groups/", {
            "code": "psykisk-ohalsa", "name": "Psykisk ohälsa", "special_category": True})
        assert response.status_code == 201, response.content
        assert TargetGroup.objects.get(code="psykisk-ohalsa").special_category is True

    def test_code_fixed_once_in_use(self, world, as_user):
        group = world.tg["forsorjningsstod"]
        before = snapshot()
        response = send(as_user("admin"), "PATCH", f"/api/v1/target-groups/{group.pk}/",
                        {"code": "fs"})
        assert response.status_code == 400
        assert rules(response) == {("code", "in_use")}
        assert snapshot() == before
        response = send(as_user("admin"), "PATCH", f"/api/v1/target-groups/{group.pk}/",
                        {"name": "Ekonomiskt bistånd"})
        assert response.status_code == 200 and response.json()["code"] == "forsorjningsstod"


@pytest.mark.parametrize("path", ["/api/v1/centres/", "/api/v1/programmes/",
                                  "/api/v1/target-groups/"])
def test_lists_take_a_fixed_number_of_queries(world, as_user, path):
    client = as_user("coach_h")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        centre = Centre.objects.create(code=f"extra-{n}", name=f"Extra {n}")
        group = TargetGroup.objects.create(code=f"extra-{n}", name=f"Extra {n}")
        programme = Programme.objects.create(code=f"extra-{n}", name=f"Extra {n}")
        programme.centres.set([centre, world.hisingen])
        programme.target_groups.set([group])
    assert count() == few
