"""Swedish identity numbers for participants.

Three kinds are handled:

* personnummer (Folkbokföringslagen 1991:481, 18 §),
* samordningsnummer (coordination number: the birth day plus 60), and
* reservnummer, a local reserve number for people with no Swedish number.

Personnummer and samordningsnummer are accepted as 10 digits (``YYMMDDNNNC``) or 12 digits
(``YYYYMMDDNNNC``), with or without a ``-`` or ``+`` before the last four digits. They are stored
as 12 digits. The normal case is validated by the ``personnummer`` package. Skatteverket's
samordningsnummer with an unknown or undecodable birth date (month ``00``, day ``60``, or a day
beyond the end of its month) are handled here, because that package rejects them; see
``docs/identity-numbers.md`` for the forms and the measured figures.

This module is plain Python: it must not import Django. Its messages are English templates
marked with ``gettext_noop``, so ``makemessages`` puts them in the catalogue; the Django layer
shows ``gettext(error.template) % error.params`` in the user's language.
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from personnummer import personnummer as _personnummer  # type: ignore[import-untyped]
from stdnum import luhn

__all__ = [
    "IdentityKind",
    "IdentityNumber",
    "InvalidIdentityNumber",
    "format_reserve_number",
    "is_reserve_number",
    "parse_identity_number",
    "test_personnummer_list",
    "test_samordningsnummer_list",
]

# A real Skatteverket test personnummer, used in messages.
_EXAMPLE = "19900101-2385"
_EXAMPLE_SHORT = "900101-2385"
_RESERVE_EXAMPLE = "R2026-000123"

_COORDINATION_OFFSET = 60
_DATA_DIR = Path(__file__).resolve().parent / "data"

# ASCII digits only: \d alone would also match e.g. Arabic-Indic or full-width digits.
_NUMBER_RE = re.compile(
    r"(?P<century>[0-9]{2})?(?P<yymmdd>[0-9]{6})(?P<sep>[-+]?)(?P<last4>[0-9]{4})"
)
_RESERVE_RE = re.compile(r"R(?P<year>[0-9]{4})-(?P<seq>[0-9]{6})", re.IGNORECASE)
_RESERVE_YEARS = range(1000, 10000)
_RESERVE_SEQUENCES = range(1, 1_000_000)


class IdentityKind(StrEnum):
    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"
    RESERVNUMMER = "reservnummer"


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the translation catalogue (a keyword makemessages knows)."""
    return message


class InvalidIdentityNumber(ValueError):
    """The text is not a valid identity number.

    ``code`` names the rule that failed: "format", "checksum", "date", "future" or
    "kind_mismatch". ``template`` % ``params`` explains it for the user; ``message`` is that
    text in English, the template untranslated.
    """

    code: str
    template: str
    params: dict[str, str | int]
    message: str

    def __init__(self, code: str, template: str, **params: str | int) -> None:
        self.code = code
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class IdentityNumber:
    """A parsed identity number.

    ``value`` is the storage form: 12 digits ``YYYYMMDDNNNC`` for personnummer and
    samordningsnummer (the day of a samordningsnummer keeps its +60), ``R2026-000123`` for a
    reservnummer. ``birth_date`` is None when the number does not give a whole calendar date
    (some samordningsnummer, and every reservnummer); ``birth_year`` is None only for a
    reservnummer.
    """

    kind: IdentityKind
    value: str
    birth_date: date | None
    birth_year: int | None

    def __post_init__(self) -> None:
        if self.kind is IdentityKind.RESERVNUMMER:
            ok = _RESERVE_RE.fullmatch(self.value) is not None and self.value.isupper()
        else:
            ok = len(self.value) == 12 and self.value.isdigit() and self.birth_year is not None
        if not ok:
            raise ValueError(f"{self.value!r} is not a normalised {self.kind}")

    def formatted(self) -> str:
        """``YYYYMMDD-NNNN`` for personnummer and samordningsnummer; a reservnummer as stored."""
        if self.kind is IdentityKind.RESERVNUMMER:
            return self.value
        return f"{self.value[:8]}-{self.value[8:]}"

    @property
    def legal_sex(self) -> str | None:
        """Legal sex: F if the 11th digit (last digit of the birth number) is even, M if odd."""
        if self.kind is IdentityKind.RESERVNUMMER:
            return None
        return "F" if int(self.value[10]) % 2 == 0 else "M"


def is_reserve_number(text: str) -> bool:
    """True if ``text`` is a reservnummer such as ``R2026-000123`` (any letter case)."""
    match = _RESERVE_RE.fullmatch(text.strip())
    return (
        match is not None
        and int(match["year"]) in _RESERVE_YEARS
        and int(match["seq"]) in _RESERVE_SEQUENCES
    )


