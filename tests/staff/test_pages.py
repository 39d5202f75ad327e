"""The system administrator's staff pages: list, add, detail, edit and the POST buttons."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from vidare.access import staff
from vidare.access.models import Membership, User

from .conftest import PASSWORD, snapshot


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def field_error(html: str, field: str) -> str:
    found = re.search(rf'id="id_{field}_error">([^<]*)<', html)
    assert found, f"no error on {field}"
    return found.group(1)


@pytest.fixture
def admin_client(as_user):
    return as_user("admin")


class TestList:
    def test_shows_everyone_with_roles_per_centre(self, admin_client):
        html = page(admin_client.get(reverse("access:staff_list")))
        for text in ("coach_h", "coach_a", "Job coach (Hisingen)", "Job coach (Angered)",
                     "System administrator (whole municipality)"):
            assert text in html

    def test_search_by_name_or_username(self, admin_client, world):
        html = page(admin_client.get(reverse("access:staff_list"), {"q": "Angered"}))
        assert "coach_a" in html and "coach_h" not in html
        html = page(admin_client.get(reverse("access:staff_list"), {"q": "broker"}))
        assert "broker_h" in html and "coach_h" not in html

    def test_filter_by_centre_role_and_active(self, admin_client, world):
        html = page(admin_client.get(reverse("access:staff_list"), {"centre": "angered"}))
        assert "coach_a" in html and "coach_h" not in html
        html = page(admin_client.get(reverse("access:staff_list"),
                                     {"role": "jobbcoach", "centre": "hisingen"}))
        assert "coach_h" in html and "coach_a" not in html and "chief_h" not in html
        staff.set_active(actor=world.users["admin"], user=world.users["syv_h"], active=False)
        assert "syv_h" not in page(admin_client.get(reverse("access:staff_list")))
        html = page(admin_client.get(reverse("access:staff_list"), {"active": "0"}))
        assert "syv_h" in html and "coach_h" not in html
        html = page(admin_client.get(reverse("access:staff_list"), {"active": "alla"}))
        assert "syv_h" in html and "coach_h" in html


class TestAdd:
    def test_adds_and_goes_to_the_new_page(self, admin_client, world):
        response = admin_client.post(reverse("access:staff_add"), {
            "username": "ny.coach", "first_name": "Ny", "last_name": "Coach",
            "email": "ny@kommun.example", "title": "", "phone": "", "password": PASSWORD})
        user = User.objects.get(username="ny.coach")
        assert response.status_code == 302
        assert response.url == reverse("access:staff_detail", args=[user.pk])
        assert user.check_password(PASSWORD)
        assert user.history.get().history_user == world.users["admin"]

    @pytest.mark.parametrize("field, value, words", [
        ("username", "ny coach", "only letters, digits"),
        ("username", "Coach_H", "already taken"),
        ("username", "", "required"),
        ("first_name", "", "required"),
        ("email", "ny@", "not a valid e-mail"),
        ("password", "kort", "too short"),
    ])
    def test_bad_input_is_shown_on_the_field_and_nothing_saved(self, admin_client, field,
                                                               value, words):
        data = {"username": "ny.coach", "first_name": "Ny", "last_name": "Coach",
                "email": "", "password": ""}
        data[field] = value
        before = snapshot()
        html = page(admin_client.post(reverse("access:staff_add"), data))
        assert words in field_error(html, field)
        assert snapshot() == before


class TestDetailAndEdit:
    def test_detail_shows_roles_history_and_forms(self, admin_client, world):
        coach = world.users["coach_h"]
        staff.grant_role(actor=world.users["admin"], user=coach, role="analytiker")
        html = page(admin_client.get(reverse("access:staff_detail", args=[coach.pk])))
        assert "Job coach" in html and "Analyst" in html
        assert "Role given" in html and "Admin Kommunen" in html
        assert reverse("access:staff_role_revoke", args=[coach.memberships.first().pk]) in html
        assert reverse("access:staff_role_grant", args=[coach.pk]) in html
        assert "Deactivate the account" in html

    def test_no_deactivate_button_on_the_own_page(self, admin_client, world):
        html = page(admin_client.get(reverse("access:staff_detail",
                                             args=[world.users["admin"].pk])))
        assert "Deactivate the account" not in html

    def test_unknown_member_is_404(self, admin_client):
        assert admin_client.get(reverse("access:staff_detail", args=[99999])).status_code == 404

    def test_edit(self, admin_client, world):
        coach = world.users["coach_h"]
        url = reverse("access:staff_edit", args=[coach.pk])
        assert 'value="coach_h"' in page(admin_client.get(url))
        response = admin_client.post(url, {"username": "coach_h", "first_name": "Carin",
                                           "last_name": "Hisingen", "email": "", "title":
                                           "Senior coach", "phone": ""})
        assert response.status_code == 302
        coach.refresh_from_db()
        assert (coach.first_name, coach.title) == ("Carin", "Senior coach")

    def test_edit_duplicate_username(self, admin_client, world):
        coach = world.users["coach_h"]
        before = snapshot()
        html = page(admin_client.post(reverse("access:staff_edit", args=[coach.pk]),
                                      {"username": "CHIEF_H", "first_name": "C",
                                       "last_name": "H"}))
        assert "already taken" in field_error(html, "username")
        assert snapshot() == before


class TestButtons:
    def test_grant_and_revoke(self, admin_client, world):
        coach = world.users["coach_h"]
        response = admin_client.post(reverse("access:staff_role_grant", args=[coach.pk]),
                                     {"role": "enhetschef", "centre": "angered"})
        assert response.status_code == 302
        membership = coach.memberships.get(role="enhetschef")
        assert membership.centre == world.angered
        response = admin_client.post(reverse("access:staff_role_revoke",
                                             args=[membership.pk]), follow=True)
        assert "no longer has the role" in page(response)
        assert not Membership.objects.filter(pk=membership.pk).exists()

    @pytest.mark.parametrize("data, field, words", [
        ({"role": "jobbcoach", "centre": ""}, "centre", "held at a centre"),
        ({"role": "analytiker", "centre": "hisingen"}, "centre", "municipality-wide"),
        ({"role": "jobbcoach", "centre": "hisingen"}, "role", "already has"),
        ({"role": "kung", "centre": ""}, "role", "valid choice"),
        ({"role": "jobbcoach", "centre": "finns-ej"}, "centre", "valid choice"),
    ])
    def test_grant_errors_on_the_field(self, admin_client, world, data, field, words):
        before = snapshot()
        html = page(admin_client.post(reverse("access:staff_role_grant",
                                              args=[world.users["coach_h"].pk]), data))
        assert words in field_error(html, field)
        assert snapshot() == before

    def test_an_inactive_centre_is_not_offered(self, admin_client, world):
        world.angered.active = False
        world.angered.save()
        url = reverse("access:staff_role_grant", args=[world.users["coach_h"].pk])
        html = page(admin_client.get(url))
        assert 'value="angered"' not in html and 'value="hisingen"' in html

    def test_own_last_admin_role_cannot_be_revoked(self, admin_client, world):
        admin = world.users["admin"]
        membership = admin.memberships.get()
        html = page(admin_client.post(reverse("access:staff_role_revoke",
                                              args=[membership.pk]), follow=True))
        assert "cannot revoke your own system-administrator role" in html
        assert Membership.objects.filter(pk=membership.pk).exists()

    def test_deactivate_and_activate(self, admin_client, world):
        coach = world.users["coach_h"]
        url = reverse("access:staff_set_active", args=[coach.pk])
        assert admin_client.get(url).status_code == 405
        admin_client.post(url, {"active": "0"})
        coach.refresh_from_db()
        assert not coach.is_active
        admin_client.post(url, {"active": "1"})
        coach.refresh_from_db()
        assert coach.is_active

    def test_a_deactivated_member_is_logged_out(self, admin_client, as_user, world):
        coach_client = as_user("coach_h")
        assert coach_client.get(reverse("enrolments:caseload")).status_code == 200
        admin_client.post(reverse("access:staff_set_active", args=[world.users["coach_h"].pk]),
                          {"active": "0"})
        response = coach_client.get(reverse("enrolments:caseload"))
        assert response.status_code == 302 and "/logga-in/" in response.url

    def test_cannot_deactivate_oneself(self, admin_client, world):
        admin = world.users["admin"]
        html = page(admin_client.post(reverse("access:staff_set_active", args=[admin.pk]),
                                      {"active": "0"}, follow=True))
        assert "cannot deactivate your own account" in html
        admin.refresh_from_db()
        assert admin.is_active

    def test_reset_second_factor(self, admin_client, world):
        coach = world.users["coach_h"]
        TOTPDevice.objects.create(user=coach, name="app", confirmed=True)
        url = reverse("access:staff_reset_second_factor", args=[coach.pk])
        assert admin_client.get(url).status_code == 405
        assert admin_client.post(url).status_code == 302
        assert not TOTPDevice.objects.filter(user=coach).exists()

    def test_set_password(self, admin_client, world):
        coach = world.users["coach_h"]
        url = reverse("access:staff_password", args=[coach.pk])
        response = admin_client.post(url, {"password": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 302
        coach.refresh_from_db()
        assert coach.check_password(PASSWORD)

    @pytest.mark.parametrize("password, password2, field, words", [
        ("kort", "kort", "password", "too short"),
        (PASSWORD, PASSWORD + "x", "password2", "not the same"),
        ("", "", "password", "required"),
    ])
    def test_bad_password(self, admin_client, world, password, password2, field, words):
        before = snapshot()
        html = page(admin_client.post(reverse("access:staff_password",
                                              args=[world.users["coach_h"].pk]),
                                      {"password": password, "password2": password2}))
        assert words in field_error(html, field)
        assert snapshot() == before

    def test_csrf_is_required(self, world):
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["admin"])
        coach = world.users["coach_h"]
        response = client.post(reverse("access:staff_set_active", args=[coach.pk]),
                               {"active": "0"})
        assert response.status_code == 403
        coach.refresh_from_db()
        assert coach.is_active


@pytest.mark.parametrize("key", ["coach_h", "chief_h", "syv_h", "broker_h", "af_h", "analyst",
                                 "social"])
def test_every_other_role_gets_403_and_nothing_changes(as_user, world, key):
    client = as_user(key)
    target = world.users["coach_a"]
    membership = target.memberships.get()
    before = snapshot()
    gets = [reverse("access:staff_list"), reverse("access:staff_add"),
            reverse("access:staff_detail", args=[target.pk]),
            reverse("access:staff_edit", args=[target.pk]),
            reverse("access:staff_role_grant", args=[target.pk]),
            reverse("access:staff_password", args=[target.pk])]
    for url in gets:
        assert client.get(url).status_code == 403, url
    posts = [
        (reverse("access:staff_add"), {"username": "x", "first_name": "x", "last_name": "x"}),
        (reverse("access:staff_edit", args=[target.pk]),
         {"username": "x", "first_name": "x", "last_name": "x"}),
        (reverse("access:staff_set_active", args=[target.pk]), {"active": "0"}),
        (reverse("access:staff_password", args=[target.pk]),
         {"password": PASSWORD, "password2": PASSWORD}),
        (reverse("access:staff_reset_second_factor", args=[target.pk]), {}),
        (reverse("access:staff_role_grant", args=[target.pk]), {"role": "analytiker"}),
        (reverse("access:staff_role_revoke", args=[membership.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_the_pages_hold_no_participant_data(admin_client, world):
    world.register(first_name="Deltagar", last_name="Hemligsson")
    for url in (reverse("access:staff_list"),
                reverse("access:staff_detail", args=[world.users["coach_h"].pk])):
        assert "Hemligsson" not in page(admin_client.get(url))
