"""Plan with goals, and interventions: access per role, saving, revising, field errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from vidare.access.models import AccessLogEntry
from vidare.plans.actions import save_goal, save_intervention, save_plan
from vidare.plans.models import Intervention, Plan, PlanGoal


@pytest.fixture
def enrolment(world):
    return world.enrol(world.register())


def goal_rows(*goals, initial=0, extra=1):
    data = {"goals-TOTAL_FORMS": str(len(goals) + extra), "goals-INITIAL_FORMS": str(initial),
            "goals-MIN_NUM_FORMS": "0", "goals-MAX_NUM_FORMS": "1000"}
    for i, goal in enumerate(goals):
        for key, value in goal.items():
            data[f"goals-{i}-{key}"] = value
    return data


def plan_data(*goals, **fields):
    data = {"established_on": "2026-01-20", "next_review_on": "2026-04-20",
            "summary": "Praktik inom vård, sedan utbildning."}
    data.update(fields)
    data.update(goal_rows(*goals))
    return data


WORK_GOAL = {"kind": "arbete", "description": "Anställning som undersköterska",
             "target_date": "2026-12-31", "achieved_on": ""}


def plan_url(e):
    return reverse("plans:plan_edit", args=[e.pk])


def test_coach_establishes_the_plan_with_goals(client, world, enrolment):
    client.force_login(world.users["coach_h"])
    response = client.get(plan_url(enrolment))
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(participant=enrolment.participant, what="plan").exists()
    response = client.post(plan_url(enrolment), plan_data(
        WORK_GOAL, {"kind": "delmal", "description": "SFI C", "target_date": "",
                    "achieved_on": ""}))
    assert response.status_code == 302
    plan = Plan.objects.get(enrolment=enrolment)
    assert plan.established_on == date(2026, 1, 20) and plan.next_review_on == date(2026, 4, 20)
    assert sorted(plan.goals.values_list("kind", "description")) == [
        ("arbete", "Anställning som undersköterska"), ("delmal", "SFI C")]


def test_revising_keeps_history_and_only_touches_changed_goals(client, world, enrolment):
    coach = world.users["coach_h"]
    plan = save_plan(actor=coach, enrolment=enrolment, established_on=date(2026, 1, 20),
                     summary="Första")
    goal = save_goal(actor=coach, plan=plan, kind="arbete", description="Arbete")
    other = save_goal(actor=coach, plan=plan, kind="delmal", description="Körkort")
    client.force_login(coach)
    initial = client.get(plan_url(enrolment)).context["formset"].initial
    assert [g["description"] for g in initial] == ["Arbete", "Körkort"]
    data = plan_data(
        {"id": goal.pk, "kind": "arbete", "description": "Arbete", "target_date": "",
         "achieved_on": "2026-05-04"},
        {"id": other.pk, "kind": "delmal", "description": "Körkort", "target_date": "",
         "achieved_on": ""},
        summary="Reviderad", established_on="2026-01-20", next_review_on="")
    data["goals-INITIAL_FORMS"] = "2"
    assert client.post(plan_url(enrolment), data).status_code == 302
    plan.refresh_from_db()
    assert plan.summary == "Reviderad"
    assert list(plan.history.order_by("history_date").values_list("summary", flat=True)) == [
        "Första", "Reviderad"]
    assert PlanGoal.objects.get(pk=goal.pk).achieved_on == date(2026, 5, 4)
    assert goal.history.count() == 2
    assert other.history.count() == 1  # unchanged row: no new history
    assert PlanGoal.objects.count() == 2


def test_bad_goal_saves_nothing_of_the_page(client, world, enrolment):
    coach = world.users["coach_h"]
    save_plan(actor=coach, enrolment=enrolment, established_on=date(2026, 2, 1),
              summary="Första")
    client.force_login(coach)
    bad = dict(WORK_GOAL, achieved_on="2026-01-25")  # before the plan was established
    response = client.post(plan_url(enrolment), plan_data(
        {"kind": "delmal", "description": "OK", "target_date": "", "achieved_on": ""}, bad,
        established_on="2026-02-01", summary="Ändrad"))
    assert response.status_code == 200
    row = response.context["formset"].forms[1]
    assert row.has_error("achieved_on", "before_established")
    assert 'href="#id_goals-1-achieved_on"' in response.content.decode()
    assert Plan.objects.get().summary == "Första"
    assert not PlanGoal.objects.exists()


def test_plan_date_before_enrolment_is_a_field_error(client, world, enrolment):
    client.force_login(world.users["coach_h"])
    response = client.post(plan_url(enrolment), plan_data(WORK_GOAL,
                                                          established_on="2026-01-01"))
    assert response.status_code == 200
    assert response.context["form"].has_error("established_on", "before_start")
    assert not Plan.objects.exists() and not PlanGoal.objects.exists()


def test_goal_without_kind_is_caught_by_the_form(client, world, enrolment):
    client.force_login(world.users["coach_h"])
    response = client.post(plan_url(enrolment), plan_data(dict(WORK_GOAL, kind="")))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].has_error("kind")
    assert not Plan.objects.exists()


@pytest.mark.parametrize("user, status", [("coach_a", 404), ("broker_h", 403), ("social", 404),
                                          ("analyst", 404)])
def test_plan_page_denied(client, world, enrolment, user, status):
    client.force_login(world.users[user])
    assert client.get(plan_url(enrolment)).status_code == status
    assert client.post(plan_url(enrolment), plan_data(WORK_GOAL)).status_code == status
    assert not Plan.objects.exists()


def test_team_member_with_plan_capability_may_plan(client, world, enrolment):
    client.force_login(world.users["af_h"])
    assert client.post(plan_url(enrolment), plan_data()).status_code == 302
    assert Plan.objects.filter(enrolment=enrolment).exists()


def intervention_data(**fields):
    data = {"kind": "praktik", "title": "Praktik på äldreboende", "provider": "Äldreboendet",
            "start_date": "2026-02-02", "end_date": "2026-03-29", "hours_per_week": "20",
            "status": "planned", "note": ""}
    data.update(fields)
    return data


def test_coach_adds_and_changes_an_intervention(client, world, enrolment):
    client.force_login(world.users["coach_h"])
    url = reverse("plans:intervention_add", args=[enrolment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, intervention_data())
    assert response.status_code == 302 and response["Location"] == plan_url(enrolment)
    iv = Intervention.objects.get(enrolment=enrolment)
    assert (iv.title, iv.hours_per_week, iv.end_date) == ("Praktik på äldreboende",
                                                          Decimal(20), date(2026, 3, 29))
    edit = reverse("plans:intervention_edit", args=[iv.pk])
    response = client.get(edit)
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "Praktik på äldreboende"
    assert client.post(edit, intervention_data(hours_per_week="25")).status_code == 302
    iv.refresh_from_db()
    assert iv.hours_per_week == Decimal(25) and iv.history.count() == 2


@pytest.mark.parametrize("fields, field, code", [
    ({"end_date": "2026-02-01"}, "end_date", "end_before_start"),
    ({"start_date": "2026-01-05", "end_date": ""}, "start_date", "before_enrolment"),
])
def test_intervention_date_rules_are_field_errors(client, world, enrolment, fields, field,
                                                  code):
    client.force_login(world.users["coach_h"])
    url = reverse("plans:intervention_add", args=[enrolment.pk])
    response = client.post(url, intervention_data(**fields))
    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    assert f'href="#id_{field}"' in response.content.decode()
    assert not Intervention.objects.exists()


def test_changing_an_intervention_badly_keeps_it_as_it_was(client, world, enrolment):
    iv = save_intervention(actor=world.users["coach_h"], enrolment=enrolment, kind="sfi",
                           title="SFI", start_date=date(2026, 2, 2), hours_per_week=10)
    client.force_login(world.users["coach_h"])
    response = client.post(reverse("plans:intervention_edit", args=[iv.pk]), intervention_data(
        start_date="2026-03-02", end_date="2026-03-01"))
    assert response.context["form"].has_error("end_date", "end_before_start")
    iv.refresh_from_db()
    assert (iv.title, iv.start_date, iv.end_date) == ("SFI", date(2026, 2, 2), None)


@pytest.mark.parametrize("user, status", [("coach_a", 404), ("broker_h", 403)])
def test_intervention_pages_denied(client, world, enrolment, user, status):
    iv = save_intervention(actor=world.users["coach_h"], enrolment=enrolment, kind="sfi",
                           title="SFI", start_date=date(2026, 2, 2))
    client.force_login(world.users[user])
    add = reverse("plans:intervention_add", args=[enrolment.pk])
    edit = reverse("plans:intervention_edit", args=[iv.pk])
    assert client.get(add).status_code == status
    assert client.post(add, intervention_data()).status_code == status
    assert client.get(edit).status_code == status
    assert client.post(edit, intervention_data(title="Changed")).status_code == status
    assert list(Intervention.objects.values_list("title", flat=True)) == ["SFI"]
