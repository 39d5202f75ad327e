"""Read helpers other apps use to offer and check code-list values."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .loader import SCB_WITHOUT_JOBTECH_GROUP
from .models import EducationLevel, Occupation, ScbOccupationMapping


def occupation_choices(level: int = 4) -> list[tuple[str, str]]:
    """(code, "code name") for every SSYK group at ``level``, ordered by code.

    Levels 2 and 3 have no Swedish name on file; their label uses SCB's English name.
    """
    rows = (
        Occupation.objects.filter(level=level)
        .order_by("code")
        .values_list("code", "name_sv", "name_en")
    )
    return [(code, f"{code} {name_sv or name_en}") for code, name_sv, name_en in rows]


def education_level_choices() -> list[tuple[str, str]]:
    """(code, name) for the 14 two-digit SUN 2020 levels, ordered by code ("33", "Gymnasial …")."""
    rows = (
        EducationLevel.objects.filter(level_digits=2)
        .order_by("code")
        .values_list("code", "name_sv")
    )
    return list(rows)


def _error(field: str, message: str, code: str, value: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code, params={"value": value})]})


def resolve_occupation(code: object, *, level: int | None = 4) -> Occupation:
    """The stored SSYK group with ``code`` (by default only level 4, the groups people work in).

    Raises ``ValidationError({"occupation": [...]})`` with code ``unknown_code`` (Swedish message
    "Okänd SSYK-kod: 9999") when no such group exists, ``wrong_level`` when it exists at another
    level.
    """
    text = "" if code is None else str(code).strip()
    occupation = Occupation.objects.filter(code=text).first() if text else None
    if occupation is None:
        raise _error("occupation", f"Okänd SSYK-kod: {text}", "unknown_code", text)
    if level is not None and occupation.level != level:
        raise _error(
            "occupation",
            f"SSYK-kod {text} är en grupp på nivå {occupation.level}; "
            f"ange en yrkesgrupp på nivå {level} ({level} siffror).",
            "wrong_level",
            text,
        )
    return occupation


def occupation_for_scb_code(scb_code: object) -> Occupation:
    """The stored (JobTech) level-4 group for one of SCB's 429 level-4 codes.

    SCB 1211 and 1212 give 1210, SCB 5322 gives 5321. SCB 4430 and 7619 have no JobTech group and
    raise ``ValidationError`` with code ``no_jobtech_group``; codes SCB does not have raise
    ``unknown_code``.
    """
    text = "" if scb_code is None else str(scb_code).strip()
    mapping = (
        ScbOccupationMapping.objects.select_related("occupation").filter(scb_code=text).first()
        if text
        else None
    )
    if mapping is not None:
        return mapping.occupation
    if text in SCB_WITHOUT_JOBTECH_GROUP:
        raise _error(
            "occupation",
            f"SSYK-kod {text} (SCB) har ingen motsvarande yrkesgrupp i JobTechs SSYK; "
            "välj närmaste yrkesgrupp.",
            "no_jobtech_group",
            text,
        )
    raise _error("occupation", f"Okänd SSYK-kod: {text}", "unknown_code", text)
