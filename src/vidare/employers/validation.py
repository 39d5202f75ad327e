"""Checks of an employer's identifiers: organisationsnummer (python-stdnum) and SNI 2007.

Both raise ``ValidationError`` keyed on the model field, with a rule code, so forms, the API
and the JobSearch import all report the same message on the same field.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.se import orgnr

SNI_FILE = Path(__file__).resolve().parent / "data" / "sni2007_sections_divisions.csv"


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def normalise_orgnr(value: object, field: str = "organisation_number") -> str:
    """The organisationsnummer as NNNNNN-NNNN, checked with ``stdnum.se.orgnr``.

    Spaces, dashes and dots are ignored, and the 12-digit form with the century prefix "16"
    that some registers use is accepted. Rule codes: ``required``, ``invalid_format``
    (other characters than digits), ``wrong_length`` (not 10 digits), ``checksum`` (the last
    digit is not the Luhn check digit of the first nine).
    """
    text = "" if value is None else str(value).strip()
    if not text:
        raise _error(field, _("Give the organisationsnummer (10 digits, NNNNNN-NNNN)."),
                     "required")
    digits = orgnr.compact(text)
    if len(digits) == 12 and digits.startswith("16") and digits.isdigit():
        digits = digits[2:]
    try:
        orgnr.validate(digits)
    except InvalidLength:  # before InvalidFormat, its base class
        raise _error(field, _("An organisationsnummer has 10 digits (NNNNNN-NNNN); “%(value)s” "
                              "has %(count)s.") % {"value": text, "count": len(digits)},
                     "wrong_length") from None
    except InvalidFormat:
        raise _error(field, _("An organisationsnummer has digits only (NNNNNN-NNNN); "
                              "“%(value)s” has other characters.") % {"value": text},
                     "invalid_format") from None
    except InvalidChecksum:
        raise _error(field, _("The check digit of organisationsnummer “%(value)s” is wrong: "
                              "check for a typing error.") % {"value": text},
                     "checksum") from None
    return orgnr.format(digits)


@cache
def sni_codes() -> dict[str, str]:
    """SNI 2007 code (section letter or 2-digit division) -> Swedish name."""
    with SNI_FILE.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["name_sv"] for row in csv.DictReader(f)}


def sni_choices() -> list[tuple[str, str]]:
    """(code, "code name") for the form: sections first, each followed by its divisions."""
    with SNI_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    ordered = sorted(rows, key=lambda r: (r["section"], r["level"] != "section", r["code"]))
    return [(r["code"], f"{r['code']} {r['name_sv']}") for r in ordered]


def normalise_sni(value: object, field: str = "sni_code") -> tuple[str, str]:
    """(code, Swedish name) of an SNI 2007 section letter or 2-digit division; ("", "") for
    blank. Rule code ``unknown_code`` for anything else (5-digit codes are not on file: give
    the division, their first two digits)."""
    text = "" if value is None else str(value).strip().upper()
    if not text:
        return "", ""
    name = sni_codes().get(text)
    if name is None:
        if text[:2].isdigit() and len(text.replace(".", "")) > 2:
            message = _("Give the SNI 2007 division (2 digits, here “%(division)s”) or the "
                        "section letter; detailed codes are not on file.") % {
                "division": text[:2]}
        else:
            message = _("Unknown SNI 2007 code: “%(value)s”. Give a division (2 digits, e.g. "
                        "“45”) or a section letter (A–U).") % {"value": text}
        raise _error(field, message, "unknown_code")
    return text, name
