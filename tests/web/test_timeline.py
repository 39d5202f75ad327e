"""The participant timeline: content, order, no special-category text, fixed query cost."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vidare.assessments.actions import record_assessment
from vidare.enrolments.actions import record_exit
from vidare.enrolments.timeline import TimelineEvent, build_timeline
from vidare.people.actions import close_referral, create_referral, record_contact
from vidare.plans.actions import record_attendance, save_goal, save_intervention, save_plan
from vidare.plans.models import Plan

pytestmark = pytest.mark.django_db


def history(world, *, weeks: int = 2, contacts: int = 1, interventions: int = 1,
            secret: str = "HEMLIGT"):
    """A participant with every kind of event. The sizes scale the history."""
    coach = world.users["coach_h"]
    p = world.register(first_name="Tid", last_name="Linjesson", birth_region="afrika",
                       referral={"referred_on": date(2025, 12, 1), "reason": secret})
    first = p.referrals.get()
    for i in range(contacts):
        record_contact(actor=coach, referral=first, kind="attempt",
                       occurred_on=date(2025, 12, 2) + timedelta(days=i % 20),
                       channel="telefon", outcome="ej_nadd", note=secret)
    close_referral(actor=coach, referral=first, closed_on=date(2025, 12, 30),
                   close_reason="ej_nadd", close_note=secret)
    create_referral(actor=coach, participant=p, source="egen", centre=world.hisingen,
                    referred_on=date(2026, 1, 5))
    e1 = world.enrol(p, start_date=date(2026, 1, 12))
    record_assessment(actor=coach, participant=p, assessed_on=date(2026, 1, 14), enrolment=e1,
                      adaptations_needed=secret, barriers=["halsa"], barriers_note=secret)
    record_assessment(actor=coach, participant=p, assessed_on=date(2026, 2, 2), enrolment=e1)
    plan = save_plan(actor=coach, enrolment=e1, established_on=date(2026, 1, 20),
                     summary="Mot arbete i vården")
    save_plan(actor=coach, enrolment=e1, established_on=date(2026, 1, 20),
              summary="Mot arbete i vården, reviderad")
    # History is stamped with the real clock; place the creation and the revision in time.
    Plan.history.filter(history_type="+").update(
        history_date=timezone.make_aware(datetime(2026, 1, 20, 10)))
    Plan.history.filter(history_type="~").update(
        history_date=timezone.make_aware(datetime(2026, 3, 3, 10)))
    save_goal(actor=coach, plan=plan, kind="delmal", description="Klara SFI C",
              achieved_on=date(2026, 3, 10))
    for n in range(interventions):
        iv = save_intervention(actor=coach, enrolment=e1, kind="praktik",
                               title=f"Praktik {n}", start_date=date(2026, 2, 2),
                               hours_per_week=Decimal(20), status="ongoing")
        for w in range(weeks):
            record_attendance(actor=coach, intervention=iv,
                              week=date(2026, 2, 2) + timedelta(weeks=w),
                              hours_attended=Decimal(16), hours_absent=Decimal(4),
                              absence_reason="sjuk", note=secret)
    save_intervention(actor=coach, enrolment=e1, kind="sfi", title="SFI kurs C",
                      start_date=date(2026, 5, 4), status="planned")
    record_exit(actor=coach, enrolment=e1, exit_date=date(2026, 4, 30),
                reason="annan_insats", note=secret)
    world.enrol(p, start_date=date(2026, 5, 11), referral=None)
    return p


def test_every_kind_of_event_in_date_order(world):
    p = history(world, weeks=6)
    events = build_timeline(p)
    assert all(isinstance(e, TimelineEvent) for e in events)
    assert [e.date for e in events] == sorted(e.date for e in events)
    kinds = [e.kind for e in events]
    assert kinds[:3] == ["referral", "contact", "referral_closed"]
    for kind in ["referral", "enrolment", "assessment", "plan", "plan_revised", "goal",
                 "intervention_started", "attendance", "intervention_ended", "exit"]:
        assert kind in kinds, kind
    enrolments = [e for e in events if e.kind == "enrolment"]
    assert enrolments[0].title.startswith("Enrolled in Jobbtorg")
    assert enrolments[1].title.startswith("Re-enrolled in Jobbtorg")
    assessments = [e.title for e in events if e.kind == "assessment"]
    assert "version 2" in assessments[1] and "version" not in assessments[0]
    [exit_] = [e for e in events if e.kind == "exit"]
    assert exit_.date == date(2026, 4, 30) and "Another intervention" in exit_.title
    [revised] = [e for e in events if e.kind == "plan_revised"]
    assert revised.date == date(2026, 3, 3)
    # The planned SFI course was cancelled by the exit: it ends, it never started.
    assert [e.title for e in events if e.detail.endswith("SFI kurs C")] == [
        "Intervention cancelled"]


def test_attendance_is_summarised_per_intervention_and_month(world):
    p = history(world, weeks=8)  # 2 Feb - 23 Mar: 4 weeks in February, 4 in March
    months = [e for e in build_timeline(p) if e.kind == "attendance"]
    assert len(months) == 2
    assert "4 weeks reported, 64 h attended, 16 h absent (80 %)" in months[0].detail
    assert months[0].date <= date(2026, 2, 28) < months[1].date


def test_no_special_category_or_free_text_in_the_timeline(world):
    p = history(world)
    text = " ".join(f"{e.title} {e.detail}" for e in build_timeline(p))
    for leak in ["HEMLIGT", "Afrika", "afrika", "Africa", "halsa", "Health", "Hälsa",
                 "Ill", "sjuk"]:
        assert leak not in text, leak


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_fixed_number_of_queries(world):
    small = history(world, weeks=1, contacts=1, interventions=1)
    large = history(world, weeks=12, contacts=15, interventions=6)
    assert len(build_timeline(large)) > 3 * len(build_timeline(small))
    assert queries(lambda: build_timeline(small)) == queries(lambda: build_timeline(large)) == 10


def test_detail_page_costs_the_same_for_a_short_and_a_long_history(world, as_user):
    small = history(world, weeks=1, contacts=1, interventions=1)
    large = history(world, weeks=12, contacts=30, interventions=6)
    client = as_user("coach_h")
    client.get(reverse("people:participant_detail", args=[small.pk]))  # warm the session

    def page(p):
        return lambda: client.get(reverse("people:participant_detail", args=[p.pk]))

    cost_small, cost_large = queries(page(small)), queries(page(large))
    assert cost_small == cost_large, (cost_small, cost_large)


def test_detail_page_shows_the_timeline(world, as_user):
    p = history(world)
    html = as_user("coach_h").get(reverse("people:participant_detail", args=[p.pk])
                                  ).content.decode()
    assert '<ol class="timeline">' in html and "Re-enrolled in Jobbtorg" in html
    assert "HEMLIGT" not in html.split('id="h-timeline"')[1]
