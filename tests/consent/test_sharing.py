"""Sharing actions are blocked without valid consent and say why: the attendance report given to
the social services, and an exit to another authority (a referral out)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from tests.api.conftest import counts, errors_of
from vidare.access.models import AccessLogEntry
from vidare.enrolments.actions import record_exit
from vidare.enrolments.models import Enrolment, Exit
from vidare.people.consent import grant_consent, withdraw_consent
from vidare.plans.actions import record_attendance, save_intervention

pytestmark = pytest.mark.django_db

FEB = {"from": "2026-02-01", "to": "2026-02-28"}


def consent(world, person, **fields):
    fields = {"party": "socialtjanst", "scope": "narvaro_status", "given_on": date(2026, 2, 1),
              **fields}
    return grant_consent(actor=world.users["coach_h"], participant=person, **fields)


@pytest.fixture
def referred(world):
    """Referred by the officer, enrolled at Hisingen, with one week of attendance."""
    p = world.register(actor=world.users["social"], first_name="Sara", last_name="Testsson")
    e = world.enrol(p)
    iv = save_intervention(actor=world.users["coach_h"], enrolment=e, kind="praktik",
                           title="Praktik", start_date=date(2026, 2, 2),
                           hours_per_week=Decimal(20))
    record_attendance(actor=world.users["coach_h"], intervention=iv, week=date(2026, 2, 2),
                      hours_attended=Decimal(20))
    return p


def report(client, person, **query):
    return client.get(reverse("plans:attendance_report", args=[person.pk]), {**FEB, **query})


# ---- attendance report -----------------------------------------------------------------------


def test_coach_without_consent_sees_the_report_for_own_work_and_why_it_may_not_go_on(
        world, as_user, clock, referred):
    response = report(as_user("coach_h"), referred)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not for the social services:" in html
    assert "Sara Testsson has given no consent to share with Social services" in html
    assert "for=socialtjanst" not in html  # no way offered to print or send it for them
    assert response.context["shared"] is False


@pytest.mark.parametrize("fmt", [{}, {"format": "csv"}])
def test_coach_asking_for_the_social_services_version_is_refused_with_the_reason(
        world, as_user, clock, referred, fmt):
    consent(world, referred, expires_on=date(2026, 5, 31))
    response = report(as_user("coach_h"), referred, **{"for": "socialtjanst", **fmt})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "This report may not be given to the social services." in html
    assert "expired on 2026-05-31" in html
    assert "Attendance report for the social services" not in html
    assert not AccessLogEntry.objects.filter(what__contains="social services").exists()


def test_coach_with_consent_gets_the_version_for_the_social_services(
        world, as_user, clock, referred):
    consent(world, referred, expires_on=date(2026, 12, 31))
    coach = as_user("coach_h")
    page = report(coach, referred)
    html = page.content.decode()
    assert "is valid: given 2026-02-01, up to and including 2026-12-31" in html
    assert "for=socialtjanst" in html

    shared = report(coach, referred, **{"for": "socialtjanst"})
    assert shared.status_code == 200
    assert "<h1>Attendance report for the social services</h1>" in shared.content.decode()
    assert 'name="for" value="socialtjanst"' in shared.content.decode()  # kept on "Show"

    download = report(coach, referred, **{"for": "socialtjanst", "format": "csv"})
    assert download.status_code == 200
    first = next(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert first == ["Attendance report for the social services", "Sara Testsson",
                     referred.formatted_identity_number]
    whats = list(AccessLogEntry.objects.filter(participant=referred).order_by("pk")
                 .values_list("what", "channel"))
    assert whats == [("attendance report", "web"),
                     ("attendance report for the social services", "web"),
                     ("attendance report for the social services (CSV)", "export")]


def test_withdrawn_consent_is_named_with_its_date(world, as_user, clock, referred):
    c = consent(world, referred)
    withdraw_consent(actor=world.users["coach_h"], consent=c, withdrawn_on=date(2026, 6, 10))
    response = report(as_user("coach_h"), referred, **{"for": "socialtjanst"})
    assert response.status_code == 403
    assert "was withdrawn on 2026-06-10" in response.content.decode()


def test_the_officer_reads_it_only_as_the_social_services(world, as_user, clock, referred):
    consent(world, referred)
    officer = as_user("social")
    response = report(officer, referred)
    assert response.status_code == 200
    assert "<h1>Attendance report for the social services</h1>" in response.content.decode()
    download = report(officer, referred, format="csv")
    assert download.content.decode("utf-8-sig").startswith(
        "Attendance report for the social services;")


def test_the_report_checks_consent_itself_even_if_the_scope_lets_the_officer_in(
        world, as_user, clock, referred, monkeypatch):
    """Defence in depth: with a scope that (wrongly) shows the officer everyone, the report
    still refuses without consent, as a 404 like the scope would give."""
    monkeypatch.setattr("vidare.people.scoping.visible_condition",
                        lambda user, path="", listing=False: Q())
    officer = as_user("social")
    assert officer.get(reverse("people:participant_detail", args=[referred.pk])
                       ).status_code == 200  # the widened scope is in force
    assert report(officer, referred).status_code == 404
    assert report(officer, referred, format="csv").status_code == 404
    consent(world, referred)
    assert report(officer, referred).status_code == 200


# ---- exit to another authority (referral out) ------------------------------------------------


@pytest.fixture
def enrolment(world):
    return world.enrol(world.register(first_name="Omar", last_name="Provsson"))


def exit_to(world, enrolment, reason="arbetsformedlingen", **fields):
    return record_exit(actor=world.users["coach_h"], enrolment=enrolment,
                       exit_date=date(2026, 6, 1), reason=reason, **fields)


def refusal_of_exit(world, enrolment, **fields) -> str:
    before = counts(Exit, Enrolment)
    with pytest.raises(ValidationError) as exc:
        exit_to(world, enrolment, **fields)
    [error] = exc.value.error_dict["reason"]
    assert error.code == "no_valid_consent"
    assert counts(Exit, Enrolment) == before
    enrolment.refresh_from_db()
    assert enrolment.status == "active"
    return error.message


def test_exit_to_arbetsformedlingen_without_consent_names_the_missing_consent(
        world, clock, enrolment):
    message = refusal_of_exit(world, enrolment)
    assert message.startswith("Omar Provsson has given no consent to share with "
                              "Arbetsförmedlingen (Referral to the party).")
    assert "or state that no information is shared" in message


def test_exit_to_forsakringskassan_needs_that_partys_consent(world, clock, enrolment):
    consent(world, enrolment.participant, party="arbetsformedlingen", scope="remiss_ut")
    consent(world, enrolment.participant, party="forsakringskassan", scope="narvaro_status")
    assert "Försäkringskassan (Referral to the party)" in refusal_of_exit(
        world, enrolment, reason="forsakringskassan")


def test_consent_must_hold_on_the_exit_date(world, clock, enrolment):
    c = consent(world, enrolment.participant, party="arbetsformedlingen", scope="remiss_ut")
    withdraw_consent(actor=world.users["coach_h"], consent=c, withdrawn_on=date(2026, 6, 1))
    assert "withdrawn on 2026-06-01" in refusal_of_exit(world, enrolment)


def test_exit_with_valid_consent_is_recorded(world, clock, enrolment):
    consent(world, enrolment.participant, party="arbetsformedlingen", scope="remiss_ut",
            given_on=date(2026, 5, 20), expires_on=date(2026, 6, 1))
    assert exit_to(world, enrolment).reason == "arbetsformedlingen"


def test_exit_without_sharing_needs_no_consent_and_the_declaration_is_kept(
        world, clock, enrolment):
    exit_ = exit_to(world, enrolment, no_information_shared=True)
    exit_.refresh_from_db()
    assert exit_.no_information_shared is True
    assert exit_.history.get().no_information_shared is True


def test_the_declaration_is_not_stored_on_exits_that_share_nothing_anyway(
        world, clock, enrolment):
    exit_ = exit_to(world, enrolment, reason="studier", no_information_shared=True)
    exit_.refresh_from_db()
    assert exit_.no_information_shared is False


def test_other_exits_need_no_consent(world, clock, enrolment):
    assert exit_to(world, enrolment, reason="studier").pk


def test_exit_page_shows_the_consent_and_the_tick_box(world, as_user, clock, enrolment):
    client = as_user("coach_h")
    url = reverse("enrolments:exit_add", args=[enrolment.pk])
    consent(world, enrolment.participant, party="forsakringskassan", scope="remiss_ut")
    html = client.get(url).content.decode()
    assert "Omar Provsson has given no consent to share with Arbetsförmedlingen" in html
    assert "Consent to the referral to Försäkringskassan is valid today." in html
    assert 'name="no_information_shared"' in html

    data = {"exit_date": "2026-06-01", "reason": "arbetsformedlingen"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "no consent to share with Arbetsförmedlingen" in str(
        refused.context["form"].errors["reason"])
    assert not Exit.objects.exists()

    done = client.post(url, {**data, "no_information_shared": "on"})
    assert done.status_code == 302
    assert Exit.objects.get().reason == "arbetsformedlingen"


def test_exit_api_refuses_without_consent_and_accepts_the_declaration(
        world, api, clock, enrolment):
    url = f"/api/v1/enrolments/{enrolment.pk}/exit/"
    data = {"exit_date": "2026-06-01", "reason": "arbetsformedlingen"}
    before = counts(Exit, Enrolment)
    response = api("coach_h").post(url, data, format="json")
    assert response.status_code == 400
    assert errors_of(response) == {("reason", "no_valid_consent")}
    assert "Arbetsförmedlingen" in response.json()["errors"][0]["message"]
    assert counts(Exit, Enrolment) == before
    response = api("coach_h").post(url, {**data, "no_information_shared": True}, format="json")
    assert response.status_code == 201
    assert response.json()["no_information_shared"] is True
    assert Exit.objects.get().no_information_shared is True
