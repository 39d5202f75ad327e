"""The demo's matching: realistic matching profiles on the generated assessments, and a
handful of proposals with outcomes made through the real actions.

`ProfileMaker` is called by the generator for every assessment row it writes (bulk, no
queries): what the person wishes (mostly the occupation they have worked in, sometimes
another), the occupation fields that interest them, when they are available, how far they
can travel, where they live (Göteborg and its neighbours) and, for some, the workplace
adaptations they need. It draws from its own random stream, so the stories the generator
tells do not change with it.

`create_demo_proposals` runs matching as each centre's jobbmäklare for a few vacancies,
proposes the best candidates at dates over the last months and records outcomes
(presented, interview, hired with a placement, declined by participant or employer).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from vidare.codelists.choices import Adaptation, Commute

# Göteborg and the municipalities around it (all in county 14).
HOME_MUNICIPALITIES: tuple[tuple[str, float], ...] = (
    ("1480", 84), ("1481", 4), ("1402", 3), ("1482", 2), ("1401", 2), ("1441", 2),
    ("1440", 2), ("1384", 1),
)
COMMUTES: tuple[tuple[str, float], ...] = (
    (Commute.MUNICIPALITY, 45), (Commute.COUNTY, 45), (Commute.ANYWHERE, 10),
)
DISABILITY_NEEDS = (Adaptation.REDUCED_HOURS, Adaptation.GRADUAL_START, Adaptation.SUPERVISOR,
                    Adaptation.QUIET_ENVIRONMENT, Adaptation.LIGHT_PHYSICAL,
                    Adaptation.ASSISTIVE_DEVICES, Adaptation.CLEAR_STRUCTURE)
LOW_SWEDISH = ("ingen", "sfi_a", "sfi_b", "sfi_c")


def _weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in items)
    x = rng.random() * total
    for value, weight in items:
        x -= weight
        if x < 0:
            return value
    return items[-1][0]


@dataclass
class ProfileMaker:
    """Matching-profile values for generated assessments (see the module docstring)."""

    rng: random.Random
    occupation_ids: dict[str, int]     # SSYK code -> Occupation id
    occupation_fields: dict[str, str]  # SSYK code -> occupation field
    municipality_ids: dict[str, int]   # kommunkod -> Municipality id
    common: Sequence[str]              # SSYK codes participants often want

    def fields(self, *, occupations: Sequence[str], disability: bool, swedish: str,
               assessed_on: date) -> tuple[dict[str, Any], list[int]]:
        """(column values for the Assessment row, Occupation ids the person wants)."""
        rng = self.rng
        wanted: list[str] = []
        if occupations and rng.random() < 0.7:
            wanted.append(occupations[0])
        if rng.random() < 0.45 or not wanted:
            other = self.common[rng.randrange(len(self.common))]
            if other not in wanted:
                wanted.append(other)
        interests = sorted({self.occupation_fields[c] for c in wanted
                            if c in self.occupation_fields and rng.random() < 0.6})
        needs: set[str] = set()
        if disability:
            needs.update(rng.sample(DISABILITY_NEEDS, rng.choice((1, 1, 2))))
        if swedish in LOW_SWEDISH and rng.random() < 0.3:
            needs.add(Adaptation.LANGUAGE_SUPPORT)
        if not disability and rng.random() < 0.04:
            needs.add(rng.choice(DISABILITY_NEEDS))
        home = _weighted(rng, HOME_MUNICIPALITIES)
        values = {
            "interest_fields": interests,
            "available_from": (assessed_on + timedelta(days=rng.randint(14, 90))
                               if rng.random() < 0.15 else None),
            "commute": _weighted(rng, COMMUTES),
            "home_municipality_id": self.municipality_ids.get(home),
            "adaptation_needs": sorted(needs),
        }
        return values, [self.occupation_ids[c] for c in wanted if c in self.occupation_ids]


def profile_maker(seed: int, occupations: dict[str, Any], common: Sequence[str]) -> ProfileMaker:
    """A ProfileMaker for the generator's catalogue (`occupations`: code -> Occupation)."""
    from vidare.codelists.models import Municipality

    municipalities = dict(Municipality.objects.filter(
        code__in=[c for c, _ in HOME_MUNICIPALITIES]).values_list("code", "pk"))
    return ProfileMaker(
        random.Random(f"profiles-{seed}"),
        {code: o.pk for code, o in occupations.items()},
        {code: o.occupation_field_sv for code, o in occupations.items()
         if o.occupation_field_sv},
        municipalities, list(common))