def format_reserve_number(year: int, sequence: int) -> str:
    """The reservnummer for a year of issue and a sequence number: ``R2026-000123``.

    The leading letter means it can never be taken for a personnummer or samordningsnummer.
    """
    if year not in _RESERVE_YEARS:
        raise ValueError(f"year of issue must have four digits, got {year}")
    if sequence not in _RESERVE_SEQUENCES:
        raise ValueError(f"sequence must be between 1 and 999999, got {sequence}")
    return f"R{year:04d}-{sequence:06d}"


def parse_identity_number(
    text: str, *, today: date | None = None, kind: IdentityKind | None = None
) -> IdentityNumber:
    """Parse and validate a personnummer, samordningsnummer or reservnummer.

    ``today`` (default: the current date) decides the century of a 10-digit number and what
    counts as a future birth date. ``kind``, if given, is the kind the caller expects; another
    valid kind raises code "kind_mismatch".

    Raises InvalidIdentityNumber.
    """
    if today is None:
        today = date.today()
    stripped = text.strip()
    if stripped[:1] in ("R", "r"):
        result = _parse_reserve(stripped)
    else:
        result = _parse_swedish(stripped, today)
    if kind is not None and result.kind is not kind:
        raise _error(
            "kind_mismatch",
            gettext_noop("The number is a %(actual)s, but a %(expected)s is asked for here."),
            actual=result.kind.value, expected=kind.value,
        )
    return result


def test_personnummer_list() -> list[str]:
    """Skatteverket's test personnummer (41 493, 12 digits), shipped in ``data/``.

    For tests, demo data and test environments only.
    """
    return list(_read_number_list("skatteverket_testpersonnummer.csv"))


def test_samordningsnummer_list() -> list[str]:
    """Skatteverket's test samordningsnummer (2 264, 12 digits), shipped in ``data/``.

    For tests, demo data and test environments only.
    """
    return list(_read_number_list("skatteverket_testsamordningsnummer.csv"))


# These are data accessors, not tests: keep pytest from collecting them where they are imported.
test_personnummer_list.__test__ = False  # type: ignore[attr-defined]
test_samordningsnummer_list.__test__ = False  # type: ignore[attr-defined]


# --- implementation ---------------------------------------------------------------------------


def _error(code: str, template: str, **params: str | int) -> InvalidIdentityNumber:
    return InvalidIdentityNumber(code, template, **params)


