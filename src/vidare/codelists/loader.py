"""Read the shipped code lists (data/*.csv, see data/SOURCES.md) and upsert them into the database.

Two layers:

* ``parse_*`` / ``build_*`` functions read and check the files and return plain dicts. They import
  nothing from Django, so they can be tested and reused on their own.
* ``load_all`` writes those rows into the models, keyed on ``code`` (``concept_id`` for occupation
  names, ``scb_code`` for the SCB mapping): rows that are missing are created, rows whose values
  differ are updated, equal rows are left alone, so a second run changes nothing. Rows that are no
  longer in the files are not deleted (other tables may point at them); ``codelists check`` reports
  them through the counts.

The model classes are passed in as a ``CodelistModels`` mapping, so the same code serves the data
migration (historical models from ``apps.get_model``) and the management command (the real models).

Every problem in a file raises ``CodelistDataError`` naming the file and the line.
"""

from __future__ import annotations

import csv
import gettext
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

DATA_DIR = Path(__file__).resolve().parent / "data"

SSYK_FILE = "ssyk2012.csv"
SSYK_JOBTECH_FILE = "ssyk_level4_jobtech.csv"
SCB_FILE = "ssyk2012_structure_en_scb.csv"
OCCUPATION_NAMES_FILE = "occupation_names.csv"
SUN_LEVELS_FILE = "sun2020_levels.csv"
MUNICIPALITIES_FILE = "municipalities.csv"
VALUE_LISTS_FILE = "jobtech_value_lists_2019.csv"
JOB_TITLES_FILE = "job_titles.csv"

# SCB level-4 codes that JobTech does not carry and whose JobTech group is named in its label
# (see data/SOURCES.md): 5322 "Assistant nurses, rehabilitation" sits in JobTech 5321
# "Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering"; 5324 "Assistant nurses,
# clinic" in JobTech 5323 "Undersköterskor, vård- och specialavdelning och mottagning".
SCB_MERGED_INTO: dict[str, str] = {"5322": "5321", "5324": "5323"}
# SCB level-4 codes with no JobTech group at all: 4430 "Elected representatives", 7619 "Other food
# processors". They get no mapping row; nothing in the data says where JobTech files them.
SCB_WITHOUT_JOBTECH_GROUP: frozenset[str] = frozenset({"4430", "7619"})

# Licence classes in the order of the Swedish licence ladder (moped/motorcycle, car, lorry, bus).
DRIVING_LICENCE_ORDER: tuple[str, ...] = (
    "AM",
    "A1",
    "A2",
    "A",
    "B",
    "Utökad B",
    "B96",
    "BE",
    "C1",
    "C1E",
    "C",
    "CE",
    "D1",
    "D1E",
    "D",
    "DE",
)

# Languages without an ISO 639-1 code that are common among participants (ISO 639-3 codes).
EXTRA_LANGUAGES: tuple[str, ...] = ("prs", "ckb", "kmr", "aii", "tig", "rom")

MODEL_NAMES: tuple[str, ...] = (
    "Occupation",
    "ScbOccupationMapping",
    "OccupationName",
    "EducationLevel",
    "Municipality",
    "Language",
    "DrivingLicence",
    "JobTitle",
    "RelatedOccupation",
)
# Models added after the first data migration (0002): a migration that runs before their table
# exists loads everything else.
LATER_MODEL_NAMES: frozenset[str] = frozenset({"JobTitle", "RelatedOccupation"})

Row = dict[str, Any]


