"""Target groups that reveal health, disability or origin (TargetGroup.special_category) reach
only users with VIEW_SPECIAL_CATEGORY at the enrolment's centre: in the API's list and detail
and in the participant's history. Other target groups stay visible to everyone in the team.

Every "not shown" assertion has a twin that shows the same data reaching a role with the
capability, so removing the masking makes these tests fail rather than pass vacuously."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from vidare.access.models import AccessLogEntry, Membership, User
from vidare.enrolments.actions import enrol, record_exit
from vidare.people.history import participant_history

URL = "/api/v1/enrolments/"
SPECIAL = "Född utanför Europa"  # utrikesfodd
PLAIN = "Försörjningsstöd"  # forsorjningsstod
WITH = ["coach_h", "chief_h", "syv_h"]  # jobbcoach, enhetschef, syv
WITHOUT = ["broker_h", "af_h"]  # jobbmaklare, arbetsformedlare: VIEW_PARTICIPANTS only


@pytest.fixture
def api(world):
    """api("coach_h") -> an API client logged in as that user of the world."""

    def client_for(key):
        client = APIClient()
        client.force_authenticate(world.users[key])
        return client

    return client_for


@pytest.fixture
def special_world(world):
    for code in ("funktionsnedsattning", "utrikesfodd"):
        world.tg[code].special_category = True
        world.tg[code].save()
    world.person = world.register(first_name="Målfrid", last_name="Gruppsson")
    world.enrolment = world.enrol(
        world.person, target_groups=[world.tg["forsorjningsstod"], world.tg["utrikesfodd"]])
    return world


def api_get(api, key, path, **params):
    response = api(key).get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("key", WITH + WITHOUT)
def test_api_list_and_detail(special_world, api, key):
    w = special_world
    listed = api_get(api, key, URL, participant=w.person.pk)["results"]
    detail = api_get(api, key, f"{URL}{w.enrolment.pk}/")
    expected = ({"forsorjningsstod", "utrikesfodd"} if key in WITH else {"forsorjningsstod"})
    assert [set(row["target_groups"]) for row in listed] == [expected]
    assert set(detail["target_groups"]) == expected
    # No trace of the left-out group anywhere in the answer (no count, no code).
    if key in WITHOUT:
        assert "utrikesfodd" not in str(listed) + str(detail)


def test_api_detail_access_log_says_whether_special_groups_were_shown(special_world, api):
    w = special_world
    for key in ("coach_h", "broker_h"):
        api_get(api, key, f"{URL}{w.enrolment.pk}/")
    flags = dict(AccessLogEntry.objects.filter(what="api:enrolment")
                 .values_list("username", "special_category_shown"))
    assert flags == {"coach_h": True, "broker_h": False}


def test_api_enrolment_without_special_groups_is_unchanged_for_all(special_world, api):
    w = special_world
    other = w.register()
    plain = w.enrol(other)  # Försörjningsstöd only
    for key in WITH + WITHOUT:
        assert api_get(api, key, f"{URL}{plain.pk}/")["target_groups"] == ["forsorjningsstod"]
    assert not AccessLogEntry.objects.filter(what="api:enrolment",
                                             special_category_shown=True).exists()


def test_openapi_document_says_special_groups_are_left_out(special_world, api):
    schema = api("coach_h").get("/api/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["Enrolment"]["properties"]["target_groups"]
    assert "special categories" in field["description"]


def target_group_changes(entries):
    return [(e.user, e.action, c.old, c.new) for e in entries if e.kind == "Enrolment"
            for c in e.changes if c.field == "Target groups"]


@pytest.mark.parametrize("key", WITH + WITHOUT)
def test_history_page(special_world, as_user, key):
    w = special_world
    response = as_user(key).get(reverse("people:participant_history", args=[w.person.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert PLAIN in html
    assert (SPECIAL in html) is (key in WITH)
    entry = AccessLogEntry.objects.get(what="participant_history", username=key)
    assert entry.special_category_shown is (key in WITH)


def test_history_leaves_special_groups_out_without_the_capability(special_world):
    w = special_world
    # Later: the unit manager takes away the special group alone, then a coach adds one
    # group of each kind (different people, so each is an entry of its own).
    w.enrolment._history_user = w.users["chief_h"]
    w.enrolment.target_groups.remove(w.tg["utrikesfodd"])
    w.enrolment._history_user = w.users["coach_h"]
    w.enrolment.target_groups.add(w.tg["kort_utbildning"], w.tg["utrikesfodd"])

    shown = participant_history(w.person, show_special=True, show_contact=False)
    assert target_group_changes(shown) == [
        ("Coach Hisingen", "changed", PLAIN, f"{SPECIAL}, {PLAIN}, Kort utbildning"),
        ("Chief Hisingen", "changed", f"{SPECIAL}, {PLAIN}", PLAIN),
        ("Coach Hisingen", "created", "–", f"{SPECIAL}, {PLAIN}"),
    ]
    assert all(c.special for e in shown for c in e.changes if c.field == "Target groups")

    hidden = participant_history(w.person, show_special=False, show_contact=False)
    # The manager's change touched only the special group: nothing of it is shown, since
    # even a mask would tell that the person is in such a group.
    # (With nothing between them, the coach's later save reads as part of the creation.)
    assert target_group_changes(hidden) == [
        ("Coach Hisingen", "created", "–", PLAIN),
        ("Coach Hisingen", "created", PLAIN, f"{PLAIN}, Kort utbildning"),
    ]
    assert not [e for e in hidden if e.kind == "Enrolment" and e.user == "Chief Hisingen"]
    assert SPECIAL not in str(hidden)
    assert not any(c.special for e in hidden for c in e.changes if c.field == "Target groups")


def test_history_and_api_decide_by_the_enrolments_centre(special_world, api, as_user):
    """A job broker at Hisingen who is also a job coach at Angered sees the special groups of
    the Angered enrolment, not those of the Hisingen one."""
    w = special_world
    user = User.objects.create_user(username="mixed", password="test-password-123",
                                    first_name="Mixed", last_name="Roles")
    Membership.objects.create(user=user, role="jobbmaklare", centre=w.hisingen)
    Membership.objects.create(user=user, role="jobbcoach", centre=w.angered)
    w.users["mixed"] = user
    record_exit(actor=w.users["coach_h"], enrolment=w.enrolment, exit_date=date(2026, 2, 27),
                reason="studier")
    angered = enrol(actor=w.users["coach_a"], participant=w.person, programme=w.resurs,
                    centre=w.angered, start_date=date(2026, 3, 2),
                    target_groups=[w.tg["funktionsnedsattning"]])

    by_id = {row["id"]: row["target_groups"]
             for row in api_get(api, "mixed", URL, participant=w.person.pk)["results"]}
    assert by_id == {w.enrolment.pk: ["forsorjningsstod"], angered.pk: ["funktionsnedsattning"]}

    html = as_user("mixed").get(
        reverse("people:participant_history", args=[w.person.pk])).content.decode()
    assert "Funktionsnedsättning" in html
    assert SPECIAL not in html
    assert PLAIN in html


@pytest.mark.parametrize("key", WITHOUT)
def test_participant_page_shows_no_special_group(special_world, as_user, key):
    w = special_world
    response = as_user(key).get(reverse("people:participant_detail", args=[w.person.pk]))
    assert response.status_code == 200
    assert SPECIAL not in response.content.decode()


@pytest.mark.django_db
def test_demo_marks_disability_and_origin_as_special():
    from vidare.demo.generator import ensure_organisation

    _centres, groups, _programmes = ensure_organisation()
    assert {code for code, g in groups.items() if g.special_category} == {
        "funktionsnedsattning", "utrikesfodd"}
