"""Vacancy pages: filters, the vacancy page, the form with occupation suggestions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from vidare.vacancies.actions import create_vacancy
from vidare.vacancies.models import Vacancy


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def listed(register, world):
    broker = world.users["broker_h"]
    create_vacancy(actor=broker, employer=register.cleaning, title="Sommarvikarie städ",
                   kind="sommarvikariat", occupation="9111", municipality=None)
    from vidare.codelists.models import Municipality

    create_vacancy(actor=broker, title="Lagerjobb i Borås", occupation="4322",
                   municipality=Municipality.objects.get(code="1490"))
    create_vacancy(actor=broker, title="Stängt jobb", occupation="9111", status="closed")
    return register


class TestList:
    url = reverse("vacancies:vacancy_list")

    def test_open_by_default(self, listed, as_user):
        text = page(as_user("syv_h").get(self.url))
        assert "Fordonsmekaniker" in text and "Stängt jobb" not in text

    @pytest.mark.parametrize("params, shown, hidden", [
        ({"kind": "sommarvikariat"}, "Sommarvikarie städ", "Lagerjobb i Borås"),
        ({"occupation": "9111 Städare"}, "Sommarvikarie städ", "Fordonsmekaniker"),
        ({"occupation": "4"}, "Lagerjobb i Borås", "Sommarvikarie städ"),
        ({"municipality": "1490"}, "Lagerjobb i Borås", "Fordonsmekaniker"),
        ({"status": "closed"}, "Stängt jobb", "Fordonsmekaniker"),
        ({"q": "städservice"}, "Sommarvikarie städ", "Lagerjobb i Borås"),
    ])
    def test_filters(self, listed, as_user, params, shown, hidden):
        text = page(as_user("broker_h").get(self.url, params))
        assert shown in text and hidden not in text

    def test_bad_filter_values_are_named(self, listed, as_user):
        text = page(as_user("broker_h").get(self.url, {"occupation": "9999",
                                                       "kind": "cirkus"}))
        assert "Unknown SSYK code: 9999." in text
        assert "Select a valid choice. cirkus is not one of the available choices." in text

    def test_roles(self, listed, as_user):
        assert as_user("analyst").get(self.url).status_code == 403
        assert reverse("vacancies:vacancy_add") not in page(as_user("coach_h").get(self.url))


class TestDetail:
    def test_the_vacancy(self, register, as_user):
        text = page(as_user("af_h").get(reverse("vacancies:vacancy_detail",
                                                args=[register.vacancy.pk])))
        for expected in ("Fordonsmekaniker", "Exempel Bilverkstad AB", "7231",
                         "Fordonsteknik", "As soon as possible"):
            assert expected in text
        assert "Not enough information to match" not in text

    def test_without_occupation_says_so(self, world, as_user):
        vacancy = create_vacancy(actor=world.users["broker_h"], title="Oklart jobb")
        text = page(as_user("broker_h").get(reverse("vacancies:vacancy_detail",
                                                    args=[vacancy.pk])))
        assert "Not enough information to match." in text
        assert reverse("vacancies:vacancy_edit", args=[vacancy.pk]) in text


@dataclass(frozen=True)
class Suggestion:
    ssyk: str
    name: str
    score: float


@pytest.fixture
def suggestions(monkeypatch):
    """Occupation suggestions as interface I1 promises them (a stub, so these tests do not
    depend on the mapper's ranking; test_with_the_real_mapper uses the real one)."""
    import vidare.codelists.services as services

    calls = []

    def suggest(text: str, top: int = 5) -> list[Suggestion]:
        calls.append((text, top))
        return [Suggestion("7231", "Motorfordonsmekaniker och fordonsreparatörer", 0.9),
                Suggestion("7233", "Maskinreparatörer", 0.4)][:top] if text.strip() else []

    monkeypatch.setattr(services, "suggest_occupations", suggest, raising=False)
    return calls


class TestForm:
    def data(self, **extra):
        return {"kind": "jobb", "title": "Bilmekaniker", "extent_percent": "100",
                "positions": "1", **extra}

    def test_blank_occupation_offers_suggestions_and_saves_nothing(self, world, as_user,
                                                                   suggestions):
        url = reverse("vacancies:vacancy_add")
        text = page(as_user("broker_h").post(url, self.data()))
        assert suggestions == [("Bilmekaniker", 5)]
        assert "7231 Motorfordonsmekaniker och fordonsreparatörer" in text
        assert "Choose one of the suggested occupations" in text
        assert not Vacancy.objects.exists()
        response = as_user("broker_h").post(url, self.data(suggested_occupation="7231"))
        assert response.status_code == 302
        assert Vacancy.objects.get().occupation.code == "7231"

    def test_with_the_real_mapper(self, world, as_user):
        """No stub: the suggestions of vidare.codelists.services for a typical title."""
        url = reverse("vacancies:vacancy_add")
        text = page(as_user("broker_h").post(url, self.data()))
        assert 'value="7231"' in text and "Motorfordonsmekaniker" in text
        assert not Vacancy.objects.exists()
        assert as_user("broker_h").post(url, self.data(
            suggested_occupation="7231")).status_code == 302
        assert Vacancy.objects.get().occupation.code == "7231"

    def test_saving_without_occupation_is_a_choice(self, world, as_user, suggestions):
        response = as_user("broker_h").post(reverse("vacancies:vacancy_add"),
                                            self.data(suggested_occupation="none"))
        assert response.status_code == 302
        assert not Vacancy.objects.get().can_be_matched

    def test_typed_occupation_needs_no_suggestions(self, world, as_user, suggestions):
        response = as_user("broker_h").post(reverse("vacancies:vacancy_add"),
                                            self.data(occupation="7231 Motorfordon"))
        assert response.status_code == 302 and suggestions == []

    def test_bad_values_are_named_and_nothing_saved(self, world, as_user, suggestions):
        url = reverse("vacancies:vacancy_add")
        text = page(as_user("broker_h").post(url, self.data(driving_licences=["nonsense"],
                                                            occupation="9111")))
        assert 'id="id_driving_licences_error"' in text
        text = page(as_user("broker_h").post(url, self.data(extent_percent="150",
                                                            occupation="9111")))
        assert 'id="id_extent_percent_error"' in text
        text = page(as_user("broker_h").post(url, self.data(occupation="9999")))
        assert "Okänd SSYK-kod: 9999" in text and 'id="id_occupation_error"' in text
        assert not Vacancy.objects.exists()

    def test_from_a_recruitment_need(self, register, as_user):
        url = reverse("vacancies:vacancy_add")
        text = page(as_user("broker_h").get(url, {"behov": register.need.pk}))
        assert 'value="7231 Motorfordonsmekaniker och fordonsreparatörer"' in text
        assert f'<option value="{register.need.pk}" selected>' in text

    def test_edit_of_an_imported_vacancy_without_occupation(self, world, as_user,
                                                            suggestions):
        vacancy = create_vacancy(actor=None, title="Bilmekaniker sökes", source="jobsearch",
                                 external_id="123")
        url = reverse("vacancies:vacancy_edit", args=[vacancy.pk])
        text = page(as_user("broker_h").get(url))
        assert "These occupations fit the title" in text
        response = as_user("broker_h").post(url, self.data(title="Bilmekaniker sökes",
                                                           suggested_occupation="7231",
                                                           status="open"))
        assert response.status_code == 302
        vacancy.refresh_from_db()
        assert (vacancy.occupation.code, vacancy.source) == ("7231", "jobsearch")

    def test_close(self, register, as_user):
        url = reverse("vacancies:vacancy_close", args=[register.vacancy.pk])
        assert as_user("coach_h").get(url).status_code == 403
        response = as_user("broker_h").post(url, {"status": "filled"})
        assert response.status_code == 302
        register.vacancy.refresh_from_db()
        assert register.vacancy.status == "filled"

