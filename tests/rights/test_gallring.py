"""Gallring. The acceptance test: afterwards no trace of the person's identifiers or free
texts remains in any table of the database (every model, every history and many-to-many
table, and every table the database lists, read with raw SQL). Also: the dry run changes
nothing, people still in contact, recently exited or under restriction are left alone,
statistics keep what they need, and running again changes nothing."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from vidare.access import retention
from vidare.access.extract import KINDS, build_extract
from vidare.access.models import AccessLogEntry, RetentionRun
from vidare.assessments.models import Assessment, WorkExperience
from vidare.enrolments.models import Enrolment, Exit
from vidare.people.models import Consent, Participant, Referral, ReferralContact
from vidare.plans.models import Attendance, Intervention, PlanGoal

from .conftest import build_full_person

# Two years after 2026-06-01: exits on or before that day are due.
RUN_DAY = date(2028, 6, 1)
CUTOFF = date(2026, 6, 1)


def _text(value: object) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def database_text() -> Iterator[tuple[str, str]]:
    """(table.column, text) for every value in the database, read twice: through every
    model Django knows (history and auto-created many-to-many tables included, JSON
    decoded), and with SELECT * on every table the database itself lists."""
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.all().values():
            for column, value in row.items():
                yield f"{model._meta.db_table}.{column}", _text(value)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    yield f"{table}.{column}", _text(value)


def traces(needles: list[str]) -> dict[str, list[str]]:
    """Where each needle occurs, case-insensitively, also JSON-escaped (å as \\u00e5), and
    for identity numbers also among the digits of a value (19900125 2395, 900125/2395)."""
    forms = {n: {n.casefold(), json.dumps(n)[1:-1].casefold()} for n in needles}
    found: dict[str, list[str]] = {}
    for where, text in database_text():
        folded = text.casefold()
        digits = re.sub(r"\D", "", text) if ":" not in text else ""  # not timestamps
        for needle, variants in forms.items():
            if any(v in folded for v in variants) or (needle.isdigit() and needle in digits):
                found.setdefault(needle, []).append(where)
    return found


def snapshot(exclude: tuple[str, ...] = ("access_retentionrun",)) -> dict[str, list[str]]:
    """Every row of every table (raw SQL), sorted, for before/after comparisons."""
    tables: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in exclude:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            tables[table] = sorted(repr(tuple(_text(v) for v in row))
                                   for row in cursor.fetchall())
    return tables


def person_view(p: Participant) -> dict:
    """All Vidare holds about `p` except the access log (which reads of it add to)."""
    data = build_extract(p, today=RUN_DAY)
    data.pop("access_log")
    data.pop("about")
    return data


@pytest.fixture
def due(world, today, as_user):
    """A person with every kind of record, exited 2026-05-29, read on the web, found by a
    search and given a register extract."""
    person = build_full_person(world)
    p = person.participant
    as_user("coach_h").get(reverse("people:participant_list"), {"q": "Quibbleström"})
    as_user("coach_h").get(reverse("people:participant_detail", args=[p.pk]))
    assert as_user("chief_h").get(
        reverse("access:extract", args=[p.pk]) + "?format=json").status_code == 200
    return person


def test_every_kind_of_record_has_a_gallring_rule():
    rules = set(retention.BLANK) | set(retention.DELETE) | set(retention.KEEP)
    assert {kind.model for kind in KINDS} == rules


def test_after_gallring_no_trace_of_the_person_remains(world, due):
    p = due.participant
    before = traces(due.needles)
    # The search must be able to fail: every needle is there to begin with (the identity
    # number is stored without its dash, so the dashed forms are looked for, not found).
    stored = {n for n in due.needles if "-" not in n or not n.replace("-", "").isdigit()}
    assert set(before) == stored, stored - set(before)

    log = list(AccessLogEntry.objects.filter(participant_id=p.pk).values())
    assert len(log) >= 2

    run = retention.run(username="operator", dry_run=False, today=RUN_DAY)

    assert traces(due.needles) == {}
    assert run.participants == 1 and not run.dry_run and run.username == "operator"
    assert run.cutoff == CUTOFF and run.details["participant_ids"] == [p.pk]
    assert run.details["counts"]["people_referralcontact deleted"] == 1
    assert run.details["counts"]["people_historicalparticipant deleted"] >= 4
    # The person is the only one here, so every history of their records is empty now,
    # the history of their many-to-many links included.
    for kind in KINDS:
        history = kind.history_model
        if history is not None:
            assert not history.objects.exists(), kind.key
            for rel in history._meta.related_objects:
                assert not rel.related_model.objects.exists(), rel.related_model
    # The access log keeps its rows as they were, naming the person by id only.
    assert list(AccessLogEntry.objects.filter(participant_id=p.pk).values()) == log


def test_statistics_keep_what_they_need(world, due):
    p = due.participant
    birth_year = p.birth_year
    enrolment = Enrolment.objects.get(participant=p)
    exit_ = Exit.objects.get(enrolment=enrolment)
    groups = set(enrolment.target_groups.values_list("code", flat=True))
    referrals = sorted(Referral.objects.filter(participant=p).values_list(
        "source", "centre", "programme", "referred_on", "status", "closed_on", "close_reason"))
    assessments = sorted(Assessment.objects.filter(participant=p).values_list(
        "version", "assessed_on", "education_level", "education_abroad", "swedish_level",
        "work_capacity_percent"))
    licences = sorted(Assessment.driving_licences.through.objects.filter(
        assessment__participant=p).values_list("assessment_id", "drivinglicence_id"))
    experience = sorted(WorkExperience.objects.filter(assessment__participant=p).values_list(
        "occupation", "years", "in_sweden"))

    retention.run(username="operator", dry_run=False, today=RUN_DAY)

    p.refresh_from_db()
    assert p.identity_number == f"GALLRAD-{p.pk}" and p.deidentified_on == RUN_DAY
    assert (p.first_name, p.last_name, p.birth_date, p.address, p.phone, p.email) == (
        "", "", None, "", "", "")
    assert (p.birth_year, p.gender, p.birth_region, p.children_in_household) == (
        birth_year, "kvinna", "asien", 2)
    assert not p.languages.exists() and not p.protected_identity_staff.exists()
    kept = Enrolment.objects.get(pk=enrolment.pk)
    assert (kept.start_date, kept.end_date, kept.status, kept.programme_id, kept.centre_id) == (
        enrolment.start_date, enrolment.end_date, enrolment.status, enrolment.programme_id,
        enrolment.centre_id)
    assert set(kept.target_groups.values_list("code", flat=True)) == groups
    kept_exit = Exit.objects.get(pk=exit_.pk)
    assert (kept_exit.exit_date, kept_exit.reason, kept_exit.occupation_id,
            kept_exit.extent_percent) == (exit_.exit_date, exit_.reason, exit_.occupation_id,
                                          exit_.extent_percent)
    assert kept_exit.employer_name == "" and kept_exit.note == ""
    assert sorted(Referral.objects.filter(participant=p).values_list(
        "source", "centre", "programme", "referred_on", "status", "closed_on",
        "close_reason")) == referrals
    assert sorted(Assessment.objects.filter(participant=p).values_list(
        "version", "assessed_on", "education_level", "education_abroad", "swedish_level",
        "work_capacity_percent")) == assessments
    assert sorted(Assessment.driving_licences.through.objects.filter(
        assessment__participant=p).values_list("assessment_id", "drivinglicence_id")) == licences
    assert sorted(WorkExperience.objects.filter(assessment__participant=p).values_list(
        "occupation", "years", "in_sweden")) == experience
    for a in Assessment.objects.filter(participant=p):
        assert (a.skills, a.barriers, a.interests, a.adaptations_needed) == ([], [], "", "")
        assert not a.other_languages.exists()
    intervention = Intervention.objects.get(enrolment=enrolment)
    assert (intervention.kind, intervention.title, intervention.hours_per_week,
            intervention.status, intervention.provider) == (
        "praktik", "Internship (praktik)", 20, "completed", "")
    goal = PlanGoal.objects.get(plan__enrolment=enrolment)
    assert (goal.kind, goal.description) == ("arbete", "Work")
    week = Attendance.objects.get(intervention=intervention)
    assert (week.hours_attended, week.hours_absent, week.absence_reason, week.note) == (
        16, 4, "sjuk", "")
    assert not ReferralContact.objects.filter(referral__participant=p).exists()
    assert not Consent.objects.filter(participant=p).exists()


def test_dry_run_changes_nothing_but_is_recorded(world, due):
    before = snapshot()
    out = io.StringIO()
    call_command("gallring", "--dry-run", "--today", RUN_DAY.isoformat(), "--user", "dpo",
                 stdout=out)
    assert snapshot() == before
    run = RetentionRun.objects.get()
    assert run.dry_run and run.username == "dpo" and run.cutoff == CUTOFF
    assert run.participants == 1 and run.details["participant_ids"] == [due.participant.pk]
    counts = run.details["counts"]
    assert counts["people_participant de-identified"] == 1
    assert counts["people_consent deleted"] == 1
    assert counts["enrolments_enrolment kept"] == 1
    text = out.getvalue()
    assert str(due.participant.pk) in text and "people_referralcontact" in text
    # Ids and counts only: no name, no identity number on the operator's screen.
    assert not any(n.casefold() in text.casefold() for n in due.needles)
    assert not any(n.casefold() in json.dumps(run.details, ensure_ascii=False).casefold()
                   for n in due.needles)


def test_people_not_due_are_left_alone(world, today):
    from vidare.people.actions import close_referral, create_referral
    from vidare.people.rights import set_restriction

    recent = build_full_person(world, first_name="Yrsa", last_name="Recentsson", tag="YR",
                               exit_on=date(2026, 6, 12))
    enrolled = build_full_person(world, first_name="Ove", last_name="Oppensson", tag="OE",
                                 exit_on=None)
    restricted = build_full_person(world, first_name="Rut", last_name="Restriktsson",
                                   tag="RR")
    set_restriction(actor=world.users["chief_h"], participant=restricted.participant,
                    restricted=True, reason="Disputes the exit reason")
    # Exited long ago but referred again: the open referral keeps the record.
    waiting = build_full_person(world, first_name="Vera", last_name="Vantsson", tag="VV")
    create_referral(actor=world.users["coach_h"], participant=waiting.participant,
                    source="egen", centre=world.hisingen, referred_on=date(2026, 6, 10))
    # Referred, never enrolled, referral closed recently.
    closed_recently = world.register(first_name="Cilla", last_name="Closedsson")
    close_referral(actor=world.users["coach_h"], referral=closed_recently.referrals.get(),
                   closed_on=date(2026, 6, 10), close_reason="tackat_nej")
    people = [recent.participant, enrolled.participant, restricted.participant,
              waiting.participant, closed_recently]
    views = [person_view(p) for p in people]

    run = retention.run(username="operator", dry_run=False, today=RUN_DAY)

    assert run.participants == 0 and run.details["participant_ids"] == []
    assert [person_view(p) for p in people] == views


def test_referral_closed_long_ago_without_enrolment_is_due(world, today):
    from vidare.people.actions import close_referral

    p = world.register(first_name="Nadja", last_name="Neverenrolled",
                       referral={"reason": "Vill ha stöd"})
    close_referral(actor=world.users["coach_h"], referral=p.referrals.get(),
                   closed_on=date(2026, 1, 9), close_reason="ej_nadd", close_note="Ej nådd")
    assert list(retention.due_participants(CUTOFF)) == [p]
    retention.run(username="operator", dry_run=False, today=RUN_DAY)
    assert traces(["Nadja", "Neverenrolled", "Vill ha stöd", "Ej nådd"]) == {}
    referral = Referral.objects.get(participant=p)
    assert (referral.status, referral.closed_on, referral.close_reason) == (
        "closed", date(2026, 1, 9), "ej_nadd")


def test_the_cutoff_day_itself_is_due():
    assert retention.cutoff_for(date(2028, 5, 29), 2) == date(2026, 5, 29)
    assert retention.cutoff_for(date(2028, 2, 29), 1) == date(2027, 2, 28)


def test_exit_on_the_cutoff_is_due_and_a_day_later_is_not(world, due):
    assert list(retention.due_participants(date(2026, 5, 29))) == [due.participant]
    assert list(retention.due_participants(date(2026, 5, 28))) == []


def test_gallring_is_idempotent(world, due):
    call_command("gallring", "--today", RUN_DAY.isoformat(), stdout=io.StringIO())
    after_first = snapshot()
    out = io.StringIO()
    call_command("gallring", "--today", RUN_DAY.isoformat(), stdout=out)
    assert snapshot() == after_first
    first, second = RetentionRun.objects.order_by("pk")
    assert (first.participants, second.participants) == (1, 0)
    assert second.details["counts"] == {}
    # The person is not due again, and restriction or extract no longer apply.
    assert not retention.due_participants(CUTOFF).exists()


def test_de_identified_person_has_no_extract_or_restriction_page(world, due, as_user):
    retention.run(username="operator", dry_run=False, today=RUN_DAY)
    p = due.participant
    client = as_user("chief_h")
    assert client.get(reverse("access:extract", args=[p.pk])).status_code == 404
    assert client.get(reverse("people:participant_restriction",
                              args=[p.pk])).status_code == 404


def test_a_failed_batch_is_rolled_back_and_the_run_still_recorded(world, due, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "deidentify", boom)
    before = snapshot()
    with pytest.raises(RuntimeError):
        retention.run(username="operator", dry_run=False, today=RUN_DAY)
    assert snapshot() == before
    run = RetentionRun.objects.get()
    assert run.participants == 0 and run.details["error"] == "RuntimeError"


def test_bad_arguments_are_refused_with_a_message():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("gallring", "--today", "29/5/2028")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("gallring", "--batch-size", "0")
