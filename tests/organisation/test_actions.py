"""The organisation actions: rules with their field and code, nothing half saved, history
attributed to the actor, and only the system administrator (or the command line) may write."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vidare.codelists.models import Municipality
from vidare.enrolments.models import Enrolment
from vidare.organisation import actions
from vidare.organisation.models import Centre, Programme, TargetGroup

from .conftest import OTHER_ROLES, snapshot


def rule(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    """{field: [rule codes]} of a raised ValidationError."""
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


# --- centres -----------------------------------------------------------------------------------


class TestCentre:
    def test_create_and_change_with_history(self, world, admin):
        municipality = Municipality.objects.order_by("code").first()
        centre = actions.save_centre(actor=admin, code=" Lundby-Norra ",
                                     name="  Lundby   norra ", municipality=municipality,
                                     address=" Lundbygatan 1 ")
        centre.refresh_from_db()
        assert (centre.code, centre.name, centre.address, centre.active) == (
            "lundby-norra", "Lundby norra", "Lundbygatan 1", True)
        assert centre.municipality == municipality
        actions.save_centre(actor=admin, centre=centre, address="Lundbygatan 3")
        rows = list(centre.history.order_by("history_id"))
        assert [r.history_type for r in rows] == ["+", "~"]
        assert all(r.history_user == admin for r in rows)
        assert rows[-1].address == "Lundbygatan 3" and rows[0].address == "Lundbygatan 1"

    @pytest.mark.parametrize("data, field, code", [
        ({"code": "lundby norra"}, "code", "invalid"),
        ({"code": "lundby/norra"}, "code", "invalid"),
        ({"code": ""}, "code", "blank"),
        ({"code": "HISINGEN"}, "code", "duplicate"),
        ({"name": ""}, "name", "blank"),
        ({"name": "hisingen"}, "name", "duplicate"),
        ({"name": "x" * 101}, "name", "max_length"),
        ({"address": "x" * 201}, "address", "max_length"),
    ])
    def test_bad_input_names_field_and_rule_and_saves_nothing(self, world, admin, data, field,
                                                              code):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.save_centre(actor=admin, **{"code": "lundby", "name": "Lundby", **data})
        assert code in rule(exc)[field]
        assert snapshot() == before

    def test_a_change_keeps_its_own_code_and_name(self, world, admin):
        actions.save_centre(actor=admin, centre=world.hisingen, code="hisingen",
                            name="Hisingen", address="Ny adress")
        assert Centre.objects.get(pk=world.hisingen.pk).address == "Ny adress"

    def test_renaming_to_another_centres_name_is_refused(self, world, admin):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.save_centre(actor=admin, centre=world.hisingen, name="ANGERED",
                                code="angered")
        assert rule(exc) == {"code": ["duplicate"], "name": ["duplicate"]}
        assert snapshot() == before

    def test_open_enrolments_keep_a_centre_active(self, world, admin, busy):
        second = world.enrol(world.register(first_name="Paus", last_name="Pausad"))
        Enrolment.objects.filter(pk=second.pk).update(status="paused")
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.set_centre_active(actor=admin, centre=world.hisingen, active=False)
        assert rule(exc) == {"active": ["open_enrolments"]}
        assert "2 open enrolments" in exc.value.messages[0]
        assert snapshot() == before
        # Other changes to a busy centre are fine, as long as it stays active.
        actions.save_centre(actor=admin, centre=Centre.objects.get(pk=world.hisingen.pk),
                            address="Hisingsgatan 2")

    def test_deactivate_when_every_enrolment_is_exited_then_reactivate(self, world, admin,
                                                                      busy):
        Enrolment.objects.filter(pk=busy.pk).update(status="exited")
        centre = actions.set_centre_active(actor=admin, centre=world.hisingen, active=False)
        assert not Centre.objects.get(pk=centre.pk).active
        actions.set_centre_active(actor=admin, centre=centre, active=True)
        assert Centre.objects.get(pk=centre.pk).active
        assert [r.active for r in centre.history.order_by("history_id")][-2:] == [False, True]

    def test_an_inactive_centre_with_old_open_enrolments_can_still_be_edited(self, world,
                                                                            admin, busy):
        Centre.objects.filter(pk=world.hisingen.pk).update(active=False)
        centre = Centre.objects.get(pk=world.hisingen.pk)
        actions.save_centre(actor=admin, centre=centre, address="Kvar")
        assert Centre.objects.get(pk=centre.pk).address == "Kvar"

    @pytest.mark.parametrize("key", OTHER_ROLES)
    def test_only_the_system_administrator(self, world, key):
        before = snapshot()
        with pytest.raises(PermissionDenied):
            actions.save_centre(actor=world.users[key], code="ny", name="Ny")
        with pytest.raises(PermissionDenied):
            actions.set_centre_active(actor=world.users[key], centre=world.angered,
                                      active=False)
        assert snapshot() == before

    def test_the_command_line_writes_unattributed(self, world):
        centre = actions.save_centre(actor=None, code="cli", name="Från kommandoraden")
        assert centre.history.get().history_user is None

    def test_unknown_fields_are_a_programming_error(self, world, admin):
        with pytest.raises(TypeError):
            actions.save_centre(actor=admin, code="x", name="X", colour="red")


# --- target groups -----------------------------------------------------------------------------


class TestTargetGroup:
    def test_create_special_category_and_change(self, world, admin):
        group = actions.save_target_group(actor=admin, code="Sjukskrivna", name="Sjukskrivna",
                                          description=" Långvarigt sjukskrivna ",
                                          special_category=True)
        group.refresh_from_db()
        assert (group.code, group.description, group.special_category) == (
            "sjukskrivna", "Långvarigt sjukskrivna", True)
        actions.save_target_group(actor=admin, group=group, special_category=False)
        rows = list(group.history.order_by("history_id"))
        assert [(r.history_type, r.special_category, r.history_user) for r in rows] == [
            ("+", True, admin), ("~", False, admin)]

    @pytest.mark.parametrize("data, field, code", [
        ({"code": "unga vuxna"}, "code", "invalid"),
        ({"code": ""}, "code", "blank"),
        ({"code": "x" * 41}, "code", "max_length"),
        ({"code": "Forsorjningsstod"}, "code", "duplicate"),
        ({"name": ""}, "name", "blank"),
        ({"name": "försörjningsstöd"}, "name", "duplicate"),
        ({"name": "x" * 101}, "name", "max_length"),
    ])
    def test_bad_input_names_field_and_rule_and_saves_nothing(self, world, admin, data, field,
                                                              code):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.save_target_group(actor=admin,
                                      **{"code": "unga", "name": "Unga vuxna", **data})
        assert code in rule(exc)[field]
        assert snapshot() == before

    def test_the_code_of_a_group_in_use_cannot_change(self, world, admin, busy):
        group = world.tg["forsorjningsstod"]
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.save_target_group(actor=admin, group=group, code="fsb")
        assert rule(exc) == {"code": ["in_use"]}
        assert "1 enrolments, 1 programmes" in exc.value.messages[0]
        assert snapshot() == before
        # Its name, description and flag can.
        actions.save_target_group(actor=admin, group=TargetGroup.objects.get(pk=group.pk),
                                  code="forsorjningsstod", name="Ekonomiskt bistånd")
        assert TargetGroup.objects.get(pk=group.pk).name == "Ekonomiskt bistånd"

    def test_a_group_only_a_programme_uses_is_in_use_too(self, world, admin):
        with pytest.raises(ValidationError) as exc:
            actions.save_target_group(actor=admin, group=world.tg["funktionsnedsattning"],
                                      code="fn")
        assert "0 enrolments, 1 programmes" in exc.value.messages[0]

    def test_the_code_of_an_unused_group_can_change(self, world, admin):
        group = actions.save_target_group(actor=admin, code="unga", name="Unga vuxna")
        actions.save_target_group(actor=admin, group=group, code="unga-vuxna")
        assert TargetGroup.objects.get(pk=group.pk).code == "unga-vuxna"

    @pytest.mark.parametrize("key", OTHER_ROLES)
    def test_only_the_system_administrator(self, world, key):
        before = snapshot()
        with pytest.raises(PermissionDenied):
            actions.save_target_group(actor=world.users[key], code="ny", name="Ny")
        with pytest.raises(PermissionDenied):
            actions.save_target_group(actor=world.users[key],
                                      group=world.tg["kort_utbildning"],
                                      special_category=True)
        assert snapshot() == before


# --- programmes --------------------------------------------------------------------------------


def programme_data(world, **changes):
    return {"code": "resurs-unga", "name": "Resursjobb Unga", "description": "",
            "min_age": 18, "max_age": 29, "max_length_months": 12,
            "centres": [world.hisingen], "target_groups": [world.tg["funktionsnedsattning"]],
            **changes}


class TestProgramme:
    def test_create_with_centres_and_groups_then_change(self, world, admin):
        programme = actions.save_programme(actor=admin, **programme_data(
            world, centres=[world.hisingen, world.angered]))
        programme.refresh_from_db()
        assert set(programme.centres.all()) == {world.hisingen, world.angered}
        assert list(programme.target_groups.all()) == [world.tg["funktionsnedsattning"]]
        assert programme.age_band == "18–29" and programme.active
        latest = programme.history.latest()
        assert latest.history_user == admin
        assert {r.centre_id for r in latest.centres.all()} == {world.hisingen.pk,
                                                              world.angered.pk}
        assert [r.targetgroup_id for r in latest.target_groups.all()] == [
            world.tg["funktionsnedsattning"].pk]
        # A change that leaves centres and groups out keeps them.
        actions.save_programme(actor=admin, programme=programme, max_length_months=24)
        programme.refresh_from_db()
        assert programme.max_length_months == 24 and programme.centres.count() == 2
        # Open to everyone: no target group.
        actions.save_programme(actor=admin, programme=programme, target_groups=[],
                               centres=[world.angered])
        latest = programme.history.latest()
        assert latest.history_user == admin
        assert list(latest.target_groups.all()) == []
        assert [r.centre_id for r in latest.centres.all()] == [world.angered.pk]
        assert all(r.history_user == admin for r in programme.history.all())

    @pytest.mark.parametrize("changes, field, code", [
        ({"code": "resurs unga"}, "code", "invalid"),
        ({"code": ""}, "code", "blank"),
        ({"code": "JOBBTORG"}, "code", "duplicate"),
        ({"name": ""}, "name", "blank"),
        ({"name": "jobbtorg unga"}, "name", "duplicate"),
        ({"min_age": 14}, "min_age", "min_value"),
        ({"min_age": 101, "max_age": 101}, "min_age", "max_value"),
        ({"max_age": 14, "min_age": 15}, "max_age", "min_value"),
        ({"max_age": 101}, "max_age", "max_value"),
        ({"min_age": 30, "max_age": 29}, "max_age", "age_band"),
        ({"max_length_months": 0}, "max_length_months", "min_value"),
        ({"max_length_months": 121}, "max_length_months", "max_value"),
        ({"centres": []}, "centres", "required"),
    ])
    def test_bad_input_names_field_and_rule_and_saves_nothing(self, world, admin, changes,
                                                              field, code):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.save_programme(actor=admin, **programme_data(world, **changes))
        assert code in rule(exc)[field], rule(exc)
        assert snapshot() == before

    def test_a_new_programme_needs_centres_even_when_left_out(self, world, admin):
        data = programme_data(world)
        del data["centres"]
        with pytest.raises(ValidationError) as exc:
            actions.save_programme(actor=admin, **data)
        assert rule(exc) == {"centres": ["required"]}

    def test_every_error_at_once(self, world, admin):
        with pytest.raises(ValidationError) as exc:
            actions.save_programme(actor=admin, **programme_data(
                world, code="Jobbtorg", min_age=40, max_age=20, max_length_months=0,
                centres=[]))
        assert rule(exc) == {"code": ["duplicate"], "max_age": ["age_band"],
                             "max_length_months": ["min_value"], "centres": ["required"]}

    def test_a_centre_with_open_enrolments_stays_in_the_programme(self, world, admin, busy):
        offered = list(world.jobbtorg.centres.all())
        assert world.hisingen in offered and len(offered) > 1
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.save_programme(actor=admin, programme=world.jobbtorg,
                                   centres=[c for c in offered if c != world.hisingen])
        assert rule(exc) == {"centres": ["open_enrolments"]}
        assert "Hisingen (1)" in exc.value.messages[0]
        assert snapshot() == before
        Enrolment.objects.filter(pk=busy.pk).update(status="exited")
        actions.save_programme(actor=admin, programme=world.jobbtorg,
                               centres=[c for c in offered if c != world.hisingen])
        assert world.hisingen not in world.jobbtorg.centres.all()

    def test_a_failed_change_leaves_centres_and_groups(self, world, admin):
        before = snapshot()
        with pytest.raises(ValidationError):
            actions.save_programme(actor=admin, programme=world.jobbtorg, max_age=10,
                                   centres=[world.angered], target_groups=[])
        assert snapshot() == before

    def test_open_enrolments_keep_a_programme_active(self, world, admin, busy):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            actions.set_programme_active(actor=admin, programme=world.jobbtorg, active=False)
        assert rule(exc) == {"active": ["open_enrolments"]}
        assert "1 open enrolment " in exc.value.messages[0]
        assert snapshot() == before
        Enrolment.objects.filter(pk=busy.pk).update(status="exited")
        actions.set_programme_active(actor=admin, programme=world.jobbtorg, active=False)
        assert not Programme.objects.get(pk=world.jobbtorg.pk).active
        assert world.jobbtorg.history.latest().history_user == admin

    @pytest.mark.parametrize("key", OTHER_ROLES)
    def test_only_the_system_administrator(self, world, key):
        before = snapshot()
        with pytest.raises(PermissionDenied):
            actions.save_programme(actor=world.users[key], **programme_data(world))
        with pytest.raises(PermissionDenied):
            actions.set_programme_active(actor=world.users[key], programme=world.resurs,
                                         active=False)
        assert snapshot() == before
