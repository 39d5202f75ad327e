"""API: plans with goals, interventions and weekly attendance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from conftest import give_consent

from vidare.plans.actions import save_intervention
from vidare.plans.models import Attendance, Intervention, Plan, PlanGoal

from .conftest import counts, errors_of


@pytest.fixture
def enrolment(world):
    return world.enrol(world.register())


@pytest.fixture
def intervention(world, enrolment):
    return save_intervention(actor=world.users["coach_h"], enrolment=enrolment, kind="praktik",
                             title="Praktik på förskola", start_date=date(2026, 3, 2),
                             end_date=date(2026, 5, 29), hours_per_week=Decimal(20))


# --- plans ------------------------------------------------------------------------------------


def test_plan_create_revise_and_goals(world, api, enrolment):
    client = api("coach_h")
    response = client.post("/api/v1/plans/", {
        "enrolment": enrolment.pk, "established_on": "2026-01-20",
        "next_review_on": "2026-04-20", "summary": "Praktik, sedan arbete.",
    }, format="json")
    assert response.status_code == 201, response.json()
    plan = Plan.objects.get(pk=response.json()["id"])
    assert (plan.enrolment, plan.summary) == (enrolment, "Praktik, sedan arbete.")
    assert response.json()["goals"] == []
    assert plan.history.get().history_user == world.users["coach_h"]

    url = f"/api/v1/plans/{plan.pk}/"
    response = client.patch(url, {"summary": "Utbildning först."}, format="json")
    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert (plan.summary, plan.established_on) == ("Utbildning först.", date(2026, 1, 20))
    assert plan.history.count() == 2

    response = client.post(f"{url}goals/", {"kind": "arbete", "description": "Arbete i vården",
                                            "target_date": "2026-12-31"}, format="json")
    assert response.status_code == 201, response.json()
    goal = PlanGoal.objects.get(pk=response.json()["id"])
    assert (goal.plan, goal.kind) == (plan, "arbete")
    response = client.patch(f"{url}goals/{goal.pk}/", {"achieved_on": "2026-11-01"},
                            format="json")
    assert response.status_code == 200, response.json()
    goal.refresh_from_db()
    assert goal.achieved_on == date(2026, 11, 1)
    assert goal.history.count() == 2
    assert [g["id"] for g in client.get(url).json()["goals"]] == [goal.pk]
    assert client.patch(f"{url}goals/999999/", {"achieved_on": "2026-11-01"},
                        format="json").status_code == 404


def test_plan_errors_save_nothing(world, api, enrolment):
    client = api("coach_h")
    base = {"enrolment": enrolment.pk, "established_on": "2026-01-20"}
    before = counts(Plan)
    for change, error in [
        ({"established_on": "2026-01-01"}, ("established_on", "before_start")),
        ({"next_review_on": "2026-01-19"}, ("next_review_on", "before_established")),
        ({"established_on": None}, ("established_on", "null")),
    ]:
        response = client.post("/api/v1/plans/", {**base, **change}, format="json")
        assert response.status_code == 400, change
        assert errors_of(response) == {error}, change
    assert counts(Plan) == before

    client.post("/api/v1/plans/", base, format="json")
    response = client.post("/api/v1/plans/", base, format="json")
    assert errors_of(response) == {("enrolment", "plan_exists")}
    assert Plan.objects.count() == 1
    assert api("broker_h").post("/api/v1/plans/", base, format="json").status_code == 403


def test_plan_scope(world, api, enrolment):
    plan_id = api("coach_h").post("/api/v1/plans/", {
        "enrolment": enrolment.pk, "established_on": "2026-01-20"}, format="json").json()["id"]
    assert api("coach_h").get("/api/v1/plans/", {"enrolment": enrolment.pk}).json()["count"] == 1
    for key in ("coach_a", "analyst", "social"):
        assert api(key).get(f"/api/v1/plans/{plan_id}/").status_code == 404
        assert api(key).get("/api/v1/plans/").json()["count"] == 0
    assert api("coach_a").patch(f"/api/v1/plans/{plan_id}/", {"summary": "x"},
                                format="json").status_code == 404


# --- interventions ----------------------------------------------------------------------------


def test_intervention_create_list_update(world, api, enrolment):
    client = api("coach_h")
    response = client.post("/api/v1/interventions/", {
        "enrolment": enrolment.pk, "kind": "sfi", "title": "SFI kurs C",
        "provider": "Komvux", "start_date": "2026-02-02", "hours_per_week": 12.5,
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    intervention = Intervention.objects.get(pk=body["id"])
    assert (intervention.enrolment, intervention.hours_per_week, intervention.status) == (
        enrolment, Decimal("12.5"), "planned")
    assert (body["hours_per_week"], body["status"]) == (12.5, "planned")
    assert intervention.history.get().history_user == world.users["coach_h"]

    listed = client.get("/api/v1/interventions/", {"enrolment": enrolment.pk}).json()
    assert [i["id"] for i in listed["results"]] == [intervention.pk]

    url = f"/api/v1/interventions/{intervention.pk}/"
    response = client.patch(url, {"status": "ongoing", "end_date": "2026-06-12"}, format="json")
    assert response.status_code == 200, response.json()
    intervention.refresh_from_db()
    assert (intervention.status, intervention.end_date) == ("ongoing", date(2026, 6, 12))
    assert intervention.history.count() == 2


def test_intervention_errors_save_nothing(world, api, enrolment, intervention):
    other = world.enrol(world.register())
    client = api("coach_h")
    base = {"enrolment": enrolment.pk, "kind": "praktik", "title": "Praktik",
            "start_date": "2026-02-02"}
    before = counts(Intervention)
    for change, error in [
        ({"start_date": "2026-01-01"}, ("start_date", "before_enrolment")),
        ({"kind": "semester"}, ("kind", "invalid_choice")),
        ({"hours_per_week": 61}, ("hours_per_week", "max_value")),
        ({"title": ""}, ("title", "blank")),
    ]:
        response = client.post("/api/v1/interventions/", {**base, **change}, format="json")
        assert response.status_code == 400, change
        assert errors_of(response) == {error}, change

    url = f"/api/v1/interventions/{intervention.pk}/"
    response = client.patch(url, {"enrolment": other.pk, "title": "Flyttad"}, format="json")
    assert errors_of(response) == {("enrolment", "wrong_enrolment")}
    assert api("broker_h").patch(url, {"title": "x"}, format="json").status_code == 403
    assert api("coach_a").patch(url, {"title": "x"}, format="json").status_code == 404
    assert counts(Intervention) == before
    intervention.refresh_from_db()
    assert (intervention.enrolment, intervention.title) == (enrolment, "Praktik på förskola")


def test_intervention_end_before_start(world, api, enrolment):
    response = api("coach_h").post("/api/v1/interventions/", {
        "enrolment": enrolment.pk, "kind": "praktik", "title": "Praktik",
        "start_date": "2026-02-02", "end_date": "2026-02-01"}, format="json")
    assert response.status_code == 400
    assert not Intervention.objects.exists()
    assert errors_of(response) == {("end_date", "end_before_start")}


# --- attendance -------------------------------------------------------------------------------


def test_record_and_correct_attendance(world, api, intervention):
    client = api("coach_h")
    week = {"intervention": intervention.pk, "week": "2026-03-11", "hours_attended": 16,
            "hours_absent": 4, "absence_reason": "sjuk"}

    response = client.post("/api/v1/attendance/", week, format="json")
    assert response.status_code == 201, response.json()
    row = Attendance.objects.get(pk=response.json()["id"])
    assert (row.week_start, row.hours_attended, row.recorded_by) == (
        date(2026, 3, 9), Decimal(16), world.users["coach_h"])
    assert response.json()["week_start"] == "2026-03-09"
    assert "week" not in response.json()
    assert row.history.get().history_user == world.users["coach_h"]
    intervention.refresh_from_db()
    assert intervention.status == "ongoing"

    # Same ISO week again: a correction of the one row, not a second row.
    response = client.post("/api/v1/attendance/", {**week, "week": "2026-03-13",
                                                   "hours_attended": 20, "hours_absent": 0},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == row.pk
    assert Attendance.objects.count() == 1
    row.refresh_from_db()
    assert (row.hours_attended, row.hours_absent, row.absence_reason) == (Decimal(20),
                                                                          Decimal(0), "")
    assert row.history.count() == 2

    listed = client.get("/api/v1/attendance/", {"intervention": intervention.pk}).json()
    assert [a["id"] for a in listed["results"]] == [row.pk]


def test_attendance_errors_save_nothing(world, api, intervention):
    client = api("coach_h")
    base = {"intervention": intervention.pk, "week": "2026-03-11", "hours_attended": 10}
    before = counts(Attendance, Intervention)
    for change, error in [
        ({"week": "2026-06-08"}, ("week", "outside_intervention")),
        ({"week": "2026-02-23"}, ("week", "outside_intervention")),
        ({"hours_absent": 4}, ("absence_reason", "required")),
        ({"hours_attended": 50, "hours_absent": 20, "absence_reason": "sjuk"},
         ("hours_attended", "too_many_hours")),
        ({"hours_attended": "tio"}, ("hours_attended", "invalid")),
        ({"week": None}, ("week", "null")),
    ]:
        response = client.post("/api/v1/attendance/", {**base, **change}, format="json")
        assert response.status_code == 400, change
        assert errors_of(response) == {error}, change
    assert api("broker_h").post("/api/v1/attendance/", base, format="json").status_code == 403
    response = api("coach_a").post("/api/v1/attendance/", base, format="json")
    assert errors_of(response) == {("intervention", "does_not_exist")}
    assert counts(Attendance, Intervention) == before


def test_social_secretary_follows_status_and_attendance_of_own_clients(world, api):
    """The social secretary sees enrolment status and attendance of people they referred,
    not the competence mapping or the plan, and records nothing."""
    social = api("social")
    pnr = world.next_personnummer()
    response = social.post("/api/v1/participants/", {
        "identity_number": pnr, "first_name": "Sam", "last_name": "Testsson",
        "referral": {"source": "socialtjanst", "centre": "hisingen",
                     "referred_on": "2026-01-05"}}, format="json")
    assert response.status_code == 201, response.json()
    from vidare.people.models import Participant

    participant = Participant.objects.get(pk=response.json()["id"])
    give_consent(participant)
    enrolment = world.enrol(participant)
    intervention = save_intervention(actor=world.users["coach_h"], enrolment=enrolment,
                                     kind="sfi", title="SFI", start_date=date(2026, 2, 2))
    coach = api("coach_h")
    coach.post("/api/v1/attendance/", {"intervention": intervention.pk, "week": "2026-02-02",
                                       "hours_attended": 8}, format="json")
    coach.post("/api/v1/plans/", {"enrolment": enrolment.pk, "established_on": "2026-01-20"},
               format="json")
    coach.post("/api/v1/assessments/", {"participant": participant.pk,
                                        "assessed_on": "2026-01-20"}, format="json")
    assert Plan.objects.count() == 1

    assert [e["status"] for e in social.get("/api/v1/enrolments/").json()["results"]] == [
        "active"]
    assert social.get("/api/v1/attendance/").json()["count"] == 1
    assert social.get("/api/v1/interventions/").json()["count"] == 1
    assert social.get("/api/v1/plans/").json()["count"] == 0
    assert social.get("/api/v1/assessments/").json()["count"] == 0
    response = social.post("/api/v1/attendance/", {"intervention": intervention.pk,
                                                   "week": "2026-02-09", "hours_attended": 8},
                           format="json")
    assert response.status_code == 403
    assert Attendance.objects.count() == 1
