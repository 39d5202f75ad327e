"""Enrolment, exit and reassignment forms; the caseload and the centre overview."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import KNOWN_DAY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vidare.assessments.actions import record_assessment
from vidare.codelists.models import Occupation
from vidare.core.dates import add_months
from vidare.enrolments.actions import record_exit, set_paused, touch
from vidare.enrolments.models import Enrolment, Exit
from vidare.enrolments.views import latest_start_reaching
from vidare.people.models import Referral

pytestmark = pytest.mark.django_db


def enrol_data(world, participant, **over):
    referral = participant.referrals.filter(status="open").first()
    data = {"programme": world.jobbtorg.pk, "centre": world.hisingen.pk,
            "start_date": "2026-06-01", "responsible": world.users["coach_h"].pk,
            "target_groups": [world.tg["forsorjningsstod"].pk],
            "referral": referral.pk if referral else ""}
    data.update(over)
    return data


def codes(response, field):
    return [e.code for e in response.context["form"].errors.as_data()[field]]


# ---- enrol --------------------------------------------------------------------------------


class TestEnrolmentAdd:
    def url(self, p):
        return reverse("enrolments:enrolment_add", args=[p.pk])

    def test_happy_path(self, world, as_user, today):
        p = world.register()
        response = as_user("coach_h").post(self.url(p), enrol_data(world, p))
        assert response.status_code == 302
        e = Enrolment.objects.get(participant=p)
        assert (e.programme, e.centre, e.responsible, e.start_date) == (
            world.jobbtorg, world.hisingen, world.users["coach_h"], date(2026, 6, 1))
        assert list(e.target_groups.all()) == [world.tg["forsorjningsstod"]]
        assert p.referrals.get().status == "enrolled"

    def test_form_starts_from_the_open_referral(self, world, as_user):
        p = world.register(referral={"programme": world.jobbtorg})
        form = as_user("coach_h").get(self.url(p)).context["form"]
        assert form.initial["referral"] == p.referrals.get()
        assert form.initial["centre"] == world.hisingen.pk
        assert form.initial["programme"] == world.jobbtorg.pk

    def test_outside_age_band(self, world, as_user, today):
        p = world.register()  # born 1960-1999: too old for Jobbtorg Unga (16-24)
        response = as_user("coach_h").post(self.url(p), enrol_data(world, p,
                                                                   programme=world.unga.pk))
        assert codes(response, "start_date") == ["age_outside_band"]
        assert "Jobbtorg Unga" in response.content.decode()
        assert not Enrolment.objects.exists()
        assert p.referrals.get().status == "open"

    def test_overlapping_enrolment(self, world, as_user, today):
        p = world.register()
        world.enrol(p)
        response = as_user("coach_h").post(self.url(p), enrol_data(world, p))
        assert codes(response, "start_date") == ["overlapping_enrolment"]
        assert Enrolment.objects.count() == 1

    def test_target_group_required(self, world, as_user, today):
        p = world.register()
        response = as_user("coach_h").post(self.url(p), enrol_data(world, p, target_groups=[]))
        assert codes(response, "target_groups") == ["target_group_required"]
        assert 'href="#id_target_groups_0"' in response.content.decode()
        assert not Enrolment.objects.exists()

    def test_responsible_from_another_centre_is_not_offered(self, world, as_user, today):
        p = world.register()
        response = as_user("coach_h").post(self.url(p), enrol_data(
            world, p, responsible=world.users["coach_a"].pk))
        assert "responsible" in response.context["form"].errors
        assert not Enrolment.objects.exists()

    @pytest.mark.parametrize("key, status", [("coach_h", 200), ("chief_h", 200),
                                             ("broker_h", 403), ("syv_h", 403),
                                             ("coach_a", 404), ("analyst", 404)])
    def test_access(self, world, as_user, key, status):
        p = world.register()
        assert as_user(key).get(self.url(p)).status_code == status


# ---- exit ---------------------------------------------------------------------------------


class TestExit:
    def url(self, e):
        return reverse("enrolments:exit_add", args=[e.pk])

    def data(self, **over):
        data = {"exit_date": "2026-06-12", "reason": "arbete_osubventionerat",
                "employer_name": "Vårdbolaget AB", "occupation_code": "5321",
                "extent_percent": "75", "note": ""}
        data.update(over)
        return data

    def test_happy_path(self, world, as_user, today):
        e = world.enrol(world.register())
        response = as_user("coach_h").post(self.url(e), self.data())
        assert response.status_code == 302
        x = Exit.objects.get(enrolment=e)
        assert (x.exit_date, x.reason, x.occupation.code, x.extent_percent) == (
            date(2026, 6, 12), "arbete_osubventionerat", "5321", 75)
        e.refresh_from_db()
        assert (e.status, e.end_date) == ("exited", date(2026, 6, 12))

    def test_code_with_name_from_the_suggestions_is_accepted(self, world, as_user, today):
        e = world.enrol(world.register())
        as_user("coach_h").post(self.url(e), self.data(
            occupation_code="5321 Undersköterskor, hemtjänst"))
        assert Exit.objects.get().occupation.code == "5321"

    def test_exit_before_start(self, world, as_user, today):
        e = world.enrol(world.register())
        response = as_user("coach_h").post(self.url(e), self.data(exit_date="2026-01-02"))
        assert codes(response, "exit_date") == ["before_start"]
        assert not Exit.objects.exists()
        e.refresh_from_db()
        assert e.status == "active"

    def test_unknown_ssyk_code(self, world, as_user, today):
        e = world.enrol(world.register())
        response = as_user("coach_h").post(self.url(e), self.data(occupation_code="9999"))
        assert codes(response, "occupation_code") == ["unknown_code"]
        assert "Unknown SSYK code" in response.content.decode()
        level3 = Occupation.objects.filter(level=3).first()
        response = as_user("coach_h").post(self.url(e), self.data(occupation_code=level3.code))
        assert codes(response, "occupation_code") == ["ssyk_level"]
        assert not Exit.objects.exists()

    def test_already_exited(self, world, as_user, today):
        e = world.enrol(world.register())
        record_exit(actor=world.users["coach_h"], enrolment=e, exit_date=date(2026, 6, 1),
                    reason="studier")
        response = as_user("coach_h").post(self.url(e), self.data())
        assert response.status_code == 200
        assert [x.code for x in response.context["form"].non_field_errors().as_data()] == [
            "already_exited"]
        assert Exit.objects.get().reason == "studier"

    def test_page_lists_level4_occupations(self, world, as_user):
        e = world.enrol(world.register())
        html = as_user("coach_h").get(self.url(e)).content.decode()
        assert '<datalist id="ssyk-level4">' in html and 'value="5321"' in html

    @pytest.mark.parametrize("key, status", [("coach_h", 200), ("chief_h", 200),
                                             ("broker_h", 403), ("af_h", 403),
                                             ("coach_a", 404), ("admin", 404)])
    def test_access(self, world, as_user, key, status):
        e = world.enrol(world.register())
        assert as_user(key).get(self.url(e)).status_code == status


class TestReassign:
    def test_happy_path_and_access(self, world, as_user):
        e = world.enrol(world.register())
        url = reverse("enrolments:enrolment_reassign", args=[e.pk])
        response = as_user("chief_h").post(url, {"responsible": world.users["chief_h"].pk})
        assert response.status_code == 302
        e.refresh_from_db()
        assert e.responsible == world.users["chief_h"]
        response = as_user("chief_h").post(url, {"responsible": world.users["coach_a"].pk})
        assert "responsible" in response.context["form"].errors
        e.refresh_from_db()
        assert e.responsible == world.users["chief_h"]
        assert as_user("broker_h").get(url).status_code == 403
        assert as_user("coach_a").get(url).status_code == 404


class TestPause:
    def test_pause_and_resume(self, world, as_user):
        e = world.enrol(world.register())
        url = reverse("enrolments:enrolment_pause", args=[e.pk])
        client = as_user("coach_h")
        detail = client.get(reverse("people:participant_detail", args=[e.participant_id]))
        assert url in detail.content.decode()
        assert client.get(url).context["form"].initial == {"status": "active"}
        response = client.post(url, {"status": "paused"}, follow=True)
        assert "The enrolment is paused." in response.content.decode()
        e.refresh_from_db()
        assert e.status == "paused"
        assert client.get(url).context["form"].initial == {"status": "paused"}
        assert e.history.filter(status="paused").exists()
        client.post(url, {"status": "active"})
        e.refresh_from_db()
        assert e.status == "active"

    def test_bad_input_and_access(self, world, as_user, today):
        e = world.enrol(world.register())
        url = reverse("enrolments:enrolment_pause", args=[e.pk])
        for bad in ({}, {"status": "exited"}, {"status": ""}):
            response = as_user("coach_h").post(url, bad)
            assert response.status_code == 200
            assert "status" in response.context["form"].errors
        assert as_user("broker_h").post(url, {"status": "paused"}).status_code == 403
        assert as_user("coach_a").post(url, {"status": "paused"}).status_code == 404
        e.refresh_from_db()
        assert e.status == "active"
        record_exit(actor=world.users["coach_h"], enrolment=e, exit_date=today,
                    reason="studier")
        response = as_user("coach_h").post(url, {"status": "paused"})
        assert [x.code for x in response.context["form"].errors.as_data()["status"]] == [
            "enrolment_exited"]
        e.refresh_from_db()
        assert e.status == "exited"

    def test_a_paused_enrolment_is_not_flagged_inactive(self, world, as_user, today):
        quiet = make_case(world, "Tyst", today - timedelta(days=90), assessed_on=today,
                          active_on=today - timedelta(days=60))
        paused = make_case(world, "Sjukskriven", today - timedelta(days=90),
                           assessed_on=today, active_on=today - timedelta(days=60))
        Enrolment.objects.filter(pk__in=[quiet.pk, paused.pk]).update(
            last_activity_on=today - timedelta(days=60))
        set_paused(actor=world.users["coach_h"], enrolment=paused, paused=True)
        response = as_user("coach_h").get(reverse("enrolments:caseload"))
        assert caseload_flags(response) == {"Tyst": {"inactive"}, "Sjukskriven": set()}


# ---- caseload -----------------------------------------------------------------------------


def make_case(world, last_name, start, *, assessed_on=None, active_on=None, actor=None,
              **enrol):
    actor = actor or world.users["coach_h"]
    p = world.register(actor=actor, centre=enrol.get("centre"), last_name=last_name,
                       referral={"referred_on": min(start, date(2026, 1, 5))})
    e = world.enrol(p, actor=actor, start_date=start, **enrol)
    if assessed_on:
        record_assessment(actor=actor, participant=p, assessed_on=assessed_on, enrolment=e)
    if active_on:
        touch(e, active_on)
    return e


def caseload_flags(response):
    return {row.participant.last_name: {f.key for f in row.flags}
            for row in response.context["rows"]}


class TestCaseload:
    url = reverse("enrolments:caseload")

    def test_flags(self, world, as_user, today):
        assert today == KNOWN_DAY == date(2026, 6, 15)
        d = timedelta
        make_case(world, "Ny", date(2026, 6, 1), assessed_on=date(2026, 6, 5))
        make_case(world, "Aktiv29", today - d(29), assessed_on=today - d(29))
        make_case(world, "Inaktiv30", today - d(30), assessed_on=today - d(30))
        # Jobbtorg lasts 18 months: 2024-12-16 + 18 months = 2026-06-16, tomorrow.
        make_case(world, "Snartslut", date(2024, 12, 16), assessed_on=today)
        # Maximum end exactly 60 days ahead (2026-08-14) is flagged, 61 days is not.
        make_case(world, "Sextio", date(2025, 2, 14), assessed_on=today)
        make_case(world, "Sextioett", date(2025, 2, 15), assessed_on=today)
        make_case(world, "Passerad", date(2024, 11, 1), assessed_on=today)
        make_case(world, "Okartlagd", date(2026, 6, 10))
        # An assessment from an earlier episode does not count for the new one.
        old = make_case(world, "Aterkommen", date(2026, 1, 12), assessed_on=date(2026, 1, 20))
        record_exit(actor=world.users["coach_h"], enrolment=old, exit_date=date(2026, 2, 1),
                    reason="avbrott")
        world.enrol(old.participant, start_date=date(2026, 6, 8), referral=None)
        paused = make_case(world, "Pausad", date(2026, 6, 1), assessed_on=today)
        set_paused(actor=world.users["coach_h"], enrolment=paused, paused=True)
        make_case(world, "Annans", date(2026, 6, 1), responsible=world.users["chief_h"])
        gone = make_case(world, "Utskriven", date(2026, 6, 1))
        record_exit(actor=world.users["coach_h"], enrolment=gone, exit_date=today,
                    reason="studier")

        response = as_user("coach_h").get(self.url)
        assert response.status_code == 200
        assert caseload_flags(response) == {
            "Ny": set(), "Aktiv29": set(), "Inaktiv30": {"inactive"},
            "Snartslut": {"max_length"}, "Sextio": {"max_length"}, "Sextioett": set(),
            "Passerad": {"max_length"}, "Okartlagd": {"no_assessment"},
            "Aterkommen": {"no_assessment"}, "Pausad": set(),
        }
        rows = {r.participant.last_name: r for r in response.context["rows"]}
        assert [f.danger for f in rows["Passerad"].flags] == [True]
        assert [f.danger for f in rows["Snartslut"].flags] == [False]
        # The SQL rule agrees with the model's own rule for every row.
        for row in rows.values():
            assert ("max_length" in {f.key for f in row.flags}) == (
                row.enrolment.is_near_max_length(today, 60))
        html = response.content.decode()
        assert "No activity for 30 days" in html and "No assessment" in html

    def test_filter_and_sort(self, world, as_user, today):
        make_case(world, "Berg", date(2026, 6, 1))
        make_case(world, "Alm", date(2026, 5, 1), assessed_on=today)
        make_case(world, "Ceder", date(2024, 11, 1))
        client = as_user("coach_h")
        names = lambda r: [row.participant.last_name for row in r.context["rows"]]  # noqa: E731
        assert names(client.get(self.url, {"sort": "name"})) == ["Alm", "Berg", "Ceder"]
        assert names(client.get(self.url, {"sort": "start"})) == ["Ceder", "Alm", "Berg"]
        assert names(client.get(self.url, {"sort": "flags"}))[0] == "Ceder"
        assert names(client.get(self.url, {"flag": "no_assessment", "sort": "name"})) == [
            "Berg", "Ceder"]
        assert names(client.get(self.url, {"flag": "max_length"})) == ["Ceder"]

    def test_manager_sees_a_coachs_caseload_but_a_coach_does_not(self, world, as_user, today):
        make_case(world, "Berg", date(2026, 6, 1))
        coach = world.users["coach_h"]
        response = as_user("chief_h").get(self.url, {"coach": coach.pk})
        assert response.status_code == 200 and caseload_flags(response).keys() == {"Berg"}
        assert coach in response.context["coach_choices"]
        assert as_user("chief_h").get(self.url, {"coach": world.users["coach_a"].pk}
                                      ).status_code == 403
        assert as_user("syv_h").get(self.url, {"coach": coach.pk}).status_code == 403

    def test_access(self, world, as_user):
        assert as_user("analyst").get(self.url).status_code == 403
        assert as_user("admin").get(self.url).status_code == 403
        assert as_user("social").get(self.url)["Location"] == reverse("people:referral_list")
        assert as_user("broker_h").get(self.url).status_code == 200

    def test_query_count_does_not_grow_with_rows(self, world, as_user, today):
        client = as_user("coach_h")
        counts = []
        for target in (3, 30):
            while Enrolment.objects.count() < target:
                n = Enrolment.objects.count()
                make_case(world, f"Person{n:02d}", date(2026, 5, 1) - timedelta(days=n),
                          assessed_on=today if n % 2 else None)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(self.url)
            assert len(response.context["rows"]) == target
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], counts
        # At most 6 for the page, plus 3 for saving the session, which happens on every
        # request for the idle timeout (SAVEPOINT, UPDATE, RELEASE).
        assert counts[1] <= 6 + 3, [q["sql"] for q in ctx.captured_queries]


def test_latest_start_reaching_matches_add_months_exhaustively():
    day = date(2023, 1, 1)
    for _ in range(0, 800, 3):
        day += timedelta(days=3)
        for months in (1, 6, 12, 18, 24):
            s = latest_start_reaching(day, months)
            assert add_months(s, months) <= day
            assert add_months(s + timedelta(days=1), months) > day


# ---- centre overview ----------------------------------------------------------------------


class TestCentreOverview:
    url = reverse("enrolments:centre_overview")

    def test_counts(self, world, as_user, today):
        coach = world.users["coach_h"]
        make_case(world, "A", date(2026, 6, 2), assessed_on=today)      # new this month
        make_case(world, "B", date(2026, 3, 2))                          # inactive, no assessment
        paused = make_case(world, "C", date(2026, 3, 2), assessed_on=today)
        set_paused(actor=coach, enrolment=paused, paused=True)
        for name, reason in [("D", "arbete_subventionerat"), ("E", "studier"),
                             ("F", "arbetsformedlingen"), ("G", "avbrott")]:
            e = make_case(world, name, date(2026, 2, 2))
            record_exit(actor=coach, enrolment=e, exit_date=date(2026, 5, 4), reason=reason,
                        no_information_shared=True)  # F: a referral out without sharing
        make_case(world, "H", date(2026, 3, 2), responsible=None, assessed_on=today)
        make_case(world, "Angered", date(2026, 3, 2), actor=world.users["coach_a"],
                  centre=world.angered, responsible=world.users["coach_a"])
        world.register(last_name="Waiting", referral={"referred_on": date(2026, 5, 20)})
        world.register(last_name="Recent", referral={"referred_on": date(2026, 6, 10)})

        response = as_user("chief_h").get(self.url)
        assert response.status_code == 200
        [row] = response.context["programmes"]
        assert row["centre__name"] == "Hisingen" and row["programme__name"] == "Jobbtorg"
        assert (row["active"], row["paused"], row["new_this_month"]) == (3, 1, 1)
        assert (row["exits"], row["exits_work_studies"], row["exits_other_authority"],
                row["exits_other_intervention"], row["exits_other"]) == (4, 2, 1, 0, 1)
        coaches = {c["responsible_id"]: c for c in response.context["coaches"]}
        assert coaches[coach.pk]["caseload"] == 3
        assert coaches[coach.pk]["inactive"] == 1 and coaches[coach.pk]["no_assessment"] == 1
        assert coaches[None]["caseload"] == 1
        assert world.users["coach_a"].pk not in coaches
        [ref] = response.context["referrals"]
        assert (ref["open"], ref["waiting"]) == (2, 1)
        assert Referral.objects.filter(status="open").count() == 2

    @pytest.mark.parametrize("key", ["coach_h", "broker_h", "analyst", "admin", "social"])
    def test_only_managers(self, world, as_user, key):
        assert as_user(key).get(self.url).status_code == 403
