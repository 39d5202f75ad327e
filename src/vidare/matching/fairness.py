"""The fairness audit for the enhetschef: does matching, or do the people who propose, favour
or pass over a target group?

For every matching run, the share of each target group among the people on the top list
versus among everyone eligible (MatchingRun.group_counts, recorded at the run); and for every
vacancy's proposals, the share among the people proposed versus the eligible pool of the
latest run for that vacancy. Target groups are those of the person's enrolments at the
time. A person in several groups counts in each. Cells under five people are shown as
"fewer than 5" and their shares are left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vidare.access.models import Membership
from vidare.access.roles import Capability
from vidare.enrolments.models import Enrolment
from vidare.organisation.models import TargetGroup

from .models import MatchingRun, Proposal
from .reports import MIN_CELL, suppress

if TYPE_CHECKING:
    from vidare.access.models import User

RUNS_SHOWN = 50


@dataclass
class Cell:
    count: int
    total: int

    @property
    def shown(self) -> str:
        return suppress(self.count)

    @property
    def share(self) -> float | None:
        """Percent, only when the cell is not suppressed."""
        if self.count < MIN_CELL or not self.total:
            return None
        return round(100 * self.count / self.total, 1)


@dataclass
class GroupRow:
    name: str
    listed: Cell
    eligible: Cell

    @property
    def difference(self) -> float | None:
        if self.listed.share is None or self.eligible.share is None:
            return None
        return round(self.listed.share - self.eligible.share, 1)


@dataclass
class AuditBlock:
    title: str
    subtitle: str
    listed_total: int
    eligible_total: int
    rows: list[GroupRow] = field(default_factory=list)
    when: Any = None
    vacancy: Any = None

    @property
    def listed_shown(self) -> str:
        return suppress(self.listed_total)

    @property
    def eligible_shown(self) -> str:
        return suppress(self.eligible_total)


@dataclass
class Audit:
    runs: list[AuditBlock]
    proposal_lists: list[AuditBlock]


def _names() -> dict[str, str]:
    return dict(TargetGroup.objects.values_list("code", "name"))


def _rows(listed: dict[str, int], listed_total: int, eligible: dict[str, int],
          eligible_total: int, names: dict[str, str]) -> list[GroupRow]:
    codes = sorted((set(listed) | set(eligible)) - {""}, key=lambda c: names.get(c, c))
    return [GroupRow(names.get(c, c), Cell(listed.get(c, 0), listed_total),
                     Cell(eligible.get(c, 0), eligible_total)) for c in codes]


def _centres(user: User) -> set[int] | None:
    return user.centre_ids_with(Capability.VIEW_FAIRNESS_AUDIT)


def audit(user: User) -> Audit:
    names = _names()
    centres = _centres(user)
    runs = MatchingRun.objects.select_related("vacancy", "run_by")
    if centres is not None:
        runs = runs.filter(run_by__in=Membership.objects.filter(
            centre_id__in=centres).values("user_id"))
    run_list = list(runs.order_by("-run_at", "-pk")[:RUNS_SHOWN])
    blocks = []
    for run in run_list:
        counts = run.group_counts or {}
        blocks.append(AuditBlock(
            run.vacancy.title, str(run.run_by or "–"), run.proposed_count, run.eligible_count,
            _rows(counts.get("top", {}), run.proposed_count, counts.get("eligible", {}),
                  run.eligible_count, names), when=run.run_at, vacancy=run.vacancy))
    return Audit(blocks, _proposal_lists(user, centres, names))


def _proposal_lists(user: User, centres: set[int] | None,
                    names: dict[str, str]) -> list[AuditBlock]:
    proposals = Proposal.objects.all()
    enrolments = Enrolment.objects.all()
    if centres is not None:
        proposals = proposals.filter(participant__enrolments__centre_id__in=centres).distinct()
        enrolments = enrolments.filter(centre_id__in=centres)
    rows = list(proposals.values_list("vacancy_id", "participant_id", "proposed_on"))
    if not rows:
        return []
    people = {pid for _v, pid, _d in rows}
    # The target groups of the enrolments each person had: one query.
    spans: dict[int, list[tuple[Any, Any, str]]] = defaultdict(list)
    for pid, start, end, code in (Enrolment.target_groups.through.objects
                                  .filter(enrolment__in=enrolments.filter(
                                      participant_id__in=people))
                                  .values_list("enrolment__participant_id",
                                               "enrolment__start_date",
                                               "enrolment__end_date", "targetgroup__code")):
        spans[pid].append((start, end, code))
    by_vacancy: dict[int, Counter[str]] = defaultdict(Counter)
    totals: Counter[int] = Counter()
    for vacancy_id, pid, day in rows:
        totals[vacancy_id] += 1
        codes = {code for start, end, code in spans.get(pid, ())
                 if start <= day and (end is None or end >= day)}
        by_vacancy[vacancy_id].update(codes)
    latest: dict[int, MatchingRun] = {}
    for run in (MatchingRun.objects.filter(vacancy_id__in=list(totals))
                .select_related("vacancy").order_by("vacancy_id", "-run_at", "-pk")):
        latest.setdefault(run.vacancy_id, run)
    from vidare.vacancies.models import Vacancy

    titles = dict(Vacancy.objects.filter(pk__in=list(totals)).values_list("pk", "title"))
    blocks = []
    for vacancy_id, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        run = latest.get(vacancy_id)
        eligible = (run.group_counts or {}).get("eligible", {}) if run else {}
        eligible_total = run.eligible_count if run else 0
        blocks.append(AuditBlock(titles.get(vacancy_id, str(vacancy_id)), "", total,
                                 eligible_total,
                                 _rows(dict(by_vacancy[vacancy_id]), total, eligible,
                                       eligible_total, names),
                                 when=run.run_at if run else None))
    return blocks

