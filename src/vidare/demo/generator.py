"""The synthetic demo municipality behind `vidare demo`.

Every person this module creates is synthetic: staff and participants are random combinations of
first and last names from the shipped name lists (data/SOURCES.md) and, for participants, an
identity number from Skatteverket's test lists (``vidare.core.identity``). When those lists run
out for a birth year (the lists hold 41 493 + 2 264 numbers, most born 1976-2013), the person gets a
reserve number (``R2025-500001``, sequence from 500001 up) and a synthetic date of birth. Nothing is
invented that could be a real person's number. Addresses use made-up street names, phone numbers
PTS's series reserved for fiction (070-174 06 05 - 070-174 06 99), e-mail example.com.

What is built (``generate``): four centres, six target groups and five programmes as in the
articles in shared/seeds; staff in every role with one shared password; and ``participants``
journeys over the three years that end on ``today``: referral, contacts, enrolment(s) in an
age-eligible programme, assessments, plan, goals, interventions with weekly attendance, exits of
every kind, returns and transfers, an active caseload of about 30 per job coach, and consents
(samtycken): to report back to the social services for most people they refer (some since
expired or withdrawn), and to most referrals out to Arbetsförmedlingen and Försäkringskassan.

The generator is deterministic: the same seed, ``today`` and size give the same rows, because every
draw comes from ``random.Random(seed)`` in a fixed order and nothing iterates over a set.

Rows are built in memory as plain dicts, a chunk of participants at a time, and written with
batched INSERTs (``Writer``: executemany, BATCH_SIZE rows per call; the ORM's bulk_create spends
most of its time preparing values one by one) inside one transaction, so a run loads the whole
demo or nothing. Bulk inserts bypass the actions; that is allowed here only, because this is a
generator and not the application. The rows obey every rule the actions enforce (one enrolment at
a time in a programme, age within band at start, a target group the programme accepts, programme
offered at the centre, exit on/after start and not in the future, attendance in Mondays within the
intervention's dates with a reason for absence, assessment versions 1..n, referral status
consistent with enrolment, ``last_activity_on`` as the actions set it); ``tests/test_demo.py``
checks them over every generated row. Two deliberate differences: no django-simple-history rows
are written for generated data, and ``created_at`` is the time of generation, not the date in the
story.

Demo rows are recognised by their creator: demo staff have e-mail addresses ending in
``DEMO_EMAIL_SUFFIX`` and every demo participant is created by one of them, so ``delete_demo``
removes exactly those participants (with everything under them) and those users.
"""

from __future__ import annotations

import bisect
import csv
import hmac
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vidare.access.models import Membership, User
from vidare.access.roles import Role
from vidare.assessments.models import Assessment, Barrier, SwedishLevel, WorkExperience
from vidare.codelists.models import (
    DrivingLicence,
    EducationLevel,
    Language,
    Municipality,
    Occupation,
)
from vidare.core.dates import add_months, week_start
from vidare.core.identity import (
    IdentityKind,
    format_reserve_number,
    parse_identity_number,
    test_personnummer_list,
    test_samordningsnummer_list,
)
from vidare.demo.employers import create_demo_employers, delete_demo_employers
from vidare.demo.matching import ProfileMaker, create_demo_proposals, profile_maker
from vidare.enrolments.actions import REFERRAL_OUT_PARTIES
from vidare.enrolments.models import Enrolment, EnrolmentStatus, Exit, ExitReason
from vidare.matching.models import Proposal
from vidare.organisation.models import Centre, Programme, TargetGroup, age_on
from vidare.people.models import (
    BirthRegion,
    Consent,
    ConsentParty,
    ConsentScope,
    ContactChannel,
    ContactKind,
    ContactOutcome,
    Gender,
    Participant,
    Referral,
    ReferralCloseReason,
    ReferralContact,
    ReferralSource,
    ReferralStatus,
)
from vidare.plans.models import (
    AbsenceReason,
    Attendance,
    GoalKind,
    Intervention,
    InterventionKind,
    InterventionStatus,
    Plan,
    PlanGoal,
)

T = TypeVar("T")

DEFAULT_SEED = 20260
DEFAULT_PARTICIPANTS = 1500
DEMO_PASSWORD = "vidare-demo-2026"  # noqa: S105 - printed on purpose: a demo, synthetic data only
DEMO_EMAIL_SUFFIX = "@demo.vidare.invalid"
HISTORY_YEARS = 3
CHUNK = 1000  # participants per write; bounds memory at 100 000 people
BATCH_SIZE = 2000
RESERVE_FIRST_SEQUENCE = 500_001  # far above what a unit issues by hand, so the two never meet
COACHES_PER_CENTRE = 4
PARTICIPANTS_PER_COACH_SET = 1500  # coaches grow with the demo so caseloads stay realistic

DATA_DIR = Path(__file__).resolve().parent / "data"

# --- the municipality (shared/seeds: Göteborg's four kompetenscenter and the programmes) ---------

CENTRES: tuple[tuple[str, str, float], ...] = (
    ("hisingen", "Hisingen", 0.26),
    ("centrum-vaster", "Centrum-Väster", 0.23),
    ("oster", "Öster", 0.24),
    ("angered", "Angered", 0.27),
)
# (code, name, special category: membership reveals health, disability or origin)
TARGET_GROUPS: tuple[tuple[str, str, bool], ...] = (
    ("forsorjningsstod", "Försörjningsstöd", False),
    ("funktionsnedsattning", "Funktionsnedsättning", True),
    ("utrikesfodd", "Född utanför Europa", True),
    ("kort_utbildning", "Kort utbildning (förgymnasial)", False),
    ("unga", "Unga 16–24", False),
    ("aldre", "Äldre med svag förankring", False),
)


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    min_age: int
    max_age: int
    target_groups: tuple[str, ...]
    centres: tuple[str, ...]  # empty: every centre
    max_months: int
    description: str


PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec("jobbtorg", "Jobbtorg", 16, 65,
                  ("forsorjningsstod", "utrikesfodd", "kort_utbildning"), (), 18,
                  "Stöd till arbete eller studier för den som har försörjningsstöd."),
    ProgrammeSpec("jobbtorg-unga", "Jobbtorg Unga", 16, 24, ("unga", "forsorjningsstod"), (), 18,
                  "För unga 16–24 år: slutföra gymnasiet, praktik och första jobbet."),
    ProgrammeSpec("jobbtorg-resurs", "Jobbtorg Resurs", 18, 65,
                  ("funktionsnedsattning", "forsorjningsstod"), ("hisingen", "angered"), 18,
                  "Extra och individuellt stöd i samverkan med socialtjänsten och vården."),
    ProgrammeSpec("breddad-rekrytering", "Breddad rekrytering", 18, 67,
                  ("funktionsnedsattning", "aldre"), ("oster", "centrum-vaster"), 24,
                  "Anpassat arbete för personer med funktionsvariationer och äldre med svag "
                  "förankring på arbetsmarknaden."),
    ProgrammeSpec("resursjobb", "Resursjobb", 18, 65, ("forsorjningsstod",), (), 12,
                  "Rustande anställning i kommunen för den som har försörjningsstöd."),
)

# --- staff ------------------------------------------------------------------------------------

# (role, username prefix) for roles held at each centre; the coaches are added separately.
CENTRE_ROLES: tuple[tuple[Role, str], ...] = (
    (Role.JOBBMAKLARE, "maklare"),
    (Role.ARBETSFORMEDLARE, "af"),
    (Role.SYV, "syv"),
    (Role.ENHETSCHEF, "chef"),
)
WIDE_ROLES: tuple[tuple[Role, str], ...] = (
    (Role.ANALYTIKER, "analytiker"),
    (Role.SOCIALSEKRETERARE, "socsek1"),
    (Role.SOCIALSEKRETERARE, "socsek2"),
    (Role.SYSTEMADMINISTRATOR, "admin"),
)
TITLES = {
    Role.JOBBCOACH: "Jobbcoach", Role.JOBBMAKLARE: "Jobbmäklare",
    Role.ARBETSFORMEDLARE: "Arbetsförmedlare", Role.SYV: "Studie- och yrkesvägledare",
    Role.ENHETSCHEF: "Enhetschef", Role.ANALYTIKER: "Analytiker",
    Role.SOCIALSEKRETERARE: "Socialsekreterare, ekonomiskt bistånd",
    Role.SYSTEMADMINISTRATOR: "Systemadministratör",
}

# --- the population -----------------------------------------------------------------------------

