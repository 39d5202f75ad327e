"""The participant's history page: who changed what, when; masked where the viewer may not
see; logged as a read; the same number of queries for a short and a long history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import give_consent
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vidare.access.models import AccessLogEntry
from vidare.assessments.actions import record_assessment
from vidare.enrolments.actions import reassign, record_exit
from vidare.people.actions import record_contact, update_participant
from vidare.people.history import participant_history
from vidare.plans.actions import record_attendance, save_goal, save_intervention, save_plan

pytestmark = pytest.mark.django_db

SECRET = "Rullstol och anpassad arbetsplats"


def build(world, *, weeks: int = 1, contacts: int = 1, edits: int = 1):
    """A participant changed by different people; the sizes scale the history."""
    u = world.users
    p = world.register(first_name="Histo", last_name="Riksson", birth_region="afrika",
                       phone="031-100 00 00", referral={"referred_on": date(2026, 1, 5)})
    referral = p.referrals.get()
    for i in range(contacts):
        record_contact(actor=u["coach_h"], referral=referral, kind="attempt",
                       occurred_on=date(2026, 1, 6) + timedelta(days=i % 3), channel="telefon",
                       outcome="ej_nadd")
    for i in range(edits):
        update_participant(actor=u["chief_h"], participant=p, phone=f"031-200 00 {i:02d}",
                           birth_region="asien" if i % 2 == 0 else "afrika")
    enrolment = world.enrol(p)
    reassign(actor=u["chief_h"], enrolment=enrolment, responsible=u["coach_h"])
    record_assessment(actor=u["coach_h"], participant=p, assessed_on=date(2026, 1, 14),
                      enrolment=enrolment, adaptations_needed=SECRET, barriers=["halsa"],
                      interests="Trädgård")
    record_assessment(actor=u["syv_h"], participant=p, assessed_on=date(2026, 1, 20),
                      enrolment=enrolment, interests="Trädgård och djur",
                      adaptations_needed=SECRET, barriers=["halsa"])
    plan = save_plan(actor=u["coach_h"], enrolment=enrolment, established_on=date(2026, 1, 20),
                     summary="Mot arbete")
    save_goal(actor=u["syv_h"], plan=plan, kind="delmal", description="Klara SFI C")
    iv = save_intervention(actor=u["coach_h"], enrolment=enrolment, kind="praktik",
                           title="Praktik i parken", start_date=date(2026, 2, 2),
                           hours_per_week=Decimal(20), status="ongoing")
    for w in range(weeks):
        record_attendance(actor=u["coach_h"], intervention=iv,
                          week=date(2026, 2, 2) + timedelta(weeks=w),
                          hours_attended=Decimal(16), hours_absent=Decimal(4),
                          absence_reason="giltig")
    give_consent(p, actor=u["coach_h"])
    record_exit(actor=u["coach_h"], enrolment=enrolment, exit_date=date(2026, 4, 30),
                reason="studier")
    return p


def page(client, p, **params):
    return client.get(reverse("people:participant_history", args=[p.pk]), params)


def test_who_changed_what_and_when(world):
    p = build(world)
    entries = participant_history(p, show_special=True, show_contact=False)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)

    def find(kind, action, user):
        return [e for e in entries if e.kind == kind and e.action == action and e.user == user]

    [created] = find("Participant", "created", "Coach Hisingen")
    assert {c.field: c.new for c in created.changes}["Region of birth"] == "Africa"
    [edit] = find("Participant", "changed", "Chief Hisingen")
    assert {(c.field, c.old, c.new) for c in edit.changes} == {
        ("Phone", "031-100 00 00", "031-200 00 00"), ("Region of birth", "Africa", "Asia")}
    [second] = find("Assessment", "created", "Syv Hisingen")
    assert second.label.startswith("v2 2026-01-20")
    [exit_] = find("Exit", "created", "Coach Hisingen")
    assert {c.field: c.new for c in exit_.changes}["Reason"] == "Studies"
    # The target groups, saved right after the enrolment itself, belong to its creation.
    [enrolled] = find("Enrolment", "created", "Coach Hisingen")
    assert ("Target groups", "–", "Försörjningsstöd") in {(c.field, c.old, c.new)
                                                          for c in enrolled.changes}
    [closed] = find("Enrolment", "changed", "Coach Hisingen")  # by the exit
    assert ("Status", "Active", "Exited") in {(c.field, c.old, c.new) for c in closed.changes}
    [goal] = find("Goal", "created", "Syv Hisingen")
    assert goal.label == "Klara SFI C"
    [consent] = find("Consent", "created", "the system")  # recorded by a fixture, no actor
    assert consent.label == "Social services: Attendance and status reports"
    assert find("Attendance", "created", "Coach Hisingen")
    assert find("Contact", "created", "Coach Hisingen")
    [referral] = find("Referral", "created", "Coach Hisingen")
    assert referral.label == "2026-01-05 Hisingen"
    [referral_enrolled] = find("Referral", "changed", "Coach Hisingen")  # by the enrolment
    assert ("Status", "Open", "Enrolled") in {(c.field, c.old, c.new)
                                              for c in referral_enrolled.changes}


def test_saves_that_change_nothing_shown_are_left_out(world):
    p = build(world)
    entries = participant_history(p, show_special=True, show_contact=False)
    assert all(e.changes for e in entries if e.action == "changed")
    fields = {c.field for e in entries for c in e.changes}
    assert not fields & {"Created", "Updated", "Created by", "Last activity", "ID"}


def test_the_page_shows_the_changes_and_logs_the_read(world, as_user):
    p = build(world)
    response = page(as_user("coach_h"), p)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chief Hisingen" in html and "031-200 00 00" in html
    assert "Africa" in html and SECRET in html and "Health" in html
    log = AccessLogEntry.objects.get(participant=p, what="participant_history")
    assert (log.username, log.channel, log.allowed, log.special_category_shown) == (
        "coach_h", "web", True, True)


def test_special_category_values_are_masked_for_a_role_without_them(world, as_user):
    p = build(world)
    response = page(as_user("af_h"), p)
    assert response.status_code == 200
    html = response.content.decode()
    for leak in ["Africa", "Asia", SECRET, "Health", "halsa", "afrika"]:
        assert leak not in html, leak
    # What changed is still told, and the rest is shown.
    assert "Region of birth" in html and "Barriers" in html and "(hidden)" in html
    assert "031-200 00 00" in html and "Trädgård och djur" in html
    log = AccessLogEntry.objects.get(participant=p, what="participant_history")
    assert log.special_category_shown is False


def test_contact_details_of_a_protected_identity_only_for_named_staff(world, as_user):
    p = build(world)
    update_participant(actor=world.users["chief_h"], participant=p, protected_identity=True,
                       address="Hemliga vägen 1")
    p.protected_identity_staff.add(world.users["coach_h"])
    named = page(as_user("coach_h"), p).content.decode()
    assert "Hemliga vägen 1" in named and "031-200 00 00" in named
    other = page(as_user("syv_h"), p).content.decode()
    assert "Hemliga vägen 1" not in other and "031-100 00 00" not in other
    assert "031-200 00 00" not in other and "Street address" in other
    # Lifting the protection later does not reveal what was written while it held.
    update_participant(actor=world.users["chief_h"], participant=p, protected_identity=False)
    assert "Hemliga vägen 1" not in page(as_user("syv_h"), p).content.decode()


def test_out_of_scope_is_404_and_a_referring_officer_gets_403(world, as_user):
    p = build(world)
    assert page(as_user("coach_a"), p).status_code == 404
    assert page(as_user("analyst"), p).status_code == 404
    # The social-assistance officer may know the person (they referred, consent holds) but
    # sees status and attendance only, not the history of the record.
    p.referrals.update(referrer_user=world.users["social"])
    give_consent(p, expires_on=date.today() + timedelta(days=30))
    assert page(as_user("social"), p).status_code == 403
    assert not AccessLogEntry.objects.filter(what="participant_history").exists()


def test_a_long_history_is_paginated(world, as_user):
    p = build(world, weeks=12, contacts=40)
    client = as_user("coach_h")
    first = page(client, p)
    assert len(first.context["entries"]) == 50
    assert first.context["page_obj"].paginator.count > 60
    last = page(client, p, page=first.context["page_obj"].paginator.num_pages)
    assert "Coach Hisingen" in last.content.decode()


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_for_a_short_and_a_long_history(world, as_user):
    short = build(world)
    long = build(world, weeks=12, contacts=20, edits=10)
    assert (len(participant_history(long, show_special=True, show_contact=False))
            > 3 * len(participant_history(short, show_special=True, show_contact=False)))
    client = as_user("coach_h")
    page(client, short)  # warm the session
    cost_short = queries(lambda: page(client, short))
    cost_long = queries(lambda: page(client, long))
    assert cost_short == cost_long, (cost_short, cost_long)
    assert queries(lambda: participant_history(long, show_special=True,
                                               show_contact=False)) == 16
