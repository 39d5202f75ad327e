"""API: assessments (kartläggning) — versions, nested work experience, special-category data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vidare.access.models import AccessLogEntry
from vidare.assessments.models import Assessment, WorkExperience

from .conftest import counts, errors_of

URL = "/api/v1/assessments/"


@pytest.fixture
def enrolment(world):
    return world.enrol(world.register())


def assessment_data(enrolment, **overrides):
    data = {
        "participant": enrolment.participant_id, "assessed_on": "2026-11-16",
        "education_level": "3", "swedish_level": "sfi_c", "other_languages": ["ar", "en"],
        "driving_licences": ["B"], "skills": ["Truckkort", " truckkort ", "Kassa"],
        "work_capacity_percent": 75, "goals": "Arbete inom vården.",
        "adaptations_needed": "Kortare dagar.", "barriers": ["halsa", "sprak"],
        "barriers_note": "Ryggbesvär.",
        "work_experiences": [{"occupation": "5321", "years": 2.5, "in_sweden": True},
                             {"occupation": "9111", "years": 1}],
    }
    data.update(overrides)
    return data


def test_record_assessment_with_work_experience(world, api, enrolment):
    response = api("coach_h").post(URL, assessment_data(enrolment), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assessment = Assessment.objects.get(pk=body["id"])
    assert (assessment.version, assessment.enrolment, assessment.assessed_by) == (
        1, enrolment, world.users["coach_h"])
    assert assessment.education_level.code == "3"
    assert assessment.skills == ["Truckkort", "Kassa"]
    assert sorted(assessment.barriers) == ["halsa", "sprak"]
    rows = {(w.occupation.code, w.years, w.in_sweden)
            for w in WorkExperience.objects.filter(assessment=assessment)}
    assert rows == {("5321", Decimal("2.5"), True), ("9111", Decimal("1.0"), False)}
    assert body["version"] == 1
    assert body["enrolment"] == enrolment.pk
    assert sorted(body["other_languages"]) == ["ar", "en"]
    assert body["driving_licences"] == ["B"]
    first = body["work_experiences"][0]
    assert (first["occupation"], first["years"]) == ("5321", 2.5)
    assert first["occupation_name"].startswith("Undersköterskor")
    assert body["barriers"] == ["halsa", "sprak"]
    assert assessment.history.earliest().history_user == world.users["coach_h"]

    again = api("coach_h").post(URL, assessment_data(enrolment, work_experiences=[]),
                                format="json")
    assert again.json()["version"] == 2
    assert WorkExperience.objects.filter(assessment=assessment).count() == 2


@pytest.mark.parametrize(("change", "error"), [
    ({"work_experiences": [{"occupation": "5321", "years": 2},
                           {"occupation": "0000", "years": 2.5}]},
     ("work_experiences[1].occupation", "unknown_code")),
    ({"work_experiences": [{"occupation": "532", "years": 2}]},
     ("work_experiences[0].occupation", "ssyk_level")),
    ({"work_experiences": [{"occupation": 5321, "years": 2}]},
     ("work_experiences[0].occupation", "incorrect_type")),
    ({"work_experiences": [{"occupation": "5321"}]}, ("work_experiences[0].years", "required")),
    ({"work_experiences": {"occupation": "5321"}}, ("work_experiences", "not_a_list")),
    ({"education_level": "99"}, ("education_level", "unknown_code")),
    ({"driving_licences": ["B", "Z9"]}, ("driving_licences", "unknown_code")),
    ({"barriers": ["halsa", "otur"]}, ("barriers", "unknown_code")),
    ({"swedish_level": "flytande"}, ("swedish_level", "invalid_choice")),
    ({"assessed_on": "2099-01-01"}, ("assessed_on", "future")),
    ({"work_capacity_percent": 150}, ("work_capacity_percent", "max_value")),
])
def test_bad_input_names_field_and_rule_and_saves_nothing(world, api, enrolment, change,
                                                          error):
    before = counts(Assessment, WorkExperience)
    response = api("coach_h").post(URL, assessment_data(enrolment, **change), format="json")
    assert response.status_code == 400
    assert errors_of(response) == {error}
    assert counts(Assessment, WorkExperience) == before


def test_special_category_fields_and_access_log(world, api, enrolment):
    created = api("coach_h").post(URL, assessment_data(enrolment), format="json").json()
    url = f"{URL}{created['id']}/"

    body = api("coach_h").get(url).json()
    assert (body["adaptations_needed"], body["barriers"], body["barriers_note"]) == (
        "Kortare dagar.", ["halsa", "sprak"], "Ryggbesvär.")
    for key in ("broker_h", "af_h"):
        for shown in (api(key).get(url).json(),
                      api(key).get(URL, {"participant": enrolment.participant_id})
                      .json()["results"][0]):
            assert shown["goals"] == "Arbete inom vården."
            for name in Assessment.SPECIAL_CATEGORY_FIELDS:
                assert name not in shown, (key, name)

    rows = AccessLogEntry.objects.filter(what="api:assessment")
    assert sorted((r.username, r.special_category_shown, r.participant_id) for r in rows) == [
        ("af_h", False, enrolment.participant_id), ("broker_h", False, enrolment.participant_id),
        ("coach_h", True, enrolment.participant_id)]


def test_new_version_by_someone_who_cannot_see_special_data_keeps_it(world, api, enrolment):
    api("coach_h").post(URL, assessment_data(enrolment), format="json")

    response = api("af_h").post(URL, assessment_data(
        enrolment, barriers=[], adaptations_needed="", barriers_note="",
        goals="Undersköterska."), format="json")

    assert response.status_code == 201, response.json()
    assert "barriers" not in response.json()
    latest = Assessment.objects.get(pk=response.json()["id"])
    assert (latest.version, latest.goals, latest.assessed_by) == (2, "Undersköterska.",
                                                                  world.users["af_h"])
    assert (sorted(latest.barriers), latest.adaptations_needed, latest.barriers_note) == (
        ["halsa", "sprak"], "Kortare dagar.", "Ryggbesvär.")


def test_scope_and_permissions(world, api, enrolment):
    created = api("coach_h").post(URL, assessment_data(enrolment), format="json").json()
    url = f"{URL}{created['id']}/"
    other = world.enrol(world.register())
    api("coach_h").post(URL, assessment_data(other), format="json")

    listed = api("coach_h").get(URL, {"participant": enrolment.participant_id}).json()
    assert [a["id"] for a in listed["results"]] == [created["id"]]
    assert api("coach_h").get(URL).json()["count"] == 2
    for key in ("coach_a", "analyst", "admin", "social"):
        assert api(key).get(url).status_code == 404, key
        assert api(key).get(URL).json()["count"] == 0, key

    before = counts(Assessment)
    assert api("broker_h").post(URL, assessment_data(enrolment),
                                format="json").status_code == 403
    response = api("coach_a").post(URL, assessment_data(enrolment), format="json")
    assert errors_of(response) == {("participant", "does_not_exist")}
    assert counts(Assessment) == before