# The articles: 80 % of the adults foreign-born, most of them outside Europe.
BIRTH_REGIONS: tuple[tuple[str, float], ...] = (
    (BirthRegion.ASIA, 38), (BirthRegion.AFRICA, 27), (BirthRegion.SOUTH_AMERICA, 2),
    (BirthRegion.NORTH_AMERICA, 0.5), (BirthRegion.OCEANIA, 0.2),
    (BirthRegion.EUROPE_OTHER, 6), (BirthRegion.EU, 4), (BirthRegion.NORDIC, 1.5),
    (BirthRegion.SWEDEN, 19.8), (BirthRegion.UNKNOWN, 1),
)
MOTHER_TONGUES: dict[str, tuple[tuple[str, float], ...]] = {
    BirthRegion.ASIA: (("ar", 40), ("prs", 12), ("fa", 10), ("ckb", 8), ("kmr", 6), ("ps", 5),
                       ("ur", 4), ("aii", 4), ("tr", 4), ("bn", 2), ("th", 3), ("vi", 2)),
    BirthRegion.AFRICA: (("so", 45), ("ti", 22), ("ar", 14), ("am", 8), ("tig", 3), ("om", 4),
                         ("fr", 2), ("sw", 2)),
    BirthRegion.SOUTH_AMERICA: (("es", 85), ("pt", 15)),
    BirthRegion.NORTH_AMERICA: (("en", 60), ("es", 40)),
    BirthRegion.OCEANIA: (("en", 100),),
    BirthRegion.EUROPE_OTHER: (("bs", 25), ("sr", 15), ("sq", 20), ("ru", 15), ("uk", 20),
                               ("rom", 5)),
    BirthRegion.EU: (("pl", 35), ("ro", 30), ("bg", 15), ("el", 5), ("es", 5), ("de", 5),
                     ("hu", 5)),
    BirthRegion.NORDIC: (("fi", 70), ("no", 15), ("da", 15)),
    BirthRegion.SWEDEN: (("sv", 100),),
    BirthRegion.UNKNOWN: (("ar", 50), ("so", 30), ("en", 20)),
}
# Age at referral: (low, high) in years, weight.
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (16, 20, 7), (20, 25, 15), (25, 35, 26), (35, 45, 24), (45, 55, 16), (55, 65, 10),
    (65, 67, 2),
)
SOURCES: tuple[tuple[str, float], ...] = (
    (ReferralSource.SOCIAL_SERVICES, 58), (ReferralSource.EMPLOYMENT_SERVICE, 15),
    (ReferralSource.SELF, 10), (ReferralSource.HEALTH_CARE, 7), (ReferralSource.OUTREACH, 7),
    (ReferralSource.OTHER, 3),
)
OUTREACH_AREAS: dict[str, tuple[str, ...]] = {
    "angered": ("Hjällbo", "Hammarkullen", "Gårdsten"),
    "oster": ("Bergsjön", "Kortedala"),
    "hisingen": ("Norrby", "Biskopsgården"),
    "centrum-vaster": ("Tynnered", "Majorna"),
}
REFERRER_ORGANISATIONS: dict[str, tuple[str, ...]] = {
    ReferralSource.SOCIAL_SERVICES: ("Socialtjänsten, ekonomiskt bistånd",),
    ReferralSource.EMPLOYMENT_SERVICE: ("Arbetsförmedlingen",),
    ReferralSource.HEALTH_CARE: ("Vårdcentralen", "Psykiatrisk öppenvård", "Rehabkoordinator"),
    ReferralSource.OUTREACH: ("Uppsökande verksamhet",),
    ReferralSource.OTHER: ("Vuxenutbildningen", "Frivården"),
    ReferralSource.SELF: ("",),
}
REFERRAL_REASONS: dict[str, tuple[str, ...]] = {
    ReferralSource.SOCIAL_SERVICES: (
        "Långvarigt försörjningsstöd, behöver stöd att komma ut i arbete.",
        "Har försörjningsstöd och vill arbeta, saknar arbetslivserfarenhet i Sverige.",
        "Försörjningsstöd sedan mer än ett år, behöver kartläggning och praktik.",
    ),
    ReferralSource.EMPLOYMENT_SERVICE: (
        "Behöver mer stöd än Arbetsförmedlingen kan ge, inskriven sedan länge.",
        "Samverkan: kommunal insats parallellt med Arbetsförmedlingen.",
    ),
    ReferralSource.HEALTH_CARE: (
        "Arbetsförmågan behöver prövas i anpassad form.",
        "Efter sjukskrivning, behöver stegvis återgång mot arbete.",
    ),
    ReferralSource.SELF: ("Söker själv stöd för att hitta arbete eller studier.",),
    ReferralSource.OUTREACH: ("Mött vid uppsökande arbete i området, vill ha stöd mot arbete.",),
    ReferralSource.OTHER: ("Behöver stöd mot arbete efter avslutad insats.",),
}
CLOSE_REASONS: tuple[tuple[str, float], ...] = (
    (ReferralCloseReason.NOT_REACHED, 30), (ReferralCloseReason.DECLINED, 20),
    (ReferralCloseReason.NOT_SUITABLE, 15), (ReferralCloseReason.OTHER_PROGRAMME, 10),
    (ReferralCloseReason.FOUND_WORK, 10), (ReferralCloseReason.MOVED, 7),
    (ReferralCloseReason.OTHER, 8),
)
# Share of all exits: 26 % work or studies (mostly work), 20 % another intervention in the unit,
# 20 % another authority, the rest moved, dropped out or other (shared/seeds, Jobbtorg 2020).
# The weights are set a little off those targets because longer journeys are more often still
# running on `today`; the realised shares are measured in tests/test_demo.py.
EXIT_REASONS: tuple[tuple[str, float], ...] = (
    (ExitReason.WORK_UNSUBSIDISED, 17), (ExitReason.WORK_SUBSIDISED, 6),
    (ExitReason.STUDIES, 3.2), (ExitReason.OTHER_INTERVENTION, 22),
    (ExitReason.EMPLOYMENT_SERVICE, 15), (ExitReason.SOCIAL_INSURANCE, 9),
    (ExitReason.MOVED, 7), (ExitReason.DROPPED_OUT, 13.5), (ExitReason.OTHER, 7.5),
)
# Months from start to exit: (low, mode, high) of a triangular distribution, per reason.
EXIT_MONTHS: dict[str, tuple[float, float, float]] = {
    ExitReason.WORK_UNSUBSIDISED: (1.5, 8, 19), ExitReason.WORK_SUBSIDISED: (1.5, 7, 19),
    ExitReason.STUDIES: (2, 6, 15), ExitReason.OTHER_INTERVENTION: (1.5, 6, 14),
    ExitReason.EMPLOYMENT_SERVICE: (1.5, 8, 19), ExitReason.SOCIAL_INSURANCE: (2, 9, 19),
    ExitReason.MOVED: (0.5, 4, 14), ExitReason.DROPPED_OUT: (0.3, 2.5, 10),
    ExitReason.OTHER: (0.5, 6, 19),
}
EDUCATION_FOREIGN: tuple[tuple[str, float], ...] = (
    ("00", 12), ("10", 22), ("20", 22), ("31", 9), ("32", 7), ("33", 12), ("41", 5), ("52", 4),
    ("53", 5), ("54", 2),
)
EDUCATION_NATIVE: tuple[tuple[str, float], ...] = (
    ("10", 3), ("20", 30), ("31", 15), ("32", 12), ("33", 30), ("41", 5), ("52", 3), ("53", 2),
)
SHORT_EDUCATION = ("00", "10", "20")
SWEDISH_FOREIGN: tuple[tuple[str, float], ...] = (
    (SwedishLevel.NONE, 6), (SwedishLevel.SFI_A, 10), (SwedishLevel.SFI_B, 16),
    (SwedishLevel.SFI_C, 22), (SwedishLevel.SFI_D, 22), (SwedishLevel.SVA_GRUND, 14),
    (SwedishLevel.SVA_GY, 10),
)
SFI_LEVELS = (SwedishLevel.NONE, SwedishLevel.SFI_A, SwedishLevel.SFI_B, SwedishLevel.SFI_C)
# SSYK 2012 level-4 codes common among participants, with weights. No vehicle mechanics (7231)
# on purpose: the Borås article's broker found a great need for them and nobody with the
# skills yet, which the unmet-needs report should show. Names come from the Occupation
# table (JobTech's 400 groups: 5322 vårdbiträde-type work is filed under 5321 and 5330 there).
COMMON_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("9111", 14), ("5321", 9), ("5330", 8), ("9412", 9), ("4322", 8), ("8332", 4), ("5120", 5),
    ("9622", 3), ("5222", 6), ("5311", 4), ("5312", 3), ("9629", 4), ("8321", 4), ("7114", 3),
    ("5342", 3), ("9413", 3), ("7111", 2), ("9119", 3), ("8331", 2), ("5131", 2),
)
EMPLOYERS: dict[str, tuple[str, ...]] = {
    "9111": ("Exempel Städservice AB", "{municipality}, lokalvård"),
    "9119": ("Exempel Hemservice AB",),
    "9629": ("Exempel Fastighetsservice AB", "{municipality}, fastighetsdrift"),
    "5321": ("{municipality}, äldreomsorgen", "Exempel Omsorg AB"),
    "5330": ("{municipality}, äldreomsorgen", "Exempel Hemtjänst AB"),
    "5342": ("{municipality}, funktionsstöd",),
    "9412": ("Restaurang Exempel AB", "{municipality}, måltidsservice"),
    "9413": ("Exempelkaféet AB",),
    "5120": ("Restaurang Exempel AB", "{municipality}, måltidsservice"),
    "5131": ("Restaurang Exempel AB",),
    "4322": ("Exempel Logistik AB", "Exempel Lager & Terminal AB"),
    "8332": ("Exempel Transport AB",),
    "8331": ("Exempel Buss AB",),
    "8321": ("Exempel Taxi AB",),
    "5222": ("Exempel Livs AB",),
    "5311": ("{municipality}, förskoleförvaltningen",),
    "5312": ("{municipality}, grundskoleförvaltningen",),
    "7231": ("Exempel Bilverkstad AB",),
    "9622": ("{municipality}, fastighetsförvaltningen",),
    "7114": ("Exempel Bygg & Anläggning AB",),
    "7111": ("Exempel Bygg & Anläggning AB",),
}
COURSES: tuple[tuple[str, str, float], ...] = (
    ("Lager och logistik med truckkort", "4322", 3), ("Vård- och omsorgsutbildning", "5321", 4),
    ("Restaurang och storkök", "5120", 2), ("Lokalvård och städteknik", "9111", 3),
    ("Yrkesförare godstransport (C/CE)", "8332", 1), ("Barnskötare och elevassistent", "5311", 1),
    ("Fordonsteknik, grundkurs", "7231", 1),
)
SKILLS: dict[str, tuple[str, ...]] = {
    "9111": ("Städteknik", "Maskinstädning"), "9119": ("Hemservice",),
    "9629": ("Fastighetsskötsel",), "5321": ("Omvårdnad", "Delegering läkemedel"),
    "5330": ("Omvårdnad", "Hemtjänst"), "5342": ("Bemötande",),
    "9412": ("Diskning", "Hygienkörkort"), "9413": ("Kassahantering", "Kaffebryggning"),
    "5120": ("Matlagning", "Hygienkörkort"), "5131": ("Servering",),
    "4322": ("Truckkort", "Plock och pack"), "8332": ("YKB", "Godshantering"),
    "8331": ("YKB",), "8321": ("Taxiförarlegitimation",), "5222": ("Kassahantering",),
    "5311": ("Barnomsorg",), "5312": ("Elevstöd",), "7231": ("Däckbyte", "Service av bilar"),
    "9622": ("Fastighetsskötsel", "Vaktmästeri"),
    "7114": ("Markarbete",), "7111": ("Snickeri",),
}
STREETS = ("Exempelgatan", "Provvägen", "Demostigen", "Övningsgatan", "Mönstervägen",
           "Försöksgatan", "Påhittade gatan", "Låtsasvägen")