class CodelistDataError(ValueError):
    """A code-list file is missing, unreadable or holds a row that breaks a rule."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path.name}, line {line}" if line else self.path.name
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvRow:
    path: Path
    line: int
    values: dict[str, str]

    def error(self, message: str) -> CodelistDataError:
        return CodelistDataError(self.path, self.line, message)

    def get(
        self,
        column: str,
        *,
        pattern: str | None = None,
        rule: str | None = None,
        required: bool = True,
        max_length: int | None = None,
    ) -> str:
        value = self.values[column].strip()
        if required and not value:
            raise self.error(f"column '{column}' is empty")
        if value and pattern is not None and not re.fullmatch(pattern, value):
            raise self.error(f"column '{column}' must be {rule or pattern}, got {value!r}")
        if max_length is not None and len(value) > max_length:
            raise self.error(
                f"column '{column}' is longer than {max_length} characters ({len(value)})"
            )
        return value


def read_csv(path: Path, columns: Sequence[str]) -> Iterator[CsvRow]:
    """Yield the rows of a UTF-8 CSV file with a header, each with the line it starts on.

    ``utf-8-sig`` drops the byte-order mark that ssyk2012_structure_en_scb.csv starts with and reads
    the files without one unchanged. Every row must have as many fields as the header; blank lines
    are skipped.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CodelistDataError(path, None, f"cannot open: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise CodelistDataError(path, 1, "the file is empty; a header row is needed") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise CodelistDataError(path, 1, f"unreadable header: {exc}") from exc
        header = [name.strip() for name in header]
        missing = [name for name in columns if name not in header]
        if missing:
            raise CodelistDataError(
                path, 1, f"missing column(s) {', '.join(missing)}; the header is {header}"
            )
        line = reader.line_num + 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                raise CodelistDataError(path, line, f"unreadable row: {exc}") from exc
            if fields:
                if len(fields) != len(header):
                    raise CodelistDataError(
                        path,
                        line,
                        f"expected {len(header)} fields ({','.join(header)}), found {len(fields)}",
                    )
                yield CsvRow(path, line, dict(zip(header, fields, strict=True)))
            line = reader.line_num + 1


def _unique(rows: Iterable[tuple[CsvRow, str]], what: str) -> None:
    seen: dict[str, int] = {}
    for row, key in rows:
        if key in seen:
            raise row.error(f"duplicate {what} {key!r} (first on line {seen[key]})")
        seen[key] = row.line


CONCEPT_ID = r"[A-Za-z0-9_]{3,20}"
CONCEPT_RULE = "a JobTech concept id (letters, digits, '_')"


# --------------------------------------------------------------------------------------------
# Parsing one file at a time
# --------------------------------------------------------------------------------------------


def parse_ssyk2012(path: Path) -> dict[str, Row]:
    """ssyk2012.csv: the 10 level-1 and 400 JobTech level-4 groups, by code."""
    result: dict[str, Row] = {}
    rows = list(read_csv(path, ["code", "level", "name_sv", "jobtech_concept_id"]))
    for row in rows:
        level = int(
            row.get("level", pattern="[14]", rule="1 or 4 (levels 2-3 are not in this file)")
        )
        code = row.get(
            "code", pattern=rf"\d{{{level}}}", rule=f"{level} digit(s) for level {level}"
        )
        result[code] = {
            "code": code,
            "level": level,
            "name_sv": row.get("name_sv", max_length=255),
            "jobtech_concept_id": row.get(
                "jobtech_concept_id", pattern=CONCEPT_ID, rule=CONCEPT_RULE
            ),
        }
    _unique(((row, row.values["code"].strip()) for row in rows), "code")
    return result


def parse_ssyk_level4_jobtech(path: Path) -> dict[str, Row]:
    """ssyk_level4_jobtech.csv: occupation field and description of each JobTech level-4 group."""
    columns = ["ssyk_code", "concept_id", "name_sv_2024", "occupation_field_sv", "description_sv"]
    rows = list(read_csv(path, columns))
    result: dict[str, Row] = {}
    for row in rows:
        code = row.get("ssyk_code", pattern=r"\d{4}", rule="4 digits")
        result[code] = {
            "row": row,
            "concept_id": row.get("concept_id", pattern=CONCEPT_ID, rule=CONCEPT_RULE),
            "name_sv": row.get("name_sv_2024", max_length=255),
            "occupation_field_sv": row.get("occupation_field_sv", max_length=255),
            # Multi-line cells: keep the text, normalise Windows line ends.
            "description_sv": row.values["description_sv"].replace("\r\n", "\n").strip(),
        }
    _unique(((row, row.values["ssyk_code"].strip()) for row in rows), "ssyk_code")
    return result


def parse_scb_structure(path: Path) -> dict[str, Row]:
    """ssyk2012_structure_en_scb.csv: SCB's SSYK 2012 codes at levels 1-4 with English names."""
    rows = list(read_csv(path, ["code", "name"]))
    result: dict[str, Row] = {}
    for row in rows:
        code = row.get("code", pattern=r"\d{1,4}", rule="1 to 4 digits")
        result[code] = {
            "code": code,
            "level": len(code),
            "name_en": row.get("name", max_length=255),
        }
        result[code]["row"] = row
    _unique(((row, row.values["code"].strip()) for row in rows), "code")
    return result


def parse_occupation_names(path: Path) -> list[Row]:
    """occupation_names.csv: JobTech occupation names with their SSYK level-4 code."""
    rows = list(read_csv(path, ["concept_id", "name_sv", "ssyk_code", "job_titles_sv"]))
    result = [
        {
            "row": row,
            "concept_id": row.get("concept_id", pattern=CONCEPT_ID, rule=CONCEPT_RULE),
            "name_sv": row.get("name_sv", max_length=255),
            "ssyk_code": row.get("ssyk_code", pattern=r"\d{4}", rule="4 digits"),
            "job_titles_sv": row.get("job_titles_sv", required=False),
        }
        for row in rows
    ]
    _unique(((item["row"], item["concept_id"]) for item in result), "concept_id")
    return result


def parse_job_titles(path: Path) -> tuple[list[Row], int]:
    """job_titles.csv: one row per (job title, occupation name) link with the SSYK code.

    Returns the rows and the number left out: links whose occupation name is in neither JobTech
    list have no SSYK code and no name (4 rows, all to one retired name); they cannot be placed.
    """
    columns = ["job_title_concept_id", "job_title_sv", "occupation_name_concept_id",
               "occupation_name_sv", "ssyk_code"]
    result: list[Row] = []
    skipped = 0
    for row in read_csv(path, columns):
        if not row.values["ssyk_code"].strip() and not row.values["occupation_name_sv"].strip():
            skipped += 1
            continue
        result.append({
            "row": row,
            "concept_id": row.get("job_title_concept_id", pattern=CONCEPT_ID, rule=CONCEPT_RULE),
            "title_sv": row.get("job_title_sv", max_length=255),
            "occupation_name_concept_id": row.get(
                "occupation_name_concept_id", pattern=CONCEPT_ID, rule=CONCEPT_RULE
            ),
            "ssyk_code": row.get("ssyk_code", pattern=r"\d{4}", rule="4 digits"),
        })
    _unique(
        ((item["row"], f"{item['concept_id']} → {item['occupation_name_concept_id']}")
         for item in result),
        "job title link",
    )
    return result, skipped


def build_related_occupations(data_dir: Path = DATA_DIR) -> list[Row]:
    """Related level-4 groups computed from the shipped files (``engines.occupations.related``):
    ``code, related_code, kind, strength`` in both directions."""
    from vidare.engines.occupations import TaxonomyFileError, read_taxonomy
    from vidare.engines.occupations.related import related_pairs

    try:
        taxonomy = read_taxonomy(data_dir)
    except TaxonomyFileError as exc:
        raise CodelistDataError(data_dir, None, str(exc)) from exc
    return [
        {"code": p.occupation, "related_code": p.related, "kind": p.kind, "strength": p.strength}
        for p in related_pairs(taxonomy)
    ]


def parse_sun_levels(path: Path) -> list[Row]:
    """sun2020_levels.csv: SUN 2020 education levels with 1, 2 or 3 digits."""
    rows = list(read_csv(path, ["code", "level_digits", "name_sv"]))
    result = []
    for row in rows:
        digits = int(row.get("level_digits", pattern="[123]", rule="1, 2 or 3"))
        code = row.get("code", pattern=rf"\d{{{digits}}}", rule=f"{digits} digit(s) (level_digits)")
        result.append(
            {
                "row": row,
                "code": code,
                "level_digits": digits,
                "name_sv": row.get("name_sv", max_length=255),
            }
        )
    _unique(((item["row"], item["code"]) for item in result), "code")
    return result


def parse_municipalities(path: Path) -> list[Row]:
    """municipalities.csv: the 290 municipalities with kommunkod and län."""
    rows = list(read_csv(path, ["kommun_code", "name_sv", "lan_code", "lan_name_sv"]))
    result = []
    for row in rows:
        code = row.get("kommun_code", pattern=r"\d{4}", rule="4 digits (kommunkod)")
        county = row.get("lan_code", pattern=r"\d{2}", rule="2 digits (länskod)")
        if not code.startswith(county):
            raise row.error(f"kommunkod {code} does not start with its länskod {county}")
        result.append(
            {
                "row": row,
                "code": code,
                "name_sv": row.get("name_sv", max_length=100),
                "county_code": county,
                "county_name_sv": row.get("lan_name_sv", max_length=100),
            }
        )
    _unique(((item["row"], item["code"]) for item in result), "kommun_code")
    return result


def parse_driving_licences(path: Path) -> list[Row]:
    """The ``driving-license`` rows of jobtech_value_lists_2019.csv, in licence order."""
    rows = [
        row
        for row in read_csv(path, ["type", "concept_id", "label_sv"])
        if row.values["type"].strip() == "driving-license"
    ]
    if not rows:
        raise CodelistDataError(path, None, "no rows of type 'driving-license'")
    items = [
        {
            "row": row,
            "code": row.get("label_sv", max_length=10),
            "concept_id": row.get("concept_id", pattern=CONCEPT_ID, rule=CONCEPT_RULE),
        }
        for row in rows
    ]
    _unique(((item["row"], item["code"]) for item in items), "driving-licence label")

    def rank(item: Row) -> tuple[int, str]:
        code = item["code"]
        known = code in DRIVING_LICENCE_ORDER
        return (DRIVING_LICENCE_ORDER.index(code) if known else len(DRIVING_LICENCE_ORDER), code)

    items.sort(key=rank)
    for position, item in enumerate(items, start=1):
        item["sort_order"] = position * 10
    return items


# --------------------------------------------------------------------------------------------
# Building the rows to store (cross-file checks)
# --------------------------------------------------------------------------------------------


def build_occupations(data_dir: Path = DATA_DIR) -> list[Row]:
    """All SSYK groups to store, parents before children: SCB levels 1-3, JobTech level 4.

    Each row has ``code, level, name_sv, name_en, parent_code, jobtech_concept_id,
    occupation_field_sv, description_sv``.
    """
    ssyk_path, jobtech_path = data_dir / SSYK_FILE, data_dir / SSYK_JOBTECH_FILE
    ssyk = parse_ssyk2012(ssyk_path)
    jobtech = parse_ssyk_level4_jobtech(jobtech_path)
    scb = parse_scb_structure(data_dir / SCB_FILE)

    level1 = {code: item for code, item in ssyk.items() if item["level"] == 1}
    level4 = {code: item for code, item in ssyk.items() if item["level"] == 4}
    scb_level1 = {code for code, item in scb.items() if item["level"] == 1}
    if set(level1) != scb_level1:
        raise CodelistDataError(
            ssyk_path,
            None,
            f"level-1 codes {sorted(level1)} differ from SCB's {sorted(scb_level1)} in {SCB_FILE}",
        )
    for code, extra in jobtech.items():
        if code not in level4:
            raise extra["row"].error(f"SSYK code {code} is not a level-4 group in {SSYK_FILE}")
        if extra["concept_id"] != level4[code]["jobtech_concept_id"]:
            raise extra["row"].error(
                f"concept_id {extra['concept_id']} differs from {SSYK_FILE} "
                f"({level4[code]['jobtech_concept_id']}) for {code}"
            )
        if extra["name_sv"] != level4[code]["name_sv"]:
            raise extra["row"].error(
                f"name_sv_2024 {extra['name_sv']!r} differs from {SSYK_FILE} "
                f"({level4[code]['name_sv']!r}) for {code}"
            )
    missing = sorted(set(level4) - set(jobtech))
    if missing:
        raise CodelistDataError(jobtech_path, None, f"no row for level-4 code(s) {missing}")

    rows: list[Row] = []
    for code in sorted(level1):
        rows.append(
            _occupation(
                code,
                1,
                level1[code]["name_sv"],
                scb[code]["name_en"],
                None,
                level1[code]["jobtech_concept_id"],
            )
        )
    for level in (2, 3):
        for code in sorted(c for c, item in scb.items() if item["level"] == level):
            parent = code[:-1]
            if parent not in scb:
                raise scb[code]["row"].error(f"level-{level} code {code} has no parent {parent}")
            # No citable Swedish list of levels 2-3 with codes exists: name_sv stays blank.
            rows.append(_occupation(code, level, "", scb[code]["name_en"], parent, ""))
    for code in sorted(level4):
        parent = code[:3]
        if parent not in scb:
            raise CodelistDataError(
                ssyk_path,
                None,
                f"level-4 code {code} has no level-3 group {parent} in {SCB_FILE}",
            )
        name_en = scb[code]["name_en"] if code in scb else ""
        row = _occupation(
            code, 4, level4[code]["name_sv"], name_en, parent, level4[code]["jobtech_concept_id"]
        )
        row["occupation_field_sv"] = jobtech[code]["occupation_field_sv"]
        row["description_sv"] = jobtech[code]["description_sv"]
        rows.append(row)
    return rows


def _occupation(
    code: str, level: int, name_sv: str, name_en: str, parent: str | None, concept_id: str
) -> Row:
    return {
        "code": code,
        "level": level,
        "name_sv": name_sv,
        "name_en": name_en,
        "parent_code": parent,
        "jobtech_concept_id": concept_id,
        "occupation_field_sv": "",
        "description_sv": "",
    }


def jobtech_group_for_scb_code(scb_code: str, jobtech_codes: Iterable[str]) -> str | None:
    """The JobTech level-4 group an SCB level-4 code belongs to, or None if JobTech has none.

    Same code where JobTech has it; the merged manager group ``code[:3] + "0"`` for SCB's split
    manager codes (1211/1212 → 1210); the groups in ``SCB_MERGED_INTO``; None for the codes in
    ``SCB_WITHOUT_JOBTECH_GROUP``. Raises ``LookupError`` for any other code.
    """
    codes = set(jobtech_codes)
    if scb_code in codes:
        return scb_code
    if scb_code in SCB_MERGED_INTO:
        return SCB_MERGED_INTO[scb_code]
    if scb_code in SCB_WITHOUT_JOBTECH_GROUP:
        return None
    merged = scb_code[:3] + "0"
    if scb_code[:1] == "1" and scb_code[3:] in {"1", "2"} and merged in codes:
        return merged
    raise LookupError(f"SCB code {scb_code} maps to no JobTech level-4 group")


def build_scb_mappings(data_dir: Path = DATA_DIR) -> list[Row]:
    """One row per SCB level-4 code that has a JobTech group: ``scb_code, scb_name_en, code``."""
    scb = parse_scb_structure(data_dir / SCB_FILE)
    jobtech_codes = {
        code for code, item in parse_ssyk2012(data_dir / SSYK_FILE).items() if item["level"] == 4
    }
    for scb_code, target in SCB_MERGED_INTO.items():
        if scb_code not in scb or target not in jobtech_codes:
            raise CodelistDataError(
                data_dir / SCB_FILE,
                None,
                f"SCB_MERGED_INTO maps {scb_code} to {target}, but the data lacks one of them",
            )
    rows = []
    for code in sorted(c for c, item in scb.items() if item["level"] == 4):
        try:
            target = jobtech_group_for_scb_code(code, jobtech_codes)
        except LookupError as exc:
            raise scb[code]["row"].error(str(exc)) from None
        if target is not None:
            rows.append({"scb_code": code, "scb_name_en": scb[code]["name_en"], "code": target})
    return rows


def build_languages() -> list[Row]:
    """Languages from pycountry: every ISO 639 language with an alpha-2 code plus EXTRA_LANGUAGES.

    ``name_sv`` is pycountry's Swedish translation (gettext domain ``iso639-3``). Where that
    catalogue has no Swedish text (it hands back the English name), Django's Swedish translation of
    its own language list is used if it has the language (el, bn, ms, ta); otherwise pycountry's
    name stays. The first letter is capitalised.
    """
    import pycountry

    iso = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["sv"])
    django_sv = _django_swedish_language_names()

    languages = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    for alpha_3 in EXTRA_LANGUAGES:
        lang = pycountry.languages.get(alpha_3=alpha_3)
        if lang is None:
            raise LookupError(
                f"pycountry {pycountry_version()} has no ISO 639-3 language {alpha_3}"
            )
        languages.append(lang)

    rows: dict[str, Row] = {}
    for lang in languages:
        code = getattr(lang, "alpha_2", None) or lang.alpha_3
        name_sv = iso.gettext(lang.name)
        if name_sv == lang.name and django_sv.get(code, lang.name) != lang.name:
            name_sv = django_sv[code]
        rows[code] = {
            "code": code,
            "name_sv": _capitalise(name_sv)[:100],
            "name_en": lang.name[:100],
        }
    return [rows[code] for code in sorted(rows)]


