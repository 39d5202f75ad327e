"""The unit manager's review of the access log: what they see, the filters, the flags of
unusual access, the CSV export."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from vidare.access import review
from vidare.access.models import AccessLogEntry, Membership, User
from vidare.access.roles import Role

from .conftest import local, write_entry

pytestmark = pytest.mark.django_db

REVIEW = reverse("access:log_review")
EXPORT = reverse("access:log_export")


@pytest.fixture
def log(world):
    """Hisingen and Angered people, read by staff of both centres, allowed and refused."""
    u = world.users
    hanna = world.register(first_name="Hanna", last_name="Hisingsson")
    world.enrol(hanna)
    arvid = world.register(actor=u["coach_a"], centre=world.angered, first_name="Arvid",
                           last_name="Angeredsson")
    e = SimpleNamespace(hanna=hanna, arvid=arvid)
    e.own = write_entry(u["coach_h"], hanna, local(2026, 3, 2, 10))          # ours, ours
    e.api = write_entry(u["syv_h"], hanna, local(2026, 3, 3, 9), channel="api", special=True)
    e.theirs = write_entry(u["coach_a"], arvid, local(2026, 3, 3, 10))       # not ours at all
    e.intruder = write_entry(u["coach_a"], hanna, local(2026, 3, 4, 11), allowed=False)
    e.abroad = write_entry(u["coach_h"], arvid, local(2026, 3, 5, 14), allowed=False)
    return e


def pks(qs):
    return sorted(qs.values_list("pk", flat=True))


# --- who sees which entries ----------------------------------------------------------------

def test_the_chief_reviews_entries_about_their_people_and_by_their_staff(world, log):
    seen = review.reviewable_entries(world.users["chief_h"])
    assert pks(seen) == sorted([log.own.pk, log.api.pk, log.intruder.pk, log.abroad.pk])


def test_a_chief_of_another_centre_sees_the_other_half(world, log):
    chief_a = User.objects.create_user(username="chief_a", password="x-test-password-1")
    Membership.objects.create(user=chief_a, role=Role.ENHETSCHEF, centre=world.angered)
    # Arvid's own entry, and coach_a's attempt on Hanna and coach_h's on Arvid.
    assert pks(review.reviewable_entries(chief_a)) == sorted(
        [log.theirs.pk, log.intruder.pk, log.abroad.pk])


@pytest.mark.parametrize("key", ["coach_h", "syv_h", "af_h", "broker_h", "analyst",
                                 "social", "admin"])
def test_nobody_else_reviews_the_log(world, log, as_user, key):
    assert not review.reviewable_entries(world.users[key]).exists()
    assert as_user(key).get(REVIEW).status_code == 403
    assert as_user(key).get(EXPORT).status_code == 403


def test_a_deactivated_chief_reviews_nothing(world, log):
    chief = world.users["chief_h"]
    chief.is_active = False
    assert not review.reviewable_entries(chief).exists()


def test_the_page_names_only_people_the_chief_may_find(world, log, as_user):
    html = as_user("chief_h").get(REVIEW, {"from": "2026-03-01", "to": "2026-03-31"}
                                  ).content.decode()
    assert "Hisingsson, Hanna" in html
    assert f'href="/deltagare/{log.hanna.pk}/"' in html
    # Arvid is at Angered: the refused attempt on him shows his reference, not his name.
    assert "Angeredsson" not in html and "Arvid" not in html
    assert f"no. {log.arvid.pk}" in html
    assert f'href="/deltagare/{log.arvid.pk}/"' not in html


# --- filters -----------------------------------------------------------------------------

def entries_on_page(client, **params):
    response = client.get(REVIEW, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [row["entry"].pk for row in response.context["rows"]]


def test_filter_by_staff_member(world, log, as_user):
    client = as_user("chief_h")
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    assert entries_on_page(client, staff=world.users["coach_h"].pk, **period) == [
        log.abroad.pk, log.own.pk]
    # Staff of another centre appear in the choice when they read our people.
    assert entries_on_page(client, staff=world.users["coach_a"].pk, **period) == [
        log.intruder.pk]


def test_staff_who_never_touched_our_centres_cannot_be_chosen(world, log, as_user):
    outsider = User.objects.create_user(username="outsider", password="x-test-password-1")
    Membership.objects.create(user=outsider, role=Role.JOBBCOACH, centre=world.angered)
    response = as_user("chief_h").get(REVIEW, {"staff": outsider.pk})
    assert response.status_code == 400
    assert "staff" in response.context["form"].errors


def test_filter_by_participant_name_or_identity_number(world, log, as_user):
    client = as_user("chief_h")
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    by_name = entries_on_page(client, participant="hanna hisings", **period)
    assert by_name == [log.intruder.pk, log.api.pk, log.own.pk]
    number = log.hanna.identity_number
    assert entries_on_page(client, participant=f"{number[2:8]}-{number[8:]}", **period) == \
        by_name
    # Arvid is not among the chief's people: searching for him finds nothing.
    assert entries_on_page(client, participant="Arvid", **period) == []
    assert entries_on_page(client, person=log.arvid.pk, **period) == [log.abroad.pk]


def test_filter_by_period_in_local_days(world, log, as_user):
    client = as_user("chief_h")
    assert entries_on_page(client, **{"from": "2026-03-03", "to": "2026-03-04"}) == [
        log.intruder.pk, log.api.pk]
    late = write_entry(world.users["coach_h"], log.hanna, local(2026, 3, 5, 23, 30))
    early = write_entry(world.users["coach_h"], log.hanna, local(2026, 3, 6, 0, 30))
    assert late.pk in entries_on_page(client, **{"from": "2026-03-05", "to": "2026-03-05"})
    assert early.pk not in entries_on_page(client, **{"from": "2026-03-05", "to": "2026-03-05"})


def test_filter_refused_only_and_by_channel(world, log, as_user):
    client = as_user("chief_h")
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    assert entries_on_page(client, result="refused", **period) == [log.abroad.pk,
                                                                   log.intruder.pk]
    assert entries_on_page(client, result="allowed", **period) == [log.api.pk, log.own.pk]
    assert entries_on_page(client, channel="api", **period) == [log.api.pk]


def test_without_a_filter_the_page_shows_the_last_30_days(world, log, as_user):
    today = timezone.localdate()
    recent = write_entry(world.users["coach_h"], log.hanna, local(*today.timetuple()[:3]))
    write_entry(world.users["coach_h"], log.hanna,
                local(*(today - timedelta(days=30)).timetuple()[:3], 23, 59))
    response = as_user("chief_h").get(REVIEW)
    assert response.status_code == 200
    assert [r["entry"].pk for r in response.context["rows"]] == [recent.pk]
    form = response.context["form"]
    assert form.cleaned_data["date_from"] == today - timedelta(days=29)


@pytest.mark.parametrize("params, field, code", [
    ({"from": "2026-03-31", "to": "2026-03-01"}, "date_to", "before_start"),
    ({"from": "31/3/2026"}, "date_from", "invalid"),
    ({"result": "maybe"}, "result", "invalid_choice"),
    ({"channel": "fax"}, "channel", "invalid_choice"),
])
def test_a_bad_filter_is_named_and_shows_no_entries(world, log, as_user, params, field, code):
    client = as_user("chief_h")
    response = client.get(REVIEW, params)
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors[field]] == [code]
    assert "rows" not in response.context
    assert client.get(EXPORT, params).status_code == 400


def test_the_page_is_paginated_newest_first(world, log, as_user):
    for minute in range(60):
        write_entry(world.users["coach_h"], log.hanna, local(2026, 4, 1, 10, minute))
    client = as_user("chief_h")
    first = client.get(REVIEW, {"from": "2026-04-01", "to": "2026-04-01"})
    rows = [r["entry"] for r in first.context["rows"]]
    assert len(rows) == 50 and rows[0].at > rows[-1].at
    assert "page=2" in first.content.decode()
    second = client.get(REVIEW, {"from": "2026-04-01", "to": "2026-04-01", "page": 2})
    assert len(second.context["rows"]) == 10


# --- unusual access --------------------------------------------------------------------

@pytest.fixture
def crowd(world):
    """Five Hisingen people; the first three are in coach_h's caseload."""
    people = [world.register(first_name="Person", last_name=f"Nummer{i}") for i in range(5)]
    for p in people[:3]:
        world.enrol(p)
    return people


