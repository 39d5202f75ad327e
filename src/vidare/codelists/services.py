"""Read helpers other apps use to offer and check code-list values."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum

from vidare.engines.occupations import OccupationMapper, Suggestion, read_taxonomy

from .loader import DATA_DIR, SCB_WITHOUT_JOBTECH_GROUP
from .models import EducationLevel, Occupation, RelatedOccupation, ScbOccupationMapping

__all__ = [
    "MAX_SUGGESTIONS",
    "MAX_SUGGEST_TEXT",
    "Suggestion",
    "education_level_choices",
    "occupation_choices",
    "occupation_for_scb_code",
    "occupation_mapper",
    "related_occupations",
    "resolve_occupation",
    "suggest_occupations",
]


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


# --- occupation suggestions (free-text job title → SSYK) and related occupations -------------

# Most suggestions any caller may ask for (API, web lookup and command line).
MAX_SUGGESTIONS = 20
# Longest text the web lookup and the API accept; the mapper itself reads at most the first
# MAX_TEXT_LENGTH characters (an ad headline is rarely over 150).
MAX_SUGGEST_TEXT = 1000

_mapper: OccupationMapper | None = None
_mapper_lock = threading.Lock()


def occupation_mapper() -> OccupationMapper:
    """The process's mapper, built on first use from the shipped files (a few seconds) and
    kept: the code lists only change with a new release of the files."""
    global _mapper
    if _mapper is None:
        with _mapper_lock:
            if _mapper is None:
                _mapper = OccupationMapper(read_taxonomy(DATA_DIR))
    return _mapper


def suggest_occupations(text: str, top: int = 5) -> list[Suggestion]:
    """Suggested SSYK unit groups for a free-text job title, best first.

    ``Suggestion(ssyk, name, score)`` with ``score`` in [0, 1]. An empty list only for a blank
    text, one without any word (punctuation, numbers) or one in which nothing resembles the
    index (another script); any real title gets suggestions.
    Raises ``ValueError`` for ``top`` outside 1..MAX_SUGGESTIONS or a text that is not a str.
    """
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_SUGGESTIONS:
        raise ValueError(f"top must be a whole number from 1 to {MAX_SUGGESTIONS}")
    if not text.strip():
        return []
    return occupation_mapper().suggest(text, top)


_related: tuple[tuple[int, int, int], Mapping[str, Mapping[str, int]]] | None = None
_related_lock = threading.Lock()


def related_occupations() -> Mapping[str, Mapping[str, int]]:
    """SSYK code → {related SSYK code: strength} from the RelatedOccupation table.

    Strength 2: same minor group (3 digits) or job titles shared between the groups; 1: same
    occupation field. Never a code with itself.

    Kept per process: every candidate list reads it, and the 10 000 rows change only with
    ``vidare codelists load``. Each call compares one aggregate (row count, highest id, sum of
    strengths) with the kept copy's, so a load in another process, or a test that edits a
    row, is seen at the next call. The result is read-only.
    """
    global _related
    stamp = RelatedOccupation.objects.aggregate(n=Count("id"), top=Max("id"),
                                                total=Sum("strength"))
    key = (stamp["n"], stamp["top"] or 0, stamp["total"] or 0)
    kept = _related
    if kept is not None and kept[0] == key:
        return kept[1]
    with _related_lock:
        result: dict[str, dict[str, int]] = {}
        rows = RelatedOccupation.objects.values_list("occupation__code", "related__code",
                                                     "strength")
        for code, related, strength in rows.iterator(chunk_size=5000):
            result.setdefault(code, {})[related] = strength
        frozen = MappingProxyType({code: MappingProxyType(links)
                                   for code, links in result.items()})
        _related = (key, frozen)
    return frozen
