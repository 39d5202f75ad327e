"""The matching profile on the competence mapping (kartläggning): desired occupations,
occupation fields of interest, availability, travel range, home municipality and, as
special-category data, the workplace adaptations needed. Form, page, API, rules, history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from vidare.assessments.actions import record_assessment
from vidare.assessments.models import Assessment
from vidare.codelists.models import Municipality, Occupation
from vidare.people.history import participant_history

ADD = "assessments:assessment_add"


@pytest.fixture
def person(world):
    p = world.register(first_name="Amina", last_name="Profilsson")
    world.enrol(p)
    return p


def management(total: int) -> dict[str, str]:
    return {"work_experiences-TOTAL_FORMS": str(total),
            "work_experiences-INITIAL_FORMS": "0", "work_experiences-MIN_NUM_FORMS": "0",
            "work_experiences-MAX_NUM_FORMS": "1000"}


def form(**fields) -> dict:
    data = {"assessed_on": "2026-02-02", "swedish_level": "sfi_d",
            "work_capacity_percent": "100", **management(4)}
    data.update(fields)
    return data


def test_the_form_records_the_profile(client, world, person):
    client.force_login(world.users["coach_h"])
    html = client.get(reverse(ADD, args=[person.pk])).content.decode()
    for name in ("desired_occupations", "interest_fields", "available_from", "commute",
                 "home_municipality", "adaptation_needs"):
        assert f'name="{name}"' in html, name
    assert "used for matching" in html
    # Four work-experience rows, not two.
    assert 'name="work_experiences-3-occupation"' in html
    nurse = Occupation.objects.get(code="5321")
    gbg = Municipality.objects.get(code="1480")
    rows = {f"work_experiences-{i}-occupation": code for i, code in
            enumerate(["9111", "5321", "4322", "5120"])}
    rows.update({f"work_experiences-{i}-years": str(i + 1) for i in range(4)})
    response = client.post(reverse(ADD, args=[person.pk]), form(
        desired_occupations=[str(nurse.pk)], interest_fields=["Hälso- och sjukvård"],
        available_from="2026-04-01", commute="lan", home_municipality=str(gbg.pk),
        adaptation_needs=["deltid", "struktur"], **rows))
    assert response.status_code == 302, response.content.decode()[:2000]
    a = person.assessments.get()
    assert list(a.desired_occupations.values_list("code", flat=True)) == ["5321"]
    assert (a.interest_fields, a.available_from, a.commute, a.home_municipality) == (
        ["Hälso- och sjukvård"], date(2026, 4, 1), "lan", gbg)
    assert a.adaptation_needs == ["deltid", "struktur"]
    assert a.work_experiences.count() == 4
    detail = client.get(reverse("assessments:assessment_detail", args=[a.pk])).content.decode()
    assert "Undersköterskor" in detail and "Göteborg" in detail
    assert "Reduced or flexible hours" in detail


def test_more_rows_keeps_what_was_typed_and_saves_nothing(client, world, person):
    client.force_login(world.users["coach_h"])
    data = form(interests="Lager", **{"work_experiences-0-occupation": "9111",
                                      "work_experiences-0-years": "2"}, more_rows="1")
    response = client.post(reverse(ADD, args=[person.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="work_experiences-6-occupation"' in html  # 4 + 3
    assert 'name="work_experiences-7-occupation"' not in html
    assert 'value="9111"' in html and ">\nLager</textarea>" in html
    assert "Please correct" not in html
    assert not Assessment.objects.exists()


def test_adaptation_needs_are_special_category(client, world, person):
    coach, af = world.users["coach_h"], world.users["af_h"]
    assert "adaptation_needs" in Assessment.SPECIAL_CATEGORY_FIELDS
    first = record_assessment(actor=coach, participant=person, assessed_on=date(2026, 2, 2),
                              adaptation_needs=["lugn_miljo"])
    client.force_login(af)
    html = client.get(reverse(ADD, args=[person.pk])).content.decode()
    assert 'name="adaptation_needs"' not in html
    # Saving without the capability keeps the need; sending it anyway changes nothing.
    client.post(reverse(ADD, args=[person.pk]), form(adaptation_needs=["deltid"]))
    assert person.assessments.get(version=2).adaptation_needs == ["lugn_miljo"]
    detail = client.get(reverse("assessments:assessment_detail", args=[first.pk]))
    assert "Quiet work environment" not in detail.content.decode()
    api = APIClient()
    api.force_authenticate(af)
    body = api.get(f"/api/v1/assessments/{first.pk}/").json()
    assert "adaptation_needs" not in body and body["commute"] == "kommun"
    api.force_authenticate(coach)
    assert api.get(f"/api/v1/assessments/{first.pk}/").json()["adaptation_needs"] == [
        "lugn_miljo"]
    # Masked in the history for those without the capability.
    entries = participant_history(person, show_special=False, show_contact=True)
    assert "lugn_miljo" not in str(entries) and "Quiet" not in str(entries)


def test_api_records_the_profile(world, person):
    api = APIClient()
    api.force_authenticate(world.users["coach_h"])
    response = api.post("/api/v1/assessments/", {
        "participant": person.pk, "assessed_on": "2026-02-02",
        "desired_occupations": ["9111", "5321"], "interest_fields": ["Transport"],
        "available_from": "2026-05-01", "commute": "obegransat", "home_municipality": "1480",
        "adaptation_needs": ["handledare"]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(body["desired_occupations"]) == ["5321", "9111"]
    assert (body["interest_fields"], body["commute"], body["home_municipality"],
            body["adaptation_needs"]) == (["Transport"], "obegransat", "1480", ["handledare"])


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"adaptation_needs": ["rullstol"]}, "adaptation_needs", "unknown_code"),
    ({"interest_fields": ["Rymdfart"]}, "interest_fields", "unknown_code"),
    ({"desired_occupations": ["9999"]}, "desired_occupations[0]", "unknown_code"),
    ({"desired_occupations": ["91"]}, "desired_occupations[0]", "ssyk_level"),
    ({"home_municipality": "9999"}, "home_municipality", "unknown_code"),
    ({"commute": "manen"}, "commute", "invalid_choice"),
])
def test_bad_profile_values_are_refused_naming_the_field(world, person, fields, field, code):
    with pytest.raises(ValidationError) as caught:
        record_assessment(actor=world.users["coach_h"], participant=person,
                          assessed_on=date(2026, 2, 2), **fields)
    assert caught.value.error_dict[field][0].code == code
    assert not person.assessments.exists()


def test_api_bad_codes(world, person):
    api = APIClient()
    api.force_authenticate(world.users["coach_h"])
    response = api.post("/api/v1/assessments/", {
        "participant": person.pk, "assessed_on": "2026-02-02",
        "desired_occupations": ["0000"], "home_municipality": "0000"}, format="json")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"desired_occupations", "home_municipality"} <= fields | {"desired_occupations[0]"}


def test_interest_fields_are_normalised_and_history_keeps_the_wishes(world, person):
    coach = world.users["coach_h"]
    a = record_assessment(actor=coach, participant=person, assessed_on=date(2026, 2, 2),
                          interest_fields=["  transport", "Transport"],
                          desired_occupations=["9111"])
    assert a.interest_fields == ["Transport"]
    record_assessment(actor=coach, participant=person, assessed_on=date(2026, 2, 3),
                      desired_occupations=["5321"])
    text = str(participant_history(person, show_special=True, show_contact=True))
    assert "Undersköterskor" in text
