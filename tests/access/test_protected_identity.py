"""Protected identity (skyddade personuppgifter): address and contact details only for the
staff named for the person; the person is left out of lists and searches for everyone else,
but stays in the responsible coach's caseload."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from vidare.access.models import AccessLogEntry, Membership, User
from vidare.people import actions
from vidare.people.models import Participant

ADDRESS, PHONE, EMAIL = "Skyddsgatan 7", "0709998877", "skyddad@example.org"
CONTACT = (ADDRESS, PHONE, EMAIL)


@pytest.fixture
def coach2(world):
    """A second job coach at Hisingen, not named for the person."""
    user = User.objects.create_user(username="coach_h2", first_name="Coach2",
                                    last_name="Hisingen")
    Membership.objects.create(user=user, role="jobbcoach", centre=world.hisingen)
    return user


@pytest.fixture
def person(world, coach2):
    """Registered by coach_h (who is named by that), enrolled with coach2 responsible."""
    p = world.register(first_name="Skyddad", last_name="Personsson", protected_identity=True,
                       address=ADDRESS, postal_code="41101", city="Göteborg", phone=PHONE,
                       email=EMAIL)
    world.enrol(p, responsible=coach2)
    return p


def client(user):
    c = Client()
    c.force_login(user)
    return c


def listed(c, p, **params):
    page = c.get(reverse("people:participant_list"), params).content.decode()
    return reverse("people:participant_detail", args=[p.pk]) in page


def api_listed(c, p, **params):
    rows = c.get("/api/v1/participants/", params).json()["results"]
    return p.pk in {r["id"] for r in rows}


def world_day(p):
    return p.enrolments.get().start_date


def test_the_registrar_is_named(world, person):
    assert list(person.protected_identity_staff.all()) == [world.users["coach_h"]]
    # Marking a known person as protected names whoever does it; later edits name nobody.
    other = world.register()
    actions.update_participant(actor=world.users["chief_h"], participant=other,
                               protected_identity=True)
    actions.update_participant(actor=world.users["coach_h"], participant=other, city="Kungälv")
    assert list(other.protected_identity_staff.all()) == [world.users["chief_h"]]


def test_only_named_staff_find_the_person(world, person, coach2):
    named, other = client(world.users["coach_h"]), client(coach2)
    for c, expected in [(named, True), (other, False), (client(world.users["chief_h"]), False)]:
        assert listed(c, person) is expected
        assert listed(c, person, q="Personsson") is expected
        assert listed(c, person, q=person.identity_number) is expected
        assert api_listed(c, person) is expected
        assert api_listed(c, person, q="Personsson") is expected
    actions.create_referral(actor=world.users["coach_h"], participant=person,
                            source="egen", centre=world.hisingen, referred_on=world_day(person))
    referrals = reverse("people:referral_list")
    assert person.last_name not in other.get(referrals).content.decode()
    assert person.last_name in named.get(referrals).content.decode()


def test_contact_details_only_for_named_staff(world, person, coach2):
    detail = reverse("people:participant_detail", args=[person.pk])
    history = reverse("people:participant_history", args=[person.pk])
    api = f"/api/v1/participants/{person.pk}/"
    named, other = client(world.users["coach_h"]), client(coach2)

    html = named.get(detail).content.decode()
    assert all(v in html for v in CONTACT)
    assert named.get(api).json()["address"] == ADDRESS

    # Others on the team reach the record by its id (the caseload links it) but never the
    # contact details: not on the page, the edit form, the history, or in the API.
    for url in (detail, reverse("people:participant_edit", args=[person.pk]), history):
        response = other.get(url)
        assert response.status_code == 200, url
        assert not [v for v in CONTACT if v in response.content.decode()], url
    data = other.get(api).json()
    assert not {"address", "postal_code", "city", "phone", "email"} & set(data)
    assert "Skyddade personuppgifter" in other.get(detail).content.decode()


def test_the_person_stays_in_the_responsible_coachs_caseload(world, person, coach2):
    html = client(coach2).get(reverse("enrolments:caseload")).content.decode()
    assert person.last_name in html
    assert reverse("people:participant_detail", args=[person.pk]) in html
    assert not [v for v in CONTACT if v in html]


def test_those_not_named_change_nothing_they_cannot_see(world, person, coach2):
    form = client(coach2).get(reverse("people:participant_edit", args=[person.pk]))
    assert "address" not in form.context["form"].fields
    response = client(coach2).post(reverse("people:participant_edit", args=[person.pk]), {
        "first_name": "Skyddad", "last_name": "Personsson", "gender": "annat",
        "protected_identity": "on", "adults_in_household": 2, "children_in_household": 0,
        "birth_region": "okand", "address": "Ny gata 1"})
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert (person.address, person.adults_in_household) == (ADDRESS, 2)

    c = Client()
    c.force_login(coach2)
    response = c.generic("PATCH", f"/api/v1/participants/{person.pk}/",
                         '{"address": "Ny gata 1", "children_in_household": 1}',
                         content_type="application/json")
    assert response.status_code == 200 and "address" not in response.json()
    person.refresh_from_db()
    assert (person.address, person.children_in_household) == (ADDRESS, 1)


def test_named_staff_and_the_unit_manager_name_others(world, person, coach2):
    url = reverse("people:participant_edit", args=[person.pk])
    assert "protected_identity_staff" not in client(coach2).get(url).context["form"].fields
    chief = client(world.users["chief_h"])
    field = chief.get(url).context["form"].fields["protected_identity_staff"]
    # Only the case roles at the person's centre can be named.
    assert set(field.queryset) == {world.users[k] for k in
                                   ("coach_h", "chief_h", "syv_h", "broker_h", "af_h")} | {coach2}
    response = chief.post(url, {
        "first_name": "Skyddad", "last_name": "Personsson", "gender": "annat",
        "protected_identity": "on", "adults_in_household": 1, "children_in_household": 0,
        "birth_region": "okand",
        "protected_identity_staff": [world.users["coach_h"].pk, coach2.pk]})
    assert response.status_code == 302, response.context["form"].errors
    assert set(person.protected_identity_staff.all()) == {world.users["coach_h"], coach2}
    assert listed(client(coach2), person)
    # The unit manager, not named, still does not see the contact details.
    html = chief.get(reverse("people:participant_detail", args=[person.pk])).content.decode()
    assert ADDRESS not in html


def test_naming_rules(world, person, coach2):
    with pytest.raises(actions.PermissionDenied):
        actions.set_protected_identity_staff(actor=coach2, participant=person, staff=[coach2])
    with pytest.raises(actions.ValidationError) as exc:
        actions.set_protected_identity_staff(actor=world.users["coach_h"], participant=person,
                                             staff=[world.users["coach_a"]])
    assert exc.value.error_dict["protected_identity_staff"][0].code == "not_at_centre"
    open_person = world.register()
    with pytest.raises(actions.ValidationError) as exc:
        actions.set_protected_identity_staff(actor=world.users["chief_h"],
                                             participant=open_person, staff=[coach2])
    assert exc.value.error_dict["protected_identity_staff"][0].code == "not_protected"
    assert list(person.protected_identity_staff.all()) == [world.users["coach_h"]]


def test_another_centre_cannot_reach_the_naming(world, person):
    response = client(world.users["coach_a"]).get(
        reverse("people:participant_edit", args=[person.pk]))
    assert response.status_code == 404
    refused = AccessLogEntry.objects.get(user=world.users["coach_a"])
    assert (refused.participant, refused.allowed) == (person, False)
    assert Participant.objects.get(pk=person.pk).protected_identity_staff.count() == 1