POSTAL_AREAS = {"hisingen": "417", "centrum-vaster": "414", "oster": "415", "angered": "424"}
FICTION_PHONES = tuple(f"070-174 06 {n:02d}" for n in range(5, 100))  # PTS: reserved for fiction
ABSENCE_REASONS: tuple[tuple[str, float], ...] = (
    (AbsenceReason.SICK, 50), (AbsenceReason.CHILD, 20), (AbsenceReason.VALID, 15),
    (AbsenceReason.INVALID, 15),
)
BARRIERS_BY_GROUP = {
    "utrikesfodd": Barrier.LANGUAGE, "kort_utbildning": Barrier.EDUCATION,
    "funktionsnedsattning": Barrier.DISABILITY,
}
OTHER_BARRIERS: tuple[tuple[str, float], ...] = (
    (Barrier.EXPERIENCE, 40), (Barrier.HEALTH, 15), (Barrier.CHILDCARE, 12),
    (Barrier.DIGITAL, 15), (Barrier.HOUSING, 6), (Barrier.TRANSPORT, 6), (Barrier.SUBSTANCE, 3),
    (Barrier.OTHER, 3),
)

WORK = (ExitReason.WORK_UNSUBSIDISED, ExitReason.WORK_SUBSIDISED)
# Exits after which some people are referred again months later.
RETURNING = (ExitReason.DROPPED_OUT, ExitReason.MOVED, ExitReason.OTHER,
             ExitReason.EMPLOYMENT_SERVICE)
CLOSE_NOTES = {
    ReferralCloseReason.NOT_REACHED: "Sökt per telefon, sms och brev utan svar.",
    ReferralCloseReason.NOT_SUITABLE: "Inget program här passar just nu; åter till remittenten.",
}
INTERESTS = ("Praktiskt arbete", "Arbete med människor", "Kök och restaurang",
             "Lager och transport", "Vård och omsorg", "Fordon och teknik")
OWN_GOALS = ("Få ett arbete och klara mig utan försörjningsstöd.",
             "Lära mig svenska och börja arbeta.", "Utbilda mig till ett bristyrke.")
ADAPTATIONS = ("Kortare arbetsdagar i början.", "Tydliga instruktioner, gärna skriftligt.",
               "Ergonomiskt anpassad arbetsplats.")

SHARE_SAMORDNINGSNUMMER = 0.04
SHARE_PROTECTED = 0.006
SHARE_GENDER_OTHER = 0.003
SHARE_REFERRAL_CLOSED = 0.12
SHARE_NO_ASSESSMENT = 0.07
SHARE_SECOND_ASSESSMENT = 0.3
SHARE_INACTIVE = 0.12  # of active enrolments: nothing recorded for 30+ days
SHARE_PAUSED = 0.03
SHARE_FULL_LENGTH = 0.1  # of enrolments: run to the programme's maximum length
SHARE_TRANSFER = 0.6  # of exits to another intervention: enrolled in another programme here
SHARE_RETURN = 0.12  # of dropouts, moves and the like: referred again later
# Samtycke. Of people referred by the social services: no consent to report back; of those who
# consent: withdrawn later. A consent runs CONSENT_MONTHS, so the oldest ones have expired.
SHARE_NO_CONSENT = 0.1
SHARE_CONSENT_WITHDRAWN = 0.08
CONSENT_MONTHS = 24
SHARE_REFERRAL_OUT_CONSENT = 0.85  # of exits to another authority; the rest share nothing
MAX_EPISODES = 3


# --- helpers --------------------------------------------------------------------------------------


class Weighted:
    """Draw by weight with one bisect (random.choices recomputes the sums on every call)."""

    def __init__(self, items: Iterable[tuple[Any, float]]) -> None:
        pairs = list(items)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _hours(value: float) -> Decimal:
    """Half hours as Decimal, cached: attendance rows number in the millions."""
    return _HALF_HOURS[round(value * 2)]


_HALF_HOURS = [Decimal(n) / 2 for n in range(121)]
_TENTHS = [Decimal(n) / 10 for n in range(601)]


def _tenths(n: int) -> Decimal:
    return _TENTHS[n]


def _rank(level: str) -> int:
    return _SWEDISH_RANK[level]


_SWEDISH_RANK = {level: SwedishLevel.rank(level) for level in SwedishLevel.values}