def kinds(signs, username):
    return sorted((s.kind, s.day, s.count) for s in signs if s.username == username)


def test_many_records_outside_the_caseload_in_a_day_are_flagged(world, crowd, settings):
    settings.VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY = 4
    u = world.users
    day = local(2026, 3, 10, 10)
    for minute, p in enumerate(crowd):  # syv_h has no caseload: five distinct people
        write_entry(u["syv_h"], p, day + timedelta(minutes=minute))
    for minute in range(10):  # broker_h reads one person ten times
        write_entry(u["broker_h"], crowd[0], day + timedelta(minutes=minute))
    for minute, p in enumerate(crowd * 2):  # coach_h: only 2 outside the caseload
        write_entry(u["coach_h"], p, day + timedelta(minutes=minute))
    # af_h: four distinct, but over two days
    for p, when in zip(crowd[:4], [day, day, day + timedelta(days=1),
                                   day + timedelta(days=1)], strict=True):
        write_entry(u["af_h"], p, when)
    signs = review.unusual_access(AccessLogEntry.objects.all())
    assert kinds(signs, "syv_h") == [("many_outside_caseload", date(2026, 3, 10), 5)]
    for quiet in ("broker_h", "coach_h", "af_h"):
        assert kinds(signs, quiet) == [], quiet