@cache
def _read_number_list(filename: str) -> tuple[str, ...]:
    with (_DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return tuple(row[0].strip() for row in rows[1:] if row)


def _parse_reserve(text: str) -> IdentityNumber:
    if not is_reserve_number(text):
        raise _error(
            "format",
            gettext_noop("A reservnummer is written R, the year of issue in four digits, a hyphen "
                         "and a serial number of six digits (000001–999999), e.g. %(example)s."),
            example=_RESERVE_EXAMPLE,
        )
    return IdentityNumber(
        kind=IdentityKind.RESERVNUMMER, value=text.upper(), birth_date=None, birth_year=None
    )


def _format_error(text: str) -> InvalidIdentityNumber:
    """Explain why ``text`` does not have the shape of a personnummer or samordningsnummer."""
    if not text:
        return _error(
            "format",
            gettext_noop("Enter a personnummer or samordningsnummer of 10 or 12 digits, "
                         "e.g. %(example)s."),
            example=_EXAMPLE,
        )
    for char in text:
        if char.isspace():
            return _error(
                "format",
                gettext_noop("The number contains a space. A personnummer or samordningsnummer "
                             "is digits, with a hyphen or plus sign before the last four, "
                             "e.g. %(example)s."),
                example=_EXAMPLE,
            )
        if not (char.isascii() and char.isdigit()) and char not in "-+":
            return _error(
                "format",
                gettext_noop("The number contains a character that is not allowed "
                             "(”%(char)s”). A personnummer or samordningsnummer is digits, "
                             "with a hyphen or plus sign before the last four, e.g. %(example)s."),
                char=char, example=_EXAMPLE,
            )
    digits = sum(char.isdigit() for char in text)
    if digits not in (10, 12):
        return _error(
            "format",
            gettext_noop("A personnummer or samordningsnummer has 10 or 12 digits, e.g. "
                         "%(example)s or %(short)s. This one has %(digits)s."),
            example=_EXAMPLE, short=_EXAMPLE_SHORT, digits=digits,
        )
    return _error(
        "format",
        gettext_noop("A hyphen or plus sign may appear only once, before the last four digits, "
                     "e.g. %(example)s."),
        example=_EXAMPLE,
    )


def _resolve_year(century: str | None, yy: int, month: int, day: int, sep: str, today: date) -> int:
    """The four-digit birth year.

    ``month`` and ``day`` are 0 when unknown, so (year, month, day) compares as the earliest
    possible birth date, also when that date does not exist (e.g. 02-30).
    """
    if century is not None:
        year = int(century) * 100 + yy
        if sep == "+" and today.year - year < 100:
            raise _error(
                "format",
                gettext_noop("A plus sign is used only from the year the person turns 100 "
                             "(folkbokföringslagen 18 §). Someone born in %(year)s turns 100 in "
                             "%(hundred)s; write the number with a hyphen."),
                year=year, hundred=year + 100,
            )
        return year
    if sep == "+":
        # The '+' is used from the year the person turns 100 (Folkbokföringslagen 18 §).
        latest = today.year - 100
        return latest - (latest - yy) % 100
    year = today.year - (today.year - yy) % 100
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


def _parse_swedish(text: str, today: date) -> IdentityNumber:
    match = _NUMBER_RE.fullmatch(text)
    if match is None:
        raise _format_error(text)
    century: str | None = match["century"]
    yymmdd: str = match["yymmdd"]
    sep: str = match["sep"]
    last4: str = match["last4"]
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])

    # Which kind, from the day: 01-31 personnummer, 60-91 samordningsnummer (60 = day unknown).
    if 1 <= dd <= 31:
        kind = IdentityKind.PERSONNUMMER
        real_day = dd
    elif _COORDINATION_OFFSET <= dd <= _COORDINATION_OFFSET + 31:
        kind = IdentityKind.SAMORDNINGSNUMMER
        real_day = dd - _COORDINATION_OFFSET
    else:
        raise _error(
            "date",
            gettext_noop("Day %(day)s does not exist. A personnummer has day 01–31 and a "
                         "samordningsnummer day 61–91 (the birth day plus 60) or 60 (day "
                         "unknown)."),
            day=yymmdd[4:],
        )
    if mm > 12:
        raise _error("date", gettext_noop("Month %(month)s does not exist (it must be 01–12)."),
                     month=yymmdd[2:4])
    if mm == 0 and kind is IdentityKind.PERSONNUMMER:
        raise _error(
            "date",
            gettext_noop("Month 00 does not exist in a personnummer (it must be 01–12). "
                         "Skatteverket uses 00 only in samordningsnummer, when the birth month "
                         "is unknown."),
        )

    year = _resolve_year(century, yy, mm, real_day, sep, today)
    twelve = f"{year:04d}{yymmdd[2:]}{last4}"

    # The birth date, if the number gives a whole calendar date.
    birth_date: date | None
    if kind is IdentityKind.PERSONNUMMER:
        if real_day > calendar.monthrange(year, mm)[1]:
            raise _error("date", gettext_noop("The date %(date)s does not exist."),
                         date=f"{year:04d}-{mm:02d}-{dd:02d}")
        birth_date = date(year, mm, real_day)
    elif mm == 0 or real_day == 0 or real_day > calendar.monthrange(year, mm)[1]:
        # Skatteverket's samordningsnummer with an unknown month (00), an unknown day (60), or a
        # day beyond the end of the month (e.g. 1930-02-90): the date cannot be decoded.
        birth_date = None
    else:
        birth_date = date(year, mm, real_day)

    if last4[:3] == "000":
        raise _error(
            "format",
            gettext_noop("The birth number (the three digits before the check digit) cannot "
                         "be 000."),
        )
    _check_luhn(twelve, full_date=birth_date is not None)

    if (year, mm, real_day) > (today.year, today.month, today.day):
        if birth_date is not None:
            template = gettext_noop("The birth date %(when)s is after today (%(today)s).")
            when = birth_date.isoformat()
        elif mm != 0:
            template = gettext_noop("The birth month %(when)s is after today (%(today)s).")
            when = f"{year:04d}-{mm:02d}"
        else:
            template = gettext_noop("The birth year %(when)s is after today (%(today)s).")
            when = f"{year:04d}"
        raise _error("future", template, when=when, today=today.isoformat())

    return IdentityNumber(kind=kind, value=twelve, birth_date=birth_date, birth_year=year)


def _check_luhn(twelve: str, *, full_date: bool) -> None:
    """Check digit (Luhn over the last 10 digits).

    With a whole date the ``personnummer`` package decides; it rejects the partial-date
    samordningsnummer outright, so those are checked with ``stdnum.luhn`` directly.
    """
    if full_date:
        try:
            _personnummer.parse(twelve)
        except _personnummer.PersonnummerException:
            pass
        else:
            return
    if not luhn.is_valid(twelve[2:]):
        raise _error("checksum", gettext_noop("The check digit is wrong (Luhn algorithm)."))
    if full_date:  # pragma: no cover - every other rule of the package is checked above
        raise _error("format", gettext_noop("The number is not accepted as a personnummer or "
                                            "samordningsnummer."))