@cache
def _names() -> tuple[dict[str, Weighted], Weighted]:
    """First names by gender and last names, weighted. A name found in both first-name lists is
    kept only for the gender whose list gives it the larger weight (data/SOURCES.md)."""
    by_name: dict[str, dict[str, float]] = {}
    with (DATA_DIR / "names_sv_first.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        by_name.setdefault(row["name"], {})[row["gender"]] = float(row["weight"])
    first = {}
    for gender, list_name in ((Gender.WOMAN, "female"), (Gender.MAN, "male")):
        first[gender] = Weighted(
            (row["name"], float(row["weight"])) for row in rows
            if row["gender"] == list_name
            and by_name[row["name"]][list_name] == max(by_name[row["name"]].values()))
    with (DATA_DIR / "names_sv_last.csv").open(encoding="utf-8", newline="") as handle:
        last = Weighted((row["name"], float(row["weight"])) for row in csv.DictReader(handle))
    return first, last


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[rng.randrange(len(items))]


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _ascii(text: str) -> str:
    table = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU")
    return "".join(c for c in text.translate(table).lower() if c.isalnum() or c in ".-")


# --- identity numbers ---------------------------------------------------------------------------


@dataclass
class Identity:
    kind: str
    number: str
    birth_date: date | None
    birth_year: int
    legal_sex: str | None  # "F"/"M"; None for a reserve number


class IdentityPool:
    """Hands out Skatteverket's test numbers by birth year, each once; then reserve numbers."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.pools: dict[tuple[str, int], list[str]] = {}
        for kind, numbers in ((IdentityKind.PERSONNUMMER, test_personnummer_list()),
                              (IdentityKind.SAMORDNINGSNUMMER, test_samordningsnummer_list())):
            for number in numbers:
                self.pools.setdefault((kind, int(number[:4])), []).append(number)
        self.reserve_sequence: Counter[int] = Counter()

    def take(self, rng: random.Random, kind: str, birth: date, issued: date) -> Identity:
        pool = self.pools.get((kind, birth.year))
        if pool:
            index = rng.randrange(len(pool))
            pool[index], pool[-1] = pool[-1], pool[index]
            parsed = parse_identity_number(pool.pop(), today=self.today)
            assert parsed.birth_year is not None
            return Identity(parsed.kind.value, parsed.value, parsed.birth_date, parsed.birth_year,
                            parsed.legal_sex)
        sequence = RESERVE_FIRST_SEQUENCE + self.reserve_sequence[issued.year]
        self.reserve_sequence[issued.year] += 1
        return Identity(IdentityKind.RESERVNUMMER.value,
                        format_reserve_number(issued.year, sequence), birth, birth.year, None)


def possible_ages(birth_date: date | None, birth_year: int, on: date) -> tuple[int, int]:
    """Youngest and oldest age the person can be on `on` (one value when the date is known)."""
    if birth_date is not None:
        age = age_on(birth_date, on)
        return age, age
    return on.year - birth_year - 1, on.year - birth_year


def age_fits(programme: ProgrammeSpec, birth_date: date | None, birth_year: int,
             on: date) -> bool:
    youngest, oldest = possible_ages(birth_date, birth_year, on)
    return programme.min_age <= youngest and oldest <= programme.max_age


# --- the database catalogue ---------------------------------------------------------------------


@dataclass
class Staff:
    coaches: dict[str, list[User]]  # by centre code
    social_workers: list[User]


@dataclass
class Catalogue:
    centres: dict[str, Centre]
    groups: dict[str, TargetGroup]
    programmes: dict[str, Programme]
    occupations: dict[str, Occupation]
    education: dict[str, EducationLevel]
    languages: dict[str, Language]
    licences: dict[str, DrivingLicence]


class DemoDataError(RuntimeError):
    """The database is not ready for the demo (e.g. code lists not loaded, a username taken)."""


def ensure_organisation() -> tuple[dict[str, Centre], dict[str, TargetGroup],
                                   dict[str, Programme]]:
    """Create or update the demo centres, target groups and programmes (idempotent)."""
    municipality = Municipality.objects.filter(code="1480").first()  # Göteborg
    centres = {}
    for code, name, _weight in CENTRES:
        centres[code], _ = Centre.objects.update_or_create(
            code=code, defaults={"name": name, "municipality": municipality, "active": True})
    groups = {}
    for code, name, special in TARGET_GROUPS:
        groups[code], _ = TargetGroup.objects.update_or_create(
            code=code, defaults={"name": name, "special_category": special})
    programmes = {}
    for spec in PROGRAMMES:
        programme, _ = Programme.objects.update_or_create(code=spec.code, defaults={
            "name": spec.name, "description": spec.description, "min_age": spec.min_age,
            "max_age": spec.max_age, "max_length_months": spec.max_months, "active": True})
        programme.target_groups.set([groups[g] for g in spec.target_groups])
        programme.centres.set([centres[c] for c in spec.centres or centres])
        programmes[spec.code] = programme
    return centres, groups, programmes


def load_catalogue() -> Catalogue:
    centres, groups, programmes = ensure_organisation()
    codes = [code for code, _ in COMMON_OCCUPATIONS] + [code for _, code, _ in COURSES]
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=codes, level=4)}
    missing = sorted(set(codes) - set(occupations))
    if missing:
        raise DemoDataError(f"SSYK codes missing from the code lists: {', '.join(missing)}. "
                            "Run `vidare migrate` (it loads the code lists) first.")
    education = {e.code: e for e in EducationLevel.objects.filter(level_digits=2)}
    languages = {lang.code: lang for lang in Language.objects.all()}
    licences = {d.code: d for d in DrivingLicence.objects.all()}
    needed_languages = {code for table in MOTHER_TONGUES.values() for code, _ in table}
    if not {c for c, _ in EDUCATION_FOREIGN} <= set(education) or not (
            needed_languages | {"sv", "en"}) <= set(languages) or "B" not in licences:
        raise DemoDataError("The code lists (SUN 2020, languages, driving licences) are not "
                            "loaded. Run `vidare migrate` first.")
    return Catalogue(centres, groups, programmes, occupations, education, languages, licences)


def coaches_per_centre(participants: int) -> int:
    return max(COACHES_PER_CENTRE, math.ceil(
        COACHES_PER_CENTRE * participants / PARTICIPANTS_PER_COACH_SET))


def create_staff(rng: random.Random, centres: dict[str, Centre], participants: int) -> Staff:
    """Demo staff in every role, all with DEMO_PASSWORD; usernames are printable and simple."""
    first_names, last_names = _names()
    password = make_password(DEMO_PASSWORD)  # one hash: hashing each user would take seconds
    plan: list[tuple[str, Role, Centre | None]] = []
    per_centre = coaches_per_centre(participants)
    for code, _name, _weight in CENTRES:
        for n in range(1, per_centre + 1):
            plan.append((f"coach{'' if n == 1 else n}.{code}", Role.JOBBCOACH, centres[code]))
        for role, prefix in CENTRE_ROLES:
            plan.append((f"{prefix}.{code}", role, centres[code]))
    for role, username in WIDE_ROLES:
        plan.append((username, role, None))
    taken = sorted(User.objects.filter(username__in=[u for u, _, _ in plan])
                   .values_list("username", flat=True))
    if taken:
        raise DemoDataError(f"Usernames needed by the demo are taken by accounts that are not "
                            f"demo accounts: {', '.join(taken)}.")
    users = []
    for username, role, _centre in plan:
        gender = Gender.WOMAN if rng.random() < 0.6 else Gender.MAN
        users.append(User(username=username, password=password, email=username + DEMO_EMAIL_SUFFIX,
                          first_name=first_names[gender](rng), last_name=last_names(rng),
                          title=TITLES[role]))
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    users = list(User.objects.filter(username__in=[u for u, _, _ in plan]).order_by("id"))
    by_name = {u.username: u for u in users}
    Membership.objects.bulk_create(
        [Membership(user=by_name[username], role=role, centre=centre)
         for username, role, centre in plan], batch_size=BATCH_SIZE)
    coaches = {code: [by_name[u] for u, role, c in plan if role == Role.JOBBCOACH
                      and c is not None and c.code == code] for code, _, _ in CENTRES}
    social = [by_name[u] for u, role, _ in plan if role == Role.SOCIALSEKRETERARE]
    return Staff(coaches, social)


def demo_otp_key(seed: int, username: str) -> str:
    """The TOTP key of a demo account's authenticator app: fixed by seed and username, so
    `vidare otp code USERNAME` (development only) or an app set up once keeps working."""
    return hmac.new(f"vidare-demo-{seed}".encode(), username.encode(), "sha1").hexdigest()


def create_authenticator_apps(seed: int) -> None:
    """Every demo account gets a confirmed app, so the second factor asks for a code."""
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user=user, name="Demo", confirmed=True,
                    key=demo_otp_key(seed, user.username))
         for user in demo_users().order_by("id")], batch_size=BATCH_SIZE)


# --- writing --------------------------------------------------------------------------------------

Row = dict[str, Any]


def people_tables() -> tuple[tuple[type[models.Model], str], ...]:
    """Every table a participant's rows go to, parents before children, each with its path to
    the participant. The writer fills them in this order; delete_demo empties them backwards."""
    return (
        (Participant, ""),
        (Participant.languages.through, "participant"),
        (Referral, "participant"),
        (ReferralContact, "referral__participant"),
        (Consent, "participant"),
        (Enrolment, "participant"),
        (Enrolment.target_groups.through, "enrolment__participant"),
        (Exit, "enrolment__participant"),
        (Assessment, "participant"),
        (Assessment.other_languages.through, "assessment__participant"),
        (Assessment.driving_licences.through, "assessment__participant"),
        (Assessment.desired_occupations.through, "assessment__participant"),
        (WorkExperience, "assessment__participant"),
        (Plan, "enrolment__participant"),
        (PlanGoal, "plan__enrolment__participant"),
        (Intervention, "enrolment__participant"),
        (Attendance, "intervention__enrolment__participant"),
    )


# Rows that others point at get their primary key here, so children can be built before anything
# is written; the database numbers the rest. The load runs in one transaction: a concurrent
# writer to these tables would make it fail whole (duplicate key), never half.
_KEYED = (Participant, Referral, Enrolment, Assessment, Plan, Intervention)


class Writer:
    """Writes rows (dicts of column attname → Python value) with executemany in batches.

    The ORM's bulk_create spends most of its time preparing each value of each row; here every
    column gets one converter, and the converted dates, decimals and timestamps are cached
    (the same few thousand values recur millions of times). Values are converted with the field's
    own get_db_prep_save, so what is stored is what the ORM would store, on SQLite and PostgreSQL.
    """

    def __init__(self, now: Any) -> None:
        self.connection = transaction.get_connection()
        self.now = now
        self.plans: dict[type[models.Model], tuple[str, list[str], list[Any],
                                                   list[Callable[[Any], Any] | None]]] = {}
        self.next_id: dict[type[models.Model], int] = {}
        for model in _KEYED:
            top = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            self.next_id[model] = top + 1

    def new_id(self, model: type[models.Model]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def _plan(self, model: type[models.Model]) -> tuple[str, list[str], list[Any],
                                                        list[Callable[[Any], Any] | None]]:
        if model not in self.plans:
            fields = [f for f in model._meta.concrete_fields
                      if not f.primary_key or model in self.next_id]
            defaults = []
            for f in fields:
                if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                    defaults.append(self.now)
                else:
                    defaults.append(f.get_default())  # "" for text, None for the rest
            quote = self.connection.ops.quote_name
            # Table and column names come from the models; every value is a parameter.
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
                quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields),
                ", ".join(["%s"] * len(fields)))
            converters = [self._converter(f) for f in fields]
            self.plans[model] = (sql, [f.attname for f in fields], defaults, converters)
        return self.plans[model]

    def _converter(self, f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        connection = self.connection
        if isinstance(f, models.DateField | models.DecimalField):  # DateTimeField included
            cache: dict[Any, Any] = {}

            def cached(value: Any) -> Any:
                try:
                    return cache[value]
                except KeyError:
                    cache[value] = converted = f.get_db_prep_save(value, connection)
                    return converted

            return cached
        if isinstance(f, models.JSONField):
            return lambda value: f.get_db_prep_save(value, connection)
        if isinstance(f, models.CharField | models.TextField):
            # Choices are str enums; drivers should see plain str.
            return lambda value: value if value is None or type(value) is str else str(value)
        return None

    def write(self, rows: dict[type[models.Model], list[Row]]) -> int:
        written = 0
        with self.connection.cursor() as cursor:
            for model, _path in people_tables():
                table = rows.get(model)
                if not table:
                    continue
                sql, names, defaults, converters = self._plan(model)
                columns = list(zip(names, defaults, converters, strict=True))
                params = []
                for row in table:
                    values = []
                    for name, default, convert in columns:
                        value = row.get(name, default)
                        values.append(value if convert is None else convert(value))
                    params.append(values)
                for begin in range(0, len(params), BATCH_SIZE):
                    cursor.executemany(sql, params[begin:begin + BATCH_SIZE])
                written += len(params)
        return written

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given here (SQLite needs nothing)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.next_id))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- simulation ---------------------------------------------------------------------------------


@dataclass
class Profile:
    """What stays with a person across episodes."""

    participant_id: int
    birth_date: date | None
    birth_year: int
    region: str
    education: str
    swedish: str
    disability: bool
    social_assistance: bool
    languages: list[str]
    occupations: list[str]  # SSYK codes of earlier work, most relevant first
    assessments: int = 0
    episodes: int = 0

    @property
    def foreign_born(self) -> bool:
        return self.region != BirthRegion.SWEDEN

    def groups(self, on: date) -> list[str]:
        youngest, oldest = possible_ages(self.birth_date, self.birth_year, on)
        out = []
        if self.social_assistance:
            out.append("forsorjningsstod")
        if self.disability:
            out.append("funktionsnedsattning")
        if self.region in BirthRegion.outside_europe():
            out.append("utrikesfodd")
        if self.education in SHORT_EDUCATION:
            out.append("kort_utbildning")
        if oldest <= 24:
            out.append("unga")
        if youngest >= 55:
            out.append("aldre")
        return out


class Simulator:
    """Builds one participant's whole story at a time, drawing only from `rng`.

    `last_activity_on` of an enrolment is the latest of: its start, its assessments, its plan,
    the start of each intervention that has started (not cancelled), the Sunday of each
    attendance week (not after today) and its exit: what the actions record as they are called.
    """

    def __init__(self, rng: random.Random, today: date, catalogue: Catalogue, staff: Staff,
                 writer: Writer, consent_rng: random.Random | None = None,
                 profiles: ProfileMaker | None = None) -> None:
        self.rng = rng
        # Matching profiles draw from their own stream too (vidare.demo.matching).
        self.profiles = profiles
        # Consents draw from their own stream, so the stories do not change with them.
        self.consent_rng = consent_rng or random.Random("consent")
        self.today = today
        self.window_start = today - timedelta(days=round(365.25 * HISTORY_YEARS))
        self.cat = catalogue
        self.staff = staff
        self.writer = writer
        self.rows: dict[type[models.Model], list[Row]] = {}
        self.turn: dict[str, int] = {}
        self.identities = IdentityPool(today)
        self.municipality = settings.VIDARE_MUNICIPALITY_NAME
        self.first_names, self.last_names = _names()
        self.centre = Weighted((code, weight) for code, _, weight in CENTRES)
        self.region = Weighted(BIRTH_REGIONS)
        self.mother_tongue = {region: Weighted(t) for region, t in MOTHER_TONGUES.items()}
        self.age_band = Weighted(((low, high), w) for low, high, w in AGE_BANDS)
        self.source = Weighted(SOURCES)
        self.close_reason = Weighted(CLOSE_REASONS)
        self.exit_reason = Weighted(EXIT_REASONS)
        self.education_foreign = Weighted(EDUCATION_FOREIGN)
        self.education_native = Weighted(EDUCATION_NATIVE)
        self.swedish_foreign = Weighted(SWEDISH_FOREIGN)
        self.occupation = Weighted(COMMON_OCCUPATIONS)
        self.absence = Weighted(ABSENCE_REASONS)
        self.other_barrier = Weighted(OTHER_BARRIERS)
        self.course = Weighted(((title, code), w) for title, code, w in COURSES)
        self.specs = {spec.code: spec for spec in PROGRAMMES}
        self.hours = {h: _hours(h) for h in (2.0, 3.0, 10.0, 15.0, 20.0, 25.0, 30.0, 32.0, 35.0,
                                             40.0)}

    def add(self, model: type[models.Model], **values: Any) -> Row:
        """A row for `model`; it gets its id now if other rows will point at it."""
        if model in self.writer.next_id:
            values["id"] = self.writer.new_id(model)
        self.rows.setdefault(model, []).append(values)
        return values

    def flush(self) -> int:
        written = self.writer.write(self.rows)
        self.rows = {}
        return written

    # -- the person --

    def person(self) -> None:
        rng = self.rng
        referred = self._referral_date()
        low, high = self.age_band(rng)
        birth = referred - timedelta(days=round(rng.uniform(low, high) * 365.25))
        kind = (IdentityKind.SAMORDNINGSNUMMER if rng.random() < SHARE_SAMORDNINGSNUMMER
                else IdentityKind.PERSONNUMMER)
        identity = self.identities.take(rng, kind, birth, referred)
        if identity.legal_sex is None:
            name_gender = Gender.WOMAN if rng.random() < 0.5 else Gender.MAN
        else:
            name_gender = Gender.WOMAN if identity.legal_sex == "F" else Gender.MAN
        gender = Gender.OTHER if rng.random() < SHARE_GENDER_OTHER else name_gender
        region = self.region(rng)
        foreign = region != BirthRegion.SWEDEN
        education = (self.education_foreign if foreign else self.education_native)(rng)
        swedish = self.swedish_foreign(rng) if foreign else (
            SwedishLevel.NATIVE if rng.random() < 0.93 else SwedishLevel.SVA_GY)
        languages = [self.mother_tongue[region](rng)]
        if "sv" not in languages and _rank(swedish) >= _rank(SwedishLevel.SFI_C):
            languages.append("sv")
        if "en" not in languages and rng.random() < 0.35:
            languages.append("en")
        centre_code = self.centre(rng)
        protected = rng.random() < SHARE_PROTECTED
        first, last = self.first_names[name_gender](rng), self.last_names(rng)
        coach = self._next_coach(centre_code)
        participant = self.add(
            Participant, identity_kind=identity.kind, identity_number=identity.number,
            first_name=first, last_name=last,
            birth_date=identity.birth_date, birth_year=identity.birth_year, gender=gender,
            protected_identity=protected, birth_region=region,
            adults_in_household=_pick(rng, (1, 1, 1, 2, 2)),
            children_in_household=_pick(rng, (0, 0, 0, 1, 2, 3, 4)),
            interpreter_needed=(foreign and _rank(swedish) <= _rank(SwedishLevel.SFI_B)
                                and rng.random() < 0.6),
            created_by_id=coach.pk,
        )
        if not protected:  # skyddade personuppgifter: no address or contact details at all
            participant["address"] = f"{_pick(rng, STREETS)} {rng.randint(1, 120)}"
            participant["postal_code"] = f"{POSTAL_AREAS[centre_code]} {rng.randint(10, 99)}"
            participant["city"] = "Göteborg"
            participant["phone"] = _pick(rng, FICTION_PHONES)
            if rng.random() < 0.7:
                participant["email"] = (f"{_ascii(first)}.{_ascii(last)}"
                                        f"{rng.randint(1, 999)}@example.com")
        for code in languages:
            self.add(Participant.languages.through, participant_id=participant["id"],
                     language_id=self.cat.languages[code].pk)
        source = self.source(rng)
        profile = Profile(
            participant_id=participant["id"], birth_date=identity.birth_date,
            birth_year=identity.birth_year, region=region, education=education, swedish=swedish,
            disability=rng.random() < (0.6 if source == ReferralSource.HEALTH_CARE else 0.1),
            social_assistance=source == ReferralSource.SOCIAL_SERVICES or rng.random() < 0.55,
            languages=languages,
            occupations=[self.occupation(rng) for _ in range(_pick(rng, (0, 1, 1, 2, 2, 3)))],
        )
        self._journey(profile, centre_code, source, referred, coach)

    def _next_coach(self, centre_code: str) -> User:
        """Coaches at a centre take new participants in turn, so caseloads stay even."""
        coaches = self.staff.coaches[centre_code]
        self.turn[centre_code] = (self.turn.get(centre_code, -1) + 1) % len(coaches)
        return coaches[self.turn[centre_code]]

    def _referral_date(self) -> date:
        # Referrals grow over the three years (density proportional to 0.3 + t on [0, 1]).
        t = (-0.6 + math.sqrt(0.36 + 6.4 * self.rng.random())) / 2
        span = (self.today - self.window_start).days
        return self.window_start + timedelta(days=min(span, int(t * span)))

    # -- referrals and episodes --

    def _journey(self, profile: Profile, centre_code: str, source: str, referred: date,
                 coach: User) -> None:
        """Referral, then episodes: a transfer to another programme after an exit to another
        intervention, or a new referral months after a dropout or the like."""
        rng = self.rng
        start = referred + _days(rng, 5, 40)
        programme = self._choose_programme(profile, centre_code, start)
        referral = self._referral(profile, centre_code, source, referred, coach, programme,
                                  start)
        while referral["status"] == ReferralStatus.ENROLLED and programme is not None:
            end, reason = self._episode(profile, programme, centre_code, start, referral, coach)
            if end is None or profile.episodes >= MAX_EPISODES:
                return
            if reason == ExitReason.OTHER_INTERVENTION:
                if rng.random() >= SHARE_TRANSFER:
                    return
                start = end + _days(rng, 0, 14)
                previous = programme
                programme = self._choose_programme(profile, centre_code, start,
                                                   transfer_from=previous.code)
                if programme is None or start > self.today:
                    return
                referral = self.add(
                    Referral, participant_id=profile.participant_id, source=ReferralSource.OTHER,
                    centre_id=self.cat.centres[centre_code].pk, programme_id=programme.pk,
                    referred_on=end, referrer_organisation="Arbetsmarknadsenheten",
                    referrer_name=str(coach), status=ReferralStatus.ENROLLED,
                    reason=f"Övergång från {previous.name}.", created_by_id=coach.pk)
            elif reason in RETURNING and rng.random() < SHARE_RETURN:
                referred = end + _days(rng, 60, 300)
                if referred > self.today:
                    return
                start = referred + _days(rng, 5, 40)
                programme = self._choose_programme(profile, centre_code, start)
                referral = self._referral(profile, centre_code, ReferralSource.SOCIAL_SERVICES,
                                          referred, coach, programme, start)
            else:
                return

    def _choose_programme(self, profile: Profile, centre_code: str, start: date,
                          transfer_from: str | None = None) -> Programme | None:
        """A programme at the centre whose age band and target groups fit on `start`; a transfer
        goes to another programme than `transfer_from`, mostly a resursjobb."""
        groups = profile.groups(start)
        weights = {"jobbtorg": 1.0, "jobbtorg-unga": 4.0 if "unga" in groups else 0.2,
                   "jobbtorg-resurs": 3.0 if profile.disability else 0.15,
                   "breddad-rekrytering": 3.0 if profile.disability or "aldre" in groups
                   else 0.1,
                   "resursjobb": 6.0 if transfer_from else 0.12}
        choices = [
            (spec.code, weights[spec.code]) for spec in PROGRAMMES
            if (not spec.centres or centre_code in spec.centres)
            and spec.code != transfer_from
            and age_fits(spec, profile.birth_date, profile.birth_year, start)
            and set(groups) & set(spec.target_groups)
        ]
        if not choices:
            return None
        return self.cat.programmes[Weighted(choices)(self.rng)]

    def _referral(self, profile: Profile, centre_code: str, source: str, referred: date,
                  coach: User, programme: Programme | None, start: date) -> Row:
        """The referral, its contacts and its state on `today`: open, closed or enrolled."""
        rng = self.rng
        referral = self.add(
            Referral, participant_id=profile.participant_id, source=source,
            centre_id=self.cat.centres[centre_code].pk,
            programme_id=programme.pk if programme else None, referred_on=referred,
            reason=_pick(rng, REFERRAL_REASONS[source]),
            referrer_organisation=_pick(rng, REFERRER_ORGANISATIONS[source]),
            created_by_id=coach.pk)
        if source == ReferralSource.SOCIAL_SERVICES:
            officer = _pick(rng, self.staff.social_workers)
            referral.update(referrer_user_id=officer.pk, referrer_name=str(officer),
                            created_by_id=officer.pk)
            self._reporting_consent(profile, referred, coach)
        elif source == ReferralSource.OUTREACH:
            referral.update(outreach_area=_pick(rng, OUTREACH_AREAS[centre_code]),
                            referrer_name=str(coach))
        elif source != ReferralSource.SELF:
            gender = Gender.WOMAN if rng.random() < 0.6 else Gender.MAN
            referral["referrer_name"] = f"{self.first_names[gender](rng)} {self.last_names(rng)}"

        close = None
        if programme is None:
            close = ReferralCloseReason.NOT_SUITABLE
        elif rng.random() < SHARE_REFERRAL_CLOSED:
            close = self.close_reason(rng)
        closed_on = referred + _days(rng, 7, 60)
        if close is None and start <= self.today:
            referral["status"] = ReferralStatus.ENROLLED
            self._contacts(referral, coach, referred, start, reached=True)
        elif close is not None and closed_on <= self.today:
            referral.update(status=ReferralStatus.CLOSED, closed_on=closed_on,
                            close_reason=close, close_note=CLOSE_NOTES.get(close, ""))
            self._contacts(referral, coach, referred, closed_on,
                           reached=close != ReferralCloseReason.NOT_REACHED)
        else:
            referral["status"] = ReferralStatus.OPEN
            self._contacts(referral, coach, referred, self.today, reached=None)
        return referral

    def _reporting_consent(self, profile: Profile, given: date, coach: User) -> None:
        """The consent, given with a referral from the social services, to report attendance
        and status back to the officer (recorded by the coach: the officer may not)."""
        rng = self.consent_rng
        if rng.random() < SHARE_NO_CONSENT:
            return
        expires = add_months(given, CONSENT_MONTHS)
        consent = self.add(Consent, participant_id=profile.participant_id,
                           party=ConsentParty.SOCIAL_SERVICES,
                           scope=ConsentScope.ATTENDANCE_AND_STATUS, given_on=given,
                           expires_on=expires, recorded_by_id=coach.pk, created_by_id=coach.pk)
        last = min(expires, self.today)
        if rng.random() < SHARE_CONSENT_WITHDRAWN and given < last:
            consent["withdrawn_on"] = given + timedelta(days=rng.randint(1, (last - given).days))

    def _contacts(self, referral: Row, coach: User, first: date, last: date,
                  reached: bool | None) -> None:
        """Attempts, then (if `reached`) a call that reaches the person and a meeting, all within
        [first, last]. `reached` None: still being contacted."""
        rng = self.rng
        span = (last - first).days
        attempts = rng.randint(2, 4) if reached is False else _pick(rng, (0, 0, 1, 1, 2))
        days = sorted(rng.randint(0, span) for _ in range(attempts + (2 if reached else 0)))
        if reached is None:
            days = days[: rng.randint(0, len(days))]
        for i, offset in enumerate(days):
            kind = ContactKind.ATTEMPT
            channel = _pick(rng, (ContactChannel.PHONE, ContactChannel.PHONE, ContactChannel.SMS,
                                  ContactChannel.LETTER))
            outcome = _pick(rng, (ContactOutcome.NOT_REACHED, ContactOutcome.MESSAGE_LEFT))
            if reached and i == len(days) - 2:
                channel, outcome = ContactChannel.PHONE, ContactOutcome.REACHED
            elif reached and i == len(days) - 1:
                kind, channel, outcome = (ContactKind.MEETING, ContactChannel.VISIT,
                                          ContactOutcome.ATTENDED)
            self.add(ReferralContact, referral_id=referral["id"], kind=kind,
                     occurred_on=first + timedelta(days=offset), channel=channel,
                     outcome=outcome, staff_id=coach.pk, created_by_id=coach.pk)

    def _episode(self, profile: Profile, programme: Programme, centre_code: str, start: date,
                 referral: Row, coach: User) -> tuple[date | None, str]:
        """One enrolment from start to exit, or to today if it is still running. Returns the
        exit date (None while running) and the exit reason drawn for it."""
        rng = self.rng
        spec = self.specs[programme.code]
        reason = self.exit_reason(rng)
        low, mode, high = EXIT_MONTHS[reason]
        # Capped at the programme's maximum length, so nobody running today has passed it; some
        # stay the whole time.
        longest = add_months(start, spec.max_months)
        end = longest if rng.random() < SHARE_FULL_LENGTH else min(
            longest, start + timedelta(days=round(rng.triangular(low, high, mode) * 30.44)))
        exited = end <= self.today
        status = EnrolmentStatus.EXITED if exited else EnrolmentStatus.ACTIVE
        # The last day anything is recorded: the exit, today, or a day 31+ days ago (inactive).
        horizon = end if exited else self.today
        inactive = False
        if not exited:
            if rng.random() < SHARE_PAUSED:
                status = EnrolmentStatus.PAUSED
            if rng.random() < SHARE_INACTIVE and (self.today - start).days > 45:
                inactive = True
                horizon = self.today - _days(rng, 31, min(100, (self.today - start).days))
        enrolment = self.add(
            Enrolment, participant_id=profile.participant_id, programme_id=programme.pk,
            centre_id=self.cat.centres[centre_code].pk, responsible_id=coach.pk,
            referral_id=referral["id"], start_date=start, end_date=end if exited else None,
            status=status, is_re_enrolment=profile.episodes > 0, created_by_id=coach.pk)
        profile.episodes += 1
        for code in sorted(set(profile.groups(start)) & set(spec.target_groups)):
            self.add(Enrolment.target_groups.through, enrolment_id=enrolment["id"],
                     targetgroup_id=self.cat.groups[code].pk)
        activity = [start]
        assessed = self._assessments(profile, enrolment, coach, start, horizon, activity)
        work_goal = None
        if assessed is not None:
            work_goal = self._plan(profile, enrolment, spec, coach, assessed, horizon,
                                   reason if exited else None, inactive, activity)
        if exited:
            self._exit(enrolment, reason, end, coach, profile)
            activity.append(end)
            if work_goal is not None and reason in WORK:
                work_goal["achieved_on"] = end
        enrolment["last_activity_on"] = max(activity)
        return (end if exited else None), reason

    def _assessments(self, profile: Profile, enrolment: Row, coach: User, start: date,
                     horizon: date, activity: list[date]) -> date | None:
        """Zero, one or two versions within the enrolment; returns the first date."""
        rng = self.rng
        first = start + _days(rng, 3, 30)
        if rng.random() < SHARE_NO_ASSESSMENT or first > horizon:
            return None
        dates = [first]
        second = first + _days(rng, 60, 200)
        if rng.random() < SHARE_SECOND_ASSESSMENT and second <= horizon:
            dates.append(second)
        for i, assessed_on in enumerate(dates):
            if i > 0 and profile.foreign_born and _rank(profile.swedish) < _rank(
                    SwedishLevel.SVA_GY) and rng.random() < 0.5:
                profile.swedish = SwedishLevel.values[_rank(profile.swedish) + 1]
            profile.assessments += 1
            groups = profile.groups(assessed_on)
            barriers = sorted({BARRIERS_BY_GROUP[g] for g in groups if g in BARRIERS_BY_GROUP}
                              | {self.other_barrier(rng) for _ in range(rng.randint(0, 2))})
            assessment = self.add(
                Assessment, participant_id=profile.participant_id, enrolment_id=enrolment["id"],
                version=profile.assessments, assessed_on=assessed_on, assessed_by_id=coach.pk,
                education_level_id=self.cat.education[profile.education].pk,
                education_abroad=profile.foreign_born and profile.education != "00",
                swedish_level=profile.swedish,
                skills=sorted({s for code in profile.occupations for s in SKILLS[code]}),
                work_capacity_percent=_pick(rng, (50, 75, 100)) if profile.disability else 100,
                interests=_pick(rng, INTERESTS), goals=_pick(rng, OWN_GOALS),
                barriers=[str(b) for b in barriers], created_by_id=coach.pk,
                adaptations_needed=_pick(rng, ADAPTATIONS) if profile.disability else "",
            )
            if self.profiles is not None:
                values, desired = self.profiles.fields(
                    occupations=profile.occupations, disability=profile.disability,
                    swedish=profile.swedish, assessed_on=assessed_on)
                assessment.update(values)
                for occupation_id in desired:
                    self.add(Assessment.desired_occupations.through,
                             assessment_id=assessment["id"], occupation_id=occupation_id)
            for code in profile.languages:
                if code != "sv":
                    self.add(Assessment.other_languages.through, assessment_id=assessment["id"],
                             language_id=self.cat.languages[code].pk)
            licences = ["B"] if rng.random() < (0.2 if profile.foreign_born else 0.35) else []
            if "8332" in profile.occupations:
                licences += ["C", "CE"]
            for code in licences:
                self.add(Assessment.driving_licences.through, assessment_id=assessment["id"],
                         drivinglicence_id=self.cat.licences[code].pk)
            for code in profile.occupations:
                self.add(WorkExperience, assessment_id=assessment["id"],
                         occupation_id=self.cat.occupations[code].pk,
                         years=_tenths(rng.randint(5, 150)),
                         in_sweden=not profile.foreign_born or rng.random() < 0.3)
            activity.append(assessed_on)
        return first

    def _plan(self, profile: Profile, enrolment: Row, spec: ProgrammeSpec, coach: User,
              assessed: date, horizon: date, reason: str | None, inactive: bool,
              activity: list[date]) -> Row:
        """The plan with its goals and interventions; returns the work goal."""
        rng = self.rng
        established = min(assessed + _days(rng, 0, 14), horizon)
        plan = self.add(Plan, enrolment_id=enrolment["id"], established_on=established,
                        next_review_on=established + timedelta(days=91), created_by_id=coach.pk,
                        summary="Kartläggning genomförd. Planen bygger på deltagarens mål och "
                                "tidigare erfarenhet.")
        activity.append(established)
        target = self.cat.occupations[profile.occupations[0] if profile.occupations
                                      else self.occupation(rng)]
        work_goal = self.add(PlanGoal, plan_id=plan["id"], kind=GoalKind.WORK,
                             description=f"Arbete – {target.name_sv} (SSYK {target.code})",
                             target_date=established + _days(rng, 120, 360))
        if reason == ExitReason.STUDIES or rng.random() < 0.15:
            self.add(PlanGoal, plan_id=plan["id"], kind=GoalKind.STUDIES,
                     description="Studier på komvux, yrkesutbildning",
                     target_date=established + _days(rng, 90, 300))
        step = ("Klara SFI kurs C" if profile.swedish in SFI_LEVELS
                else _pick(rng, ("Skriva CV och personligt brev", "Ta B-körkort",
                                 "Genomföra praktik", "Ta truckkort")))
        achieved = established + _days(rng, 20, 160)
        self.add(PlanGoal, plan_id=plan["id"], kind=GoalKind.STEP, description=step,
                 target_date=established + _days(rng, 45, 180),
                 achieved_on=achieved if achieved <= horizon and rng.random() < 0.5 else None)
        self._interventions(profile, enrolment, spec, coach, established, horizon, reason,
                            inactive, target, activity)
        return work_goal

    def _interventions(self, profile: Profile, enrolment: Row, spec: ProgrammeSpec,
                       coach: User, begin: date, horizon: date, reason: str | None,
                       inactive: bool, occupation: Occupation, activity: list[date]) -> None:
        """Job coaching throughout, and a sequence of blocks (SFI, guidance, course, praktik, or
        the resursjobb / adapted job of those programmes) with weekly attendance."""
        rng = self.rng
        blocks: list[tuple[str, str, str, int, float]] = []  # kind, title, provider, weeks, h/w
        if spec.code == "resursjobb":
            blocks.append((InterventionKind.SUBSIDISED_JOB, f"Resursjobb – {occupation.name_sv}",
                           self._employer(occupation.code), rng.randint(26, 52),
                           _pick(rng, (30.0, 35.0, 40.0))))
        elif spec.code == "breddad-rekrytering":
            blocks.append((InterventionKind.ADAPTED_JOB,
                           f"Anpassat arbete – {occupation.name_sv}",
                           self._employer(occupation.code), rng.randint(20, 52),
                           _pick(rng, (20.0, 25.0, 30.0))))
        else:
            if profile.swedish in SFI_LEVELS and rng.random() < 0.75:
                blocks.append((InterventionKind.SFI, "SFI", "Vuxenutbildningen, SFI",
                               rng.randint(8, 20), 15.0))
            if rng.random() < 0.2:
                blocks.append((InterventionKind.GUIDANCE, "Studie- och yrkesvägledning",
                               "Kompetenscentret", rng.randint(1, 3), 2.0))
            if rng.random() < 0.25:
                title, code = self.course(rng)
                blocks.append((InterventionKind.EDUCATION, title, "Vuxenutbildningen, yrkesvux",
                               rng.randint(6, 16), 30.0))
                occupation = self.cat.occupations[code]
            if rng.random() < 0.6:
                blocks.append((InterventionKind.INTERNSHIP, f"Praktik – {occupation.name_sv}",
                               self._employer(occupation.code), rng.randint(4, 12),
                               _pick(rng, (20.0, 25.0, 30.0, 32.0))))
        exited = reason is not None
        self.add(Intervention, enrolment_id=enrolment["id"], kind=InterventionKind.COACHING,
                 title="Jobbcoachning", provider="Kompetenscentret", start_date=begin,
                 hours_per_week=self.hours[3.0], created_by_id=coach.pk,
                 **self._settle(begin, None, enrolment))
        activity.append(begin)
        # Attendance weeks end on a Sunday no later than today, or than the horizon if inactive.
        until = horizon - timedelta(days=6) if inactive else self.today
        cursor = begin + _days(rng, 0, 14)
        for kind, title, provider, weeks, hours in blocks:
            # Running enrolments may have the next block booked up to a month ahead.
            if cursor > (horizon if exited or inactive else self.today + timedelta(days=30)):
                break
            intervention = self.add(
                Intervention, enrolment_id=enrolment["id"], kind=kind, title=title,
                provider=provider, start_date=cursor, hours_per_week=self.hours[hours],
                created_by_id=coach.pk,
                **self._settle(cursor, cursor + timedelta(weeks=weeks, days=-3), enrolment))
            if intervention["status"] != InterventionStatus.PLANNED:
                activity.append(cursor)
                self._attendance(intervention, enrolment, coach, hours, until, reason,
                                 activity)
            cursor = cursor + timedelta(weeks=weeks) + _days(rng, 0, 18)
        if not exited and not inactive and cursor <= self.today:
            # Between blocks a running enrolment has group job-search sessions every week, so
            # only the enrolments meant to look inactive go 30 days without a record.
            intervention = self.add(
                Intervention, enrolment_id=enrolment["id"], kind=InterventionKind.OTHER,
                title="Jobbsökaraktiviteter i grupp", provider="Kompetenscentret",
                start_date=cursor, hours_per_week=self.hours[10.0], created_by_id=coach.pk,
                **self._settle(cursor, None, enrolment))
            activity.append(cursor)
            self._attendance(intervention, enrolment, coach, 10.0, until, reason, activity)
        if reason == ExitReason.DROPPED_OUT and rng.random() < 0.4:
            # A praktik that was to start after the person dropped out: cancelled at the exit.
            starts = enrolment["end_date"] + _days(rng, 3, 20)
            code = self.occupation(rng)
            self.add(Intervention, enrolment_id=enrolment["id"],
                     kind=InterventionKind.INTERNSHIP,
                     title=f"Praktik – {self.cat.occupations[code].name_sv}",
                     provider=self._employer(code), start_date=starts, end_date=starts,
                     hours_per_week=self.hours[25.0], status=InterventionStatus.CANCELLED,
                     created_by_id=coach.pk)

    def _settle(self, start: date, end: date | None, enrolment: Row) -> Row:
        """Status and end date as the calendar and record_exit leave them."""
        exit_date = enrolment["end_date"]
        if exit_date is not None:
            if end is None or end > exit_date:
                end = exit_date
            return {"status": InterventionStatus.COMPLETED, "end_date": end}
        if start > self.today:
            return {"status": InterventionStatus.PLANNED, "end_date": end}
        if end is not None and end < self.today:
            return {"status": InterventionStatus.COMPLETED, "end_date": end}
        return {"status": InterventionStatus.ONGOING, "end_date": end}

    def _attendance(self, intervention: Row, enrolment: Row, coach: User, hours: float,
                    until: date, reason: str | None, activity: list[date]) -> None:
        """One row per ISO week from the start week to the last day, none after `until`.
        Absences have a reason; a dropout's last weeks are mostly absent without one."""
        rng = self.rng
        last_day = min(intervention["end_date"] or enrolment["end_date"] or until, until)
        monday = week_start(intervention["start_date"])
        weeks = []
        while monday <= last_day:
            weeks.append(monday)
            monday += timedelta(days=7)
        full = self.hours[hours]
        for i, monday in enumerate(weeks):
            near_end = reason == ExitReason.DROPPED_OUT and i >= len(weeks) - 3
            attended, absent, absence_reason = full, _HALF_HOURS[0], ""
            if rng.random() < (0.6 if near_end else 0.15):
                away = min(hours, _pick(rng, (2.0, 4.0, 8.0, hours / 2, hours)))
                attended, absent = _hours(hours - away), _hours(away)
                absence_reason = AbsenceReason.INVALID if near_end else self.absence(rng)
            self.add(Attendance, intervention_id=intervention["id"], week_start=monday,
                     hours_attended=attended, hours_absent=absent,
                     absence_reason=absence_reason, recorded_by_id=coach.pk,
                     created_by_id=coach.pk)
        if weeks:
            activity.append(min(weeks[-1] + timedelta(days=6), self.today))

    def _employer(self, code: str) -> str:
        return _pick(self.rng, EMPLOYERS[code]).format(municipality=self.municipality)

    def _exit(self, enrolment: Row, reason: str, end: date, coach: User,
              profile: Profile) -> None:
        rng = self.rng
        exit_ = self.add(Exit, enrolment_id=enrolment["id"], exit_date=end, reason=reason,
                         created_by_id=coach.pk)
        party = REFERRAL_OUT_PARTIES.get(reason)
        if party is not None and self.consent_rng.random() < SHARE_REFERRAL_OUT_CONSENT:
            # A referral out: the consent is given shortly before the exit (record_exit's rule).
            given = max(enrolment["start_date"], end - timedelta(
                days=self.consent_rng.randint(0, 20)))
            self.add(Consent, participant_id=profile.participant_id, party=party,
                     scope=ConsentScope.REFERRAL_OUT, given_on=given, recorded_by_id=coach.pk,
                     created_by_id=coach.pk)
        if reason in WORK:
            code = (profile.occupations[0] if profile.occupations and rng.random() < 0.5
                    else self.occupation(rng))
            exit_.update(occupation_id=self.cat.occupations[code].pk,
                         employer_name=self._employer(code),
                         extent_percent=_pick(rng, (50, 75, 100, 100, 100)))
        elif reason == ExitReason.STUDIES:
            exit_["employer_name"] = _pick(rng, ("Vuxenutbildningen, komvux", "Folkhögskola",
                                                 "Yrkeshögskola"))


# --- running it -----------------------------------------------------------------------------------


@dataclass
class Result:
    participants: int
    rows: int


def demo_users() -> models.QuerySet[User]:
    return User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX)


