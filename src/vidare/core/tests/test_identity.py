"""Tests for vidare.core.identity.

Plain pytest, no Django: runs with and without pytest-django. Every valid number used here is
one of Skatteverket's test numbers (from the shipped lists); numbers made up here are invalid on
purpose (impossible dates, wrong check digit, birth number 000).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from personnummer import personnummer as pnr_package
from stdnum import luhn

from vidare.core import identity as idn
from vidare.core.identity import (
    IdentityKind,
    IdentityNumber,
    InvalidIdentityNumber,
    format_reserve_number,
    is_reserve_number,
    parse_identity_number,
)

TODAY = date(2026, 11, 29)
PNR = idn.test_personnummer_list()
SNR = idn.test_samordningsnummer_list()
ALL = PNR + SNR
PROPERTY = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Real test numbers used in the cases below (all in the shipped lists).
P_1990 = "199001012385"  # 1990-01-01, female
P_1890 = "189001019802"  # 1890-01-01
S_FULL = "191401682396"  # 1914-01-08 (day 68)
S_MONTH00 = "191500882392"  # month unknown, day 28
S_DAY60 = "201812602397"  # 2018-12, day unknown
S_OVERFLOW = "193002902397"  # day 90 in February: 1930-02-30


def _first(prefix: str, numbers: list[str]) -> str:
    return next(n for n in numbers if n.startswith(prefix))


def _with_check(first11: str) -> str:
    """Append the correct Luhn digit, so that only the rule under test can fail."""
    return first11 + luhn.calc_check_digit(first11[2:])


def _code(text: str, **kwargs: object) -> str:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse_identity_number(text, **kwargs)  # type: ignore[arg-type]
    assert info.value.message
    assert str(info.value) == info.value.message
    return info.value.code


def _short(number: str) -> tuple[str, str]:
    """(10-digit form with the sign Folkbokföringslagen 18 § gives at TODAY, sign)."""
    sign = "+" if TODAY.year - int(number[:4]) >= 100 else "-"
    return f"{number[2:8]}{sign}{number[8:]}", sign


# --- the shipped lists ----------------------------------------------------------------------


def test_lists_have_the_documented_size_and_shape() -> None:
    assert len(PNR) == 41_493
    assert len(SNR) == 2_264
    assert len(set(ALL)) == len(ALL)
    assert all(len(n) == 12 and n.isascii() and n.isdigit() for n in ALL)
    assert idn.test_personnummer_list() is not idn.test_personnummer_list()  # callers may mutate


def test_list_accessors_are_not_collected_as_tests() -> None:
    assert getattr(idn.test_personnummer_list, "__test__", True) is False
    assert getattr(idn.test_samordningsnummer_list, "__test__", True) is False


def test_every_listed_number_is_accepted_in_12_digit_forms() -> None:
    for number in ALL:
        result = parse_identity_number(number, today=TODAY)
        assert result.value == number
        assert result.formatted() == f"{number[:8]}-{number[8:]}"
        assert parse_identity_number(result.formatted(), today=TODAY) == result
        assert result.birth_year == int(number[:4])
        if result.birth_date is not None:
            assert result.birth_date.year == result.birth_year


def test_every_listed_number_is_accepted_in_10_digit_form_with_its_sign() -> None:
    for number in ALL:
        short, _ = _short(number)
        assert parse_identity_number(short, today=TODAY).value == number, short


def test_every_listed_number_is_accepted_in_10_digit_form_without_separator() -> None:
    for number in ALL:
        bare = number[2:]
        _, sign = _short(number)
        if sign == "-":
            assert parse_identity_number(bare, today=TODAY).value == number, bare
        else:
            # Without the '+', a 10-digit number reads as the latest century not after TODAY.
            result = parse_identity_number(bare, today=TODAY)
            assert result.value[2:] == bare
            assert result.birth_year in (int(number[:4]), int(number[:4]) + 100)


def test_12_digit_form_with_plus_is_accepted_for_people_aged_100_or_more() -> None:
    for number in ALL:
        if TODAY.year - int(number[:4]) >= 100:
            plus = f"{number[:8]}+{number[8:]}"
            assert parse_identity_number(plus, today=TODAY).value == number


def test_kinds_and_partial_dates_of_the_lists() -> None:
    pnr = [parse_identity_number(n, today=TODAY) for n in PNR]
    snr = [parse_identity_number(n, today=TODAY) for n in SNR]
    assert {r.kind for r in pnr} == {IdentityKind.PERSONNUMMER}
    assert {r.kind for r in snr} == {IdentityKind.SAMORDNINGSNUMMER}
    assert all(r.birth_date is not None for r in pnr)
    partial = [r.value for r in snr if r.birth_date is None]
    month00 = [v for v in partial if v[4:6] == "00"]
    day60 = [v for v in partial if v[4:6] != "00" and v[6:8] == "60"]
    overflow = [v for v in partial if v[4:6] != "00" and v[6:8] != "60"]
    assert (len(partial), len(month00), len(day60), len(overflow)) == (194, 132, 38, 24)
    # Month 00 occurs with every day from 60 to 91; never a month above 12 or a day above 91.
    assert sorted({int(v[6:8]) for v in month00}) == list(range(60, 92))
    assert max(int(r.value[4:6]) for r in snr) == 12
    assert max(int(r.value[6:8]) for r in snr) == 91
    # Skatteverket's own data has these 24 numbers whose day minus 60 is past the month's end.
    assert S_OVERFLOW in overflow
    # The same 194 are exactly the ones the personnummer package rejects.
    assert sorted(partial) == sorted(n for n in SNR if not pnr_package.valid(n))


def test_legal_sex_matches_the_11th_digit() -> None:
    for number in ALL:
        expected = "F" if int(number[10]) % 2 == 0 else "M"
        assert parse_identity_number(number, today=TODAY).legal_sex == expected
    assert parse_identity_number(P_1990, today=TODAY).legal_sex == "F"


def test_birth_dates() -> None:
    assert parse_identity_number(P_1990, today=TODAY).birth_date == date(1990, 1, 1)
    full = parse_identity_number(S_FULL, today=TODAY)
    assert (full.kind, full.birth_date) == (IdentityKind.SAMORDNINGSNUMMER, date(1914, 1, 8))
    for number, year in ((S_MONTH00, 1915), (S_DAY60, 2018), (S_OVERFLOW, 1930)):
        result = parse_identity_number(number, today=TODAY)
        assert (result.birth_date, result.birth_year) == (None, year)
    leap = _first("20000229", PNR)
    assert parse_identity_number(leap, today=TODAY).birth_date == date(2000, 2, 29)


# --- wrong check digit ----------------------------------------------------------------------


def test_every_listed_number_with_another_check_digit_is_rejected_as_checksum() -> None:
    for index, number in enumerate(ALL):
        # Cycle through the nine wrong digits, so that every wrong digit is used for each kind.
        digit = str((int(number[-1]) + 1 + index % 9) % 10)
        wrong = number[:-1] + digit
        with pytest.raises(InvalidIdentityNumber) as info:
            parse_identity_number(wrong, today=TODAY)
        assert info.value.code == "checksum", wrong
    assert "Luhn" in str(_raise(P_1990[:-1] + "0"))


def _raise(text: str) -> InvalidIdentityNumber:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse_identity_number(text, today=TODAY)
    return info.value


# --- impossible dates (correct check digit, so the date rule is what fails) ------------------


@pytest.mark.parametrize(
    ("first11", "shown"),
    [
        ("19990230123", "1999-02-30"),
        ("19990229123", "1999-02-29"),  # not a leap year
        ("19000229123", "1900-02-29"),  # century, not a leap year
        ("19990431123", "1999-04-31"),
        ("19991131123", "1999-11-31"),
        ("19991301123", "13"),
        ("19990001123", "00"),  # month 00 only in samordningsnummer
        ("19990100123", "00"),  # day 00
        ("19990132123", "32"),
        ("19990159123", "59"),
        ("19990192123", "92"),  # samordningsnummer day above 91
        ("19990199123", "99"),
        ("19991370123", "13"),  # samordningsnummer, month 13
        ("19999970123", "99"),
    ],
)
def test_impossible_dates_are_rejected_as_date(first11: str, shown: str) -> None:
    number = _with_check(first11)
    assert luhn.is_valid(number[2:])
    error = _raise(number)
    assert error.code == "date"
    assert shown in error.message
    if not first11.startswith("1900"):  # 000229 as 10 digits reads as 2000-02-29, which exists
        assert _code(number[2:], today=TODAY) == "date"


def test_impossible_date_message_names_the_date() -> None:
    assert _raise(_with_check("19990230123")).message == "The date 1999-02-30 does not exist."


# --- century rule ---------------------------------------------------------------------------


def test_century_rule_for_dash_and_no_separator() -> None:
    assert parse_identity_number("900101-2385", today=TODAY).value == P_1990
    assert parse_identity_number("9001012385", today=TODAY).value == P_1990
    assert parse_identity_number(" 900101-2385\n", today=TODAY).value == P_1990


def test_century_rule_for_plus() -> None:
    assert parse_identity_number("900101+9802", today=TODAY).value == P_1890
    # The same digits with '-' are read as 1990.
    assert parse_identity_number("900101-9802", today=TODAY).birth_year == 1990


def test_dash_picks_the_latest_century_not_after_today() -> None:
    number = _first("20240101", PNR)
    short = f"{number[2:8]}-{number[8:]}"
    assert parse_identity_number(short, today=date(2024, 1, 1)).birth_year == 2024
    assert parse_identity_number(short, today=date(2023, 12, 31)).birth_year == 1924


def test_plus_is_used_from_the_year_the_person_turns_100() -> None:
    """Folkbokföringslagen 18 §: the sign changes in the year of the 100th birthday."""
    number = _first("192406", PNR)  # born June 1924
    plus10 = f"{number[2:8]}+{number[8:]}"
    plus12 = f"{number[:8]}+{number[8:]}"
    for today in (date(2024, 1, 1), date(2024, 12, 31), TODAY):
        assert parse_identity_number(plus10, today=today).value == number
        assert parse_identity_number(plus12, today=today).value == number
    # Before 2024 the '+' means 1824, and the 12-digit form with '+' is inconsistent.
    assert parse_identity_number(plus10, today=date(2023, 12, 31)).birth_year == 1824
    error = _raise_at(plus12, date(2023, 12, 31))
    assert error.code == "format"
    assert "turns 100" in error.message


def _raise_at(text: str, today: date) -> InvalidIdentityNumber:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse_identity_number(text, today=today)
    return info.value


def test_12_digit_form_with_plus_under_100_is_a_format_error() -> None:
    error = _raise(f"{P_1990[:8]}+{P_1990[8:]}")
    assert error.code == "format"
    assert "2090" in error.message


def test_partial_dates_follow_the_century_rule() -> None:
    assert parse_identity_number(S_DAY60[2:], today=TODAY).value == S_DAY60
    assert parse_identity_number(S_MONTH00[2:8] + "+" + S_MONTH00[8:], today=TODAY).value == (
        S_MONTH00
    )
    # Month 00 of 2018 on 2018-01-01 is not in the future; the day-60 form of 2018-12 is.
    month00_2018 = _first("201800", SNR)
    assert parse_identity_number(month00_2018[2:], today=date(2018, 1, 1)).birth_year == 2018
    assert parse_identity_number(S_DAY60[2:], today=date(2018, 11, 30)).birth_year == 1918


# --- future birth dates ---------------------------------------------------------------------


def test_future_birth_date_is_rejected() -> None:
    number = _first("20240101", PNR)
    error = _raise_at(number, date(2023, 12, 31))
    assert error.code == "future"
    assert "2024-01-01" in error.message
    assert parse_identity_number(number, today=date(2024, 1, 1)).value == number


def test_future_partial_dates_are_rejected() -> None:
    assert _raise_at(S_DAY60, date(2018, 11, 30)).code == "future"
    assert "2018-12" in _raise_at(S_DAY60, date(2018, 11, 30)).message
    assert parse_identity_number(S_DAY60, today=date(2018, 12, 1)).value == S_DAY60
    month00_2018 = _first("201800", SNR)
    assert "birth year 2018" in _raise_at(month00_2018, date(2017, 12, 31)).message


def test_default_today_is_the_current_date() -> None:
    assert parse_identity_number(P_1990).value == P_1990


# --- kind -----------------------------------------------------------------------------------


def test_kind_mismatch() -> None:
    reserve = "R2026-000123"
    cases = [
        (S_FULL, IdentityKind.PERSONNUMMER),
        (S_MONTH00, IdentityKind.PERSONNUMMER),
        (P_1990, IdentityKind.SAMORDNINGSNUMMER),
        (P_1990, IdentityKind.RESERVNUMMER),
        (reserve, IdentityKind.PERSONNUMMER),
        (reserve, IdentityKind.SAMORDNINGSNUMMER),
    ]
    for text, kind in cases:
        assert _code(text, today=TODAY, kind=kind) == "kind_mismatch"
    error = _raise_kind(S_FULL, IdentityKind.PERSONNUMMER)
    assert "samordningsnummer" in error.message and "personnummer" in error.message


def _raise_kind(text: str, kind: IdentityKind) -> InvalidIdentityNumber:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse_identity_number(text, today=TODAY, kind=kind)
    return info.value


def test_matching_kind_is_accepted() -> None:
    assert parse_identity_number(P_1990, today=TODAY, kind=IdentityKind.PERSONNUMMER)
    assert parse_identity_number(S_FULL, today=TODAY, kind=IdentityKind.SAMORDNINGSNUMMER)
    assert parse_identity_number("R2026-000123", kind=IdentityKind.RESERVNUMMER)


def test_other_errors_come_before_kind_mismatch() -> None:
    wrong = S_FULL[:-1] + ("0" if S_FULL[-1] != "0" else "1")
    assert _code(wrong, today=TODAY, kind=IdentityKind.PERSONNUMMER) == "checksum"


# --- format ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "10 or 12 digits"),
        ("   ", "10 or 12 digits"),
        ("19900101238", "This one has 11"),
        ("900101238", "This one has 9"),
        ("1990010123856", "This one has 13"),
        ("19900101-238", "This one has 11"),
        ("abc", "”a”"),
        ("19900101-238X", "”X”"),
        ("900101 2385", "contains a space"),
        ("19900101/2385", "”/”"),
        ("１９９００１０１２３８５", "”１”"),  # full-width digits
        ("١٩٩٠٠١٠١٢٣٨٥", "”١”"),  # Arabic-Indic digits
        ("1990-0101-2385", "only once, before the last four"),
        ("19900101--2385", "only once, before the last four"),
        ("1990010-12385", "only once, before the last four"),
        ("19900101-2385-", "only once, before the last four"),
    ],
)
def test_format_errors(text: str, fragment: str) -> None:
    error = _raise(text)
    assert error.code == "format"
    assert fragment in error.message


def test_birth_number_000_is_a_format_error() -> None:
    number = _with_check("19900101000")
    error = _raise(number)
    assert (error.code, "000" in error.message) == ("format", True)
    # Also for a samordningsnummer with a partial date.
    assert _code(_with_check("19150088000"), today=TODAY) == "format"


def test_format_messages_use_a_real_test_number_as_example() -> None:
    example = "19900101-2385"
    assert example.replace("-", "") in PNR
    assert example in _raise("").message


# --- reserve numbers ------------------------------------------------------------------------


def test_format_reserve_number() -> None:
    assert format_reserve_number(2026, 123) == "R2026-000123"
    assert format_reserve_number(2026, 1) == "R2026-000001"
    assert format_reserve_number(2026, 999_999) == "R2026-999999"
    for year, sequence in ((999, 1), (10_000, 1), (2026, 0), (2026, 1_000_000), (2026, -1)):
        with pytest.raises(ValueError, match="must"):
            format_reserve_number(year, sequence)


def test_is_reserve_number() -> None:
    for text in ("R2026-000123", "r2026-000123", "  R2026-000123 "):
        assert is_reserve_number(text)
    for text in (
        "",
        "R2026-00012",
        "R2026-0000123",
        "R26-000123",
        "R2026000123",
        "R2026-000000",
        "R0999-000001",
        "X2026-000123",
        "2026-000123",
        "R2026-00012a",
        "R２０２６-000123",
        P_1990,
    ):
        assert not is_reserve_number(text), text


def test_parse_reserve_number() -> None:
    result = parse_identity_number(" r2026-000123 ")
    assert result == IdentityNumber(IdentityKind.RESERVNUMMER, "R2026-000123", None, None)
    assert result.formatted() == "R2026-000123"
    assert result.legal_sex is None
    error = _raise("R2026-123")
    assert error.code == "format"
    assert "R2026-000123" in error.message


def test_reserve_numbers_are_never_taken_for_swedish_numbers() -> None:
    for year in (1900, 2000, 2026, 9999):
        for sequence in (1, 123, 10_000, 999_999):
            reserve = format_reserve_number(year, sequence)
            assert not pnr_package.valid(reserve)
            assert not pnr_package.valid(reserve.lower())
            assert parse_identity_number(reserve).kind is IdentityKind.RESERVNUMMER


@PROPERTY
@given(st.integers(1000, 9999), st.integers(1, 999_999))
def test_property_no_reserve_number_is_a_personnummer(year: int, sequence: int) -> None:
    reserve = format_reserve_number(year, sequence)
    assert is_reserve_number(reserve)
    assert not pnr_package.valid(reserve)
    assert parse_identity_number(reserve).value == reserve


# --- the dataclass --------------------------------------------------------------------------


def test_identity_number_rejects_unnormalised_values() -> None:
    with pytest.raises(ValueError, match="normalised"):
        IdentityNumber(IdentityKind.PERSONNUMMER, "900101-2385", date(1990, 1, 1), 1990)
    with pytest.raises(ValueError, match="normalised"):
        IdentityNumber(IdentityKind.RESERVNUMMER, "r2026-000123", None, None)


def test_identity_number_is_frozen_and_hashable() -> None:
    result = parse_identity_number(P_1990, today=TODAY)
    with pytest.raises(AttributeError):
        result.value = "x"  # type: ignore[misc]
    assert len({result, parse_identity_number("900101-2385", today=TODAY)}) == 1


# --- properties -----------------------------------------------------------------------------


@PROPERTY
@given(st.sampled_from(ALL), st.integers(2, 11), st.integers(1, 9))
def test_property_single_digit_changes_in_the_last_10_are_rejected(
    number: str, position: int, shift: int
) -> None:
    """Luhn catches every single-digit error in the last 10 digits, partial dates included."""
    digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + digit + number[position + 1 :]
    with pytest.raises(InvalidIdentityNumber):
        parse_identity_number(changed, today=TODAY)


@st.composite
def _candidates(draw: st.DrawFn) -> str:
    """Number-shaped text: any month 00-13, any day 00-99, right or random check digit."""
    century = draw(st.sampled_from(["", "18", "19", "20"]))
    yy, mm, dd = draw(st.integers(0, 99)), draw(st.integers(0, 13)), draw(st.integers(0, 99))
    first9 = f"{yy:02d}{mm:02d}{dd:02d}{draw(st.integers(0, 999)):03d}"
    right = draw(st.booleans())
    check = luhn.calc_check_digit(first9) if right else str(draw(st.integers(0, 9)))
    sep = draw(st.sampled_from(["", "-", "+"]))
    return f"{century}{first9[:6]}{sep}{first9[6:]}{check}"


@PROPERTY
@given(_candidates())
def test_property_accepted_numbers_are_consistent_with_the_package(text: str) -> None:
    """Whatever is accepted is Luhn-valid and round-trips; whatever the personnummer package
    accepts as 12 digits (past birth date, no '+') is accepted too."""
    digits = text.replace("-", "").replace("+", "")
    try:
        result = parse_identity_number(text, today=TODAY)
    except InvalidIdentityNumber as error:
        assert error.code in {"format", "checksum", "date", "future"}
        if len(digits) == 12 and "+" not in text and pnr_package.valid(digits):
            born = pnr_package.parse(digits).get_date()
            assert born > TODAY or digits[8:11] == "000", (text, error.code)
        return
    assert luhn.is_valid(result.value[2:])
    assert result.value[2:] == digits[-10:]
    if len(digits) == 12:
        assert result.value == digits
    assert parse_identity_number(result.value, today=TODAY) == result
    assert parse_identity_number(result.formatted(), today=TODAY) == result
    assert (result.birth_date is None) == (not pnr_package.valid(result.value))


@PROPERTY
@given(st.text(max_size=20))
def test_property_arbitrary_text_raises_only_invalid_identity_number(text: str) -> None:
    try:
        result = parse_identity_number(text, today=TODAY)
    except InvalidIdentityNumber as error:
        assert error.code in {"format", "checksum", "date", "future"}
        assert error.message
        return
    assert parse_identity_number(result.value, today=TODAY) == result