# --- proposals ----------------------------------------------------------------------------------

PROPOSALS_PER_VACANCY = 3
VACANCIES_PER_BROKER = 4


@dataclass
class DemoProposals:
    runs: int = 0
    proposals: int = 0
    hired: int = 0
    declined: int = 0


def create_demo_proposals(today: date, brokers: Sequence[Any],
                          rng: random.Random) -> DemoProposals:
    """As each broker: run matching for a few open vacancies and propose the best
    candidates not yet proposed, on days over the last four months, then record outcomes."""
    from vidare.matching.actions import propose, record_outcome, run_matching
    from vidare.matching.models import Proposal
    from vidare.matching.profiles import candidate_pool, open_vacancies

    counts = DemoProposals()
    # The demo employers' vacancies in the demo municipality, not the imported ads from
    # all over the country.
    vacancies = [v for v in open_vacancies(today).filter(municipality__code="1480",
                                                         source="manual").order_by("pk")
                 if v.occupation_id]
    if not vacancies:
        return counts
    taken: set[int] = set(Proposal.objects.values_list("participant_id", flat=True))
    for b, broker in enumerate(brokers):
        start = (b * VACANCIES_PER_BROKER) % len(vacancies)
        chosen = (vacancies + vacancies)[start:start + VACANCIES_PER_BROKER]
        pool = candidate_pool(broker, with_groups=True)  # once per broker
        for v_index, vacancy in enumerate(chosen):
            _run, result = run_matching(actor=broker, vacancy=vacancy, top=10, pool=pool)
            counts.runs += 1
            picks = [r.key for r in result.rows if r.key not in taken][:PROPOSALS_PER_VACANCY]
            if not picks:
                continue
            day = today - timedelta(days=rng.randint(7, 120))
            proposals = propose(actor=broker, vacancy=vacancy, participants=picks, today=day,
                                pool=pool)
            taken.update(picks)
            counts.proposals += len(proposals)
            for p_index, proposal in enumerate(proposals):
                _outcome(proposal, broker, day, today, rng, (v_index + p_index) % 5, counts,
                         record_outcome)
    return counts


def _outcome(proposal: Any, broker: Any, day: date, today: date, rng: random.Random,
             story: int, counts: DemoProposals, record_outcome: Any) -> None:
    """0: still proposed; 1: presented; 2: interview; 3: hired; 4: declined."""
    steps: list[tuple[str, dict[str, Any]]] = []
    if story >= 1:
        steps.append(("presenterad", {}))
    if story in (2, 3):
        steps.append(("intervju", {}))
    if story == 3:
        steps.append(("anstalld", {}))
    if story == 4:
        who = rng.choice(("deltagare", "arbetsgivare"))
        reason = ("Valde en annan sökande med längre erfarenhet." if who == "arbetsgivare"
                  else "Har tackat ja till en utbildning.")
        steps.append(("avbojd", {"declined_by": who, "reason": reason}))
    on = day
    for status, extra in steps:
        on = min(today, on + timedelta(days=rng.randint(2, 12)))
        record_outcome(actor=broker, proposal=proposal, status=status, on=on, today=today,
                       **extra)
    if story == 3:
        counts.hired += 1
    elif story == 4:
        counts.declined += 1
