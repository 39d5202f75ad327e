"""Special-category data (adaptations, barriers, region of birth) reaches only users with
VIEW_SPECIAL_CATEGORY at the person's centre: in pages, the API and exports.

The matrix walk (test_matrix.py) checks every page and operation for leaks; these tests
prove the markers do reach those who may see them (so that check can fail), and look at
the exports and the access-log flag."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vidare.access.matrix import Relation
from vidare.access.models import AccessLogEntry, Membership
from vidare.access.roles import Role
from vidare.core.testing import (
    ADAPTATION_MARKER,
    BARRIER_MARKER,
    SPECIAL_KEYS,
    SPECIAL_TEXTS,
    MatrixWalker,
    build_matrix_world,
    json_keys,
    make_user,
)

WITH = [Role.JOBBCOACH, Role.ENHETSCHEF, Role.SYV]
WITHOUT = [Role.JOBBMAKLARE, Role.ARBETSFORMEDLARE]


@pytest.fixture
def world(db):
    return build_matrix_world()


@pytest.fixture
def client_for(world):
    walker = MatrixWalker(world)
    return lambda role: walker.client(world.user(role))


def pages(world):
    case = world.cases[Relation.OWN]
    return {
        "participant": reverse("people:participant_detail", args=[case.participant.pk]),
        "assessment": reverse("assessments:assessment_detail", args=[case.assessment.pk]),
        "assessments": reverse("assessments:assessment_list", args=[case.participant.pk]),
        "history": reverse("people:participant_history", args=[case.participant.pk]),
        "api_participant": f"/api/v1/participants/{case.participant.pk}/",
        "api_assessment": f"/api/v1/assessments/{case.assessment.pk}/",
        "api_assessments": "/api/v1/assessments/",
    }


@pytest.mark.parametrize("role", WITH, ids=[r.value for r in WITH])
def test_roles_with_the_capability_see_the_special_category(world, client_for, role):
    client, urls = client_for(role), pages(world)
    html = client.get(urls["participant"]).content.decode()
    assert ADAPTATION_MARKER in html and BARRIER_MARKER in html and "Oceania" in html
    html = client.get(urls["assessment"]).content.decode()
    assert ADAPTATION_MARKER in html and BARRIER_MARKER in html
    assert client.get(urls["api_participant"]).json()["birth_region"] == "oceanien"
    data = client.get(urls["api_assessment"]).json()
    assert (data["adaptations_needed"], data["barriers_note"], data["barriers"]) == (
        ADAPTATION_MARKER, BARRIER_MARKER, ["halsa"])
    flags = set(AccessLogEntry.objects.filter(user=world.user(role))
                .values_list("what", "special_category_shown"))
    assert ("participant_detail", True) in flags and ("api:assessment", True) in flags


@pytest.mark.parametrize("role", WITHOUT, ids=[r.value for r in WITHOUT])
def test_roles_without_it_see_none_of_it_anywhere(world, client_for, role):
    client = client_for(role)
    for name, url in pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        content = response.content.decode()
        assert not [t for t in SPECIAL_TEXTS if t in content], name
        if name.startswith("api_"):
            assert not SPECIAL_KEYS & set(json_keys(response.json())), name
    assert not AccessLogEntry.objects.filter(user=world.user(role),
                                             special_category_shown=True).exists()
    assert AccessLogEntry.objects.filter(user=world.user(role), allowed=True).exists()


def test_the_capability_is_per_centre(world):
    """A study counsellor at another centre, to which the person is also referred, sees the
    person but not the special category recorded at the first centre."""
    from vidare.people.actions import create_referral

    case = world.cases[Relation.OWN]
    create_referral(actor=world.user(Role.SOCIALSEKRETERARE), participant=case.participant,
                    source="socialtjanst", centre=world.other_centre, referred_on=world.today)
    syv = make_user("m-syv-other", (Role.SYV, world.other_centre))
    client = MatrixWalker(world).client(syv)
    html = client.get(reverse("assessments:assessment_detail",
                              args=[case.assessment.pk])).content.decode()
    assert case.participant.last_name in html
    assert ADAPTATION_MARKER not in html and BARRIER_MARKER not in html
    data = client.get(f"/api/v1/assessments/{case.assessment.pk}/").json()
    assert not SPECIAL_KEYS & set(data)
    # Given the same role at the first centre too, the counsellor sees it.
    Membership.objects.create(user=syv, role=Role.SYV, centre=world.own_centre)
    data = MatrixWalker(world).client(_reloaded(syv)).get(
        f"/api/v1/assessments/{case.assessment.pk}/").json()
    assert data["adaptations_needed"] == ADAPTATION_MARKER


@pytest.mark.parametrize("role", [Role.JOBBCOACH, Role.SOCIALSEKRETERARE])
def test_the_attendance_report_export_holds_no_special_category(world, client_for, role):
    """The CSV goes to the social services: never special-category data, whoever makes it."""
    case = world.cases[Relation.OWN]
    start = (world.today.replace(day=1).replace(year=world.today.year - 1)).isoformat()
    response = client_for(role).get(
        reverse("plans:attendance_report", args=[case.participant.pk]),
        {"from": start, "to": world.today.isoformat(), "format": "csv"})
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert case.intervention.title in content  # the report is not empty
    assert not [t for t in SPECIAL_TEXTS if t in content]
    log = AccessLogEntry.objects.get(user=world.user(role))
    assert (log.channel, log.special_category_shown) == ("export", False)


def test_lists_export_no_special_category(world, client_for):
    """The API participant list (the bulk export) carries no region of birth, even for a
    role that may see it on the person's page."""
    rows = client_for(Role.JOBBCOACH).get("/api/v1/participants/").json()["results"]
    assert rows and not SPECIAL_KEYS & set(json_keys(rows))


def _reloaded(user):
    return type(user).objects.get(pk=user.pk)
