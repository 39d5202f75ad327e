"""Rules of the vacancy actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vidare.codelists.models import OccupationName
from vidare.employers.actions import add_need
from vidare.vacancies import actions
from vidare.vacancies.models import Vacancy


def rejected(**kwargs) -> set[tuple[str, str]]:
    before = (Vacancy.objects.count(), Vacancy.history.count())
    with pytest.raises(ValidationError) as info:
        actions.save_vacancy(**kwargs)
    assert (Vacancy.objects.count(), Vacancy.history.count()) == before, "half saved"
    return {(f, e.code) for f, errs in info.value.error_dict.items() for e in errs}


@pytest.fixture
def broker(world):
    return world.users["broker_h"]


def test_a_vacancy_with_everything(register, broker):
    vacancy = actions.create_vacancy(
        actor=broker, employer=register.garage, title="  Bilmekaniker   till verkstad ",
        occupation="7231", required_skills=["Fordonsteknik", "fordonsteknik", " ", "Däck"],
        merit_skills="Svetsning, AC-service", driving_licences=["B", "C"],
        min_swedish_level="sfi_d", extent_percent=80, extent_adaptable=True,
        adaptations_offered=["struktur", "handledare", "struktur"], positions=2)
    assert vacancy.title == "Bilmekaniker till verkstad"
    assert vacancy.required_skills == ["Fordonsteknik", "Däck"]
    assert vacancy.merit_skills == ["Svetsning", "AC-service"]
    assert sorted(d.code for d in vacancy.driving_licences.all()) == ["B", "C"]
    assert vacancy.adaptations_offered == ["handledare", "struktur"]
    assert vacancy.can_be_matched
    assert vacancy.occupation_field() == vacancy.occupation.occupation_field_sv
    assert vacancy.occupation_field()


def test_without_occupation_it_says_it_cannot_be_matched(broker):
    vacancy = actions.create_vacancy(actor=broker, title="Något jobb")
    assert not vacancy.can_be_matched and vacancy.occupation_field() is None


@pytest.mark.parametrize("data, expected", [
    ({"occupation": "9999"}, ("occupation", "unknown_code")),
    ({"occupation": "72"}, ("occupation", "wrong_level")),
    ({"title": ""}, ("title", "blank")),
    ({"extent_percent": 0}, ("extent_percent", "min_value")),
    ({"extent_percent": 101}, ("extent_percent", "max_value")),
    ({"positions": 0}, ("positions", "min_value")),
    ({"kind": "heltid"}, ("kind", "invalid_choice")),
    ({"min_swedish_level": "flytande"}, ("min_swedish_level", "invalid_choice")),
    ({"adaptations_offered": ["massage"]}, ("adaptations_offered", "unknown_code")),
    ({"adaptations_offered": "struktur"}, ("adaptations_offered", "invalid")),
    ({"required_skills": [1, 2]}, ("required_skills", "invalid")),
    ({"required_skills": ["x" * 101]}, ("required_skills", "too_long")),
    ({"driving_licences": ["Q"]}, ("driving_licences", "unknown_code")),
])
def test_bad_input_names_field_and_rule(broker, data, expected):
    data = {"title": "Jobb", **data}
    assert rejected(actor=broker, **data) == {expected}


def test_occupation_name_fills_and_must_agree_with_the_occupation(broker):
    name = OccupationName.objects.select_related("occupation").filter(
        occupation__code="7231").first()
    vacancy = actions.create_vacancy(actor=broker, title="Mekaniker", occupation_name=name)
    assert vacancy.occupation == name.occupation
    assert rejected(actor=broker, title="Mekaniker", occupation="9111",
                    occupation_name=name) == {("occupation_name", "mismatch")}


def test_need_gives_the_employer_and_must_belong_to_it(register, broker):
    vacancy = actions.create_vacancy(actor=broker, title="Mekaniker", need=register.need)
    assert vacancy.employer == register.garage
    other = add_need(actor=broker, employer=register.cleaning, occupation="9111",
                     needed_from=register.need.needed_from)
    assert rejected(actor=broker, title="Mekaniker", employer=register.garage,
                    need=other) == {("need", "wrong_employer")}


def test_imported_ids_are_unique(broker):
    actions.create_vacancy(actor=None, title="Annons", source="jobsearch", external_id="42")
    assert rejected(actor=None, title="Annons", source="jobsearch", external_id="42") == {
        ("external_id", "duplicate")}
    assert rejected(actor=None, title="Annons", source="jobsearch") == {
        ("external_id", "required")}


def test_close(register, broker):
    assert actions.close_vacancy(actor=broker, vacancy=register.vacancy,
                                 status="filled").status == "filled"
    with pytest.raises(ValidationError):
        actions.close_vacancy(actor=broker, vacancy=register.vacancy, status="open")


def test_licences_are_kept_unless_given(register, broker):
    actions.update_vacancy(actor=broker, vacancy=register.vacancy, title="Ny titel")
    assert [d.code for d in register.vacancy.driving_licences.all()] == ["B"]
    actions.update_vacancy(actor=broker, vacancy=register.vacancy, driving_licences=[])
    assert not register.vacancy.driving_licences.exists()


@pytest.mark.parametrize("key", ["coach_h", "syv_h", "af_h", "analyst", "social", "admin"])
def test_only_brokers_and_managers_write(register, world, key):
    with pytest.raises(PermissionDenied):
        actions.create_vacancy(actor=world.users[key], title="Jobb")
    with pytest.raises(PermissionDenied):
        actions.close_vacancy(actor=world.users[key], vacancy=register.vacancy)
