"""The demo's employer register: ~40 fictional employers with contacts, activities and
follow-ups, recruitment needs, agreements and vacancies, plus the real JobSearch ads shipped
in vidare/vacancies/data imported as vacancies.

Everything synthetic here is fictional: employer names are "Exempel …" or the demo
municipality's own departments, street names are made up, contact persons are random
combinations from the shipped name lists (data/SOURCES.md), phone numbers come from PTS's
series reserved for fiction (070-174 06 05 – 070-174 06 99), e-mail addresses use
example.se. The organisationsnummer are generated (random digits with a valid check digit,
never taken from a register; a match with a real organisation would be a coincidence); each
employer's notes say it is fictional. The imported ads are real (published by
Arbetsförmedlingen 2025-09-11, contact details replaced); their dates are moved so that the
ads are current on the demo's `today`.

The stories of the articles are in it: a garage that needs vehicle technicians
(fordonsmekaniker) whom no participant yet fits, a cleaning firm that needs staff, and the
municipality's elder care that needs summer substitutes (undersköterskor, vårdbiträden).

Entry point: ``create_demo_employers(today, brokers, rng)``; deterministic for a given
`rng` state, `today` and broker list. Writes go through the actions (actor None: the
demo generator), so every rule holds and history rows are written.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from stdnum import luhn

from vidare.codelists.models import Municipality
from vidare.employers import actions as employer_actions
from vidare.employers.models import Employer, Placement
from vidare.vacancies import actions as vacancy_actions
from vidare.vacancies.jobsearch import DATA_FILE, import_ads, read_ads
from vidare.vacancies.models import Vacancy, VacancySource

DEMO_MARKER = "Fiktiv arbetsgivare (demo)."
NAMES_DIR = Path(__file__).resolve().parent / "data"
AD_PUBLISHED = date(2025, 9, 11)  # the day the shipped ads were published
MUNICIPALITY_CODE = "1480"        # Göteborg, as the rest of the demo
DISTRICTS = ("Hisingen", "Angered", "Centrum", "Majorna", "Frölunda", "Kortedala",
             "Backa", "Biskopsgården", "Lundby", "Gamlestaden")
STREETS = ("Exempelgatan", "Provvägen", "Demogatan", "Fiktivgatan", "Påhittade vägen",
           "Testallén", "Låtsasgatan", "Modellvägen")


@dataclass(frozen=True)
class NeedSpec:
    ssyk: str
    number: int
    title: str
    kind: str = "jobb"              # the vacancy's kind, when one is made
    vacancy: bool = True
    can_adapt: bool = False
    interns: bool = False
    terms: str = ""
    note: str = ""
    skills: tuple[str, ...] = ()
    licences: tuple[str, ...] = ()
    swedish: str = ""
    extent: int = 100
    adaptable: bool = False
    open_to_all: bool = False
    adaptations: tuple[str, ...] = ()
    summer: bool = False


@dataclass(frozen=True)
class EmployerSpec:
    name: str
    sni: str
    needs: tuple[NeedSpec, ...] = ()
    municipal: bool = False


M = "{municipality}"
EMPLOYERS: tuple[EmployerSpec, ...] = (
    EmployerSpec("Exempel Bilverkstad AB", "45", (
        NeedSpec("7231", 3, "Fordonsmekaniker", can_adapt=True, interns=True,
                 terms="Heltid, dagtid. Kollektivavtal.",
                 note="Stort behov av fordonsmekaniker; ingen deltagare med rätt kompetens "
                      "ännu. Tar gärna praktikanter som vill utbilda sig.",
                 skills=("Fordonsteknik", "Felsökning fordon"), licences=("B",),
                 swedish="sva_grund"),)),
    EmployerSpec("Exempel Däckservice AB", "45", (
        NeedSpec("7231", 2, "Däckmontör och fordonsreparatör", kind="jobb", interns=True,
                 skills=("Däckbyte",), licences=("B",), extent=100),)),
    EmployerSpec("Exempel Städservice AB", "81", (
        NeedSpec("9111", 4, "Lokalvårdare", can_adapt=True, terms="Deltid möjligt, tidiga "
                 "morgnar.", extent=75, adaptable=True, open_to_all=True, swedish="sfi_c",
                 adaptations=("deltid", "handledare", "struktur")),)),
    EmployerSpec(f"{M}, äldreomsorgen", "87", (
        NeedSpec("5330", 20, "Sommarvikarie vårdbiträde, äldreboende",
                 kind="sommarvikariat", summer=True, can_adapt=True,
                 terms="Juni–augusti, dag/kväll, introduktion två dagar.",
                 note="Sommarvikarier i äldreomsorgen: matcha deltagare med försörjningsstöd "
                      "till rekryteringsträff.", open_to_all=True, swedish="sfi_d", extent=75,
                 adaptable=True, adaptations=("handledare", "upptrappning")),
        NeedSpec("5321", 6, "Sommarvikarie undersköterska, hemtjänst",
                 kind="sommarvikariat", summer=True, licences=("B",), swedish="sva_grund",
                 skills=("Undersköterskeutbildning",)),), municipal=True),
    EmployerSpec("Exempel Hemtjänst AB", "88", (
        NeedSpec("5330", 5, "Vårdbiträde hemtjänst", licences=("B",), swedish="sfi_d",
                 extent=80, adaptable=True),)),
    EmployerSpec("Exempel Omsorg AB", "87", (
        NeedSpec("5321", 3, "Undersköterska äldreboende", swedish="sva_grund",
                 skills=("Undersköterskeutbildning",)),)),
    EmployerSpec("Exempel Logistik AB", "52", (
        NeedSpec("4322", 5, "Lagerarbetare", skills=("Truckkort",), interns=True,
                 open_to_all=True, swedish="sfi_b"),
        NeedSpec("8344", 2, "Truckförare", skills=("Truckkort A+B",), vacancy=False),)),
    EmployerSpec("Exempel Lager & Terminal AB", "52", (
        NeedSpec("4322", 3, "Terminalarbetare", kind="jobb", extent=50, adaptable=True),)),
    EmployerSpec("Exempel Transport AB", "49", (
        NeedSpec("8332", 2, "Lastbilschaufför", licences=("C", "CE"),
                 skills=("YKB",)),)),
    EmployerSpec("Exempel Buss AB", "49", (
        NeedSpec("8331", 4, "Bussförare", licences=("D",), swedish="sva_grund",
                 interns=True),)),
    EmployerSpec("Exempel Taxi AB", "49"),
    EmployerSpec("Restaurang Exempel AB", "56", (
        NeedSpec("9412", 3, "Restaurangbiträde", open_to_all=True, swedish="sfi_b",
                 extent=60, adaptable=True, adaptations=("deltid",)),
        NeedSpec("5120", 1, "Kock", skills=("Storkök",)),)),
    EmployerSpec("Exempelkaféet AB", "56", (
        NeedSpec("9413", 1, "Kafébiträde", kind="praktik", interns=True,
                 open_to_all=True),)),
    EmployerSpec("Exempel Livs AB", "47", (
        NeedSpec("5222", 2, "Butiksmedarbetare", extent=50, adaptable=True),)),
    EmployerSpec("Exempel Fastighetsservice AB", "68", (
        NeedSpec("5152", 1, "Fastighetsskötare", licences=("B",)),)),
    EmployerSpec("Exempel Hemservice AB", "81"),
    EmployerSpec("Exempel Bygg & Anläggning AB", "41", (
        NeedSpec("7114", 3, "Anläggningsarbetare", kind="jobb",
                 skills=("Arbete på väg",), licences=("B",)),)),
    EmployerSpec(f"{M}, förskoleförvaltningen", "85", (
        NeedSpec("5311", 4, "Barnskötare, vikariat", kind="arbetsmarknadsanstallning",
                 swedish="sva_grund"),), municipal=True),
    EmployerSpec(f"{M}, grundskoleförvaltningen", "85", municipal=True),
    EmployerSpec(f"{M}, måltidsservice", "56", (
        NeedSpec("9412", 4, "Måltidsbiträde (resursjobb)", kind="resursjobb",
                 open_to_all=True, extent=75, adaptable=True,
                 adaptations=("handledare", "latt_fysiskt")),), municipal=True),
    EmployerSpec(f"{M}, funktionsstöd", "88", (
        NeedSpec("5342", 2, "Stödassistent", swedish="sva_grund"),), municipal=True),
    EmployerSpec(f"{M}, lokalvård", "81", (
        NeedSpec("9111", 3, "Lokalvårdare (arbetsmarknadsanställning)",
                 kind="arbetsmarknadsanstallning", open_to_all=True, extent=75,
                 adaptable=True),), municipal=True),
    EmployerSpec(f"{M}, fastighetsdrift", "68", municipal=True),
    EmployerSpec("Exempel Måleri AB", "43", (
        NeedSpec("7131", 1, "Målare, lärling", kind="praktik", interns=True),)),
    EmployerSpec("Exempel Svets & Smide AB", "25", (
        NeedSpec("7212", 2, "Svetsare", skills=("MIG/MAG-svetsning",)),)),
    EmployerSpec("Exempel Bageri AB", "10", (
        NeedSpec("7612", 1, "Bagarbiträde", extent=50, adaptable=True),)),
    EmployerSpec("Exempel Hotell AB", "55", (
        NeedSpec("4224", 1, "Receptionist", skills=("Engelska",)),
        NeedSpec("9111", 2, "Städare hotell", open_to_all=True),)),
    EmployerSpec("Exempel Trädgård AB", "81", (
        NeedSpec("6113", 3, "Trädgårdsarbetare, säsong", kind="sommarvikariat",
                 summer=True, open_to_all=True),)),
    EmployerSpec("Exempel Förpackning AB", "17", (
        NeedSpec("9320", 4, "Fabriksarbetare, packning", open_to_all=True,
                 adaptations=("struktur", "lugn_miljo")),)),
    EmployerSpec("Exempel Assistans AB", "88", (
        NeedSpec("5343", 3, "Personlig assistent", extent=50, adaptable=True),)),
    EmployerSpec("Exempel Återbruk ekonomisk förening", "47", (
        NeedSpec("5222", 2, "Butiksmedarbetare second hand (Breddad rekrytering)",
                 kind="breddad_rekrytering", can_adapt=True, open_to_all=True, extent=50,
                 adaptable=True, adaptations=("deltid", "upptrappning", "handledare",
                                              "struktur")),)),
    EmployerSpec("Exempel Elservice AB", "43", (
        NeedSpec("7411", 1, "Elektriker", licences=("B",), vacancy=False),)),
    EmployerSpec("Exempel Snickeri AB", "43"),
    EmployerSpec("Exempel Kassa & Butik AB", "47", (
        NeedSpec("5230", 2, "Kassapersonal", extent=60, adaptable=True),)),
    EmployerSpec("Exempel Vaktmästeri AB", "81", (
        NeedSpec("9622", 1, "Vaktmästare", licences=("B",)),)),
    EmployerSpec("Exempel Skolmat AB", "56"),
    EmployerSpec("Exempel Flytt AB", "49", (
        NeedSpec("9629", 2, "Flyttarbetare", licences=("B",), vacancy=False),)),
    EmployerSpec("Exempel Kundtjänst AB", "82", (
        NeedSpec("4222", 3, "Kundtjänstmedarbetare", swedish="sva_gymnasie",
                 skills=("Engelska",)),)),
    EmployerSpec("Exempel Bemanning AB", "78"),
    EmployerSpec("Exempel Tvätteri AB", "96", (
        NeedSpec("9629", 1, "Tvätteribiträde", kind="praktik", open_to_all=True),)),
)


@dataclass
class DemoEmployers:
    employers: int
    contacts: int
    activities: int
    needs: int
    agreements: int
    vacancies: int
    imported_ads: int


def fictional_orgnr(rng: random.Random, taken: set[str], *, first: int = 5) -> str:
    """A generated organisationsnummer with a valid check digit, shaped like real ones: the
    first digit gives the legal form (2 public body, 5 aktiebolag, 7 ekonomisk förening),
    the third digit is 2 or more."""
    while True:
        body = f"{first}{rng.randint(0, 9)}{rng.randint(2, 9)}" + "".join(
            str(rng.randint(0, 9)) for _ in range(6))
        number = body + luhn.calc_check_digit(body)
        text = f"{number[:6]}-{number[6:]}"
        if text not in taken:
            taken.add(text)
            return text


def _legal_form(spec: EmployerSpec) -> int:
    if spec.municipal:
        return 2
    return 7 if "förening" in spec.name else 5


def _names() -> tuple[list[str], list[str]]:
    with (NAMES_DIR / "names_sv_first.csv").open(encoding="utf-8") as f:
        first = [row["name"] for row in csv.DictReader(f)][:300]
    with (NAMES_DIR / "names_sv_last.csv").open(encoding="utf-8") as f:
        last = [row["name"] for row in csv.DictReader(f)][:200]
    return first, last


def _phone(rng: random.Random) -> str:
    return f"070-174 06 {rng.randint(5, 99):02d}"


def _summer_start(today: date) -> date:
    start = date(today.year, 6, 1)
    return start if start > today else date(today.year + 1, 6, 1)


def import_demo_ads(today: date) -> int:
    """The shipped JobSearch ads as vacancies, their deadlines moved to be current."""
    report = import_ads(read_ads(DATA_FILE), today=today, source=str(DATA_FILE.name))
    shift = today - AD_PUBLISHED
    for vacancy in Vacancy.objects.filter(
            pk__in=[r.vacancy_id for r in report.results if r.outcome == "created"]):
        if vacancy.deadline:
            vacancy_actions.update_vacancy(actor=None, vacancy=vacancy,
                                           deadline=vacancy.deadline + shift)
    return sum(1 for r in report.results if r.outcome in ("created", "updated",
                                                         "unchanged"))


@transaction.atomic
def create_demo_employers(today: date, brokers: Sequence[Any],
                          rng: random.Random) -> DemoEmployers:
    """Create the demo's employers (see the module docstring). `brokers` are the job
    brokers (users with MANAGE_EMPLOYERS) who own the relations, in a fixed order; an empty
    list leaves the employers without responsible broker and the activities without author.
    Raises RuntimeError if the demo employers exist already."""
    if Employer.objects.filter(notes__startswith=DEMO_MARKER).exists():
        raise RuntimeError("The demo employers are loaded already.")
    municipality = Municipality.objects.filter(code=MUNICIPALITY_CODE).first()
    town = settings.VIDARE_MUNICIPALITY_NAME
    first, last = _names()
    taken = set(Employer.objects.values_list("organisation_number", flat=True))
    counts = DemoEmployers(0, 0, 0, 0, 0, 0, import_demo_ads(today))
    for i, spec in enumerate(EMPLOYERS):
        broker = brokers[i % len(brokers)] if brokers else None
        district = rng.choice(DISTRICTS)
        employer = employer_actions.create_employer(
            actor=None, name=spec.name.format(municipality=town),
            organisation_number=fictional_orgnr(rng, taken, first=_legal_form(spec)),
            sni_code=spec.sni,
            address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            postal_code=f"4{rng.randint(1, 9)}{rng.randint(0, 9)} {rng.randint(10, 99)}",
            city="Göteborg", municipality=municipality, responsible=broker,
            notes=f"{DEMO_MARKER} Verksamhet i {district}.")
        counts.employers += 1
        for n in range(rng.choice((1, 1, 2))):
            name = f"{rng.choice(first)} {rng.choice(last)}"
            employer_actions.add_contact(
                actor=None, employer=employer, name=name,
                role=("Rekryteringsansvarig", "Platschef", "HR-ansvarig", "VD",
                      "Enhetschef")[(i + n) % 5],
                phone=_phone(rng),
                email=f"{name.split()[0].lower()}@example.se".replace("å", "a")
                .replace("ä", "a").replace("ö", "o").replace("é", "e"))
            counts.contacts += 1
        counts.activities += _activities(employer, broker, today, rng, i)
        for need_spec in spec.needs:
            counts.needs += 1
            counts.vacancies += _need(employer, need_spec, today, rng)
        if spec.needs and rng.random() < 0.6:
            employer_actions.add_agreement(
                actor=None, employer=employer, kind="praktikavtal",
                starts_on=today - timedelta(days=rng.randint(30, 700)),
                note="Ramavtal om praktikplatser.")
            counts.agreements += 1
        if not spec.municipal and rng.random() < 0.25:
            employer_actions.add_agreement(
                actor=None, employer=employer, kind=rng.choice(("lonebidrag",
                                                                "nystartsjobb")),
                starts_on=today - timedelta(days=rng.randint(10, 300)),
                ends_on=today + timedelta(days=rng.randint(60, 360)))
            counts.agreements += 1
    return counts


def _activities(employer: Employer, broker: Any, today: date, rng: random.Random,
                index: int) -> int:
    """A year of contacts, the latest with a follow-up: overdue, due today, coming or done."""
    kinds = ("besok", "samtal", "foretagslunch", "evenemang", "epost")
    notes = {
        "besok": "Besök på arbetsplatsen; gick igenom behov och introduktion.",
        "samtal": "Telefonsamtal om kommande rekryteringar.",
        "foretagslunch": "Träffades på företagslunchen; intresserade av praktikanter.",
        "evenemang": "Deltog i rekryteringsträff.",
        "epost": "Skickade information om lönebidrag och praktik.",
    }
    count = rng.randint(2, 5)
    days = sorted((rng.randint(3, 360) for _ in range(count)), reverse=True)
    for n, ago in enumerate(days):
        kind = kinds[(index + n) % len(kinds)] if n else rng.choice(kinds)
        occurred = today - timedelta(days=ago)
        latest = n == count - 1
        follow_up = None
        if latest:
            follow_up = today + timedelta(days=(-9, 5, 0, 12, 30, -2, 21, 45, 9, 60)[
                index % 10])
            follow_up = max(follow_up, occurred)
        activity = employer_actions.log_activity(
            actor=None, employer=employer, kind=kind, occurred_on=occurred,
            follow_up_on=follow_up, notes=notes[kind], by=broker, today=today)
        if not latest and rng.random() < 0.5:
            employer_actions.update_activity(
                actor=None, activity=activity,
                follow_up_on=min(occurred + timedelta(days=14), today),
                follow_up_done=True, today=today)
    return count


def _need(employer: Employer, spec: NeedSpec, today: date, rng: random.Random) -> int:
    start = _summer_start(today) if spec.summer else today + timedelta(days=rng.randint(7, 60))
    need = employer_actions.add_need(
        actor=None, employer=employer, occupation=spec.ssyk, number=spec.number,
        needed_from=start,
        needed_until=start + timedelta(days=80) if spec.summer else None,
        terms=spec.terms, can_adapt=spec.can_adapt, takes_interns=spec.interns,
        note=spec.note)
    if not spec.vacancy:
        return 0
    vacancy_actions.create_vacancy(
        actor=None, employer=employer, need=need, kind=spec.kind, title=spec.title,
        description=f"{spec.title} hos {employer.name}. {spec.terms}".strip(),
        occupation=spec.ssyk, required_skills=list(spec.skills),
        driving_licences=list(spec.licences), min_swedish_level=spec.swedish,
        extent_percent=spec.extent, extent_adaptable=spec.adaptable,
        schedule="Dagtid" if spec.extent == 100 else f"Deltid {spec.extent} %",
        municipality=employer.municipality, place=f"{employer.name}, {employer.city}",
        start_date=start, deadline=max(today + timedelta(days=7),
                                       start - timedelta(days=rng.randint(7, 30))),
        positions=spec.number, adaptations_offered=list(spec.adaptations),
        open_to_all=spec.open_to_all)
    return 1


def delete_demo_employers() -> dict[str, int]:
    """Remove the demo employers (with everything under them) and the vacancies imported
    from the shipped ads, with the employers registered from those ads that hold nothing
    else. Run it before the demo users are deleted."""
    with transaction.atomic():
        import json

        ad_ids = {str(ad.get("id")) for ad in json.loads(DATA_FILE.read_text("utf-8"))["hits"]}
        imported = Vacancy.objects.filter(source=VacancySource.JOBSEARCH, external_id__in=ad_ids)
        ad_employers = set(imported.exclude(employer=None).values_list("employer", flat=True))
        demo = Employer.objects.filter(notes__startswith=DEMO_MARKER)
        counts = {"placements": Placement.objects.filter(employer__in=demo).delete()[0]}
        counts["vacancies"] = (Vacancy.objects.filter(employer__in=demo).delete()[0]
                               + imported.delete()[0])
        from_ads = Employer.objects.filter(pk__in=ad_employers, vacancies=None, placements=None,
                                           notes="Registrerad från en annons i JobSearch.")
        counts["employers"] = demo.count() + from_ads.count()
        demo.delete()
        from_ads.delete()
    return counts
