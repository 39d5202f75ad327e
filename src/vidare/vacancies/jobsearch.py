"""Import of job ads in Arbetsförmedlingen's JobSearch format (the `/search` API and the
historical-ads files share it) as vacancies.

Input: a `/search` response (an object with `hits`), a list of ads, one ad, or JSON Lines
(one ad per line, as the historical-ads files come). Each ad is mapped on its own and written
in its own savepoint, so one bad ad never stops the others; the report has one line per ad
with what was done and every field that was missing, unknown or of the wrong type.

Mapping (JobSearch field → Vacancy):

* `id` → external_id (required: re-importing the same ad updates the vacancy, never a
  duplicate); `webpage_url` → source_url.
* `headline` (required) → title; `description.text` → description.
* `occupation_group.legacy_ams_taxonomy_id` (the SSYK 2012 code in JobTech's scheme, the one
  we store) → occupation; `occupation.concept_id` → occupation name when on file (and the
  occupation from it when the group is missing). **An ad without a known occupation is
  imported with the warning "not enough information to match"**: the vacancy is listed and
  shown, and says that matching needs the occupation, which the broker picks on the vacancy
  page (with suggestions from the headline).
* `employer.organization_number` → the employer with that organisationsnummer, registered
  when new (name, city, municipality, website from the ad). **An ad whose number is missing
  or fails the check (stdnum) is imported without employer**, with a warning naming the
  rule; the workplace name is kept in `place`.
* `workplace_address.municipality_code` → municipality; workplace and city → place.
* `must_have.skills` / `nice_to_have.skills` (labels) → required / meritorious skills;
  `must_have.languages`: Swedish → minimum Swedish level SFI D (completed SFI, the level
  "Swedish required" is read as; the broker can raise it), other languages → required
  skills (`nice_to_have.languages` → meritorious skills).
* `driving_license` with `driving_license_required` → required licences; listed but not
  required → meritorious skill "Körkort X". `access_to_own_car` → own car required.
* `employment_type` "Sommarjobb / feriejobb" → summer substitute, every other type → job.
  `scope_of_work` min/max % → extent (the lowest acceptable %; a range from 0 means any
  extent: the maximum, adaptable); without it `working_hours_type` Heltid → 100 %, Deltid →
  50 % adaptable, with a warning. `working_hours_type`, `duration` and the range →
  schedule text.
* `application_deadline` → deadline; `number_of_vacancies` → positions; `removed` → closed.

Not imported: salary, contacts, application details, `must_have.work_experiences`,
education, publication dates (they do not affect matching and hold contact details).

On re-import the ad's fields overwrite the vacancy's, except that occupation, employer and
municipality are never cleared by an ad that lacks them (the broker may have set them), and
the status is changed only to closed (removed ad). An ad whose fields all equal the stored
vacancy is reported as unchanged and not written (no history row).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vidare.assessments.models import SwedishLevel

from .models import Vacancy, VacancyKind, VacancySource, VacancyStatus

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.codelists.models import (
        DrivingLicence,
        Municipality,
        Occupation,
        OccupationName,
    )
    from vidare.employers.models import Employer

DATA_FILE = Path(__file__).resolve().parent / "data" / "jobsearch_search_response_2025-09_dev.json"
SUMMER_JOB_TYPES = {"Jh8f_q9J_pbJ", "Sommarjobb / feriejobb"}
KNOWN_EMPLOYMENT_TYPES = {"PFZr_Syz_cUq", "Vanlig anställning", "1paU_aCR_nGn",
                          "Behovsanställning", "9Wuo_2Yb_36E", "Arbete utomlands",
                          *SUMMER_JOB_TYPES}
SWEDISH = {"zSLA_vw2_FXN", "svenska"}
SWEDISH_REQUIRED_LEVEL = SwedishLevel.SFI_D
PART_TIME_EXTENT = 50
TITLE_MAX = Vacancy._meta.get_field("title").max_length or 255
URL_MAX = Vacancy._meta.get_field("source_url").max_length or 500


class JobSearchFormatError(ValueError):
    """The input as a whole is not JobSearch ads (not JSON, or no ads in it)."""


@dataclass(frozen=True)
class Issue:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class AdResult:
    index: int
    ad_id: str | None
    headline: str | None
    outcome: str = "skipped"          # created | updated | unchanged | skipped
    vacancy_id: int | None = None
    employer: str = ""                # "", "linked", "created"
    warnings: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "id": self.ad_id, "headline": self.headline,
                "result": self.outcome, "vacancy": self.vacancy_id,
                "employer": self.employer or None,
                "warnings": [w.as_dict() for w in self.warnings],
                "errors": [e.as_dict() for e in self.errors]}


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    results: list[AdResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def summary(self) -> dict[str, int]:
        return {"ads": len(self.results), "created": self.count("created"),
                "updated": self.count("updated"), "unchanged": self.count("unchanged"),
                "skipped": self.count("skipped"),
                "with_warnings": sum(1 for r in self.results if r.warnings),
                "without_occupation": sum(1 for r in self.results if r.outcome != "skipped"
                                          and any(w.code == "not_matchable"
                                                  for w in r.warnings)),
                "employers_created": sum(1 for r in self.results
                                         if r.employer == "created")}

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "dry_run": self.dry_run, "summary": self.summary,
                "ads": [r.as_dict() for r in self.results]}

    def lines(self) -> Iterator[str]:
        """The report for people: one line per ad, its warnings and errors indented."""
        for r in self.results:
            head = f"ad {r.ad_id or '?'}" + (f" “{_short(r.headline)}”" if r.headline else "")
            what = r.outcome + (f" (vacancy {r.vacancy_id})" if r.vacancy_id else "")
            if r.employer == "created":
                what += ", employer registered"
            yield f"[{r.index}] {head}: {what}"
            for e in r.errors:
                yield f"    error   {e.field}: {e.message} [{e.code}]"
            for w in r.warnings:
                yield f"    warning {w.field}: {w.message} [{w.code}]"
        s = self.summary
        yield (f"{s['ads']} ads: {s['created']} created, {s['updated']} updated, "
               f"{s['unchanged']} unchanged, {s['skipped']} skipped; "
               f"{s['with_warnings']} with warnings, {s['without_occupation']} without "
               f"occupation (not enough information to match), {s['employers_created']} "
               f"employers registered." + (" Dry run: nothing was saved." if self.dry_run
                                           else ""))


def _short(text: str | None, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- reading -----------------------------------------------------------------------------------


def parse_ads(text: str) -> list[Any]:
    """The ads in `text`: a /search response, a list of ads, one ad, or JSON Lines."""
    if not text.strip():
        raise JobSearchFormatError("The input is empty.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            try:
                return [json.loads(line) for line in lines]
            except json.JSONDecodeError:
                pass
        raise JobSearchFormatError(f"Not JSON: {exc.msg} at line {exc.lineno}, column "
                                   f"{exc.colno}.") from None
    if isinstance(data, dict) and "hits" in data:
        hits = data["hits"]
        if not isinstance(hits, list):
            raise JobSearchFormatError("“hits” is not a list of ads.")
        return hits
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and ("headline" in data or "id" in data):
        return [data]
    raise JobSearchFormatError("Not JobSearch ads: expected a /search response (an object "
                               "with “hits”), a list of ads or one ad.")


def read_ads(path: str | Path) -> list[Any]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JobSearchFormatError(f"Not UTF-8 text: {exc.reason} at byte {exc.start}.") from None
    return parse_ads(text)


# --- mapping -----------------------------------------------------------------------------------


class Lookups:
    """Code lists by the keys the ads carry, read once per import."""

    def __init__(self) -> None:
        from vidare.codelists.models import (
            DrivingLicence,
            Municipality,
            Occupation,
            OccupationName,
        )

        self.occupations: dict[str, Occupation] = {
            o.code: o for o in Occupation.objects.filter(level=4)}
        self.names: dict[str, OccupationName] = {
            n.concept_id: n for n in OccupationName.objects.select_related("occupation")}
        self.municipalities: dict[str, Municipality] = {
            m.code: m for m in Municipality.objects.all()}
        self.licences: dict[str, DrivingLicence] = {}
        for licence in DrivingLicence.objects.all():
            self.licences[licence.code] = licence
            if licence.concept_id:
                self.licences[licence.concept_id] = licence


@dataclass
class EmployerInfo:
    organisation_number: str
    name: str
    city: str
    municipality: Municipality | None
    website: str


@dataclass
class MappedAd:
    external_id: str
    fields: dict[str, Any]
    licences: list[DrivingLicence]
    employer: EmployerInfo | None
    warnings: list[Issue]


class _Reader:
    """Typed access to one ad, collecting an Issue for every wrong or missing value."""

    def __init__(self, ad: dict[str, Any]) -> None:
        self.ad = ad
        self.warnings: list[Issue] = []
        self.errors: list[Issue] = []

    def warn(self, field_name: str, code: str, message: str) -> None:
        self.warnings.append(Issue(field_name, code, message))

    def get(self, path: str, kinds: tuple[type, ...], *, required: bool = False,
            warn_missing: bool = False, what: str = "") -> Any:
        value: Any = self.ad
        for part in path.split("."):
            if not isinstance(value, dict):
                value = None
                break
            value = value.get(part)
        if value is None or value == "":
            if required:
                self.errors.append(Issue(path, "required", f"{path} is missing."))
            elif warn_missing:
                self.warn(path, "missing", f"{path} is missing{what}.")
            return None
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(_type_name(k) for k in kinds)
            issue = Issue(path, "wrong_type",
                          f"{path} should be {names}, not {_type_name(type(value))}"
                          + ("." if required else "; ignored."))
            (self.errors if required else self.warnings).append(issue)
            return None
        return value

    def concept(self, path: str, *, warn_missing: bool = False,
                what: str = "") -> dict[str, Any] | None:
        """A taxonomy concept {concept_id, label, legacy_ams_taxonomy_id}; a list holds one."""
        value = self.get(path, (dict, list), warn_missing=warn_missing, what=what)
        if isinstance(value, list):
            concepts = [v for v in value if isinstance(v, dict)]
            if len(concepts) != len(value):
                self.warn(path, "wrong_type", f"{path} holds items that are not concepts; "
                          "they are ignored.")
            if len(concepts) > 1:
                self.warn(path, "several", f"{path} has {len(concepts)} concepts; the first "
                          "is used.")
            if not concepts:
                if warn_missing:
                    self.warn(path, "missing", f"{path} is missing{what}.")
                return None
            value = concepts[0]
        return value

    def labels(self, path: str) -> list[dict[str, Any]]:
        value = self.get(path, (list,))
        if value is None:
            return []
        items = [v for v in value if isinstance(v, dict) and isinstance(v.get("label"), str)
                 and v["label"].strip()]
        if len(items) != len(value):
            self.warn(path, "wrong_type", f"{path}: {len(value) - len(items)} item(s) without "
                      "a label are ignored.")
        return items


def _type_name(kind: type) -> str:
    return {str: "a text", int: "a number", float: "a number", dict: "an object",
            list: "a list", bool: "true or false", type(None): "null"}.get(kind, kind.__name__)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _parse_date(reader: _Reader, path: str) -> date | None:
    value = reader.get(path, (str,))
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        reader.warn(path, "invalid_date", f"{path} “{_short(value, 30)}” is not a date "
                    "(YYYY-MM-DD…); ignored.")
        return None


def _code(concept: dict[str, Any] | None) -> str:
    if not concept:
        return ""
    value = concept.get("legacy_ams_taxonomy_id")
    return str(value).strip() if isinstance(value, str | int) and not isinstance(
        value, bool) else ""


def _occupation(reader: _Reader, lookups: Lookups) -> tuple[Occupation | None,
                                                             OccupationName | None]:
    not_matchable = ("the vacancy cannot be matched until its occupation is chosen (not "
                     "enough information to match).")
    group = reader.concept("occupation_group")
    occupation = None
    if group is None:
        reader.warn("occupation_group", "missing", "occupation_group is missing.")
    else:
        code = _code(group)
        label = _text(group.get("label"))
        occupation = lookups.occupations.get(code)
        if occupation is None:
            reader.warn("occupation_group.legacy_ams_taxonomy_id", "unknown_code",
                        f"“{code}”{f' ({label})' if label else ''} is not an SSYK 2012 group "
                        "in the JobTech scheme." if code else
                        "occupation_group has no SSYK code (legacy_ams_taxonomy_id).")
    name = None
    concept = reader.concept("occupation")
    if concept is not None and isinstance(concept.get("concept_id"), str):
        name = lookups.names.get(concept["concept_id"])
        if name is None:
            reader.warn("occupation.concept_id", "unknown_code",
                        f"occupation name “{_text(concept.get('label'))}” "
                        f"({concept['concept_id']}) is not in the code list; only the group "
                        "is used.")
    if name is not None and occupation is not None and name.occupation_id != occupation.pk:
        reader.warn("occupation.concept_id", "mismatch",
                    f"occupation name “{name.name_sv}” belongs to SSYK {name.occupation.code}, "
                    f"not {occupation.code}; the name is ignored.")
        name = None
    if occupation is None and name is not None:
        occupation = name.occupation
        reader.warn("occupation_group", "from_occupation_name",
                    f"occupation SSYK {occupation.code} taken from the occupation name "
                    f"“{name.name_sv}”.")
    if occupation is None:
        reader.warn("occupation_group", "not_matchable", "imported without occupation: "
                    + not_matchable)
    return occupation, name


def _employer(reader: _Reader, workplace_city: str,
              municipality: Municipality | None) -> EmployerInfo | None:
    from vidare.employers.validation import normalise_orgnr

    data = reader.get("employer", (dict,), warn_missing=True,
                      what="; imported without employer")
    if data is None:
        return None
    number = reader.get("employer.organization_number", (str, int), warn_missing=True,
                        what="; imported without employer")
    name = _text(reader.get("employer.name", (str,))) or _text(
        reader.get("employer.workplace", (str,)))
    if number is None:
        return None
    try:
        normalised = normalise_orgnr(str(number))
    except ValidationError as exc:
        error = exc.error_dict["organisation_number"][0]
        reader.warn("employer.organization_number", error.code or "invalid",
                    f"{' '.join(error.messages)} Imported without employer.")
        return None
    if not name:
        reader.warn("employer.name", "missing", "employer.name is missing; imported without "
                    "employer.")
        return None
    website = reader.get("employer.url", (str,)) or ""
    return EmployerInfo(normalised, name[:200], workplace_city, municipality,
                        website if website.startswith(("http://", "https://")) else "")


def _extent(reader: _Reader) -> tuple[int, bool, str]:
    """(extent %, adaptable, schedule part) from scope_of_work and working_hours_type."""
    hours = reader.concept("working_hours_type")
    hours_label = _text(hours.get("label")) if hours else ""
    scope = reader.get("scope_of_work", (dict,))
    low = high = None
    if scope is not None:
        low = reader.get("scope_of_work.min", (int, float))
        high = reader.get("scope_of_work.max", (int, float))
    for name, value in (("scope_of_work.min", low), ("scope_of_work.max", high)):
        if value is not None and not 0 <= value <= 100:
            reader.warn(name, "out_of_range", f"{name} {value} is not a percentage (0–100); "
                        "ignored.")
            low, high = (None, high) if name.endswith("min") else (low, None)
    if high is None and low is not None and low > 0:
        high = low
    if high is not None and high > 0:
        high_i = round(high)
        if low is None or low <= 0:
            extent, adaptable = high_i, low is not None  # "0–100 %": any extent
        else:
            extent, adaptable = max(1, round(min(low, high))), False
        span = f"{round(low)}–{high_i} %" if low is not None and round(low) != high_i else \
            f"{high_i} %"
        return extent, adaptable, span
    if hours_label.casefold().startswith("deltid"):
        reader.warn("scope_of_work", "missing", f"scope_of_work is missing; extent set to "
                    f"{PART_TIME_EXTENT} % (part time), adaptable.")
        return PART_TIME_EXTENT, True, ""
    if hours_label.casefold().startswith("heltid"):
        return 100, hours_label.casefold() != "heltid", ""
    reader.warn("scope_of_work", "missing", "scope_of_work and working_hours_type are "
                "missing; extent set to 100 %.")
    return 100, False, ""


def map_ad(ad: Any, lookups: Lookups) -> tuple[MappedAd | None, _Reader | None, list[Issue]]:
    """The vacancy fields of one ad, without writing anything. Returns (mapped or None if
    the ad cannot be imported, reader with the warnings, errors)."""
    if not isinstance(ad, dict):
        return None, None, [Issue("ad", "wrong_type",
                                  f"An ad is a JSON object, not {_type_name(type(ad))}.")]
    r = _Reader(ad)
    ad_id = r.get("id", (str, int), required=True)
    headline = r.get("headline", (str,), required=True)
    if isinstance(headline, str) and not headline.strip():
        r.errors.append(Issue("headline", "required", "headline is empty."))
    if r.errors:
        return None, r, r.errors
    title = _text(headline)
    if len(title) > TITLE_MAX:
        r.warn("headline", "too_long", f"headline is {len(title)} characters; cut to "
               f"{TITLE_MAX}.")
        title = title[: TITLE_MAX - 1] + "…"
    description = r.get("description.text", (str,), warn_missing=True) or ""

    occupation, occupation_name = _occupation(r, lookups)

    municipality = None
    code = r.get("workplace_address.municipality_code", (str,), warn_missing=True,
                 what=": commuting distance cannot be judged")
    if code is not None:
        municipality = lookups.municipalities.get(code.strip())
        if municipality is None:
            r.warn("workplace_address.municipality_code", "unknown_code",
                   f"“{code}” is not a municipality code (kommunkod).")
    city = _text(r.get("workplace_address.city", (str,)))
    workplace = _text(r.get("employer.workplace", (str,)))
    street = _text(r.get("workplace_address.street_address", (str,)))
    town = city or (municipality.name_sv if municipality else _text(
        r.get("workplace_address.municipality", (str,))))
    place = ", ".join(p for p in (workplace, street, town) if p)[:255]
    employer = _employer(r, city or (municipality.name_sv if municipality else ""),
                         municipality)

    required = [_text(s["label"]) for s in r.labels("must_have.skills")]
    merit = [_text(s["label"]) for s in r.labels("nice_to_have.skills")]
    min_swedish = ""
    for path, target in (("must_have.languages", required),
                         ("nice_to_have.languages", merit)):
        for lang in r.labels(path):
            label = _text(lang["label"])
            if lang.get("concept_id") in SWEDISH or label.casefold() in SWEDISH:
                if path.startswith("must_have"):
                    min_swedish = SWEDISH_REQUIRED_LEVEL
            else:
                target.append(label)

    licences: list[DrivingLicence] = []
    required_licence = r.get("driving_license_required", (bool,))
    for item in r.labels("driving_license"):
        licence = lookups.licences.get(str(item.get("concept_id") or "")) or \
            lookups.licences.get(_text(item["label"]))
        if licence is None:
            r.warn("driving_license", "unknown_code", f"driving licence “{_text(item['label'])}”"
                   " is not in the code list; ignored.")
        elif required_licence is False:
            merit.append(f"Körkort {licence.code}")
        elif licence not in licences:
            licences.append(licence)
    if required_licence and not licences:
        r.warn("driving_license", "missing", "a driving licence is required, but no class "
               "is given; none recorded.")
    own_car = bool(r.get("access_to_own_car", (bool,)))

    employment = r.concept("employment_type", warn_missing=True, what="; kind set to job")
    kind = VacancyKind.JOB
    if employment is not None:
        keys = {str(employment.get("concept_id")), _text(employment.get("label"))}
        if keys & SUMMER_JOB_TYPES:
            kind = VacancyKind.SUMMER_SUBSTITUTE
        elif not keys & KNOWN_EMPLOYMENT_TYPES:
            r.warn("employment_type", "unknown_code",
                   f"employment type “{_text(employment.get('label'))}” is not known; kind "
                   "set to job.")
    extent, adaptable, span = _extent(r)
    hours = r.concept("working_hours_type")
    duration = r.concept("duration")
    schedule = " · ".join(p for p in (_text(hours.get("label")) if hours else "", span,
                                      _text(duration.get("label")) if duration else "")
                          if p)[:255]

    positions = r.get("number_of_vacancies", (int,))
    if positions is not None and positions < 1:
        r.warn("number_of_vacancies", "out_of_range", f"number_of_vacancies {positions} is "
               "below 1; set to 1.")
        positions = None
    url = r.get("webpage_url", (str,)) or ""
    fields: dict[str, Any] = {
        "title": title, "description": description, "kind": kind,
        "occupation": occupation, "occupation_name": occupation_name,
        "required_skills": required, "merit_skills": merit, "own_car_required": own_car,
        "min_swedish_level": min_swedish, "extent_percent": extent,
        "extent_adaptable": adaptable, "schedule": schedule, "municipality": municipality,
        "place": place, "deadline": _parse_date(r, "application_deadline"),
        "positions": positions or 1,
        "source_url": url[:URL_MAX] if url.startswith(("http://", "https://")) else "",
    }
    if r.get("removed", (bool,)):
        fields["status"] = VacancyStatus.CLOSED
    return MappedAd(str(ad_id).strip(), fields, licences, employer, r.warnings), r, []


# --- writing -----------------------------------------------------------------------------------

# Never cleared by an ad that lacks them: the broker may have set them by hand.
KEEP_WHEN_MISSING = ("occupation", "occupation_name", "municipality")


def _differs(vacancy: Vacancy, fields: dict[str, Any], licences: list[DrivingLicence]) -> bool:
    for name, value in fields.items():
        if getattr(vacancy, name) != value:
            return True
    return {d.pk for d in vacancy.driving_licences.all()} != {d.pk for d in licences}


def _find_or_register_employer(info: EmployerInfo, actor: User | None,
                               result: AdResult) -> Employer | None:
    from vidare.employers.actions import create_employer
    from vidare.employers.models import Employer

    found = Employer.objects.filter(organisation_number=info.organisation_number).first()
    if found is not None:
        result.employer = "linked"
        return found
    try:
        with transaction.atomic():
            created = create_employer(actor=actor, name=info.name,
                                      organisation_number=info.organisation_number,
                                      city=info.city, municipality=info.municipality,
                                      website=info.website,
                                      notes="Registrerad från en annons i JobSearch.")
    except ValidationError as exc:
        result.warnings += _issues(exc, prefix="employer.")
        result.warnings.append(Issue("employer", "not_registered", "the employer could not "
                                     "be registered; imported without employer."))
        return None
    result.employer = "created"
    return created


def _issues(exc: ValidationError, prefix: str = "") -> list[Issue]:
    if not hasattr(exc, "error_dict"):
        return [Issue("__all__", e.code or "invalid", " ".join(e.messages))
                for e in exc.error_list]
    return [Issue(f"{prefix}{name}", e.code or "invalid", " ".join(e.messages))
            for name, errs in exc.error_dict.items() for e in errs]


def import_one(index: int, ad: Any, lookups: Lookups, *, actor: User | None,
               today: date) -> AdResult:
    from vidare.vacancies.actions import save_vacancy

    mapped, reader, problems = map_ad(ad, lookups)
    ad_id = headline = None
    if isinstance(ad, dict):
        ad_id = str(ad["id"]) if isinstance(ad.get("id"), str | int) else None
        headline = ad["headline"] if isinstance(ad.get("headline"), str) else None
    result = AdResult(index, ad_id, headline)
    if mapped is None:
        result.errors = problems
        if reader is not None:
            result.warnings = reader.warnings
        return result
    result.warnings = list(mapped.warnings)
    fields = dict(mapped.fields)
    try:
        with transaction.atomic():
            existing = (Vacancy.objects.select_for_update()
                        .filter(source=VacancySource.JOBSEARCH, external_id=mapped.external_id)
                        .first())
            employer = (_find_or_register_employer(mapped.employer, actor, result)
                        if mapped.employer else None)
            if employer is not None or existing is None:
                fields["employer"] = employer
            if existing is not None:
                for name in KEEP_WHEN_MISSING:
                    if fields.get(name) is None:
                        fields.pop(name, None)
                if not _differs(existing, fields, mapped.licences):
                    result.outcome, result.vacancy_id = "unchanged", existing.pk
                    return result
            fields.update(source=VacancySource.JOBSEARCH, external_id=mapped.external_id,
                          imported_on=today)
            vacancy = save_vacancy(actor=actor, vacancy=existing,
                                   driving_licences=mapped.licences, **fields)
    except ValidationError as exc:
        result.errors = _issues(exc)
        result.outcome = "skipped"
        result.employer = ""
        return result
    result.outcome = "updated" if existing is not None else "created"
    result.vacancy_id = vacancy.pk
    return result


def import_ads(ads: Iterable[Any], *, actor: User | None = None, dry_run: bool = False,
               today: date | None = None, source: str = "") -> ImportReport:
    """Import `ads` (see the module docstring); with `dry_run` everything is done and
    reported, then rolled back."""
    today = today or timezone.localdate()
    report = ImportReport(source=source, dry_run=dry_run)
    with transaction.atomic():
        lookups = Lookups()
        for index, ad in enumerate(ads, start=1):
            report.results.append(import_one(index, ad, lookups, actor=actor, today=today))
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        for r in report.results:
            if r.outcome == "created":
                r.vacancy_id = None
    return report


def import_file(path: str | Path, **kwargs: Any) -> ImportReport:
    return import_ads(read_ads(path), source=str(path), **kwargs)