def _django_swedish_language_names() -> dict[str, str]:
    import django
    from django.conf import global_settings

    locale_dir = Path(django.__file__).resolve().parent / "conf" / "locale"
    catalogue = gettext.translation("django", str(locale_dir), languages=["sv"], fallback=True)
    return {code: catalogue.gettext(name) for code, name in global_settings.LANGUAGES}


def pycountry_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycountry")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


class CodelistModels(dict[str, Any]):
    """Model classes by name (``MODEL_NAMES``), real or historical."""

    @classmethod
    def from_apps(cls, apps: Any) -> CodelistModels:
        """From an app registry: ``django.apps.apps`` or the ``apps`` a migration receives.

        A migration older than a model in ``LATER_MODEL_NAMES`` gets the others only.
        """
        models = {}
        for name in MODEL_NAMES:
            try:
                models[name] = apps.get_model("codelists", name)
            except LookupError:
                if name not in LATER_MODEL_NAMES:
                    raise
        return cls(models)


@dataclass
class ModelResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0


def _sync(
    model: Any, key: str | tuple[str, ...], rows: Sequence[Row], using: str,
    *, delete_missing: bool = False,
) -> ModelResult:
    """Create missing rows, update differing ones, leave equal ones alone.

    ``key`` is one field or a tuple of fields. With ``delete_missing`` (derived tables that
    nothing points at), rows whose key is no longer in ``rows`` are deleted.
    """
    manager = model._default_manager.db_manager(using)
    # A historical model (in a migration) may lack fields added later; set only those it has.
    known = {field.attname for field in model._meta.concrete_fields}
    key_fields = (key,) if isinstance(key, str) else key
    for name in key_fields:
        if name not in known:
            raise LookupError(f"{model.__name__} has no field {name!r}")

    def key_of(values: Any, get: Any) -> Any:
        return tuple(get(values, name) for name in key_fields)

    rows = [{name: value for name, value in values.items() if name in known} for values in rows]
    existing = {key_of(obj, getattr): obj for obj in manager.all()}
    to_create, to_update, changed = [], [], set()
    seen = set()
    for values in rows:
        row_key = key_of(values, dict.__getitem__)
        seen.add(row_key)
        obj = existing.get(row_key)
        if obj is None:
            to_create.append(model(**values))
            continue
        fields = [name for name, value in values.items() if getattr(obj, name) != value]
        if fields:
            for name in fields:
                setattr(obj, name, values[name])
            changed.update(fields)
            to_update.append(obj)
    if to_create:
        manager.bulk_create(to_create, batch_size=500)
    if to_update:
        manager.bulk_update(to_update, sorted(changed), batch_size=500)
    deleted = 0
    if delete_missing:
        stale = [obj.pk for row_key, obj in existing.items() if row_key not in seen]
        for start in range(0, len(stale), 500):
            deleted += manager.filter(pk__in=stale[start:start + 500]).delete()[0]
    return ModelResult(total=len(rows), created=len(to_create), updated=len(to_update),
                       deleted=deleted)


