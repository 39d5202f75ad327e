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
from vidare.engines.matching import CandidateProfile, MatchingIndex, VacancyProfile

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
    # Eligible people exist, but none with experience of or a wish for the occupation or a
    # closely related one (only the occupation field or an interest in common).
    weak_occupations: list[UnmetOccupation] = field(default_factory=list)
    matched_vacancies: int = 0
    matched_needs: int = 0


def _close(candidate: CandidateProfile, ssyk: str, closely: set[str]) -> bool:
    """Experience in, or a wish for, the occupation itself or a closely related one
    (strength 2: same minor group or shared job titles)."""
    return bool((set(candidate.experience) | candidate.desired_occupations) & (closely | {ssyk}))


def _unmet(pool: CandidatePool, profiles: list[VacancyProfile], today: date,
           ) -> dict[int, tuple[str | None, int, bool]]:
    """key -> (the exclusion that fails the most people, how many, whether anyone is eligible
    at all) for every profile with no eligible candidate close to the occupation. Someone is
    close with experience or a wish in the occupation or a closely related one; eligible
    people who only share the occupation field or an interest are not enough to fill it."""
    if not profiles:
        return {}
    if not pool.profiles:
        return {p.key: (None, 0, False) for p in profiles}
    links = related()
    index = MatchingIndex.build(pool.profiles, profiles, links, today)
    by_key = pool.by_key()
    out = {}
    for p in profiles:
        eligible = index.eligible_keys(p.key)
        ssyk = p.ssyk or ""
        closely = {code for code, strength in links.get(ssyk, {}).items() if strength >= 2}
        if any(_close(by_key[int(k)], ssyk, closely) for k in eligible):
            continue
        counts = {c: n for c, n in index.exclusion_counts(p.key).items() if n}
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:1]
        code, n = top[0] if top and len(eligible) == 0 else (None, 0)
        out[p.key] = (code, n, len(eligible) > 0)
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
    groups: dict[tuple[bool, str], UnmetOccupation] = {}

    def group_for(occupation: Any, weak: bool) -> UnmetOccupation:
        key = (weak, occupation.code)
        if key not in groups:
            groups[key] = UnmetOccupation(occupation.code, occupation.name,
                                          occupation.occupation_field_sv)
        return groups[key]

    unmet_v = _unmet(pool, matchable, today)
    report.matched_vacancies = len(matchable) - len(unmet_v)
    for v in vacancies:
        if v.pk not in unmet_v:
            continue
        code, n, weak = unmet_v[v.pk]
        g = group_for(v.occupation, weak)
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
        code, n, weak = unmet_n[need.pk]
        g = group_for(need.occupation, weak)
        g.needs += 1
        g.people += need.number
        if code:
            g.exclusions[code] += n
        g.items.append(UnmetItem("need", need, need.number, code and exclusion_label(code), n))
    def ordered(weak: bool) -> list[UnmetOccupation]:
        return sorted((g for (w, _), g in groups.items() if w == weak),
                      key=lambda g: (-g.people, g.code))

    report.occupations = ordered(False)
    report.weak_occupations = ordered(True)
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
