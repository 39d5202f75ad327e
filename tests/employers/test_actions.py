"""Rules of the employer register's actions: identifiers, capabilities, dates, placements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from vidare.employers import actions
from vidare.employers.models import Activity, Employer, Placement, RecruitmentNeed

from .conftest import ORGNR


def codes(exc: ValidationError) -> set[tuple[str, str]]:
    return {(field, e.code) for field, errs in exc.error_dict.items() for e in errs}


def rejected(fn, **kwargs) -> set[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        fn(**kwargs)
    return codes(info.value)


class TestOrganisationNumber:
    @pytest.mark.parametrize("typed", ["9697990043", "969799-0043", "16969799-0043",
                                       " 969799 0043 ", "169697990043"])
    def test_valid_forms_are_stored_normalised(self, world, typed):
        employer = actions.create_employer(actor=world.users["broker_h"], name="Exempel AB",
                                           organisation_number=typed)
        assert employer.organisation_number == "969799-0043"

    @pytest.mark.parametrize("typed, code", [
        ("969799-004", "wrong_length"), ("96979900433", "wrong_length"),
        ("969799-0044", "checksum"), ("96979A-0043", "invalid_format"), ("", "required"),
    ])
    def test_malformed_numbers_name_the_field_and_rule_and_save_nothing(self, world, typed,
                                                                        code):
        before = (Employer.objects.count(), Employer.history.count())
        assert rejected(actions.create_employer, actor=world.users["broker_h"],
                        name="Exempel AB", organisation_number=typed) == {
            ("organisation_number", code)}
        assert (Employer.objects.count(), Employer.history.count()) == before

    def test_the_message_says_what_is_wrong(self, world):
        # The language is set here: a request in an earlier test may leave Swedish active.
        with translation.override("en"), pytest.raises(ValidationError) as info:
            actions.create_employer(actor=world.users["broker_h"], name="X",
                                    organisation_number="969799-004")
        assert "10 digits" in info.value.messages[0] and "9" in info.value.messages[0]
        with translation.override("en"), pytest.raises(ValidationError) as info:
            actions.create_employer(actor=world.users["broker_h"], name="X",
                                    organisation_number="969799-0044")
        assert "check digit" in info.value.messages[0]
        with translation.override("sv"), pytest.raises(ValidationError) as info:
            actions.create_employer(actor=world.users["broker_h"], name="X",
                                    organisation_number="969799-004")
        assert "10 siffror" in info.value.messages[0]

    def test_one_employer_per_number(self, register, world):
        assert rejected(actions.create_employer, actor=world.users["broker_h"],
                        name="Dubblett AB", organisation_number=ORGNR[0].replace("-", "")) == {
            ("organisation_number", "duplicate")}
        # Changing an employer keeps its own number without complaint.
        actions.update_employer(actor=world.users["broker_h"], employer=register.garage,
                                organisation_number=ORGNR[0], notes="Ny anteckning")


class TestIndustry:
    def test_division_and_section_are_accepted_with_their_names(self, world):
        broker = world.users["broker_h"]
        garage = actions.create_employer(actor=broker, name="A", organisation_number=ORGNR[2],
                                          sni_code="45")
        assert garage.sni_name.startswith("Handel samt reparation av motorfordon")
        care = actions.create_employer(actor=broker, name="B", organisation_number=ORGNR[3],
                                        sni_code="q")
        assert (care.sni_code, care.sni_name) == ("Q", "Vård och omsorg; sociala tjänster")

    @pytest.mark.parametrize("code", ["45200", "00", "ZZ", "4"])
    def test_unknown_codes_are_refused(self, world, code):
        assert rejected(actions.create_employer, actor=world.users["broker_h"], name="A",
                        organisation_number=ORGNR[2], sni_code=code) == {
            ("sni_code", "unknown_code")}
        assert not Employer.objects.exists()


class TestCapabilities:
    @pytest.mark.parametrize("key", ["coach_h", "syv_h", "af_h", "analyst", "social", "admin"])
    def test_only_brokers_and_managers_change_the_register(self, register, world, key):
        user = world.users[key]
        with pytest.raises(PermissionDenied):
            actions.create_employer(actor=user, name="A", organisation_number=ORGNR[2])
        with pytest.raises(PermissionDenied):
            actions.log_activity(actor=user, employer=register.garage, kind="samtal",
                                 occurred_on=register.need.needed_from)
        with pytest.raises(PermissionDenied):
            actions.mark_follow_up_done(actor=user, activity=register.due_mine)

    def test_the_responsible_must_work_with_employers(self, register, world):
        assert rejected(actions.update_employer, actor=world.users["broker_h"],
                        employer=register.garage, responsible=world.users["coach_h"]) == {
            ("responsible", "not_broker")}


class TestActivities:
    def test_logged_by_the_actor_with_history(self, register, world, today):
        activity = actions.log_activity(actor=world.users["chief_h"], employer=register.garage,
                                        kind="epost", occurred_on=today)
        assert activity.by == world.users["chief_h"]
        assert activity.history.get().history_user == world.users["chief_h"]

    def test_dates(self, register, world, today):
        broker = world.users["broker_h"]
        assert rejected(actions.log_activity, actor=broker, employer=register.garage,
                        kind="besok", occurred_on=today + timedelta(days=1)) == {
            ("occurred_on", "future")}
        assert rejected(actions.log_activity, actor=broker, employer=register.garage,
                        kind="besok", occurred_on=today,
                        follow_up_on=today - timedelta(days=1)) == {
            ("follow_up_on", "before_activity")}
        assert rejected(actions.log_activity, actor=broker, employer=register.garage,
                        kind="middag", occurred_on=today) == {("kind", "invalid_choice")}

    def test_mark_follow_up_done(self, register, world):
        done = actions.mark_follow_up_done(actor=world.users["broker_h"],
                                           activity=register.due_other)
        assert Activity.objects.get(pk=done.pk).follow_up_done
        plain = actions.log_activity(actor=world.users["broker_h"], employer=register.garage,
                                     kind="samtal", occurred_on=register.need.needed_from)
        assert rejected(actions.mark_follow_up_done, actor=world.users["broker_h"],
                        activity=plain) == {("follow_up_done", "no_follow_up")}


class TestNeedsAndAgreements:
    @pytest.mark.parametrize("code, rule", [("9999", "unknown_code"), ("5", "wrong_level"),
                                            ("", "required")])
    def test_occupation_must_be_a_known_unit_group(self, register, world, code, rule):
        before = RecruitmentNeed.objects.count()
        assert rejected(actions.add_need, actor=world.users["broker_h"],
                        employer=register.garage, occupation=code,
                        needed_from=register.need.needed_from) == {("occupation", rule)}
        assert RecruitmentNeed.objects.count() == before

    def test_need_period_and_number(self, register, world, today):
        broker = world.users["broker_h"]
        assert rejected(actions.add_need, actor=broker, employer=register.garage,
                        occupation="9111", needed_from=today,
                        needed_until=today - timedelta(days=1)) == {
            ("needed_until", "end_before_start")}
        assert ("number", "min_value") in rejected(
            actions.add_need, actor=broker, employer=register.garage, occupation="9111",
            needed_from=today, number=0)

    def test_a_row_of_another_employer_is_refused(self, register, world):
        assert rejected(actions.save_need, actor=world.users["broker_h"],
                        employer=register.cleaning, need=register.need, number=5) == {
            ("employer", "wrong_employer")}

    def test_agreement_dates(self, register, world, today):
        assert rejected(actions.add_agreement, actor=world.users["broker_h"],
                        employer=register.garage, kind="lonebidrag", starts_on=today,
                        ends_on=today - timedelta(days=1)) == {("ends_on", "end_before_start")}


class TestPlacements:
    def test_a_broker_places_a_participant_they_may_see(self, register, world, today):
        placement = actions.record_placement(world.users["broker_h"], register.garage,
                                             register.own, "praktik", today,
                                             vacancy=register.vacancy)
        assert placement.created_by == world.users["broker_h"]
        assert placement.history.count() == 1

    def test_a_job_coach_may_place_too(self, register, world, today):
        actions.record_placement(actor=world.users["coach_h"], employer=register.garage,
                                 participant=register.own, kind="anstallning",
                                 starts_on=today)

    def test_a_participant_out_of_sight_reads_as_unknown(self, register, world, today):
        assert rejected(actions.record_placement, actor=world.users["broker_h"],
                        employer=register.garage, participant=register.other,
                        kind="praktik", starts_on=today) == {("participant", "does_not_exist")}
        assert not Placement.objects.exists()

    @pytest.mark.parametrize("key", ["syv_h", "af_h", "social", "analyst"])
    def test_roles_without_match_or_manage_may_not(self, register, world, today, key):
        with pytest.raises(PermissionDenied):
            actions.record_placement(world.users[key], register.garage, register.own,
                                     "praktik", today)

    def test_vacancy_of_another_employer_and_dates(self, register, world, today):
        broker = world.users["broker_h"]
        assert rejected(actions.record_placement, actor=broker, employer=register.cleaning,
                        participant=register.own, kind="praktik", starts_on=today,
                        vacancy=register.vacancy) == {("vacancy", "wrong_employer")}
        assert rejected(actions.record_placement, actor=broker, employer=register.garage,
                        participant=register.own, kind="praktik", starts_on=today,
                        ends_on=today - timedelta(days=1)) == {("ends_on", "end_before_start")}
        assert rejected(actions.record_placement, actor=broker, employer=register.garage,
                        participant=register.own, kind="fast", starts_on=today) == {
            ("kind", "invalid_choice")}

    def test_restricted_processing_blocks_a_placement(self, register, world, today):
        register.own.restricted = True
        register.own.save()
        assert rejected(actions.record_placement, actor=world.users["broker_h"],
                        employer=register.garage, participant=register.own, kind="praktik",
                        starts_on=today) == {("participant", "restricted")}

    def test_update_records_the_end(self, register, world, today):
        placement = actions.record_placement(world.users["broker_h"], register.garage,
                                             register.own, "praktik", today)
        actions.update_placement(actor=world.users["broker_h"], placement=placement,
                                 ends_on=today + timedelta(days=30))
        assert Placement.objects.get().ends_on == today + timedelta(days=30)
