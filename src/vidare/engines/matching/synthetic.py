"""Seeded synthetic candidates and vacancies for benchmarks and tests.

The codes are real: the 400 SSYK 2012 unit groups with their occupation fields and the 290
municipalities shipped in `vidare/codelists/data/`. The people and jobs are invented, with
distributions meant to look like a municipal labour-market unit in a mid-sized town
(Borås by default): most people live in the town, have 0–3 occupations behind them, a few
skills, about 60 % a B licence; most jobs are in the town or the county. Skills are
synthetic labels ("kompetens 5321.2"), a small pool per occupation plus general ones.
Popularity of occupations follows a Zipf-like curve over a seeded order of the codes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from .profiles import CandidateProfile, VacancyProfile

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "codelists" / "data"
ADAPTATIONS = ("deltid", "upptrappning", "handledare", "lugn_miljo", "latt_fysiskt",
               "sprakstod", "hjalpmedel", "struktur")
GENERAL_SKILLS = tuple(
    ["ms office", "kassasystem", "truckkort a", "truckkort b", "hlr", "hygienkort",
     "kundservice", "engelska", "arabiska", "somaliska", "tigrinja", "dari", "persiska",
     "serveringstillstånd", "ykb", "adr", "heta arbeten", "fallskydd", "sps",
     "delegering läkemedel", "städmetoder", "lagerhantering", "plocklista", "svets mig",
     "cnc", "ritningsläsning", "barnskötsel", "datorvana", "lean", "ekonomi"])
SKILLS_PER_OCCUPATION = 6


@dataclass(frozen=True)
class ReferenceData:
    occupations: tuple[tuple[str, str], ...]        # (ssyk, occupation field)
    municipalities: tuple[tuple[str, str], ...]     # (kommunkod, länskod)


def load_reference(data_dir: Path | None = None) -> ReferenceData:
    folder = data_dir or DEFAULT_DATA_DIR
    with (folder / "ssyk_level4_jobtech.csv").open(encoding="utf-8") as handle:
        occupations = tuple((row["ssyk_code"], row["occupation_field_sv"])
                            for row in csv.DictReader(handle))
    with (folder / "municipalities.csv").open(encoding="utf-8") as handle:
        municipalities = tuple((row["kommun_code"], row["lan_code"])
                               for row in csv.DictReader(handle))
    return ReferenceData(occupations, municipalities)


def related_from_reference(reference: ReferenceData) -> dict[str, dict[str, int]]:
    """As I2 defines it: strength 2 within the minor group (3 digits), 1 within the
    occupation field; no self-entries."""
    related: dict[str, dict[str, int]] = {}
    for code, field in reference.occupations:
        row: dict[str, int] = {}
        for other, other_field in reference.occupations:
            if other == code:
                continue
            if other[:3] == code[:3]:
                row[other] = 2
            elif other_field == field:
                row[other] = 1
        related[code] = row
    return related


def generate(n_candidates: int, n_vacancies: int, *, seed: int = 0,
             today: date = date(2026, 12, 1), home: str = "1490",
             reference: ReferenceData | None = None,
             ) -> tuple[list[CandidateProfile], list[VacancyProfile]]:
    ref = reference or load_reference()
    rng = np.random.default_rng(seed)
    codes = [code for code, _ in ref.occupations]
    field_of = dict(ref.occupations)
    fields = sorted(set(field_of.values()))
    popularity = 1.0 / np.arange(1, len(codes) + 1) ** 0.9
    popularity = popularity[rng.permutation(len(codes))]
    popularity /= popularity.sum()
    skill_pool = {code: [f"kompetens {code}.{k}" for k in range(SKILLS_PER_OCCUPATION)]
                  for code in codes}
    county = home[:2]
    local = [code for code, lan in ref.municipalities if lan == county and code != home]
    elsewhere = [code for code, lan in ref.municipalities if lan != county]
    lan_of = dict(ref.municipalities)

    def occupation() -> str:
        return codes[int(rng.choice(len(codes), p=popularity))]

    def place(p_home: float, p_county: float, p_none: float) -> tuple[str | None, str | None]:
        roll = rng.random()
        if roll < p_none:
            return None, None
        if roll < p_none + p_home:
            return home, county
        if roll < p_none + p_home + p_county:
            code = local[int(rng.integers(len(local)))]
        else:
            code = elsewhere[int(rng.integers(len(elsewhere)))]
        return code, lan_of[code]

    def skills_for(occupations: list[str], count: int) -> frozenset[str]:
        chosen: set[str] = set()
        for _ in range(count):
            if occupations and rng.random() < 0.6:
                pool = skill_pool[occupations[int(rng.integers(len(occupations)))]]
                chosen.add(pool[min(int(rng.geometric(0.45)) - 1, len(pool) - 1)])
            else:
                index = min(int(rng.geometric(0.12)) - 1, len(GENERAL_SKILLS) - 1)
                chosen.add(GENERAL_SKILLS[index])
        return frozenset(chosen)

    def adaptations(p_any: float) -> frozenset[str]:
        if rng.random() >= p_any:
            return frozenset()
        count = int(rng.integers(1, 4))
        return frozenset(ADAPTATIONS[int(k)] for k in rng.choice(len(ADAPTATIONS), count,
                                                                  replace=False))

    candidates: list[CandidateProfile] = []
    for key in range(1, n_candidates + 1):
        n_exp = int(rng.choice(6, p=[0.3, 0.35, 0.2, 0.1, 0.04, 0.01]))
        experience = {occupation(): round(float(rng.gamma(1.5, 2.0)), 1)
                      for _ in range(n_exp)}
        past = list(experience)
        desired: set[str] = set()
        for _ in range(int(rng.choice(4, p=[0.25, 0.4, 0.25, 0.1]))):
            desired.add(past[int(rng.integers(len(past)))] if past and rng.random() < 0.5
                        else occupation())
        known = sorted(desired | set(past))
        interest: set[str] = set()
        for _ in range(int(rng.choice(3, p=[0.4, 0.45, 0.15]))):
            interest.add(field_of[known[int(rng.integers(len(known)))]]
                         if known and rng.random() < 0.7
                         else fields[int(rng.integers(len(fields)))])
        licences: set[str] = set()
        if rng.random() < 0.6:
            licences.add("B")
            if rng.random() < 0.1:
                licences.add("BE")
            if rng.random() < 0.08:
                licences.update({"C1", "C"})
                if rng.random() < 0.5:
                    licences.add("CE")
        if rng.random() < 0.05:
            licences.add("AM")
        if rng.random() < 0.06:
            licences.add("A")
        municipality, lan = place(0.82, 0.12, 0.01)
        available = (None if rng.random() < 0.7
                     else today + timedelta(days=int(rng.integers(-30, 150))))
        candidates.append(CandidateProfile(
            key=key,
            experience=experience,
            desired_occupations=frozenset(desired),
            interest_fields=frozenset(interest),
            skills=skills_for(known, int(rng.poisson(2.5))),
            driving_licences=frozenset(licences),
            swedish_rank=int(rng.choice(8, p=[0.03, 0.05, 0.08, 0.12, 0.15, 0.2, 0.17,
                                              0.2])),
            work_capacity_percent=int(rng.choice([100, 75, 50, 25, 0],
                                                 p=[0.6, 0.15, 0.15, 0.08, 0.02])),
            available_from=available,
            home_municipality=municipality,
            home_county=lan,
            commute=str(rng.choice(["kommun", "lan", "obegransat"], p=[0.4, 0.45, 0.15])),
            adaptation_needs=adaptations(0.3),
        ))

    vacancies: list[VacancyProfile] = []
    for key in range(1, n_vacancies + 1):
        ssyk = None if rng.random() < 0.01 else occupation()
        occupations = [ssyk] if ssyk else []
        required = skills_for(occupations, int(rng.choice(4, p=[0.3, 0.35, 0.25, 0.1])))
        merit = skills_for(occupations, int(rng.choice(4, p=[0.4, 0.3, 0.2, 0.1])))
        licences = set()
        if rng.random() < 0.3:
            licences.add("B")
        if ssyk and field_of[ssyk] == "Transport" and rng.random() < 0.5:
            licences.update({"C", "CE"})
        municipality, lan = place(0.5, 0.4, 0.02)
        vacancies.append(VacancyProfile(
            key=key,
            ssyk=ssyk,
            occupation_field=field_of[ssyk] if ssyk else None,
            required_skills=required,
            merit_skills=merit - required,
            driving_licences=frozenset(licences),
            min_swedish_rank=0 if rng.random() < 0.4 else int(rng.integers(3, 8)),
            extent_percent=int(rng.choice([100, 75, 50, 25], p=[0.6, 0.2, 0.15, 0.05])),
            extent_adaptable=bool(rng.random() < 0.2),
            start=(None if rng.random() < 0.4
                   else today + timedelta(days=int(rng.integers(0, 180)))),
            municipality=municipality,
            county=lan,
            adaptations_offered=adaptations(0.3),
            open_to_all=bool(rng.random() < 0.05),
        ))
    return candidates, vacancies
