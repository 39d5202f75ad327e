"""The staff API: the system administrator provisions accounts and roles through the same
actions as the pages (their rules are tested in test_actions.py); here, that each endpoint
reaches its action, answers a refused rule with field and code, saves nothing then, never
returns a secret, and refuses every other role."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vidare.access.auth import otp
from vidare.access.models import Membership, User

from .conftest import PASSWORD, snapshot

OTHER_ROLES = ["coach_h", "coach_a", "chief_h", "syv_h", "broker_h", "af_h", "analyst",
               "social"]


def send(client: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, path, json.dumps(body or {}),
                          content_type="application/json")


def rules(response: Any) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


@pytest.fixture
def api(as_user: Any) -> Any:
    return as_user("admin")


def test_create_give_roles_and_read_back(world, api, admin):
    response = send(api, "POST", "/api/v1/staff/", {
        "username": "ny.coach", "first_name": "Nora", "last_name": "Nyström",
        "email": "nora@example.org", "password": PASSWORD})
    assert response.status_code == 201, response.content
    created = response.json()
    assert "password" not in created
    assert (created["is_active"], created["password_change_required"], created["roles"],
            created["second_factor"]) == (True, True, [], False)
    member = User.objects.get(username="ny.coach")
    assert member.check_password(PASSWORD)

    path = f"/api/v1/staff/{member.pk}/"
    response = send(api, "POST", path + "roles/", {"role": "jobbcoach", "centre": "hisingen"})
    assert response.status_code == 201
    assert response.json() == {"id": member.memberships.get().pk, "role": "jobbcoach",
                               "centre": "hisingen"}
    send(api, "POST", path + "roles/", {"role": "analytiker", "centre": None})
    roles = api.get(path).json()["roles"]
    assert sorted((r["role"], r["centre"]) for r in roles) == [
        ("analytiker", None), ("jobbcoach", "hisingen")]

    response = send(api, "POST", path + "revoke-role/", {"role": "analytiker"})
    assert response.status_code == 200
    assert [(r["role"], r["centre"]) for r in response.json()["roles"]] == [
        ("jobbcoach", "hisingen")]
    assert Membership.history.filter(history_type="-").get().history_user == admin


def test_change_deactivate_and_search(world, api, admin):
    coach = world.users["coach_h"]
    path = f"/api/v1/staff/{coach.pk}/"
    response = send(api, "PATCH", path, {"title": "Jobbcoach", "is_active": False})
    assert response.status_code == 200
    coach.refresh_from_db()
    assert (coach.title, coach.is_active) == ("Jobbcoach", False)
    assert {h.history_user for h in coach.history.all()[:2]} == {admin}
    listed = api.get("/api/v1/staff/", {"is_active": "false"}).json()["results"]
    assert [m["username"] for m in listed] == ["coach_h"]
    listed = api.get("/api/v1/staff/", {"role": "jobbcoach", "centre": "angered"}).json()
    assert [m["username"] for m in listed["results"]] == ["coach_a"]
    assert [m["username"] for m in api.get("/api/v1/staff/", {"q": "ANALY"}).json()[
        "results"]] == ["analyst"]


def test_password_and_second_factor(world, api):
    coach = world.users["coach_h"]
    device = otp.pending_app_device(coach)
    device.confirmed = True
    device.save()
    path = f"/api/v1/staff/{coach.pk}/"
    assert api.get(path).json()["second_factor"] is True
    response = send(api, "POST", path + "reset-second-factor/")
    assert response.status_code == 200 and response.json() == {"removed": 1}
    assert api.get(path).json()["second_factor"] is False

    response = send(api, "POST", path + "password/", {"password": PASSWORD})
    assert response.status_code == 200 and response.json()["password_change_required"]
    assert "password" not in response.json()
    coach.refresh_from_db()
    assert coach.check_password(PASSWORD)


@pytest.mark.parametrize(("method", "suffix", "body", "expected"), [
    ("POST", "", {"username": "med mellanslag", "first_name": "A", "last_name": "B"},
     {("username", "invalid_characters")}),
    ("POST", "", {"username": "COACH_H", "first_name": "A", "last_name": "B"},
     {("username", "duplicate")}),
    ("POST", "", {"username": "ny"}, {("first_name", "required"), ("last_name", "required")}),
    ("POST", "", {"username": "ny", "first_name": "", "last_name": "B", "email": "inte-epost"},
     {("first_name", "required"), ("email", "invalid")}),
    ("POST", "", {"username": "ny", "first_name": "A", "last_name": "B",
                  "password": "password"}, {("password", "password_too_common"),
                                            ("password", "password_too_short")}),
    ("PATCH", "{coach}/", {"password": PASSWORD}, {("password", "read_only")}),
    ("PATCH", "{admin}/", {"is_active": False}, {("is_active", "own_account")}),
    ("POST", "{coach}/password/", {"password": "kort"}, {("password", "password_too_short")}),
    ("POST", "{coach}/roles/", {"role": "jobbcoach"}, {("centre", "centre_required")}),
    ("POST", "{coach}/roles/", {"role": "analytiker", "centre": "hisingen"},
     {("centre", "municipality_wide")}),
    ("POST", "{coach}/roles/", {"role": "jobbcoach", "centre": "hisingen"},
     {("role", "duplicate")}),
    ("POST", "{coach}/roles/", {"role": "chef"}, {("role", "invalid_choice")}),
    ("POST", "{coach}/roles/", {"role": "jobbcoach", "centre": "ingenstans"},
     {("centre", "unknown_code")}),
    ("POST", "{admin}/roles/", {"role": "jobbcoach", "centre": "hisingen"},
     {("role", "own_role")}),
    ("POST", "{admin}/revoke-role/", {"role": "systemadministrator"},
     {("role", "own_last_admin_role")}),
    ("POST", "{coach}/revoke-role/", {"role": "syv", "centre": "hisingen"},
     {("role", "does_not_exist")}),
])
def test_bad_input_names_field_and_rule_and_saves_nothing(world, api, method, suffix, body,
                                                          expected):
    ids = {"coach": world.users["coach_h"].pk, "admin": world.users["admin"].pk}
    before = snapshot()
    response = send(api, method, "/api/v1/staff/" + suffix.format(**ids), body)
    assert response.status_code == 400, response.content
    assert rules(response) == expected
    assert snapshot() == before


@pytest.mark.parametrize("key", OTHER_ROLES)
@pytest.mark.parametrize(("method", "suffix", "body"), [
    ("GET", "", None),
    ("GET", "{coach}/", None),
    ("POST", "", {"username": "smyg", "first_name": "S", "last_name": "M"}),
    ("POST", "{coach}/roles/", {"role": "systemadministrator"}),
    ("POST", "{coach}/password/", {"password": PASSWORD}),
])
def test_every_other_role_is_refused(world, as_user, key, method, suffix, body):
    before = snapshot()
    path = "/api/v1/staff/" + suffix.format(coach=world.users["coach_h"].pk)
    response = (as_user(key).get(path) if method == "GET"
                else send(as_user(key), method, path, body))
    assert response.status_code == 403
    assert snapshot() == before


def test_the_list_takes_a_fixed_number_of_queries(world, api):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/staff/").status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        user = User.objects.create_user(username=f"extra{n}", first_name="E", last_name="X")
        Membership.objects.create(user=user, role="jobbcoach", centre=world.hisingen)
    assert count() == few
