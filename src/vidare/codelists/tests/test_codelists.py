"""Code lists: what migration 0002 loads, the loader's rules, the read helpers and the command."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from vidare.codelists import loader
from vidare.codelists.loader import CodelistDataError, load_all, load_all_detailed
from vidare.codelists.models import (
    DrivingLicence,
    EducationLevel,
    JobTitle,
    Language,
    Municipality,
    Occupation,
    OccupationName,
    RelatedOccupation,
    ScbOccupationMapping,
)
from vidare.codelists.services import (
    education_level_choices,
    occupation_choices,
    occupation_for_scb_code,
    resolve_occupation,
)

ALL_MODELS = (
    Occupation,
    ScbOccupationMapping,
    OccupationName,
    EducationLevel,
    Municipality,
    Language,
    DrivingLicence,
    JobTitle,
    RelatedOccupation,
)


def snapshot() -> dict[str, list[tuple]]:
    return {
        model.__name__: list(model.objects.order_by("pk").values_list()) for model in ALL_MODELS
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, target)
    return target


def replace_line(path: Path, startswith: str, new_start: str) -> int:
    """Replace ``startswith`` at the start of the first physical line that has it.

    Returns the line's 1-based number. The rest of the line (and of a multi-line row) stays.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.startswith(startswith):
            lines[number - 1] = new_start + line[len(startswith) :]
            path.write_text("\n".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"no line starts with {startswith!r} in {path}")


# --- what the data migration stored ----------------------------------------------------------


