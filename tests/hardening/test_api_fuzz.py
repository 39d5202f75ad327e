"""Property-based tests of the API from its own OpenAPI document (schemathesis).

Every generated request, valid or not, must get a deliberate answer: never a 5xx, never a
stack trace, every 4xx in the documented error shape, and a refused write leaves every
table as it was. Derandomized so a CI run is reproducible. To explore further locally:
VIDARE_FUZZ_EXAMPLES=200 VIDARE_FUZZ_RANDOM=1 VIDARE_FUZZ_USER=chief_h pytest tests/hardening
(on PostgreSQL too: it refuses values SQLite stores, such as NUL or numbers past bigint).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from conftest import build_world
from django.apps import apps
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

_schema = SchemaGenerator().get_schema(request=None, public=True)
# JSON round trip: the generator returns lazy strings and Decimal defaults.
SCHEMA = schemathesis.openapi.from_dict(json.loads(json.dumps(_schema, default=str)))

WRITABLE_TABLES = ["people.Participant", "people.Referral", "people.ReferralContact",
                      "enrolments.Enrolment", "enrolments.Exit", "assessments.Assessment",
                      "assessments.WorkExperience", "plans.Plan", "plans.PlanGoal",
                      "plans.Intervention", "plans.Attendance",
                      "employers.Employer", "employers.EmployerContact", "employers.Activity",
                      "employers.RecruitmentNeed", "employers.Agreement", "employers.Placement",
                      "vacancies.Vacancy", "matching.Proposal", "matching.ProposalStep",
                      "matching.MatchingRun", "access.User", "access.Membership",
                      "organisation.Centre", "organisation.Programme",
                      "organisation.TargetGroup"]


def table_counts() -> dict[str, int]:
    return {name: apps.get_model(name).objects.count() for name in WRITABLE_TABLES}


@pytest.fixture
def fuzz_world(db: Any) -> Any:
    world = build_world()
    participant = world.register()
    world.enrol(participant)
    return world


def send(client: Any, case: Any) -> Any:
    path = case.formatted_path
    kwargs: dict[str, Any] = {}
    if case.query:
        kwargs["QUERY_STRING"] = urlencode(case.query, doseq=True)
    body = case.body
    if body is not None and not isinstance(body, (bytes, str)) and case.method != "GET":
        return client.generic(case.method, path, json.dumps(body, default=str),
                              content_type="application/json", **kwargs)
    return client.generic(case.method, path, **kwargs)


FUZZ = settings(max_examples=int(os.environ.get("VIDARE_FUZZ_EXAMPLES", "6")), deadline=None,
                derandomize=not os.environ.get("VIDARE_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.filter_too_much])
# The system administrator's endpoints are fuzzed as the one who may write them; every other
# role's 403 on them is walked by the access matrix (tests/access).
_ADMINISTRATION_PATHS = r"^/api/v1/(staff|centres|programmes|target-groups)/"
ADMINISTRATION = SCHEMA.include(path_regex=_ADMINISTRATION_PATHS)
CASEWORK = SCHEMA.exclude(path_regex=_ADMINISTRATION_PATHS)


def answers_deliberately(case: Any, client: Any, user: Any) -> None:
    client.force_login(user)
    before = table_counts()
    response = send(client, case)
    assert response.status_code < 500, (case.method, case.formatted_path, case.body)
    content = response.content.decode(errors="replace")
    assert "Traceback" not in content
    if 400 <= response.status_code < 500 and response.status_code != 405:
        body = response.json()
        assert isinstance(body.get("errors"), list) and body["errors"], body
        for error in body["errors"]:
            assert {"field", "code", "message"} <= set(error), error
        assert table_counts() == before, (case.method, case.formatted_path, case.body)


@pytest.mark.django_db
@CASEWORK.parametrize()
@FUZZ
def test_api_answers_every_generated_request_deliberately(case, client, fuzz_world):
    answers_deliberately(case, client,
                         fuzz_world.users[os.environ.get("VIDARE_FUZZ_USER", "coach_h")])


@pytest.mark.django_db
@ADMINISTRATION.parametrize()
@FUZZ
def test_administration_answers_the_administrator_deliberately(case, client, fuzz_world):
    answers_deliberately(case, client, fuzz_world.users["admin"])


@pytest.mark.django_db
def test_nul_in_a_code_is_an_unknown_code_not_a_database_error(client, fuzz_world):
    # Found by the fuzz test on PostgreSQL, which refuses NUL even in a WHERE clause.
    client.force_login(fuzz_world.users["coach_h"])
    participant = fuzz_world.register()
    before = table_counts()
    response = client.post("/api/v1/enrolments/", {
        "participant": participant.pk, "programme": "jobbtorg", "centre": "hisingen\x00",
        "start_date": "2026-02-02"}, content_type="application/json")
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("centre", "unknown_code")]
    assert table_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "field", "code"), [
    # Found by the fuzz test on PostgreSQL: offset + a huge limit overflowed bigint.
    ({"limit": str(2**63 - 1)}, "limit", "max_value"),
    ({"limit": "0"}, "limit", "min_value"),
    ({"limit": "många"}, "limit", "invalid"),
    ({"offset": str(2**63)}, "offset", "max_value"),
    ({"offset": "-1"}, "offset", "min_value"),
])
def test_paging_parameters_out_of_range_are_a_400_naming_the_parameter(
        client, fuzz_world, query, field, code):
    client.force_login(fuzz_world.users["coach_h"])
    response = client.get("/api/v1/referrals/", query)
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


@pytest.mark.django_db
def test_paging_within_bounds_pages_the_list(client, fuzz_world):
    client.force_login(fuzz_world.users["coach_h"])
    fuzz_world.register()
    whole = client.get("/api/v1/referrals/").json()
    assert whole["count"] >= 2
    first = client.get("/api/v1/referrals/", {"limit": 1, "offset": 0}).json()
    second = client.get("/api/v1/referrals/", {"limit": 1, "offset": 1}).json()
    assert [r["id"] for r in first["results"] + second["results"]] == [
        r["id"] for r in whole["results"][:2]]
    assert first["next"] and "offset=1" in first["next"]
    beyond = client.get("/api/v1/referrals/", {"limit": 500, "offset": 2**31}).json()
    assert beyond["results"] == [] and beyond["count"] == whole["count"]
