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

This module is plain Python: it must not import Django.
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


_KIND_NOUN = {
    IdentityKind.PERSONNUMMER: "ett personnummer",
    IdentityKind.SAMORDNINGSNUMMER: "ett samordningsnummer",
    IdentityKind.RESERVNUMMER: "ett reservnummer",
}


class InvalidIdentityNumber(ValueError):
    """The text is not a valid identity number.

    ``code`` names the rule that failed: "format", "checksum", "date", "future" or
    "kind_mismatch". ``message`` explains it in Swedish, for the user.
    """

    code: str
    message: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

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
            f"Numret är {_KIND_NOUN[result.kind]}, men här ska {_KIND_NOUN[kind]} anges.",
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


def _error(code: str, message: str) -> InvalidIdentityNumber:
    return InvalidIdentityNumber(code, message)


@cache
def _read_number_list(filename: str) -> tuple[str, ...]:
    with (_DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return tuple(row[0].strip() for row in rows[1:] if row)


def _parse_reserve(text: str) -> IdentityNumber:
    if not is_reserve_number(text):
        raise _error(
            "format",
            "Ett reservnummer skrivs R, utfärdandeåret med fyra siffror, bindestreck och ett "
            f"löpnummer med sex siffror (000001–999999), t.ex. {_RESERVE_EXAMPLE}.",
        )
    return IdentityNumber(
        kind=IdentityKind.RESERVNUMMER, value=text.upper(), birth_date=None, birth_year=None
    )


def _format_error(text: str) -> InvalidIdentityNumber:
    """Explain why ``text`` does not have the shape of a personnummer or samordningsnummer."""
    if not text:
        return _error(
            "format",
            "Ange ett personnummer eller samordningsnummer med 10 eller 12 siffror, "
            f"t.ex. {_EXAMPLE}.",
        )
    for char in text:
        if not (char.isascii() and char.isdigit()) and char not in "-+":
            shown = "mellanslag" if char.isspace() else f"”{char}”"
            return _error(
                "format",
                f"Numret innehåller ett otillåtet tecken ({shown}). Ett personnummer eller "
                "samordningsnummer består av siffror, med bindestreck eller plustecken före de "
                f"fyra sista, t.ex. {_EXAMPLE}.",
            )
    digits = sum(char.isdigit() for char in text)
    if digits not in (10, 12):
        return _error(
            "format",
            f"Personnumret eller samordningsnumret ska ha 10 eller 12 siffror, t.ex. {_EXAMPLE} "
            f"eller {_EXAMPLE_SHORT}. Här finns {digits}.",
        )
    return _error(
        "format",
        "Bindestreck eller plustecken får bara stå en gång, före de fyra sista siffrorna, "
        f"t.ex. {_EXAMPLE}.",
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
                "Plustecken används bara från och med det år personen fyller 100 år "
                f"(folkbokföringslagen 18 §). Den som är född {year} fyller 100 år {year + 100}; "
                "skriv numret med bindestreck.",
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
            f"Dagen {yymmdd[4:]} finns inte. Ett personnummer har dag 01–31 och ett "
            "samordningsnummer dag 61–91 (födelsedagen plus 60) eller 60 (okänd dag).",
        )
    if mm > 12:
        raise _error("date", f"Månaden {yymmdd[2:4]} finns inte (ska vara 01–12).")
    if mm == 0 and kind is IdentityKind.PERSONNUMMER:
        raise _error(
            "date",
            "Månaden 00 finns inte i ett personnummer (ska vara 01–12). Skatteverket använder "
            "00 bara i samordningsnummer, när födelsemånaden är okänd.",
        )

    year = _resolve_year(century, yy, mm, real_day, sep, today)
    twelve = f"{year:04d}{yymmdd[2:]}{last4}"

    # The birth date, if the number gives a whole calendar date.
    birth_date: date | None
    if kind is IdentityKind.PERSONNUMMER:
        if real_day > calendar.monthrange(year, mm)[1]:
            raise _error("date", f"Datumet {year:04d}-{mm:02d}-{dd:02d} finns inte.")
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
            "Födelsenumret (de tre siffrorna före kontrollsiffran) kan inte vara 000.",
        )
    _check_luhn(twelve, full_date=birth_date is not None)

    if (year, mm, real_day) > (today.year, today.month, today.day):
        if birth_date is not None:
            when = f"Födelsedatumet {birth_date.isoformat()}"
        elif mm != 0:
            when = f"Födelsemånaden {year:04d}-{mm:02d}"
        else:
            when = f"Födelseåret {year:04d}"
        raise _error("future", f"{when} ligger efter dagens datum ({today.isoformat()}).")

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
        raise _error("checksum", "Kontrollsiffran stämmer inte (Luhn-algoritmen).")
    if full_date:  # pragma: no cover - every other rule of the package is checked above
        raise _error("format", "Numret godtas inte som personnummer eller samordningsnummer.")