def test_refused_reads_do_not_count_towards_the_crowd_but_are_flagged(world, crowd, settings):
    settings.VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY = 3
    u = world.users
    for minute, p in enumerate(crowd):
        write_entry(u["syv_h"], p, local(2026, 3, 10, 10, minute), allowed=minute < 2)
    signs = review.unusual_access(AccessLogEntry.objects.all())
    assert kinds(signs, "syv_h") == [("refused", date(2026, 3, 10), 3)]


def test_the_default_threshold_is_the_module_constant(world, crowd, settings):
    assert review.UNUSUAL_READS_PER_DAY == 20
    del settings.VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY
    assert review.unusual_reads_per_day() == 20
    for minute, p in enumerate(crowd):
        write_entry(world.users["syv_h"], p, local(2026, 3, 10, 10, minute))
    assert review.unusual_access(AccessLogEntry.objects.all()) == []


def test_reads_outside_office_hours_are_flagged_in_local_time(world, crowd):
    u = world.users
    p = crowd[0]
    write_entry(u["coach_h"], p, local(2026, 3, 10, 6, 59))    # before 07:00
    write_entry(u["coach_h"], p, local(2026, 3, 10, 7, 0))     # in
    write_entry(u["coach_h"], p, local(2026, 3, 10, 18, 59))   # in
    write_entry(u["coach_h"], p, local(2026, 3, 10, 19, 0))    # after
    write_entry(u["coach_h"], p, local(2026, 3, 14, 11, 0))    # Saturday
    write_entry(u["syv_h"], p, local(2026, 7, 1, 23, 30))      # summer time, late
    signs = review.unusual_access(AccessLogEntry.objects.all())
    assert kinds(signs, "coach_h") == [("off_hours", date(2026, 3, 10), 2),
                                       ("off_hours", date(2026, 3, 14), 1)]
    assert kinds(signs, "syv_h") == [("off_hours", date(2026, 7, 1), 1)]


