"""A password an administrator sets is temporary: its holder changes it before anything else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vidare.access import staff
from vidare.access.models import User

pytestmark = pytest.mark.django_db

TEMPORARY = "Tillfalligt-losen-2026"
OWN = "Mitt-eget-hemliga-2026"


def test_a_temporary_password_must_be_changed_first(world, client):
    admin, coach = world.users["admin"], world.users["coach_h"]
    staff.set_password(actor=admin, user=coach, password=TEMPORARY)
    coach = User.objects.get(pk=coach.pk)
    assert coach.password_change_required
    client.force_login(coach)
    change = reverse("access:password_change")
    for url in (reverse("enrolments:caseload"), reverse("people:participant_list"), "/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, change), url
    api = client.get("/api/v1/participants/")
    assert api.status_code == 403
    assert api.json()["errors"][0]["code"] == "password_change_required"
    page = client.get(change)
    assert page.status_code == 200 and "temporary password" in page.content.decode()
    logout = client.post(reverse("access:logout"))      # logging out stays possible
    assert logout.status_code == 302 and logout["Location"] != change

    client.force_login(coach)
    response = client.post(change, {"old_password": TEMPORARY, "new_password1": OWN,
                                    "new_password2": OWN})
    assert response.status_code == 302
    coach = User.objects.get(pk=coach.pk)
    assert not coach.password_change_required and coach.check_password(OWN)
    assert client.get(reverse("enrolments:caseload")).status_code == 200


def test_a_refused_new_password_keeps_the_requirement(world, client):
    coach = world.users["coach_h"]
    staff.set_password(actor=world.users["admin"], user=coach, password=TEMPORARY)
    client.force_login(User.objects.get(pk=coach.pk))
    response = client.post(reverse("access:password_change"), {
        "old_password": TEMPORARY, "new_password1": "kort", "new_password2": "kort"})
    assert response.status_code == 200 and "new_password2" in response.context["form"].errors
    assert User.objects.get(pk=coach.pk).password_change_required


def test_new_accounts_from_the_web_get_a_temporary_password_the_command_line_not(world):
    admin = world.users["admin"]
    web = staff.create_staff(actor=admin, username="ny.web", first_name="Ny", last_name="Web",
                             password=TEMPORARY)
    assert User.objects.get(pk=web.pk).password_change_required
    cli = staff.create_staff(actor=None, username="ny.cli", first_name="Ny", last_name="Cli",
                             password=TEMPORARY)
    assert not User.objects.get(pk=cli.pk).password_change_required
    none = staff.create_staff(actor=admin, username="ny.idp", first_name="Ny", last_name="Idp")
    assert not User.objects.get(pk=none.pk).password_change_required