def demo_participants() -> models.QuerySet[Participant]:
    return Participant.objects.filter(created_by__in=demo_users())


def is_loaded() -> bool:
    return demo_users().exists()


def generate(*, participants: int = DEFAULT_PARTICIPANTS, seed: int = DEFAULT_SEED,
             today: date | None = None,
             progress: Callable[[int], None] | None = None) -> Result:
    """Load the demo into an empty database (see the module docstring). Raises DemoDataError
    if it is already loaded; `delete_demo` first to regenerate."""
    today = today or date.today()
    if participants < 0:
        raise ValueError("participants must be zero or more")
    with transaction.atomic():
        if is_loaded():
            raise DemoDataError("The demo is already loaded.")
        catalogue = load_catalogue()
        rng = random.Random(seed)
        # Staff draw from their own stream, so the people do not change with the staff count.
        staff = create_staff(random.Random(f"staff-{seed}"), catalogue.centres, participants)
        create_authenticator_apps(seed)
        writer = Writer(timezone.now())
        simulator = Simulator(rng, today, catalogue, staff, writer,
                              consent_rng=random.Random(f"consent-{seed}"),
                              profiles=profile_maker(seed, catalogue.occupations,
                                                     [code for code, _ in COMMON_OCCUPATIONS]))
        written = 0
        for begin in range(0, participants, CHUNK):
            size = min(CHUNK, participants - begin)
            for _ in range(size):
                simulator.person()
            written += simulator.flush()
            if progress:
                progress(size)
        writer.finish()
        # The employer register, then matching and a few proposals (through the actions).
        brokers = list(demo_users().filter(memberships__role=Role.JOBBMAKLARE)
                       .order_by("username"))
        create_demo_employers(today, brokers, random.Random(f"employers-{seed}"))
        create_demo_proposals(today, brokers, random.Random(f"proposals-{seed}"))
    return Result(participants, written)


