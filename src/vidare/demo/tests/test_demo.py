"""The demo generator: determinism, idempotence, synthetic identities, and every rule the actions
enforce, checked over every generated row (the generator writes with bulk inserts, not actions)."""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from vidare.access.models import Membership, User
from vidare.access.roles import Capability, Role
from vidare.assessments.models import Assessment, WorkExperience
from vidare.codelists.models import Occupation
from vidare.core.identity import (
    IdentityKind,
    is_reserve_number,
    parse_identity_number,
    test_personnummer_list,
    test_samordningsnummer_list,
)
from vidare.demo import generator
from vidare.enrolments.actions import (
    REFERRAL_OUT_PARTIES,
    check_age_band,
    check_no_overlap,
    check_responsible,
    check_target_groups,
)
from vidare.enrolments.models import Enrolment, EnrolmentStatus, Exit, ExitReason
from vidare.organisation.models import Centre
from vidare.people.actions import register_participant
from vidare.people.consent import status_on, valid_consent
from vidare.people.models import (
    Consent,
    ConsentParty,
    ConsentScope,
    Gender,
    Participant,
    Referral,
    ReferralContact,
    ReferralSource,
    ReferralStatus,
)
from vidare.plans.models import Attendance, Intervention, InterventionStatus, Plan, PlanGoal

TODAY = date(2026, 11, 30)
TABLES = (Participant, Referral, ReferralContact, Enrolment, Exit, Assessment, WorkExperience,
          Plan, PlanGoal, Intervention, Attendance, User, Membership)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def snapshot() -> list[tuple[str, ...]]:
    """Who is in the demo and how each episode went, independent of database ids."""
    return sorted(
        (e.participant.identity_number, e.participant.first_name, e.programme.code,
         str(e.start_date), str(e.end_date), e.exit.reason if hasattr(e, "exit") else "")
        for e in Enrolment.objects.select_related("participant", "programme", "exit"))


