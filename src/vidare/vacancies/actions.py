"""Vacancies: create, change, close. The only code that writes them (views, the API, the
JobSearch import and the demo call it). Needs MANAGE_EMPLOYERS; `actor=None` is the
command line (see vidare.employers.actions).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.codelists.choices import Adaptation
from vidare.core.actions import assign, errors, save_validated
from vidare.employers.actions import require_any, resolve_level4

from .models import Vacancy, VacancySource, VacancyStatus

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.codelists.models import DrivingLicence

VACANCY_FIELDS = {
    "employer", "need", "kind", "title", "description", "occupation", "occupation_name",
    "required_skills", "merit_skills", "own_car_required", "min_swedish_level",
    "extent_percent", "extent_adaptable", "schedule", "municipality", "place", "start_date",
    "deadline", "positions", "adaptations_offered", "open_to_all", "status",
}
# Set by the JobSearch import only (forms and the API do not offer them).
IMPORT_FIELDS = {"source", "external_id", "source_url", "imported_on"}
MAX_SKILL_LENGTH = 100
MAX_SKILLS = 50


def clean_skills(value: Any, field: str) -> list[str]:
    """A list of skill labels: stripped, blank ones dropped, duplicates (ignoring case)
    dropped, order kept. A text is split on commas, semicolons and new lines."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace(";", ",").replace("\n", ",").split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise errors(**{field: (_("Give the skills as a list of texts."), "invalid")})
    out: list[str] = []
    seen: set[str] = set()
    for item in value:
        text = " ".join(item.split())
        if not text or text.casefold() in seen:
            continue
        if len(text) > MAX_SKILL_LENGTH:
            raise errors(**{field: (_("A skill is at most %(n)s characters: “%(text)s…”.")
                                    % {"n": MAX_SKILL_LENGTH, "text": text[:40]},
                                    "too_long")})
        seen.add(text.casefold())
        out.append(text)
    if len(out) > MAX_SKILLS:
        raise errors(**{field: (_("At most %(n)s skills.") % {"n": MAX_SKILLS}, "too_many")})
    return out


def clean_adaptations(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise errors(adaptations_offered=(_("Give the adaptations as a list of codes."),
                                          "invalid"))
    unknown = [v for v in value if v not in Adaptation.values]
    if unknown:
        raise errors(adaptations_offered=(
            _("Unknown adaptation: %(codes)s. Known: %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(Adaptation.values)},
            "unknown_code"))
    return [a for a in Adaptation.values if a in value]  # the choices' order, no duplicates


def _resolve_licences(values: Iterable[DrivingLicence | str]) -> list[DrivingLicence]:
    from vidare.codelists.models import DrivingLicence

    found: list[DrivingLicence] = []
    for value in values:
        if isinstance(value, DrivingLicence):
            found.append(value)
            continue
        licence = DrivingLicence.objects.filter(code=str(value).strip()).first()
        if licence is None:
            raise errors(driving_licences=(_("Unknown driving licence: %(code)s.")
                                           % {"code": value}, "unknown_code"))
        found.append(licence)
    return found


def _check(vacancy: Vacancy) -> None:
    name = vacancy.occupation_name
    if name is not None:
        if vacancy.occupation_id is None:
            vacancy.occupation = name.occupation
        elif name.occupation_id != vacancy.occupation_id:
            raise errors(occupation_name=(
                _("“%(name)s” belongs to occupation %(code)s, not to the chosen one.")
                % {"name": name.name_sv, "code": name.occupation.code}, "mismatch"))
    need = vacancy.need
    if need is not None:
        if vacancy.employer_id is None:
            vacancy.employer = need.employer
        elif need.employer_id != vacancy.employer_id:
            raise errors(need=(_("The recruitment need belongs to another employer."),
                               "wrong_employer"))
    if vacancy.source == VacancySource.JOBSEARCH:
        if not vacancy.external_id:
            raise errors(external_id=(_("An imported vacancy needs the ad id."), "required"))
        if Vacancy.objects.filter(source=VacancySource.JOBSEARCH,
                                  external_id=vacancy.external_id).exclude(
                pk=vacancy.pk).exists():
            raise errors(external_id=(_("A vacancy imported from ad %(id)s exists.")
                                      % {"id": vacancy.external_id}, "duplicate"))


@transaction.atomic
def save_vacancy(*, actor: User | None, vacancy: Vacancy | None = None,
                 driving_licences: Iterable[DrivingLicence | str] | None = None,
                 **data: Any) -> Vacancy:
    """Create or change a vacancy. `occupation` is an Occupation or its SSYK code (level 4);
    blank is allowed and means the vacancy cannot be matched until one is chosen.
    `driving_licences` (objects or codes), when given, replaces the required licences."""
    require_any(actor, Capability.MANAGE_EMPLOYERS)
    if "occupation" in data:
        data["occupation"] = resolve_level4(data["occupation"], required=False)
    for field in ("required_skills", "merit_skills"):
        if field in data:
            data[field] = clean_skills(data[field], field)
    if "adaptations_offered" in data:
        data["adaptations_offered"] = clean_adaptations(data["adaptations_offered"])
    if data.get("min_swedish_level") is None and "min_swedish_level" in data:
        data["min_swedish_level"] = ""
    licences = None if driving_licences is None else _resolve_licences(driving_licences)
    vacancy = vacancy or Vacancy(created_by=actor)
    assign(vacancy, data, VACANCY_FIELDS | IMPORT_FIELDS)
    vacancy.title = " ".join((vacancy.title or "").split())
    _check(vacancy)
    save_validated(vacancy, actor)
    if licences is not None:
        vacancy.driving_licences.set(licences)
    return vacancy


def create_vacancy(*, actor: User | None, **data: Any) -> Vacancy:
    return save_vacancy(actor=actor, **data)


def update_vacancy(*, actor: User | None, vacancy: Vacancy, **data: Any) -> Vacancy:
    return save_vacancy(actor=actor, vacancy=vacancy, **data)


def close_vacancy(*, actor: User | None, vacancy: Vacancy,
                  status: str = VacancyStatus.CLOSED) -> Vacancy:
    """Close a vacancy as filled or closed (no longer offered in matching)."""
    if status not in (VacancyStatus.FILLED, VacancyStatus.CLOSED):
        raise errors(status=(_("Close a vacancy as filled or closed."), "invalid_choice"))
    return save_vacancy(actor=actor, vacancy=vacancy, status=status)
