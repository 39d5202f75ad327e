"""The JobSearch import, on the real shipped response and on crafted broken ads."""

from __future__ import annotations

import copy
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from vidare.employers.models import Employer
from vidare.vacancies.jobsearch import (
    DATA_FILE,
    JobSearchFormatError,
    import_ads,
    import_file,
    parse_ads,
    read_ads,
)
from vidare.vacancies.models import Vacancy

DAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def real_ads() -> list[dict]:
    return read_ads(DATA_FILE)


def one(real_ads, ad_id: str) -> dict:
    return copy.deepcopy(next(ad for ad in real_ads if ad["id"] == ad_id))


def warning_codes(result) -> set[tuple[str, str]]:
    return {(w.field, w.code) for w in result.warnings}


def test_the_shipped_file_is_a_real_search_response(real_ads):
    raw = json.loads(DATA_FILE.read_text("utf-8"))
    assert {"total", "hits"} <= set(raw) and len(real_ads) == 59


def test_every_real_ad_is_imported_with_its_occupation(db, real_ads):
    report = import_ads(real_ads, today=DAY)
    assert report.summary["created"] == 59 and report.summary["skipped"] == 0
    assert Vacancy.objects.filter(source="jobsearch").count() == 59
    assert not Vacancy.objects.filter(occupation=None).exists()
    # The code in occupation_group is the SSYK code stored, for every ad.
    for ad in real_ads:
        vacancy = Vacancy.objects.get(external_id=ad["id"])
        assert vacancy.occupation.code == ad["occupation_group"]["legacy_ams_taxonomy_id"]
        assert vacancy.title == " ".join(ad["headline"].split())
    # Employers are registered once per organisationsnummer, stored normalised.
    numbers = {ad["employer"]["organization_number"] for ad in real_ads
               if ad["employer"]["organization_number"]}
    assert Employer.objects.count() == len(numbers)
    assert all(len(e.organisation_number) == 11 and e.organisation_number[6] == "-"
               for e in Employer.objects.all())


def test_one_ad_mapped_field_by_field(db, real_ads):
    import_ads([one(real_ads, "30016621")], today=DAY)
    v = Vacancy.objects.select_related("employer", "municipality", "occupation").get()
    assert v.title == "Psykiatrisjuksköterska till psykiatriska mottagningen"
    assert v.description.startswith("Psykiatriska mottagningen Kullbergska sjukhuset")
    assert (v.occupation.code, v.municipality.code) == ("2225", "0483")
    assert v.employer.organisation_number == "232100-0032"
    assert v.employer.name == "REGION SÖRMLAND"
    assert (v.kind, v.extent_percent, v.extent_adaptable) == ("jobb", 100, False)
    assert v.schedule == "Heltid · 100 % · Tills vidare"
    assert v.deadline == date(2025, 9, 25) and v.positions == 1
    assert v.source_url == "https://arbetsformedlingen.se/platsbanken/annonser/30016621"
    assert (v.source, v.external_id, v.imported_on) == ("jobsearch", "30016621", DAY)
    assert v.place.startswith("Region Sörmland")


def test_licences_languages_skills_and_ranges(db, real_ads):
    with_licence = [ad for ad in real_ads if ad["driving_license_required"]]
    with_skills = [ad for ad in real_ads if ad["must_have"]["skills"]
                   and any(lang["label"] == "Svenska" for lang in ad["must_have"]["languages"])]
    ranged = [ad for ad in real_ads if (ad["scope_of_work"] or {}).get("min") == 0]
    import_ads(with_licence + with_skills + ranged[:1], today=DAY)
    for ad in with_licence:
        v = Vacancy.objects.get(external_id=ad["id"])
        assert {d.code for d in v.driving_licences.all()} == {
            d["label"] for d in ad["driving_license"]}
    for ad in with_skills:
        v = Vacancy.objects.get(external_id=ad["id"])
        assert v.required_skills[:len(ad["must_have"]["skills"])] == [
            s["label"] for s in ad["must_have"]["skills"]]
        assert v.min_swedish_level == "sfi_d"
        assert "Svenska" not in v.required_skills
    v = Vacancy.objects.get(external_id=ranged[0]["id"])
    assert (v.extent_percent, v.extent_adaptable) == (100, True)