class GeneratedDemo(TestCase):
    """150 participants; every test reads the same rows."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.result = generator.generate(participants=150, seed=7, today=TODAY)

    def test_every_identity_number_is_a_test_number_or_a_reserve_number(self) -> None:
        personnummer = set(test_personnummer_list())
        samordningsnummer = set(test_samordningsnummer_list())
        people = list(Participant.objects.all())
        self.assertEqual(len(people), 150)
        for p in people:
            if p.identity_kind == IdentityKind.RESERVNUMMER:
                self.assertTrue(is_reserve_number(p.identity_number), p.identity_number)
                self.assertIsNotNone(p.birth_date)
                self.assertEqual(p.birth_year, p.birth_date.year)
                continue
            expected = (personnummer if p.identity_kind == IdentityKind.PERSONNUMMER
                        else samordningsnummer)
            self.assertIn(p.identity_number, expected)
            parsed = parse_identity_number(p.identity_number, today=TODAY)
            self.assertEqual(parsed.kind, p.identity_kind)
            self.assertEqual((parsed.birth_date, parsed.birth_year), (p.birth_date, p.birth_year))
            if p.gender != Gender.OTHER:
                self.assertEqual(p.gender, Gender.WOMAN if parsed.legal_sex == "F" else Gender.MAN)
        kinds = {p.identity_kind for p in people}
        self.assertIn(IdentityKind.SAMORDNINGSNUMMER, kinds)

    def test_protected_identities_have_no_contact_details(self) -> None:
        for p in Participant.objects.filter(protected_identity=True):
            self.assertEqual((p.address, p.postal_code, p.phone, p.email), ("", "", "", ""))

    def test_enrolments_obey_the_rules_of_enrol(self) -> None:
        """The checks of enrolments.actions.enrol, run on every generated enrolment."""
        enrolments = Enrolment.objects.select_related(
            "participant", "programme", "centre", "responsible", "referral")
        self.assertGreater(len(enrolments), 100)
        for e in enrolments:
            with self.subTest(enrolment=e.pk):
                check_age_band(e.participant, e.programme, e.start_date)
                groups = list(e.target_groups.all())
                self.assertTrue(groups)
                check_target_groups(e.programme, groups)
                check_responsible(e.responsible, e.centre)
                self.assertTrue(e.programme.centres.filter(pk=e.centre_id).exists())
                self.assertLessEqual(e.start_date, TODAY)
                self.assertEqual(e.referral.participant_id, e.participant_id)
                self.assertEqual(e.referral.status, ReferralStatus.ENROLLED)
                self.assertGreaterEqual(e.start_date, e.referral.referred_on)
                self.assertLessEqual(e.end_date or TODAY, e.max_end_date)
                self.assertEqual(e.is_re_enrolment, Enrolment.objects.filter(
                    participant=e.participant, start_date__lt=e.start_date).exists())
        # check_no_overlap looks at the enrolments there were when one was made; here all
        # of a person's episodes exist, so each must end before the next in the programme.
        episodes = defaultdict(list)
        for e in enrolments:
            episodes[e.participant_id, e.programme_id].append(e)
        for runs in episodes.values():
            runs.sort(key=lambda e: e.start_date)
            for before, after in itertools.pairwise(runs):
                self.assertIsNotNone(before.end_date)
                self.assertLess(before.end_date, after.start_date)
                check_no_overlap(after.participant, after.programme, after.start_date,
                                 exclude_pk=after.pk)

    def test_exits_are_on_or_after_the_start_and_not_in_the_future(self) -> None:
        for e in Enrolment.objects.select_related("exit"):
            with self.subTest(enrolment=e.pk):
                if e.status == EnrolmentStatus.EXITED:
                    self.assertEqual(e.exit.exit_date, e.end_date)
                    self.assertLessEqual(e.start_date, e.exit.exit_date)
                    self.assertLessEqual(e.exit.exit_date, TODAY)
                else:
                    self.assertIsNone(e.end_date)
                    self.assertFalse(Exit.objects.filter(enrolment=e).exists())
        for x in Exit.objects.filter(occupation__isnull=False).select_related("occupation"):
            self.assertEqual(x.occupation.level, 4)

    def test_attendance_lies_in_mondays_within_the_intervention(self) -> None:
        rows = Attendance.objects.select_related("intervention__enrolment")
        self.assertGreater(len(rows), 500)
        for a in rows:
            iv = a.intervention
            last_day = iv.end_date or iv.enrolment.end_date
            with self.subTest(attendance=a.pk):
                self.assertEqual(a.week_start.weekday(), 0)
                self.assertGreaterEqual(a.week_start + timedelta(days=6), iv.start_date)
                if last_day is not None:
                    self.assertLessEqual(a.week_start, last_day)
                self.assertLessEqual(a.week_start, TODAY)
                self.assertNotEqual(iv.status, InterventionStatus.CANCELLED)
                self.assertLessEqual(a.hours_attended + a.hours_absent, 60)
                self.assertEqual(a.hours_absent > 0, a.absence_reason != "")

    def test_interventions_and_plans_fit_the_enrolment(self) -> None:
        for iv in Intervention.objects.select_related("enrolment"):
            e = iv.enrolment
            with self.subTest(intervention=iv.pk):
                self.assertGreaterEqual(iv.start_date, e.start_date)
                if iv.end_date is not None:
                    self.assertGreaterEqual(iv.end_date, iv.start_date)
                if e.status == EnrolmentStatus.EXITED:
                    self.assertIn(iv.status, (InterventionStatus.COMPLETED,
                                              InterventionStatus.CANCELLED))
                    if iv.status == InterventionStatus.COMPLETED:
                        self.assertLessEqual(iv.end_date, e.end_date)
                elif iv.status == InterventionStatus.PLANNED:
                    self.assertGreater(iv.start_date, TODAY)
        for plan in Plan.objects.select_related("enrolment"):
            self.assertLessEqual(plan.enrolment.start_date, plan.established_on)
            self.assertLessEqual(plan.established_on, TODAY)
            for goal in plan.goals.all():
                if goal.achieved_on is not None:
                    self.assertGreaterEqual(goal.achieved_on, plan.established_on)

    def test_assessment_versions_run_from_one_without_gaps(self) -> None:
        versions = defaultdict(list)
        for a in Assessment.objects.select_related("enrolment"):
            versions[a.participant_id].append(a.version)
            self.assertEqual(a.enrolment.participant_id, a.participant_id)
            self.assertLessEqual(a.enrolment.start_date, a.assessed_on)
            self.assertLessEqual(a.assessed_on, a.enrolment.end_date or TODAY)
            self.assertIsNotNone(a.education_level)
            self.assertEqual(a.education_level.level_digits, 2)
        for numbers in versions.values():
            self.assertEqual(sorted(numbers), list(range(1, len(numbers) + 1)))
        self.assertTrue(any(len(v) > 1 for v in versions.values()))
        self.assertFalse(WorkExperience.objects.exclude(occupation__level=4).exists())

    def test_referral_status_matches_what_happened(self) -> None:
        for r in Referral.objects.prefetch_related("enrolments", "contacts"):
            with self.subTest(referral=r.pk):
                enrolled = bool(r.enrolments.all())
                self.assertEqual(r.status == ReferralStatus.ENROLLED, enrolled)
                if r.status == ReferralStatus.CLOSED:
                    self.assertTrue(r.close_reason)
                    self.assertLessEqual(r.referred_on, r.closed_on)
                    self.assertLessEqual(r.closed_on, TODAY)
                else:
                    self.assertIsNone(r.closed_on)
                    self.assertEqual(r.close_reason, "")
                if r.source == ReferralSource.OUTREACH:
                    self.assertTrue(r.outreach_area)
                if r.programme_id:
                    self.assertTrue(r.programme.centres.filter(pk=r.centre_id).exists())
                last = (r.closed_on if r.status == ReferralStatus.CLOSED
                        else min(e.start_date for e in r.enrolments.all()) if enrolled
                        else TODAY)
                for c in r.contacts.all():
                    self.assertLessEqual(r.referred_on, c.occurred_on)
                    self.assertLessEqual(c.occurred_on, last)
        statuses = set(Referral.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(ReferralStatus.values))

    def test_last_activity_is_the_latest_recorded_event(self) -> None:
        for e in Enrolment.objects.prefetch_related("assessments", "interventions__attendance"):
            events = [e.start_date]
            events += [a.assessed_on for a in e.assessments.all()]
            if Plan.objects.filter(enrolment=e).exists():
                events.append(e.plan.established_on)
            for iv in e.interventions.all():
                if iv.status != InterventionStatus.CANCELLED and iv.start_date <= TODAY:
                    events.append(iv.start_date)
                events += [min(a.week_start + timedelta(days=6), TODAY)
                           for a in iv.attendance.all()]
            if e.end_date:
                events.append(e.end_date)
            self.assertEqual(e.last_activity_on, max(events), e.pk)

    def test_the_caseload_has_the_situations_a_coach_meets(self) -> None:
        running = Enrolment.objects.exclude(status=EnrolmentStatus.EXITED)
        self.assertTrue(running.filter(last_activity_on__lt=TODAY - timedelta(days=30)).exists())
        self.assertTrue(running.filter(assessments__isnull=True).exists())
        self.assertTrue(Enrolment.objects.filter(is_re_enrolment=True).exists())

    def test_every_role_has_a_demo_login_that_authenticates(self) -> None:
        roles = set(Membership.objects.filter(user__in=generator.demo_users())
                    .values_list("role", flat=True))
        self.assertEqual(roles, set(Role.values))
        shown = generator.logins()
        self.assertEqual({label for label, _, _ in shown}, {str(r.label) for r in Role})
        for _label, _centre, username in shown:
            user = authenticate(username=username, password=generator.DEMO_PASSWORD)
            self.assertIsNotNone(user, username)
            self.assertIsNone(authenticate(username=username, password="wrong-password-1"))
        coach = authenticate(username="coach.hisingen", password=generator.DEMO_PASSWORD)
        self.assertTrue(coach.can(Capability.ENROL, Centre.objects.get(code="hisingen").pk))
        self.assertGreater(Participant.objects.visible_to(coach).count(), 0)
        social = authenticate(username="socsek1", password=generator.DEMO_PASSWORD)
        self.assertGreater(Participant.objects.visible_to(social).count(), 0)

    def test_consents_follow_the_rules_and_let_the_officers_see_their_clients(self) -> None:
        referred = Participant.objects.filter(
            referrals__source=ReferralSource.SOCIAL_SERVICES).distinct()
        reporting = Consent.objects.filter(party=ConsentParty.SOCIAL_SERVICES,
                                           scope=ConsentScope.ATTENDANCE_AND_STATUS)
        self.assertGreater(reporting.values("participant").distinct().count(),
                           0.8 * referred.count())
        statuses = Counter(status_on(c, TODAY) for c in reporting)
        self.assertGreater(statuses["valid"], statuses["expired"])
        self.assertGreater(statuses["expired"], 0)
        self.assertGreater(statuses["withdrawn"], 0)
        for c in Consent.objects.all():
            self.assertLessEqual(c.given_on, TODAY, c.pk)
            self.assertTrue(c.expires_on is None or c.expires_on >= c.given_on, c.pk)
            if c.withdrawn_on is not None:
                self.assertTrue(c.given_on < c.withdrawn_on <= min(c.expires_on or TODAY, TODAY),
                                c.pk)
            self.assertTrue(c.recorded_by.can(Capability.EDIT_PARTICIPANT), c.pk)
        for username in ("socsek1", "socsek2"):
            officer = User.objects.get(username=username)
            visible = Participant.objects.visible_to(officer)
            self.assertGreater(visible.count(), 0, username)
            self.assertLess(visible.count(), referred.filter(
                referrals__referrer_user=officer).distinct().count(), username)
        out = Exit.objects.filter(reason__in=[ExitReason.EMPLOYMENT_SERVICE,
                                              ExitReason.SOCIAL_INSURANCE])
        with_consent = [e for e in out.select_related("enrolment__participant")
                        if valid_consent(e.enrolment.participant, REFERRAL_OUT_PARTIES[e.reason],
                                         ConsentScope.REFERRAL_OUT, e.exit_date)]
        self.assertGreater(len(with_consent), 0.7 * out.count())

    def test_everyone_is_created_by_demo_staff(self) -> None:
        self.assertEqual(generator.demo_participants().count(), Participant.objects.count())
        self.assertTrue(generator.is_loaded())
        with self.assertRaises(generator.DemoDataError):
            generator.generate(participants=5, today=TODAY)


class Determinism(TestCase):
    def test_same_seed_same_people_and_outcomes_other_seed_other(self) -> None:
        generator.generate(participants=60, seed=3, today=TODAY)
        first = snapshot()
        generator.delete_demo()
        self.assertEqual(Participant.objects.count(), 0)
        generator.generate(participants=60, seed=3, today=TODAY)
        self.assertEqual(snapshot(), first)
        generator.delete_demo()
        generator.generate(participants=60, seed=4, today=TODAY)
        self.assertNotEqual(snapshot(), first)


class IdentityPoolTest(TestCase):
    def test_numbers_are_used_once_then_reserve_numbers_follow(self) -> None:
        pool = generator.IdentityPool(TODAY)
        rng = random.Random(1)
        birth = date(1960, 6, 1)
        available = len([n for n in test_personnummer_list() if n.startswith("1960")])
        taken = [pool.take(rng, IdentityKind.PERSONNUMMER, birth, TODAY)
                 for _ in range(available + 3)]
        numbers = [t.number for t in taken]
        self.assertEqual(len(set(numbers)), len(numbers))
        self.assertTrue(all(n.startswith("1960") for n in numbers[:available]))
        self.assertEqual(numbers[available:], ["R2026-500001", "R2026-500002", "R2026-500003"])
        self.assertEqual(taken[-1].birth_date, birth)
        self.assertIsNone(taken[-1].legal_sex)


class Command(TestCase):
    def run_demo(self, *args: str) -> str:
        out = StringIO()
        call_command("demo", "--today", str(TODAY), *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    def test_second_run_adds_nothing_and_reset_keeps_other_data(self) -> None:
        out = self.run_demo("--participants", "40", "--quiet")
        self.assertIn("coach.hisingen", out)
        self.assertIn(generator.DEMO_PASSWORD, out)
        before = row_counts()
        self.assertGreater(before["Participant"], 0)
        again = self.run_demo("--participants", "40", "--seed", "99")
        self.assertIn("already loaded", again)
        self.assertIn("chef.angered", again)
        self.assertEqual(row_counts(), before)

        # Someone outside the demo registers a person at a demo centre (through the action, so
        # on PostgreSQL this also shows the id sequences moved past the demo's); --reset keeps
        # them.
        clerk = User.objects.create_user("real.clerk", password="not-the-demo-1")
        hisingen = Centre.objects.get(code="hisingen")
        Membership.objects.create(user=clerk, role=Role.JOBBCOACH, centre=hisingen)
        real = register_participant(
            actor=clerk, identity_number=test_personnummer_list()[-1], first_name="Verklig",
            last_name="Person", today=TODAY,
            referral={"source": "egen", "centre": hisingen, "referred_on": TODAY})
        out = self.run_demo("--participants", "40", "--reset")
        self.assertIn("Deleted the demo", out)
        self.assertTrue(Participant.objects.filter(pk=real.pk).exists())
        self.assertTrue(User.objects.filter(pk=clerk.pk).exists())
        after = row_counts()
        self.assertEqual(after["Participant"], before["Participant"] + 1)
        self.assertEqual(after["Referral"], before["Referral"] + 1)
        self.assertEqual(after["User"], before["User"] + 1)

    def test_bad_options_are_named(self) -> None:
        with self.assertRaisesMessage(CommandError, "--today must be a date"):
            call_command("demo", "--today", "30/11/2026", stdout=StringIO())
        with self.assertRaisesMessage(CommandError, "--participants"):
            call_command("demo", "--participants", "-1", stdout=StringIO())
        self.assertFalse(generator.is_loaded())

    def test_a_taken_username_stops_the_load_and_nothing_is_half_saved(self) -> None:
        User.objects.create_user("admin", password="someone-elses-1")
        with self.assertRaisesMessage(CommandError, "admin"):
            self.run_demo("--participants", "20", "--quiet")
        self.assertFalse(generator.is_loaded())
        self.assertEqual(Participant.objects.count(), 0)

    def test_help_lists_the_options(self) -> None:
        from vidare.demo.management.commands.demo import Command as DemoCommand

        text = DemoCommand().create_parser("vidare", "demo").format_help()
        for option in ("--participants", "--seed", "--today", "--reset", "--quiet"):
            self.assertIn(option, text)
        self.assertIn("synthetic", text)


class OutcomeMix(TestCase):
    """1 500 participants, the default size: the shares the articles report."""

    def test_outcome_shares_resemble_the_articles_and_every_reason_occurs(self) -> None:
        generator.generate(participants=1500, today=TODAY)
        total, shares = generator.outcome_shares()
        self.assertGreater(total, 600)
        self.assertTrue(all(shares[r] > 0 for r in ExitReason.values), shares)
        work_or_studies = sum(shares[r] for r in ExitReason.work_or_studies())
        self.assertTrue(0.21 <= work_or_studies <= 0.31, work_or_studies)
        self.assertLess(shares[ExitReason.STUDIES], shares[ExitReason.WORK_UNSUBSIDISED] / 3)
        self.assertTrue(0.15 <= shares[ExitReason.OTHER_INTERVENTION] <= 0.26, shares)
        authority = shares[ExitReason.EMPLOYMENT_SERVICE] + shares[ExitReason.SOCIAL_INSURANCE]
        self.assertTrue(0.15 <= authority <= 0.26, authority)
        # Born outside Europe: a majority.
        people = Participant.objects.count()
        outside = Participant.objects.filter(
            birth_region__in=["afrika", "asien", "sydamerika", "nordamerika", "oceanien"]).count()
        self.assertGreater(outside / people, 0.5)
        self.assertTrue(Participant.objects.filter(protected_identity=True).exists())
        samordning = Participant.objects.filter(identity_kind="samordningsnummer").count()
        self.assertTrue(0.02 <= samordning / people <= 0.07)
        # A job coach's running caseload is about 25-35.
        running = Enrolment.objects.exclude(status=EnrolmentStatus.EXITED)
        coaches = User.objects.filter(memberships__role=Role.JOBBCOACH).count()
        self.assertTrue(22 <= running.count() / coaches <= 38, running.count() / coaches)
        self.assertTrue(any(e.is_near_max_length(TODAY) for e in running.select_related(
            "programme")))
        self.assertTrue(Occupation.objects.filter(code="9111", level=4).exists())
