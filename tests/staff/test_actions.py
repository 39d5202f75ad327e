"""The staff actions (vidare.access.staff): rules, errors naming field and rule, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from vidare.access import staff
from vidare.access.models import Membership, User
from vidare.access.roles import Capability, Role

from .conftest import PASSWORD, snapshot


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def new_staff(admin, **overrides):
    data = {"username": "kim.karlsson", "first_name": "Kim", "last_name": "Karlsson",
            "email": "kim.karlsson@kommun.example", "title": "Jobbcoach",
            "phone": "031-123 45 67", "password": PASSWORD}
    data.update(overrides)
    return staff.create_staff(actor=admin, **data)


class TestCreate:
    def test_creates_an_active_account_without_roles_with_history(self, admin):
        user = new_staff(admin)
        user.refresh_from_db()
        assert user.is_active and user.check_password(PASSWORD)
        assert (user.title, user.phone) == ("Jobbcoach", "031-123 45 67")
        assert user.roles == set() and not user.can(Capability.VIEW_PARTICIPANTS)
        row = user.history.get()
        assert row.history_type == "+" and row.history_user == admin
        assert not hasattr(row, "password")  # the hash is never copied into the history

    def test_without_password_the_account_has_none_that_works(self, admin):
        user = new_staff(admin, password=None)
        assert not user.has_usable_password()

    def test_names_and_username_are_trimmed(self, admin):
        user = new_staff(admin, username="  kim  ", first_name=" Kim ")
        assert (user.username, user.first_name) == ("kim", "Kim")

    @pytest.mark.parametrize("field, value, code", [
        ("username", "", "required"),
        ("username", "kim karlsson", "invalid_characters"),
        ("username", "kim/karlsson", "invalid_characters"),
        ("username", "k" * 151, "max_length"),
        ("username", "COACH_H", "duplicate"),
        ("first_name", "  ", "required"),
        ("last_name", "", "required"),
        ("email", "not-an-address", "invalid"),
        ("email", "kim@", "invalid"),
        ("title", "t" * 101, "max_length"),
        ("phone", "0" * 31, "max_length"),
        ("password", "short", "password_too_short"),
        ("password", "123456789012345", "password_entirely_numeric"),
        ("password", "kim.karlsson1", "password_too_similar"),
    ])
    def test_bad_input_names_field_and_rule_and_saves_nothing(self, admin, field, value,
                                                              code):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            new_staff(admin, **{field: value})
        assert code in codes(exc).get(field, []), codes(exc)
        assert snapshot() == before

    def test_a_common_password_is_refused(self, admin):
        with pytest.raises(ValidationError) as exc:
            new_staff(admin, password="1qaz2wsx3edc")
        assert "password_too_common" in codes(exc)["password"]

    def test_every_field_error_at_once(self, admin):
        with pytest.raises(ValidationError) as exc:
            new_staff(admin, username="a b", first_name="", last_name="", email="x")
        assert set(codes(exc)) == {"username", "first_name", "last_name", "email"}


class TestUpdate:
    def test_changes_details_with_history(self, admin, coach):
        staff.update_staff(actor=admin, user=coach, first_name="Cornelia", title="Coach",
                           email="c@kommun.example")
        coach.refresh_from_db()
        assert (coach.first_name, coach.title) == ("Cornelia", "Coach")
        row = coach.history.latest()
        assert row.history_type == "~" and row.history_user == admin
        assert row.first_name == "Cornelia"

    def test_username_unique_ignoring_case_but_own_is_fine(self, admin, coach):
        staff.update_staff(actor=admin, user=coach, username="COACH_H")
        with pytest.raises(ValidationError) as exc:
            staff.update_staff(actor=admin, user=coach, username="Admin")
        assert codes(exc) == {"username": ["duplicate"]}

    def test_unknown_field_is_a_programming_error(self, admin, coach):
        with pytest.raises(TypeError):
            staff.update_staff(actor=admin, user=coach, is_superuser=True)


class TestActive:
    def test_deactivate_then_activate(self, admin, coach):
        staff.set_active(actor=admin, user=coach, active=False)
        coach.refresh_from_db()
        assert not coach.is_active and not coach.can(Capability.VIEW_PARTICIPANTS)
        assert coach.memberships.count() == 1  # roles are kept
        assert coach.history.latest().history_change_reason == "deactivated"
        staff.set_active(actor=admin, user=coach, active=True)
        coach.refresh_from_db()
        assert coach.can(Capability.VIEW_PARTICIPANTS)

    def test_an_administrator_cannot_deactivate_themself(self, admin):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            staff.set_active(actor=admin, user=admin, active=False)
        assert codes(exc) == {"is_active": ["own_account"]}
        assert snapshot() == before

    def test_another_administrator_can(self, admin, world):
        second = new_staff(admin)
        staff.grant_role(actor=admin, user=second, role=Role.SYSTEMADMINISTRATOR)
        staff.set_active(actor=second, user=admin, active=False)
        admin.refresh_from_db()
        assert not admin.is_active


class TestPasswordAndSecondFactor:
    def test_set_password_validated_and_recorded_without_hash(self, admin, coach):
        staff.set_password(actor=admin, user=coach, password=PASSWORD)
        coach.refresh_from_db()
        assert coach.check_password(PASSWORD)
        row = coach.history.latest()
        assert row.history_user == admin
        assert row.history_change_reason == "password set by administrator"

    @pytest.mark.parametrize("password, code", [("", "required"),
                                                ("kort", "password_too_short"),
                                                ("q1w2e3r4t5y6", "password_too_common")])
    def test_bad_password(self, admin, coach, password, code):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            staff.set_password(actor=admin, user=coach, password=password)
        assert code in codes(exc)["password"]
        assert snapshot() == before

    def test_reset_second_factor_like_otp_reset(self, admin, coach):
        TOTPDevice.objects.create(user=coach, name="app", confirmed=True)
        StaticDevice.objects.create(user=coach, name="backup")
        assert staff.reset_second_factor(actor=admin, user=coach) == 2
        assert not TOTPDevice.objects.filter(user=coach).exists()
        assert not StaticDevice.objects.filter(user=coach).exists()
        row = coach.history.latest()
        assert (row.history_user, row.history_change_reason) == (admin, "second factor reset")


class TestRoles:
    def test_grant_at_a_centre_gives_the_capability_there_with_history(self, admin, world):
        user = new_staff(admin)
        membership = staff.grant_role(actor=admin, user=user, role="jobbcoach",
                                      centre=world.hisingen)
        user = User.objects.get(pk=user.pk)
        assert user.can(Capability.ENROL, world.hisingen.pk)
        assert not user.can(Capability.ENROL, world.angered.pk)
        row = Membership.history.get(id=membership.pk)
        assert (row.history_type, row.history_user, row.role, row.centre_id) == (
            "+", admin, "jobbcoach", world.hisingen.pk)

    def test_municipality_wide_role_without_centre(self, admin, coach):
        staff.grant_role(actor=admin, user=coach, role=Role.ANALYTIKER)
        assert User.objects.get(pk=coach.pk).can(Capability.VIEW_STATISTICS)

    @pytest.mark.parametrize("role, centre, field, code", [
        ("analytiker", "hisingen", "centre", "municipality_wide"),
        ("systemadministrator", "hisingen", "centre", "municipality_wide"),
        ("socialsekreterare", "angered", "centre", "municipality_wide"),
        ("jobbcoach", None, "centre", "centre_required"),
        ("enhetschef", None, "centre", "centre_required"),
        ("jobbcoach", "hisingen", "role", "duplicate"),    # coach_h has it already
        ("superhero", None, "role", "invalid_choice"),
    ])
    def test_role_rules(self, admin, coach, world, role, centre, field, code):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            staff.grant_role(actor=admin, user=coach, role=role,
                             centre=getattr(world, centre) if centre else None)
        assert codes(exc) == {field: [code]}
        assert snapshot() == before

    def test_duplicate_municipality_wide_role(self, admin, world):
        analyst = world.users["analyst"]
        with pytest.raises(ValidationError) as exc:
            staff.grant_role(actor=admin, user=analyst, role="analytiker")
        assert codes(exc) == {"role": ["duplicate"]}

    def test_inactive_centre(self, admin, coach, world):
        world.angered.active = False
        world.angered.save()
        with pytest.raises(ValidationError) as exc:
            staff.grant_role(actor=admin, user=coach, role="jobbcoach", centre=world.angered)
        assert codes(exc) == {"centre": ["inactive_centre"]}

    def test_revoke_keeps_the_membership_in_history(self, admin, coach, world):
        membership = coach.memberships.get()
        staff.revoke_role(actor=admin, membership=membership)
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert not User.objects.get(pk=coach.pk).can(Capability.VIEW_PARTICIPANTS)
        gone = Membership.history.filter(id=membership.pk).latest()
        assert (gone.history_type, gone.history_user, gone.role, gone.centre_id) == (
            "-", admin, "jobbcoach", world.hisingen.pk)

    def test_an_administrator_cannot_revoke_their_own_last_admin_role(self, admin):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            staff.revoke_role(actor=admin, membership=admin.memberships.get())
        assert codes(exc) == {"role": ["own_last_admin_role"]}
        assert snapshot() == before

    def test_an_administrator_cannot_give_themself_a_role(self, admin, world):
        before = snapshot()
        with pytest.raises(ValidationError) as exc:
            staff.grant_role(actor=admin, user=admin, role="jobbcoach", centre=world.hisingen)
        assert codes(exc) == {"role": ["own_role"]}
        assert snapshot() == before
        assert not User.objects.get(pk=admin.pk).can(Capability.VIEW_PARTICIPANTS)

    def test_but_can_revoke_their_other_roles_and_another_admins_role(self, admin, world):
        second = new_staff(admin)
        theirs = staff.grant_role(actor=admin, user=second, role="systemadministrator")
        second = User.objects.get(pk=second.pk)
        own_coach = staff.grant_role(actor=second, user=admin, role="jobbcoach",
                                     centre=world.hisingen)
        assert Membership.history.filter(id=own_coach.pk).latest().history_user == second
        staff.revoke_role(actor=admin, membership=own_coach)
        staff.revoke_role(actor=admin, membership=theirs)
        assert not Membership.objects.filter(pk__in=[own_coach.pk, theirs.pk]).exists()


@pytest.mark.parametrize("key", ["coach_h", "chief_h", "syv_h", "broker_h", "af_h", "analyst",
                                 "social"])
def test_every_other_role_is_refused_and_nothing_changes(world, key):
    actor, coach = world.users[key], world.users["coach_a"]
    membership = coach.memberships.get()
    before = snapshot()
    calls = [
        lambda: new_staff(actor),
        lambda: staff.update_staff(actor=actor, user=coach, first_name="X"),
        lambda: staff.set_active(actor=actor, user=coach, active=False),
        lambda: staff.set_password(actor=actor, user=coach, password=PASSWORD),
        lambda: staff.reset_second_factor(actor=actor, user=coach),
        lambda: staff.grant_role(actor=actor, user=coach, role="analytiker"),
        lambda: staff.revoke_role(actor=actor, membership=membership),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot() == before


def test_a_deactivated_administrator_is_refused(admin, world):
    second = new_staff(admin)
    staff.grant_role(actor=admin, user=second, role="systemadministrator")
    staff.set_active(actor=second, user=admin, active=False)
    admin = User.objects.get(pk=admin.pk)
    with pytest.raises(PermissionDenied):
        staff.set_active(actor=admin, user=admin, active=True)


def test_a_login_writes_no_history_row(coach, client):
    from django.contrib.auth.models import update_last_login

    before = coach.history.count()
    update_last_login(None, coach)
    assert coach.history.count() == before


def test_an_administrator_whose_role_was_just_revoked_is_refused(admin, coach):
    """Two administrators acting on each other at once: the second one to run sees the
    first one's change (the actor is re-read under a lock), so one administrator remains."""
    second = new_staff(admin)
    staff.grant_role(actor=admin, user=second, role="systemadministrator")
    stale = User.objects.get(pk=second.pk)
    assert stale.can(Capability.MANAGE_USERS)  # memberships now cached on this instance
    staff.revoke_role(actor=admin, membership=second.memberships.get())
    with pytest.raises(PermissionDenied):
        staff.revoke_role(actor=stale, membership=admin.memberships.get())
    with pytest.raises(PermissionDenied):
        staff.set_active(actor=stale, user=admin, active=False)
    assert User.objects.get(pk=admin.pk).can(Capability.MANAGE_USERS)