def test_reimport_is_idempotent_and_updates_in_place(db, real_ads):
    import_ads(real_ads, today=DAY)
    rows = (Vacancy.objects.count(), Vacancy.history.count(), Employer.objects.count())
    again = import_ads(real_ads, today=DAY)
    assert again.summary["unchanged"] == 59
    assert (Vacancy.objects.count(), Vacancy.history.count(), Employer.objects.count()) == rows
    changed = one(real_ads, "30016621")
    changed["headline"] = "Psykiatrisjuksköterska, ny rubrik"
    changed["removed"] = True
    pk = Vacancy.objects.get(external_id="30016621").pk
    report = import_ads([changed], today=DAY)
    assert report.results[0].outcome == "updated" and report.results[0].vacancy_id == pk
    v = Vacancy.objects.get(pk=pk)
    assert (v.title, v.status) == ("Psykiatrisjuksköterska, ny rubrik", "closed")
    assert Vacancy.objects.count() == rows[0]


def test_dry_run_saves_nothing_but_reports_everything(db, real_ads):
    report = import_ads(real_ads[:5], today=DAY, dry_run=True)
    assert report.summary["created"] == 5 and report.dry_run
    assert not Vacancy.objects.exists() and not Employer.objects.exists()
    assert "Dry run: nothing was saved." in list(report.lines())[-1]


class TestBrokenAds:
    def run(self, ads):
        report = import_ads(ads, today=DAY)
        return report.results

    def test_missing_headline_is_skipped_with_the_reason(self, db, real_ads):
        ad = one(real_ads, "30016621")
        del ad["headline"]
        (result,) = self.run([ad])
        assert result.outcome == "skipped"
        assert {(e.field, e.code) for e in result.errors} == {("headline", "required")}
        assert not Vacancy.objects.exists()

    @pytest.mark.parametrize("field, value", [("headline", 17), ("headline", "   "),
                                              ("id", None), ("id", ["x"])])
    def test_required_fields_of_wrong_type_or_empty(self, db, real_ads, field, value):
        ad = one(real_ads, "30016621")
        ad[field] = value
        (result,) = self.run([ad])
        assert result.outcome == "skipped" and result.errors
        assert result.errors[0].field == field

    def test_unknown_ssyk_imports_without_occupation_and_says_why(self, db, real_ads):
        ad = one(real_ads, "30016621")
        ad["occupation_group"]["legacy_ams_taxonomy_id"] = "9999"
        ad["occupation"] = None
        (result,) = self.run([ad])
        assert result.outcome == "created"
        assert {("occupation_group.legacy_ams_taxonomy_id", "unknown_code"),
                ("occupation_group", "not_matchable")} <= warning_codes(result)
        vacancy = Vacancy.objects.get()
        assert vacancy.occupation is None and not vacancy.can_be_matched

    def test_missing_group_uses_a_known_occupation_name(self, db, real_ads):
        ad = one(real_ads, "30016446")  # Undersköterska, occupation name on file
        del ad["occupation_group"]
        (result,) = self.run([ad])
        assert ("occupation_group", "from_occupation_name") in warning_codes(result)
        assert Vacancy.objects.get().occupation.code == "5321"

    def test_bad_orgnr_imports_without_employer(self, db, real_ads):
        ad = one(real_ads, "30016621")
        ad["employer"]["organization_number"] = "2321000033"
        (result,) = self.run([ad])
        assert result.outcome == "created"
        assert ("employer.organization_number", "checksum") in warning_codes(result)
        assert Vacancy.objects.get().employer is None and not Employer.objects.exists()
        assert Vacancy.objects.get().place.startswith("Region Sörmland")

    def test_wrong_types_in_optional_fields_are_reported_and_ignored(self, db, real_ads):
        ad = one(real_ads, "30016621")
        ad.update(scope_of_work="heltid", number_of_vacancies="två",
                  application_deadline="snart", driving_license_required="ja",
                  must_have={"skills": [{"label": 5}, "Excel"]}, description=["text"])
        (result,) = self.run([ad])
        assert result.outcome == "created"
        assert {("scope_of_work", "wrong_type"), ("number_of_vacancies", "wrong_type"),
                ("application_deadline", "invalid_date"),
                ("driving_license_required", "wrong_type"),
                ("must_have.skills", "wrong_type"),
                ("description.text", "missing")} <= warning_codes(result)
        v = Vacancy.objects.get()
        assert (v.positions, v.deadline, v.required_skills) == (1, None, [])

    def test_an_ad_that_is_not_an_object(self, db, real_ads):
        results = self.run(["not an ad", 42, one(real_ads, "30016621")])
        assert [r.outcome for r in results] == ["skipped", "skipped", "created"]
        assert results[0].errors[0].code == "wrong_type"

    def test_an_employer_without_number(self, db, real_ads):
        no_number = next(ad for ad in real_ads if not ad["employer"]["organization_number"])
        (result,) = self.run([no_number])
        assert ("employer.organization_number", "missing") in warning_codes(result)
        assert Vacancy.objects.get().employer is None

    def test_a_hand_set_occupation_survives_a_reimport_without_one(self, db, real_ads):
        ad = one(real_ads, "30016621")
        del ad["occupation_group"]
        ad["occupation"] = None
        self.run([ad])
        vacancy = Vacancy.objects.get()
        from vidare.vacancies.actions import update_vacancy

        update_vacancy(actor=None, vacancy=vacancy, occupation="2225")
        (result,) = self.run([ad])
        assert result.outcome == "unchanged"
        assert Vacancy.objects.get().occupation.code == "2225"