def test_office_hours_are_configurable(world, crowd, settings):
    settings.VIDARE_OFFICE_HOURS = (8, 17)
    write_entry(world.users["coach_h"], crowd[0], local(2026, 3, 10, 7, 30))
    write_entry(world.users["coach_h"], crowd[0], local(2026, 3, 10, 17, 30))
    assert kinds(review.unusual_access(AccessLogEntry.objects.all()), "coach_h") == [
        ("off_hours", date(2026, 3, 10), 2)]


def test_the_page_lists_the_signs_and_flags_the_rows(world, crowd, as_user, settings):
    settings.VIDARE_ACCESS_LOG_UNUSUAL_READS_PER_DAY = 3
    u = world.users
    for minute, p in enumerate(crowd):
        write_entry(u["syv_h"], p, local(2026, 3, 10, 10, minute))
    night = write_entry(u["coach_h"], crowd[0], local(2026, 3, 11, 2, 0))
    refused = write_entry(u["coach_a"], crowd[1], local(2026, 3, 12, 10, 0), allowed=False)
    response = as_user("chief_h").get(REVIEW, {"from": "2026-03-01", "to": "2026-03-31"})
    signs = [(s.kind, s.username) for s in response.context["signs"]]
    assert signs == [("refused", "coach_a"), ("off_hours", "coach_h"),
                     ("many_outside_caseload", "syv_h")]
    flags = {r["entry"].pk: [str(f) for f in r["flags"]] for r in response.context["rows"]}
    assert flags[night.pk] == ["Outside office hours"]
    assert flags[refused.pk] == ["Refused attempt"]
    assert {tuple(flags[e.pk]) for e in AccessLogEntry.objects.filter(user=u["syv_h"])} == {
        ("Many records outside the caseload",)}
    html = response.content.decode()
    assert f"?staff={u['syv_h'].pk}&amp;from=2026-03-10&amp;to=2026-03-10" in html


# --- export --------------------------------------------------------------------------------

def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_export_holds_the_filtered_rows_oldest_first(world, log, as_user, caplog):
    with caplog.at_level(logging.INFO, logger="vidare.access"):
        response = as_user("chief_h").get(EXPORT, {"from": "2026-03-01", "to": "2026-03-31",
                                                   "result": "refused"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="atkomstlogg-')
    header, *rows = read_csv(response)
    assert header == ["Time", "User name", "Staff member", "Participant reference",
                      "Participant", "What", "Channel", "Special category shown", "Allowed",
                      "IP address", "Request id", "Flags"]
    assert rows == [
        ["2026-03-04T11:00:00+01:00", "coach_a", "Coach Angered", str(log.hanna.pk),
         "Hisingsson, Hanna", "participant_detail", "web", "no", "no", "10.0.0.1", "",
         "Refused attempt"],
        ["2026-03-05T14:00:00+01:00", "coach_h", "Coach Hisingen", str(log.arvid.pk),
         "", "participant_detail", "web", "no", "no", "10.0.0.1", "", "Refused attempt"],
    ]
    [line] = [r.getMessage() for r in caplog.records if r.name == "vidare.access"]
    assert line.startswith("access log exported by chief_h: 2 entries")
    assert "result=refused" in line and "Hanna" not in line


def test_the_export_cannot_smuggle_a_formula_into_a_spreadsheet(world, as_user):
    person = world.register(first_name="=1+1", last_name="@SUM(A1)")
    write_entry(world.users["coach_h"], person, local(2026, 3, 2, 10))
    response = as_user("chief_h").get(EXPORT, {"from": "2026-03-01", "to": "2026-03-31"})
    [row] = read_csv(response)[1:]
    assert row[4] == "'@SUM(A1), =1+1"


def test_the_export_and_the_page_agree(world, log, as_user):
    client = as_user("chief_h")
    params = {"from": "2026-03-01", "to": "2026-03-31"}
    page = sorted(r["entry"].pk for r in client.get(REVIEW, params).context["rows"])
    exported = read_csv(client.get(EXPORT, params))[1:]
    assert len(exported) == len(page) == 4
