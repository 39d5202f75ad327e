"""Aggregate reports of matching: unmet needs, and the outcomes of proposals.

Counts only, never who. A count of people under MIN_CELL (five) is shown as "fewer than 5"
(`suppress`), and no table has totals from which a suppressed cell could be worked out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.engines.matching import MatchingIndex, VacancyProfile

from .explain import exclusion_label
from .models import PROGRESSION, Proposal, ProposalStatus, ProposalStep
from .profiles import CandidatePool, candidate_pool, need_profile, open_vacancies, vacancy_profile
from .services import related

if TYPE_CHECKING:
    from vidare.access.models import User

MIN_CELL = 5


def suppress(n: int) -> str:
    """A count of people as it may be shown: under five is "fewer than 5" (zero is zero)."""
    if 0 < n < MIN_CELL:
        return _("fewer than %(n)s") % {"n": MIN_CELL}
    return str(n)


# --- unmet needs ------------------------------------------------------------------------------


@dataclass
class UnmetItem:
    kind: str            # "vacancy" | "need"
    obj: Any
    people: int          # positions or people needed
    top_exclusion: str | None
    excluded: int


@dataclass
class UnmetOccupation:
    code: str
    name: str
    field: str
    vacancies: int = 0
    needs: int = 0
    people: int = 0
    exclusions: Counter[str] = field(default_factory=Counter)
    items: list[UnmetItem] = field(default_factory=list)

    @property
    def top_exclusion(self) -> str:
        if not self.exclusions:
            return ""
        code = sorted(self.exclusions.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return exclusion_label(code)


@dataclass
class UnmetReport:
    pool_size: int
    assessed: int
    vacancies_open: int
    vacancies_without_occupation: int
    needs_open: int
    occupations: list[UnmetOccupation]
    matched_vacancies: int = 0
    matched_needs: int = 0


def _unmet(pool: CandidatePool, profiles: list[VacancyProfile], today: date,
           ) -> dict[int, tuple[str | None, int]]:
    """key -> (the exclusion that fails the most people, how many) for every profile with
    no eligible candidate."""
    if not profiles:
        return {}
    if not pool.profiles:
        return {p.key: (None, 0) for p in profiles}
    index = MatchingIndex.build(pool.profiles, profiles, related(), today)
    out = {}
    for p in profiles:
        if len(index.eligible_keys(p.key)) == 0:
            counts = {c: n for c, n in index.exclusion_counts(p.key).items() if n}
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:1]
            out[p.key] = top[0] if top else (None, 0)
    return out


def unmet_needs(user: User, today: date | None = None) -> UnmetReport:
    """Open recruitment needs and open vacancies for which nobody in the user's pool
    (every participant of the municipality for the analyst) is eligible, by occupation."""
    from vidare.employers.models import RecruitmentNeed

    today = today or timezone.localdate()
    pool = candidate_pool(user, aggregate=True)
    vacancies = list(open_vacancies(today))
    vprofiles = [vacancy_profile(v) for v in vacancies]
    matchable = [p for p in vprofiles if p.ssyk is not None]
    needs = list(RecruitmentNeed.objects.filter(status="open").select_related(
        "occupation", "employer", "employer__municipality"))
    nprofiles = [need_profile(n) for n in needs]
    report = UnmetReport(pool.size, len(pool.profiles), len(vacancies),
                         len(vprofiles) - len(matchable), len(needs), [])
    groups: dict[str, UnmetOccupation] = {}

    def group_for(occupation: Any) -> UnmetOccupation:
        if occupation.code not in groups:
            groups[occupation.code] = UnmetOccupation(occupation.code, occupation.name,
                                                      occupation.occupation_field_sv)
        return groups[occupation.code]

    unmet_v = _unmet(pool, matchable, today)
    report.matched_vacancies = len(matchable) - len(unmet_v)
    for v in vacancies:
        if v.pk not in unmet_v:
            continue
        code, n = unmet_v[v.pk]
        g = group_for(v.occupation)
        g.vacancies += 1
        g.people += v.positions
        if code:
            g.exclusions[code] += n
        g.items.append(UnmetItem("vacancy", v, v.positions, code and exclusion_label(code), n))
    unmet_n = _unmet(pool, [p for p in nprofiles if p.ssyk is not None], today)
    report.matched_needs = len(needs) - len(unmet_n)
    for need in needs:
        if need.pk not in unmet_n:
            continue
        code, n = unmet_n[need.pk]
        g = group_for(need.occupation)
        g.needs += 1
        g.people += need.number
        if code:
            g.exclusions[code] += n
        g.items.append(UnmetItem("need", need, need.number, code and exclusion_label(code), n))
    report.occupations = sorted(groups.values(), key=lambda g: (-g.people, g.code))
    return report


# --- outcomes of proposals --------------------------------------------------------------------


def _statistics_centres(user: User) -> set[int] | None:
    centres: set[int] = set()
    for capability in (Capability.VIEW_STATISTICS, Capability.MATCH,
                       Capability.VIEW_FAIRNESS_AUDIT):
        scope = user.centre_ids_with(capability)
        if scope is None:
            return None
        centres |= scope
    return centres


def proposals_for_statistics(user: User) -> QuerySet[Proposal]:
    """Proposals of participants enrolled at the centres the user follows (every centre for
    the analyst): for counts only."""
    from vidare.enrolments.models import Enrolment

    centres = _statistics_centres(user)
    qs = Proposal.objects.all()
    if centres is None:
        return qs
    return qs.filter(Exists(Enrolment.objects.filter(participant=OuterRef("participant"),
                                                     centre_id__in=centres)))


REACHED = [ProposalStatus.PROPOSED, ProposalStatus.PRESENTED, ProposalStatus.INTERVIEW,
           ProposalStatus.HIRED]


@dataclass
class OutcomeRow:
    month: str
    kind: str
    counts: list[str]  # proposed, presented, interview, hired (reached at least), suppressed


def proposal_outcomes(proposals: QuerySet[Proposal]) -> list[OutcomeRow]:
    """Per month proposed and vacancy kind: how many proposals reached each step (a declined
    proposal counts for the steps it reached). Two queries."""
    from vidare.vacancies.models import VacancyKind

    rank = {s.value: i for i, s in enumerate(PROGRESSION)}
    reached: dict[int, int] = defaultdict(int)
    steps = ProposalStep.objects.filter(proposal__in=proposals.values("pk")).exclude(
        status=ProposalStatus.DECLINED).values_list("proposal_id", "status")
    for pid, status in steps:
        reached[pid] = max(reached[pid], rank.get(status, 0))
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for pid, proposed_on, kind in proposals.values_list("pk", "proposed_on", "vacancy__kind"):
        cells = table[(proposed_on.strftime("%Y-%m"), kind)]
        for i in range(reached[pid] + 1):
            cells[i] += 1
    kinds = dict(VacancyKind.choices)
    return [OutcomeRow(month, str(kinds.get(kind, kind)), [suppress(n) for n in cells])
            for (month, kind), cells in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1]),
                                               reverse=True)]
