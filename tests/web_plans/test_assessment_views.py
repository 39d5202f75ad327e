"""Assessment pages: access per role, versions, prefill, row errors, special categories."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import give_consent
from django.urls import reverse

from vidare.access.models import AccessLogEntry
from vidare.assessments.actions import record_assessment
from vidare.assessments.models import Assessment
from vidare.codelists.models import DrivingLicence, EducationLevel, Language

SECRET = "Needs a quiet room"


@pytest.fixture
def person(world):
    p = world.register(first_name="Amina", last_name="Testdotter")
    world.enrol(p)
    return p


def rows(*experiences, extra=1):
    """Management form and rows of the work-experience formset."""
    total = len(experiences) + extra
    data = {"work_experiences-TOTAL_FORMS": str(total), "work_experiences-INITIAL_FORMS": "0",
            "work_experiences-MIN_NUM_FORMS": "0", "work_experiences-MAX_NUM_FORMS": "1000"}
    for i, exp in enumerate(experiences):
        for key, value in exp.items():
            data[f"work_experiences-{i}-{key}"] = value
    return data


def form_data(*experiences, **fields):
    data = {
        "assessed_on": "2026-02-02",
        "education_level": str(EducationLevel.objects.get(code="33").pk),
        "swedish_level": "sfi_c",
        "other_languages": [str(Language.objects.get(code="ar").pk)],
        "skills": "Truckkort\nKassa, kundservice",
        "driving_licences": [str(DrivingLicence.objects.get(code="B").pk)],
        "work_capacity_percent": "75",
        "interests": "Vård",
        "goals": "Undersköterska",
        "adaptations_needed": SECRET,
        "barriers": ["sprak", "halsa"],
        "barriers_note": "",
    }
    data.update(fields)
    data.update(rows(*experiences))
    return data


NURSE = {"occupation": "5321 Undersköterskor, hemtjänst, hemsjukvård, äldreboende och "
                       "habilitering", "years": "3", "in_sweden": "on", "description": ""}


def add_url(p):
    return reverse("assessments:assessment_add", args=[p.pk])


def test_coach_records_versions_with_increasing_numbers(client, world, person):
    client.force_login(world.users["coach_h"])
    response = client.get(add_url(person))
    assert response.status_code == 200
    assert b'name="adaptations_needed"' in response.content
    assert "Undersköterskor, hemtjänst".encode() in response.content  # the SSYK datalist

    response = client.post(add_url(person), form_data(NURSE))
    first = Assessment.objects.get(participant=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:assessment_detail", args=[first.pk])
    assert first.version == 1
    assert first.skills == ["Truckkort", "Kassa", "kundservice"]
    assert first.barriers == ["halsa", "sprak"]
    assert [(e.occupation.code, e.years, e.in_sweden) for e in first.work_experiences.all()
            ] == [("5321", 3, True)]
    assert [d.code for d in first.driving_licences.all()] == ["B"]

    client.post(add_url(person), form_data(NURSE, work_capacity_percent="100"))
    versions = list(person.assessments.order_by("version").values_list(
        "version", "work_capacity_percent"))
    assert versions == [(1, 75), (2, 100)]


def test_new_version_form_is_prefilled_from_the_current_one(client, world, person):
    record_assessment(actor=world.users["coach_h"], participant=person,
                      assessed_on=date(2026, 2, 2), skills=["Truckkort", "Svets"],
                      work_capacity_percent=60, interests="Lager",
                      driving_licences=[DrivingLicence.objects.get(code="C")],
                      work_experiences=[{"occupation": "5321", "years": 2}])
    client.force_login(world.users["coach_h"])
    response = client.get(add_url(person))
    form = response.context["form"]
    assert response.context["title"].endswith(" 2")
    assert form["skills"].value() == "Truckkort\nSvets"
    assert form["work_capacity_percent"].value() == 60
    assert form["interests"].value() == "Lager"
    assert form["driving_licences"].value() == [DrivingLicence.objects.get(code="C").pk]
    row = response.context["formset"].forms[0]
    assert row["occupation"].value().startswith("5321 Undersköterskor")
    html = response.content.decode()
    assert 'value="5321 Undersköterskor' in html
    assert "Truckkort\nSvets</textarea>" in html


def test_unknown_ssyk_code_is_reported_on_its_row_and_nothing_is_saved(client, world, person):
    client.force_login(world.users["coach_h"])
    before = AccessLogEntry.objects.count()
    data = form_data(NURSE, {"occupation": "", "years": ""},
                     {"occupation": "9999 Påhittat yrke", "years": "2"})
    response = client.post(add_url(person), data)
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    row = response.context["formset"].forms[2]
    assert row.has_error("occupation", "unknown_code")
    assert "9999" in row.errors["occupation"][0]
    assert not response.context["formset"].forms[0].errors
    html = response.content.decode()
    assert 'id="id_work_experiences-2-occupation_error"' in html
    assert 'href="#id_work_experiences-2-occupation"' in html  # in the error summary
    assert AccessLogEntry.objects.count() == before  # a POST shows nothing new


def test_occupation_above_level_four_is_refused(client, world, person):
    client.force_login(world.users["coach_h"])
    response = client.post(add_url(person), form_data({"occupation": "53", "years": "1"}))
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert response.context["formset"].forms[0].has_error("occupation", "ssyk_level")


def test_bad_main_field_from_the_action_lands_on_that_field(client, world, person):
    client.force_login(world.users["coach_h"])
    response = client.post(add_url(person), form_data(NURSE, assessed_on="2099-01-01"))
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert response.context["form"].has_error("assessed_on", "future")
    assert 'href="#id_assessed_on"' in response.content.decode()


def test_user_without_special_capability_neither_sees_nor_wipes_special_values(
        client, world, person):
    coach, af = world.users["coach_h"], world.users["af_h"]
    first = record_assessment(actor=coach, participant=person, assessed_on=date(2026, 2, 2),
                              adaptations_needed=SECRET, barriers=["halsa"],
                              barriers_note="Rygg")
    client.force_login(af)
    response = client.get(add_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="adaptations_needed"' not in html and SECRET not in html
    assert 'name="barriers"' not in html
    assert AccessLogEntry.objects.filter(user=af, participant=person).get(
    ).special_category_shown is False

    data = form_data(interests="Bygg")
    for name in ("adaptations_needed", "barriers", "barriers_note"):
        data.pop(name)
    assert client.post(add_url(person), data).status_code == 302
    second = person.assessments.get(version=2)
    assert second.interests == "Bygg"
    assert (second.adaptations_needed, second.barriers, second.barriers_note) == (
        SECRET, ["halsa"], "Rygg")

    # A user trying to post special fields anyway changes nothing either.
    data.update(adaptations_needed="Wiped", barriers=[])
    client.post(add_url(person), data)
    assert person.assessments.get(version=3).adaptations_needed == SECRET

    detail = client.get(reverse("assessments:assessment_detail", args=[second.pk]))
    assert detail.status_code == 200
    assert SECRET not in detail.content.decode() and "Rygg" not in detail.content.decode()
    client.force_login(coach)
    detail = client.get(reverse("assessments:assessment_detail", args=[first.pk]))
    assert SECRET in detail.content.decode()


def test_detail_shows_changes_since_previous_version_and_logs_the_read(client, world, person):
    coach = world.users["coach_h"]
    record_assessment(actor=coach, participant=person, assessed_on=date(2026, 2, 2),
                      interests="Lager", work_capacity_percent=50)
    second = record_assessment(actor=coach, participant=person, assessed_on=date(2026, 3, 2),
                               interests="Vård", work_capacity_percent=50,
                               adaptations_needed=SECRET)
    client.force_login(coach)
    response = client.get(reverse("assessments:assessment_detail", args=[second.pk]))
    assert response.status_code == 200
    changes = response.context["changes"]
    assert [c[1:] for c in changes] == [("Lager", "Vård", False), ("", SECRET, True)]
    assert [v.version for v in response.context["versions"]] == [2, 1]
    log = AccessLogEntry.objects.get(participant=person)
    assert (log.user, log.channel, log.special_category_shown) == (coach, "web", True)
    assert log.what == "assessment v2"

    client.force_login(world.users["af_h"])
    response = client.get(reverse("assessments:assessment_detail", args=[second.pk]))
    assert [c[1:] for c in response.context["changes"]] == [("Lager", "Vård", False)]


@pytest.mark.parametrize("name", ["assessment_add", "assessment_list"])
def test_other_centre_gets_404(client, world, person, name):
    client.force_login(world.users["coach_a"])
    assert client.get(reverse(f"assessments:{name}", args=[person.pk])).status_code == 404


def test_detail_outside_scope_is_404(client, world, person):
    a = record_assessment(actor=world.users["coach_h"], participant=person,
                          assessed_on=date(2026, 2, 2))
    client.force_login(world.users["coach_a"])
    assert client.get(reverse("assessments:assessment_detail", args=[a.pk])).status_code == 404


def test_broker_reads_but_may_not_assess(client, world, person):
    a = record_assessment(actor=world.users["coach_h"], participant=person,
                          assessed_on=date(2026, 2, 2), adaptations_needed=SECRET)
    client.force_login(world.users["broker_h"])
    assert client.get(add_url(person)).status_code == 403
    assert client.post(add_url(person), form_data(NURSE)).status_code == 403
    assert person.assessments.count() == 1
    response = client.get(reverse("assessments:assessment_detail", args=[a.pk]))
    assert response.status_code == 200 and SECRET not in response.content.decode()
    assert client.get(reverse("assessments:assessment_list", args=[person.pk])
                      ).status_code == 200


def test_referring_social_officer_sees_no_assessment(client, world):
    p = world.register(actor=world.users["social"])
    give_consent(p)  # so the officer sees the person, and is refused only the assessment
    world.enrol(p)
    a = record_assessment(actor=world.users["coach_h"], participant=p,
                          assessed_on=date(2026, 2, 2))
    client.force_login(world.users["social"])
    assert client.get(add_url(p)).status_code == 403
    assert client.get(reverse("assessments:assessment_detail", args=[a.pk])).status_code == 403
    assert client.get(reverse("assessments:assessment_list", args=[p.pk])).status_code == 403


def test_list_shows_every_version(client, world, person):
    for month in (2, 3, 4):
        record_assessment(actor=world.users["coach_h"], participant=person,
                          assessed_on=date(2026, month, 1))
    client.force_login(world.users["syv_h"])
    response = client.get(reverse("assessments:assessment_list", args=[person.pk]))
    assert response.status_code == 200
    assert [a.version for a in response.context["assessments"]] == [3, 2, 1]
    assert AccessLogEntry.objects.filter(participant=person, user=world.users["syv_h"]).exists()


def test_without_open_enrolment_the_form_explains_and_saves_nothing(client, world):
    p = world.register()
    client.force_login(world.users["coach_h"])
    response = client.get(add_url(p))
    assert response.status_code == 200 and response.context["enrolment"] is None
    assert client.post(add_url(p), form_data()).status_code == 200
    assert not Assessment.objects.exists()