@pytest.mark.django_db
def test_migration_loads_every_list_with_the_expected_counts():
    by_level = {level: Occupation.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert by_level == {1: 10, 2: 46, 3: 148, 4: 400}
    # SCB's 429 level-4 codes less 4430 and 7619, which JobTech has no group for.
    assert ScbOccupationMapping.objects.count() == 427
    assert OccupationName.objects.count() == 2819
    assert EducationLevel.objects.count() == 71
    assert Municipality.objects.count() == 290
    assert DrivingLicence.objects.count() == 15
    assert Language.objects.count() == 190


@pytest.mark.django_db
def test_level4_group_has_jobtech_and_scb_names():
    cleaners = Occupation.objects.get(code="9111")
    assert cleaners.level == 4
    assert cleaners.name_sv == "Städare"
    assert cleaners.name_en == "Cleaners and helpers in offices, hotels and other establishments"
    assert cleaners.jobtech_concept_id == "Z6TY_xDf_Yup"
    assert cleaners.description_sv
    # JobTech's merged manager groups have no SCB code, hence no English name.
    finance = Occupation.objects.get(code="1210")
    assert (finance.name_sv, finance.name_en) == ("Ekonomi- och finanschefer", "")
    assert finance.occupation_field_sv == "Chefer och verksamhetsledare"


@pytest.mark.django_db
def test_parent_chain_of_5321_reaches_level_1():
    group = Occupation.objects.get(code="5321")
    assert group.name_sv == "Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering"
    chain = []
    node = group.parent
    while node is not None:
        chain.append((node.code, node.level, node.name_sv, node.name_en))
        node = node.parent
    assert chain == [
        ("532", 3, "", "Personal care workers in health services"),
        ("53", 2, "", "Personal care workers"),
        (
            "5",
            1,
            "Service-, omsorgs- och försäljningsyrken",
            "Service, care and shop sales workers",
        ),
    ]
    # No Swedish names for levels 2-3 are on file: none was invented.
    assert not Occupation.objects.filter(level__in=[2, 3]).exclude(name_sv="").exists()
    assert str(Occupation.objects.get(code="53")) == "53 Personal care workers"


@pytest.mark.django_db
def test_every_group_below_level_1_has_a_parent_one_level_up_with_its_prefix():
    for code, level, parent_code, parent_level in Occupation.objects.exclude(level=1).values_list(
        "code", "level", "parent__code", "parent__level"
    ):
        assert parent_level == level - 1, code
        assert code.startswith(parent_code), code
    assert not Occupation.objects.filter(level=1, parent__isnull=False).exists()


@pytest.mark.django_db
def test_occupation_names_under_5321():
    names = set(
        OccupationName.objects.filter(occupation__code="5321").values_list("name_sv", flat=True)
    )
    assert names == {"Hemsjukvårdare", "Undersköterska, hemtjänst, äldreboende och habilitering"}
    first = OccupationName.objects.get(concept_id="NMsH_24t_Bmc")
    assert first.name_sv == "1:e Fartygsingenjör"
    assert first.occupation.code == "3151"
    assert first.job_titles_sv.startswith("Sjöingenjör | Fartygsingenjör")


@pytest.mark.django_db
def test_scb_codes_map_to_jobtech_groups():
    def target(scb_code: str) -> str:
        return ScbOccupationMapping.objects.get(scb_code=scb_code).occupation.code

    assert target("1211") == "1210"
    assert target("1212") == "1210"
    assert target("1792") == "1790"
    assert target("5322") == "5321"
    assert target("5324") == "5323"
    assert target("9111") == "9111"
    assert ScbOccupationMapping.objects.get(scb_code="1211").scb_name_en == (
        "Finance managers, level 1"
    )
    assert not ScbOccupationMapping.objects.filter(scb_code__in=["4430", "7619"]).exists()
    # Every stored level-4 group is reachable from at least one SCB code.
    assert ScbOccupationMapping.objects.values("occupation").distinct().count() == 400


def test_scb_mapping_rule_fails_loudly_for_a_code_it_does_not_know():
    codes = {"1210", "5321", "7611"}
    assert loader.jobtech_group_for_scb_code("1211", codes) == "1210"
    assert loader.jobtech_group_for_scb_code("4430", codes) is None
    with pytest.raises(LookupError, match="SCB code 7618 maps to no JobTech level-4 group"):
        loader.jobtech_group_for_scb_code("7618", codes)
    with pytest.raises(LookupError, match="SCB code 1311"):
        loader.jobtech_group_for_scb_code("1311", codes)


@pytest.mark.django_db
def test_sun_levels_have_parents_one_digit_shorter():
    upper_secondary = EducationLevel.objects.get(code="33")
    assert upper_secondary.name_sv == "Gymnasial utbildning, 3 år"
    assert upper_secondary.level_digits == 2
    assert upper_secondary.parent.code == "3"
    assert EducationLevel.objects.get(code="337").parent == upper_secondary
    assert EducationLevel.objects.get(code="6").parent is None
    # SUN 2020 level 1 runs from 0 to 6.
    assert list(
        EducationLevel.objects.filter(level_digits=1)
        .order_by("code")
        .values_list("code", flat=True)
    ) == ["0", "1", "2", "3", "4", "5", "6"]


@pytest.mark.django_db
def test_municipalities_carry_their_county():
    stockholm = Municipality.objects.get(code="0180")
    assert (stockholm.name_sv, stockholm.county_code, stockholm.county_name_sv) == (
        "Stockholm",
        "01",
        "Stockholms län",
    )
    assert Municipality.objects.get(code="2480").name_sv == "Umeå"
    assert Municipality.objects.values("county_code").distinct().count() == 21


@pytest.mark.django_db
def test_driving_licences_in_licence_order():
    assert list(DrivingLicence.objects.values_list("code", flat=True)) == [
        "AM",
        "A1",
        "A2",
        "A",
        "B",
        "Utökad B",
        "BE",
        "C1",
        "C1E",
        "C",
        "CE",
        "D1",
        "D1E",
        "D",
        "DE",
    ]
    assert DrivingLicence.objects.get(code="B").concept_id == "VTK8_WRx_GcM"


@pytest.mark.django_db
def test_languages_have_swedish_names():
    names = dict(Language.objects.values_list("code", "name_sv"))
    assert names["ar"] == "Arabiska"
    assert names["ti"] == "Tigrinja"
    assert names["prs"] == "Dari"
    assert names["sv"] == "Svenska"
    assert names["fa"] == "Persiska"
    assert names["ckb"] == "Sorani"
    assert names["kmr"] == "Nordkurdiska"
    assert names["aii"] == "Nyöstsyriska"
    assert names["tig"] == "Tigré"
    assert names["rom"] == "Romani"
    # pycountry's Swedish catalogue gives "Somali" (identical to the English name).
    assert names["so"] == "Somali"
    # pycountry has no Swedish text for Modern Greek; Django's Swedish catalogue does.
    assert names["el"] == "Grekiska"
    assert Language.objects.get(code="el").name_en == "Modern Greek (1453-)"
    assert all(name[:1].isupper() for name in names.values())
    assert len(set(names.values())) == len(names)


# --- the loader --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_second_load_changes_nothing():
    before = snapshot()
    results = load_all_detailed()
    assert {name: (r.created, r.updated) for name, r in results.items()} == {
        name: (0, 0) for name in loader.MODEL_NAMES
    }
    counts = load_all()
    assert counts == {
        "Occupation": 604,
        "ScbOccupationMapping": 427,
        "OccupationName": 2819,
        "EducationLevel": 71,
        "Municipality": 290,
        "Language": 190,
        "DrivingLicence": 15,
        "JobTitle": 7464,
        "RelatedOccupation": len(loader.build_related_occupations()),
    }
    assert snapshot() == before


@pytest.mark.django_db
def test_load_restores_changed_and_missing_rows():
    Occupation.objects.filter(code="9111").update(name_sv="Fel namn")
    links = JobTitle.objects.filter(occupation_name__concept_id="NMsH_24t_Bmc")
    assert links.count() == 5
    links.delete()
    OccupationName.objects.filter(concept_id="NMsH_24t_Bmc").delete()
    RelatedOccupation.objects.filter(occupation__code="9111", related__code="9119").update(
        strength=1)
    RelatedOccupation.objects.create(occupation=Occupation.objects.get(code="9111"),
                                     related=Occupation.objects.get(code="0110"),
                                     kind="same_field", strength=1)
    results = load_all_detailed()
    assert results["Occupation"].updated == 1
    assert results["OccupationName"].created == 1
    assert results["JobTitle"].created == 5
    assert (results["RelatedOccupation"].updated, results["RelatedOccupation"].deleted) == (1, 1)
    assert Occupation.objects.get(code="9111").name_sv == "Städare"
    assert OccupationName.objects.get(concept_id="NMsH_24t_Bmc").occupation.code == "3151"
    assert JobTitle.objects.filter(occupation_name__concept_id="NMsH_24t_Bmc").count() == 5
    assert related_strength("9111", "9119") == 2
    assert not RelatedOccupation.objects.filter(occupation__code="9111",
                                                related__code="0110").exists()


def related_strength(code: str, related: str) -> int:
    return RelatedOccupation.objects.get(occupation__code=code, related__code=related).strength


@pytest.mark.django_db
def test_job_title_in_another_group_than_its_occupation_name_is_refused(data_copy: Path):
    # Städbiträde links to Städare/Lokalvårdare (9111); say 5151 instead.
    line = replace_line(data_copy / "job_titles.csv", "7Xt2_BhX_o7H,Städbiträde,dYo1_D8c_87U,"
                        "Städare/Lokalvårdare,9111,", "7Xt2_BhX_o7H,Städbiträde,dYo1_D8c_87U,"
                        "Städare/Lokalvårdare,5151,")
    JobTitle.objects.all().delete()
    with pytest.raises(CodelistDataError) as excinfo:
        load_all(data_dir=data_copy)
    assert str(excinfo.value).startswith(f"job_titles.csv, line {line}: ssyk_code 5151 differs "
                                         "from the group 9111 of occupation name dYo1_D8c_87U")
    assert not JobTitle.objects.exists()  # nothing saved


def test_job_titles_without_a_group_are_counted_not_loaded():
    rows, skipped = loader.parse_job_titles(loader.DATA_DIR / "job_titles.csv")
    assert (len(rows), skipped) == (7464, 4)
    assert not [r for r in rows if r["concept_id"] == "YgkE_ncu_rNx"]  # "Product owner"


def test_migrations_before_the_job_title_tables_load_the_rest():
    class Registry:
        def get_model(self, app: str, name: str) -> str:
            if name in loader.LATER_MODEL_NAMES:
                raise LookupError(name)
            return name

    models = loader.CodelistModels.from_apps(Registry())
    assert set(models) == set(loader.MODEL_NAMES) - loader.LATER_MODEL_NAMES


@pytest.mark.django_db
def test_malformed_row_names_file_and_line_and_nothing_is_saved(data_copy: Path):
    line = replace_line(data_copy / "sun2020_levels.csv", "33,", "3x,")
    Occupation.objects.filter(code="9111").update(name_sv="Ändrad före laddning")
    with pytest.raises(CodelistDataError) as excinfo:
        load_all(data_dir=data_copy)
    message = str(excinfo.value)
    assert message.startswith(f"sun2020_levels.csv, line {line}:")
    assert "column 'code' must be 2 digit(s)" in message
    assert excinfo.value.line == line
    # Every file is checked before the first write.
    assert Occupation.objects.get(code="9111").name_sv == "Ändrad före laddning"


def test_wrong_number_of_fields_is_reported_with_its_line(data_copy: Path):
    line = replace_line(data_copy / "municipalities.csv", "0180,Stockholm,01,", "0180,Stockholm,")
    with pytest.raises(CodelistDataError, match=rf"municipalities.csv, line {line}: expected 6"):
        loader.parse_municipalities(data_copy / "municipalities.csv")


def test_line_numbers_count_newlines_inside_quoted_cells(data_copy: Path):
    # ssyk_level4_jobtech.csv has multi-line descriptions, so row number != line number.
    path = data_copy / "ssyk_level4_jobtech.csv"
    line = replace_line(path, "9111,", "91x1,")
    assert line > 400
    with pytest.raises(CodelistDataError) as excinfo:
        loader.parse_ssyk_level4_jobtech(path)
    assert str(excinfo.value) == (
        f"ssyk_level4_jobtech.csv, line {line}: column 'ssyk_code' must be 4 digits, got '91x1'"
    )


def test_missing_column_and_bom_handling(data_copy: Path):
    path = data_copy / "ssyk2012_structure_en_scb.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # shipped with SCB's byte-order mark
    assert loader.parse_scb_structure(path)["1"]["name_en"] == "Managers"
    replace_line(path, "\ufeffcode,name", "\ufeffcode,title")
    with pytest.raises(CodelistDataError, match=r"ssyk2012_structure_en_scb\.csv, line 1: missing"):
        loader.parse_scb_structure(path)


def test_occupation_name_with_unknown_group_is_refused(data_copy: Path):
    path = data_copy / "occupation_names.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",3151,", ",9998,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert loader.parse_occupation_names(path)[0]["ssyk_code"] == "9998"  # well-formed
    # The loader checks it against the groups before touching the database.
    with pytest.raises(
        CodelistDataError,
        match=r"occupation_names\.csv, line 2: ssyk_code 9998 is not a stored level-4 group",
    ):
        load_all(data_dir=data_copy)


def test_shipped_files_are_the_documented_copies():
    sources = (loader.DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    import hashlib

    for path in sorted(loader.DATA_DIR.glob("*.csv")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert f"{digest}  {path.name}" in sources, path.name


# --- read helpers ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["9999", "abc", ""])
def test_resolve_occupation_refuses_unknown_codes(code):
    with pytest.raises(ValidationError) as excinfo:
        resolve_occupation(code)
    error = excinfo.value.error_dict["occupation"][0]
    assert error.code == "unknown_code"
    assert excinfo.value.message_dict == {"occupation": [f"Okänd SSYK-kod: {code}"]}


@pytest.mark.django_db
def test_resolve_occupation_finds_level4_and_refuses_other_levels():
    assert resolve_occupation(" 5321 ").name_sv.startswith("Undersköterskor, hemtjänst")
    with pytest.raises(ValidationError) as excinfo:
        resolve_occupation("53")
    assert excinfo.value.error_dict["occupation"][0].code == "wrong_level"
    assert resolve_occupation("53", level=None).level == 2


@pytest.mark.django_db
def test_occupation_for_scb_code():
    assert occupation_for_scb_code("1211").code == "1210"
    assert occupation_for_scb_code("5324").code == "5323"
    with pytest.raises(ValidationError) as excinfo:
        occupation_for_scb_code("4430")
    assert excinfo.value.error_dict["occupation"][0].code == "no_jobtech_group"
    with pytest.raises(ValidationError) as excinfo:
        occupation_for_scb_code("1210")  # a JobTech code, not one of SCB's
    assert excinfo.value.message_dict == {"occupation": ["Okänd SSYK-kod: 1210"]}


@pytest.mark.django_db
def test_choices():
    choices = occupation_choices()
    assert len(choices) == 400
    assert choices[0] == ("0110", "0110 Officerare")
    assert ("9111", "9111 Städare") in choices
    assert [code for code, _ in choices] == sorted(code for code, _ in choices)
    assert occupation_choices(level=1)[5] == ("5", "5 Service-, omsorgs- och försäljningsyrken")
    assert ("53", "53 Personal care workers") in occupation_choices(level=2)

    levels = education_level_choices()
    assert len(levels) == 14
    assert levels[0] == ("00", "Förskoleutbildning")
    assert ("33", "Gymnasial utbildning, 3 år") in levels


# --- command -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_check_show_and_load():
    out = StringIO()
    call_command("codelists", "check", stdout=out)
    assert "Code lists OK." in out.getvalue()
    assert "no JobTech group: 4430, 7619" in out.getvalue()

    out = StringIO()
    call_command("codelists", "show", "5321", stdout=out)
    text = out.getvalue()
    assert "532  level 3  Personal care workers in health services" in text
    assert "5    level 1  Service-, omsorgs- och försäljningsyrken" in text
    assert "SCB codes: 5321, 5322" in text
    assert "Hemsjukvårdare" in text

    out = StringIO()
    call_command("codelists", "show", "1211", stdout=out)
    assert "SCB 1211 Finance managers, level 1 → 1210" in out.getvalue()

    with pytest.raises(CommandError, match="Unknown SSYK code: 9999"):
        call_command("codelists", "show", "9999", stdout=StringIO())

    out = StringIO()
    call_command("codelists", "load", stdout=out)
    assert "OccupationName          2819 rows (0 created, 0 updated)" in out.getvalue()


@pytest.mark.django_db
def test_command_check_fails_when_rows_are_missing():
    DrivingLicence.objects.filter(code="DE").delete()
    with pytest.raises(CommandError, match="DrivingLicence: 14, expected 15"):
        call_command("codelists", "check", stdout=StringIO())