def _merge(results: Iterable[ModelResult]) -> ModelResult:
    total = ModelResult()
    for result in results:
        total.total += result.total
        total.created += result.created
        total.updated += result.updated
    return total


def load_all_detailed(
    *,
    models: Mapping[str, Any] | None = None,
    data_dir: Path | str | None = None,
    using: str = "default",
    stdout: TextIO | None = None,
) -> dict[str, ModelResult]:
    """Read every file, check it, then write all models in one transaction."""
    from django.db import transaction

    if models is None:
        from django.apps import apps

        models = CodelistModels.from_apps(apps)
    directory = Path(data_dir) if data_dir is not None else DATA_DIR

    # Parse and check everything before the first write.
    occupations = build_occupations(directory)
    mappings = build_scb_mappings(directory)
    names = parse_occupation_names(directory / OCCUPATION_NAMES_FILE)
    level4 = {row["code"] for row in occupations if row["level"] == 4}
    for item in names:
        if item["ssyk_code"] not in level4:
            raise item["row"].error(f"ssyk_code {item['ssyk_code']} is not a stored level-4 group")
    sun = parse_sun_levels(directory / SUN_LEVELS_FILE)
    sun_codes = {item["code"] for item in sun}
    for item in sun:
        if item["level_digits"] > 1 and item["code"][:-1] not in sun_codes:
            raise item["row"].error(f"SUN code {item['code']} has no parent {item['code'][:-1]}")
    municipalities = parse_municipalities(directory / MUNICIPALITIES_FILE)
    licences = parse_driving_licences(directory / VALUE_LISTS_FILE)
    languages = build_languages()
    titles: list[Row] = []
    related: list[Row] = []
    if "JobTitle" in models:
        titles, _skipped = parse_job_titles(directory / JOB_TITLES_FILE)
        name_groups = {item["concept_id"]: item["ssyk_code"] for item in names}
        for item in titles:
            if item["ssyk_code"] not in level4:
                raise item["row"].error(
                    f"ssyk_code {item['ssyk_code']} is not a stored level-4 group"
                )
            group = name_groups.get(item["occupation_name_concept_id"])
            if group is not None and group != item["ssyk_code"]:
                raise item["row"].error(
                    f"ssyk_code {item['ssyk_code']} differs from the group {group} of occupation "
                    f"name {item['occupation_name_concept_id']} in {OCCUPATION_NAMES_FILE}"
                )
    if "RelatedOccupation" in models:
        related = build_related_occupations(directory)

    results: dict[str, ModelResult] = {}
    with transaction.atomic(using=using):
        occupation_model = models["Occupation"]
        pks: dict[str, int] = {}
        per_level = []
        for level in (1, 2, 3, 4):
            rows = [
                {
                    **{k: v for k, v in row.items() if k != "parent_code"},
                    "parent_id": pks[row["parent_code"]] if row["parent_code"] else None,
                }
                for row in occupations
                if row["level"] == level
            ]
            per_level.append(_sync(occupation_model, "code", rows, using))
            pks.update(
                occupation_model._default_manager.db_manager(using)
                .filter(level=level)
                .values_list("code", "pk")
            )
        results["Occupation"] = _merge(per_level)

        results["ScbOccupationMapping"] = _sync(
            models["ScbOccupationMapping"],
            "scb_code",
            [
                {
                    "scb_code": m["scb_code"],
                    "scb_name_en": m["scb_name_en"],
                    "occupation_id": pks[m["code"]],
                }
                for m in mappings
            ],
            using,
        )
        results["OccupationName"] = _sync(
            models["OccupationName"],
            "concept_id",
            [
                {
                    "concept_id": n["concept_id"],
                    "name_sv": n["name_sv"],
                    "occupation_id": pks[n["ssyk_code"]],
                    "job_titles_sv": n["job_titles_sv"],
                }
                for n in names
            ],
            using,
        )

        education_model = models["EducationLevel"]
        sun_pks: dict[str, int] = {}
        per_digits = []
        for digits in (1, 2, 3):
            rows = [
                {
                    "code": s["code"],
                    "level_digits": digits,
                    "name_sv": s["name_sv"],
                    "parent_id": sun_pks[s["code"][:-1]] if digits > 1 else None,
                }
                for s in sun
                if s["level_digits"] == digits
            ]
            per_digits.append(_sync(education_model, "code", rows, using))
            sun_pks.update(
                education_model._default_manager.db_manager(using)
                .filter(level_digits=digits)
                .values_list("code", "pk")
            )
        results["EducationLevel"] = _merge(per_digits)

        results["Municipality"] = _sync(
            models["Municipality"],
            "code",
            [{k: v for k, v in m.items() if k != "row"} for m in municipalities],
            using,
        )
        results["Language"] = _sync(models["Language"], "code", languages, using)
        results["DrivingLicence"] = _sync(
            models["DrivingLicence"],
            "code",
            [{k: v for k, v in lic.items() if k != "row"} for lic in licences],
            using,
        )
        if "JobTitle" in models:
            name_pks = dict(
                models["OccupationName"]._default_manager.db_manager(using)
                .values_list("concept_id", "pk")
            )
            results["JobTitle"] = _sync(
                models["JobTitle"],
                ("concept_id", "occupation_name_concept_id"),
                [
                    {
                        "concept_id": t["concept_id"],
                        "title_sv": t["title_sv"],
                        "occupation_name_concept_id": t["occupation_name_concept_id"],
                        "occupation_name_id": name_pks.get(t["occupation_name_concept_id"]),
                        "occupation_id": pks[t["ssyk_code"]],
                    }
                    for t in titles
                ],
                using,
            )
        if "RelatedOccupation" in models:
            results["RelatedOccupation"] = _sync(
                models["RelatedOccupation"],
                ("occupation_id", "related_id"),
                [
                    {
                        "occupation_id": pks[r["code"]],
                        "related_id": pks[r["related_code"]],
                        "kind": r["kind"],
                        "strength": r["strength"],
                    }
                    for r in related
                ],
                using,
                delete_missing=True,
            )

    if stdout is not None:
        for name, result in results.items():
            stdout.write(
                f"{name}: {result.total} rows ({result.created} created, "
                f"{result.updated} updated)\n"
            )
    return results


def load_all(
    stdout: TextIO | None = None,
    *,
    models: Mapping[str, Any] | None = None,
    data_dir: Path | str | None = None,
    using: str = "default",
) -> dict[str, int]:
    """Load every code list; return the number of rows in the files per model name."""
    results = load_all_detailed(models=models, data_dir=data_dir, using=using, stdout=stdout)
    return {name: result.total for name, result in results.items()}