class TestInputFormats:
    def test_list_one_ad_and_json_lines(self, real_ads):
        ads = real_ads[:3]
        assert parse_ads(json.dumps(ads)) == ads
        assert parse_ads(json.dumps(ads[0])) == [ads[0]]
        assert parse_ads("\n".join(json.dumps(a) for a in ads)) == ads
        assert parse_ads(json.dumps({"total": {"value": 0}, "hits": []})) == []

    @pytest.mark.parametrize("text, words", [
        ("", "empty"), ("<html>nope</html>", "Not JSON"), ('{"hits": 3}', "not a list"),
        ('{"foo": 1}', "Not JobSearch ads"), ("12", "Not JobSearch ads")])
    def test_not_ads_at_all(self, text, words):
        with pytest.raises(JobSearchFormatError, match=words):
            parse_ads(text)

    def test_import_file(self, db, tmp_path, real_ads):
        path = tmp_path / "ads.json"
        path.write_text(json.dumps(real_ads[:2]), "utf-8")
        assert import_file(path, today=DAY).summary["created"] == 2


class TestCommand:
    def call(self, *args) -> str:
        out = io.StringIO()
        call_command("vacancies", "import", *args, stdout=out)
        return out.getvalue()

    def test_summary_and_idempotence(self, db):
        text = self.call(str(DATA_FILE))
        assert "59 ads: 59 created, 0 updated, 0 unchanged, 0 skipped" in text
        assert "[1] ad 30016621" in text
        text = self.call(str(DATA_FILE), "--json")
        report = json.loads(text)
        assert report["summary"]["unchanged"] == 59 and len(report["ads"]) == 59
        assert set(report["ads"][0]) == {"index", "id", "headline", "result", "vacancy",
                                         "employer", "warnings", "errors"}

    def test_dry_run(self, db):
        report = json.loads(self.call(str(DATA_FILE), "--dry-run", "--json"))
        assert report["dry_run"] and report["summary"]["created"] == 59
        assert not Vacancy.objects.exists()

    def test_unreadable_input(self, db, tmp_path):
        bad = tmp_path / "bad.json"
        bad.write_text("this is not json", "utf-8")
        with pytest.raises(CommandError, match="Not JSON"):
            self.call(str(bad))
        with pytest.raises(CommandError, match="No such file"):
            self.call(str(tmp_path / "missing.json"))
        latin = tmp_path / "latin.json"
        latin.write_bytes('{"headline": "Städare"}'.encode("latin-1"))
        with pytest.raises(CommandError, match="Not UTF-8"):
            self.call(str(latin))

    def test_user_must_be_a_broker(self, world):
        with pytest.raises(CommandError, match="may not change"):
            self.call(str(DATA_FILE), "--user", "coach_h")
        text = self.call(str(DATA_FILE), "--user", "broker_h", "--json")
        assert json.loads(text)["summary"]["created"] == 59
        assert Vacancy.objects.first().created_by == world.users["broker_h"]