def delete_demo() -> dict[str, int]:
    """Delete the demo participants (everything under them, and their history) and the demo
    staff. Participants created by other accounts, and the centres and programmes, stay."""
    counts: dict[str, int] = {}
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        # Employers and vacancies first: with them go the proposals and placements.
        counts.update({f"employers.{k}": n for k, n in delete_demo_employers().items()})
        people = demo_participants().values("pk")
        for model, path in reversed(people_tables()[1:]):
            history = getattr(model, "history", None)
            if history is not None:
                history.model.objects.filter(**{f"{path}__in": people}).delete()
            # The generic delete would load millions of rows to send signals; these tables are
            # known, so they are emptied with one statement each.
            qs = model.objects.filter(**{f"{path}__in": people})
            counts[model._meta.label] = qs._raw_delete(qs.db)
        Participant.history.model.objects.filter(id__in=people).delete()
        Proposal.history.model.objects.filter(participant_id__in=people).delete()
        # Whatever else points at a participant (later apps, the access log) is handled by the
        # ordinary cascade.
        counts[Participant._meta.label] = demo_participants().delete()[0]
        counts[User._meta.label] = demo_users().delete()[1].get(User._meta.label, 0)
    return counts


def outcome_shares(participants: models.QuerySet[Participant] | None = None
                   ) -> tuple[int, dict[str, float]]:
    """Number of exits and the share of each ExitReason among them."""
    qs = Exit.objects.all()
    if participants is not None:
        qs = qs.filter(enrolment__participant__in=participants)
    counts = Counter(dict(qs.values_list("reason").annotate(n=models.Count("id"))
                          .values_list("reason", "n")))
    total = sum(counts.values())
    return total, {reason: counts.get(reason, 0) / total if total else 0.0
                   for reason in ExitReason.values}


def logins() -> list[tuple[str, str, str]]:
    """(role, centre, username) of one demo account per role and centre, in the order of Role."""
    first: dict[tuple[str, str], str] = {}
    memberships = (Membership.objects.filter(user__in=demo_users())
                   .select_related("user", "centre").order_by("user_id"))
    for m in memberships:
        first.setdefault((m.role, m.centre.name if m.centre else ""), m.user.username)
    order = list(Role.values)
    return [(str(Role(role).label), centre or "–", username) for (role, centre), username
            in sorted(first.items(), key=lambda item: (order.index(item[0][0]), item[0][1]))]
