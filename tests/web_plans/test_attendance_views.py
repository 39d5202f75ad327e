"""The weekly attendance grid and the attendance report (page and CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from conftest import give_consent
from django.urls import reverse

from vidare.access.models import AccessLogEntry
from vidare.plans.actions import record_attendance, save_intervention
from vidare.plans.models import Attendance

FEB = {"from": "2026-02-01", "to": "2026-02-28"}


def praktik(world, enrolment, **fields):
    data = {"kind": "praktik", "title": "Praktik", "start_date": date(2026, 2, 4),
            "end_date": date(2026, 3, 1), "hours_per_week": Decimal(20)}
    data.update(fields)
    return save_intervention(actor=world.users["coach_h"], enrolment=enrolment, **data)


@pytest.fixture
def intervention(world):
    return praktik(world, world.enrol(world.register()))


def grid_url(iv, query=""):
    return reverse("plans:attendance_edit", args=[iv.pk]) + query


def week(monday, attended="", absent="", reason="", note=""):
    prefix = f"w{monday:%Y%m%d}"
    return {f"{prefix}-hours_attended": attended, f"{prefix}-hours_absent": absent,
            f"{prefix}-absence_reason": reason, f"{prefix}-note": note}


def grid_post(*weeks):
    data = {}
    for w in weeks:
        data.update(w)
    return data


def test_grid_offers_the_intervention_weeks_newest_first(client, world, intervention):
    client.force_login(world.users["coach_h"])
    response = client.get(grid_url(intervention))
    assert response.status_code == 200
    assert [label for _m, label, _s, _f in response.context["rows"]] == [
        "2026-v09", "2026-v08", "2026-v07", "2026-v06"]
    html = response.content.decode()
    assert 'name="w20260202-hours_attended"' in html
    assert "w20260126" not in html and "w20260302" not in html  # outside the dates
    assert AccessLogEntry.objects.filter(what="attendance").count() == 1


def test_saving_records_the_changed_weeks(client, world, intervention):
    record_attendance(actor=world.users["coach_h"], intervention=intervention,
                      week=date(2026, 2, 9), hours_attended=Decimal(20))
    client.force_login(world.users["coach_h"])
    data = grid_post(week(date(2026, 2, 2), "16", "4", "sjuk", "Feber"),
                     week(date(2026, 2, 9), "20.0", "0.0"),  # as it was: not re-recorded
                     week(date(2026, 2, 16)))  # blank: not recorded
    response = client.post(grid_url(intervention), data)
    assert response.status_code == 302 and response["Location"] == grid_url(intervention)
    rows = {a.week_start: a for a in Attendance.objects.all()}
    assert sorted(rows) == [date(2026, 2, 2), date(2026, 2, 9)]
    first = rows[date(2026, 2, 2)]
    assert (first.hours_attended, first.hours_absent, first.absence_reason, first.note) == (
        Decimal(16), Decimal(4), "sjuk", "Feber")
    assert rows[date(2026, 2, 9)].history.count() == 1
    intervention.refresh_from_db()
    assert intervention.status == "ongoing"


def test_one_bad_row_saves_nothing_and_names_week_and_field(client, world, intervention):
    client.force_login(world.users["coach_h"])
    data = grid_post(week(date(2026, 2, 2), "20"),
                     week(date(2026, 2, 9), "12", "8"),  # absent without reason
                     week(date(2026, 2, 16), "20"))
    response = client.post(grid_url(intervention), data)
    assert response.status_code == 200
    assert not Attendance.objects.exists()
    intervention.refresh_from_db()
    assert intervention.status == "planned"
    rows = {label: form for _m, label, _s, form in response.context["rows"]}
    assert rows["2026-v07"].has_error("absence_reason", "required")
    assert not rows["2026-v06"].errors and not rows["2026-v08"].errors
    (anchor, text), = response.context["errors"]
    assert anchor == "#id_w20260209-absence_reason"
    assert "2026-v07" in text
    assert str(rows["2026-v07"]["absence_reason"].label) in text
    # The posted values stay in the form for correction.
    assert 'name="w20260202-hours_attended" value="20"' in response.content.decode()


def test_too_many_hours_is_an_error_of_its_row(client, world, intervention):
    client.force_login(world.users["coach_h"])
    response = client.post(grid_url(intervention), grid_post(week(date(2026, 2, 2), "50", "20",
                                                                  "sjuk")))
    rows = {label: form for _m, label, _s, form in response.context["rows"]}
    assert rows["2026-v06"].has_error("hours_attended", "too_many_hours")
    assert not Attendance.objects.exists()


def test_a_week_outside_the_intervention_cannot_be_posted(client, world, intervention):
    client.force_login(world.users["coach_h"])
    response = client.post(grid_url(intervention), grid_post(week(date(2026, 3, 2), "20"),
                                                             week(date(2026, 1, 26), "20")))
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_blank_hours_on_a_recorded_week_is_refused(client, world, intervention):
    record_attendance(actor=world.users["coach_h"], intervention=intervention,
                      week=date(2026, 2, 9), hours_attended=Decimal(20))
    client.force_login(world.users["coach_h"])
    response = client.post(grid_url(intervention), grid_post(week(date(2026, 2, 9), "", "")))
    assert response.status_code == 200
    rows = {label: form for _m, label, _s, form in response.context["rows"]}
    assert rows["2026-v07"].has_error("hours_attended", "required")
    assert Attendance.objects.get().hours_attended == Decimal(20)


def test_long_interventions_show_recent_weeks_and_all_on_request(client, world):
    iv = praktik(world, world.enrol(world.register()), start_date=date(2026, 1, 12),
                 end_date=date(2026, 6, 28))  # 24 weeks
    client.force_login(world.users["coach_h"])
    response = client.get(grid_url(iv))
    assert len(response.context["rows"]) == 12
    assert response.context["rows"][0][1] == "2026-v26"
    assert 'href="?all=1"' in response.content.decode()
    response = client.get(grid_url(iv, "?all=1"))
    assert len(response.context["rows"]) == 24 and response.context["rows"][-1][1] == "2026-v03"
    # Saving from the short grid leaves the weeks it did not show alone.
    record_attendance(actor=world.users["coach_h"], intervention=iv, week=date(2026, 1, 12),
                      hours_attended=Decimal(5))
    assert client.post(grid_url(iv), grid_post(week(date(2026, 6, 22), "20"))
                       ).status_code == 302
    assert Attendance.objects.get(week_start=date(2026, 1, 12)).hours_attended == 5


@pytest.mark.parametrize("user, status", [("coach_a", 404), ("broker_h", 403), ("af_h", 403),
                                          ("social", 404)])
def test_grid_denied(client, world, intervention, user, status):
    client.force_login(world.users[user])
    assert client.get(grid_url(intervention)).status_code == status
    assert client.post(grid_url(intervention), grid_post(week(date(2026, 2, 2), "20"))
                       ).status_code == status
    assert not Attendance.objects.exists()


def report_url(p, **query):
    from urllib.parse import urlencode
    return reverse("plans:attendance_report", args=[p.pk]) + "?" + urlencode(query)


@pytest.fixture
def referred(world):
    """A person the social-assistance officer referred, with attendance in February."""
    coach = world.users["coach_h"]
    p = world.register(actor=world.users["social"], first_name="Sara", last_name="Testsson")
    give_consent(p)
    e = world.enrol(p)
    iv = praktik(world, e)
    sfi = save_intervention(actor=coach, enrolment=e, kind="sfi", title="SFI C",
                            start_date=date(2026, 2, 16), hours_per_week=Decimal(10))
    for iv_, monday, att, absent, reason in [
        (iv, date(2026, 2, 2), 16, 4, "sjuk"), (iv, date(2026, 2, 9), 20, 0, ""),
        (iv, date(2026, 2, 23), 10, 10, "ogiltig"), (sfi, date(2026, 2, 16), 10, 0, ""),
        (sfi, date(2026, 3, 2), 8, 2, "vab"),
    ]:
        record_attendance(actor=coach, intervention=iv_, week=monday,
                          hours_attended=Decimal(att), hours_absent=Decimal(absent),
                          absence_reason=reason)
    return p


@pytest.mark.parametrize("user", ["social", "coach_h"])
def test_report_totals_and_rate(client, world, referred, user):
    client.force_login(world.users[user])
    response = client.get(report_url(referred, **FEB), HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    report = response.context["report"]
    assert [s.item.intervention.title for s in response.context["sections"]] == [
        "Praktik", "SFI C"]
    t = report.totals
    assert (t.planned, t.attended, t.absent, t.rate_percent) == (
        Decimal(100), Decimal(56), Decimal(14), Decimal("80.0"))
    assert report.interventions[0].totals.rate_percent == Decimal("76.7")
    html = response.content.decode()
    assert "76,7 %" in html  # Swedish number format
    log = AccessLogEntry.objects.get(participant=referred, user=world.users[user])
    # The officer reads it as the social services: logged as shared with them.
    assert (log.channel, log.what) == ("web", {
        "social": "attendance report for the social services",
        "coach_h": "attendance report"}[user])


def test_report_csv_has_bom_semicolons_and_the_same_numbers(client, world, referred):
    client.force_login(world.users["social"])
    response = client.get(report_url(referred, format="csv", **FEB))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][1:] == ["Sara Testsson", referred.formatted_identity_number]
    weeks = [line for line in lines[4:] if line[1].startswith("2026-v")]
    assert [line[1:6] for line in weeks[:4]] == [
        ["2026-v06", "2026-02-02", "20,0", "16,0", "4,0"],
        ["2026-v07", "2026-02-09", "20,0", "20,0", "0,0"],
        ["2026-v08", "2026-02-16", "20,0", "", ""],
        ["2026-v09", "2026-02-23", "20,0", "10,0", "10,0"],
    ]
    totals = [line for line in lines if line[2:3] == [""] and line[3]]
    assert [line[3:] for line in totals] == [
        ["80,0", "46,0", "14,0", "", "76,7"],
        ["20,0", "10,0", "0,0", "", "100,0"],
        ["100,0", "56,0", "14,0", "", "80,0"],
    ]
    log = AccessLogEntry.objects.get(participant=referred)
    assert log.channel == "export"


def test_report_period_errors_are_shown(client, world, referred):
    client.force_login(world.users["coach_h"])
    response = client.get(report_url(referred, **{"from": "2026-03-01", "to": "2026-02-01"}))
    assert response.status_code == 200
    assert response.context["form"].has_error("period_to")
    assert response.context["errors"]


def test_social_officer_sees_only_people_they_referred(client, world, referred):
    other = world.register()  # referred by the coach, not by the officer
    world.enrol(other)
    client.force_login(world.users["social"])
    assert client.get(report_url(other, **FEB)).status_code == 404
    assert client.get(report_url(referred, **FEB)).status_code == 200


@pytest.mark.parametrize("user, status", [("coach_a", 404), ("broker_h", 403), ("af_h", 403),
                                          ("analyst", 404)])
def test_report_denied(client, world, referred, user, status):
    client.force_login(world.users[user])
    assert client.get(report_url(referred, **FEB)).status_code == status
    assert client.get(report_url(referred, format="csv", **FEB)).status_code == status
    # Both attempts are logged as refused, neither as a read.
    assert [e.allowed for e in AccessLogEntry.objects.all()] == [False, False]


def test_a_centre_role_gets_only_its_centres_interventions(client, world, referred):
    """The person moves on to Angered: the Hisingen coach's report leaves those hours out,
    the officer who referred the person sees both."""
    from vidare.enrolments.actions import record_exit

    record_exit(actor=world.users["coach_h"], enrolment=referred.enrolments.get(),
                exit_date=date(2026, 2, 28), reason="annan_insats")
    angered = world.enrol(referred, actor=world.users["coach_a"], centre=world.angered,
                          start_date=date(2026, 3, 2), responsible=world.users["coach_a"])
    iv = save_intervention(actor=world.users["coach_a"], enrolment=angered, kind="annan",
                           title="Angered-kurs", start_date=date(2026, 3, 2),
                           hours_per_week=Decimal(5))
    record_attendance(actor=world.users["coach_a"], intervention=iv, week=date(2026, 3, 2),
                      hours_attended=Decimal(5))
    march = {"from": "2026-02-23", "to": "2026-03-08"}
    client.force_login(world.users["coach_h"])
    titles = [s.item.intervention.title
              for s in client.get(report_url(referred, **march)).context["sections"]]
    assert titles == ["Praktik", "SFI C"]  # Angered-kurs belongs to another centre
    client.force_login(world.users["social"])
    titles = [s.item.intervention.title
              for s in client.get(report_url(referred, **march)).context["sections"]]
    assert titles == ["Praktik", "SFI C", "Angered-kurs"]
    client.force_login(world.users["coach_a"])
    titles = [s.item.intervention.title
              for s in client.get(report_url(referred, **march)).context["sections"]]
    assert titles == ["Angered-kurs"]
