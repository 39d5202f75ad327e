"""The attendance report: planned, attended and absent hours per intervention and ISO week.

Pure Python over plain rows (no Django), so the numbers can be tested on their own and the
web page and the CSV download show exactly the same figures.

Definitions (shown to the reader of the report as well):
- A week is a whole ISO week (Monday-Sunday). It is part of the period when it overlaps the
  period, and part of an intervention when it overlaps the intervention's dates.
- Planned hours are the intervention's hours per week, for every such week.
- Attendance rate = hours attended / (hours attended + hours absent), over recorded weeks.
  A week without a recording counts in neither; it is listed as "not recorded" instead, so
  missing paperwork is visible and does not read as absence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class InterventionRow:
    id: int
    title: str
    kind: str
    start_date: date
    end_date: date | None
    hours_per_week: Decimal


@dataclass(frozen=True)
class AttendanceRow:
    intervention_id: int
    week_start: date
    hours_attended: Decimal
    hours_absent: Decimal = ZERO
    absence_reason: str = ""


@dataclass(frozen=True)
class WeekLine:
    week_start: date
    planned: Decimal
    attended: Decimal | None  # None: nothing recorded for the week
    absent: Decimal | None
    absence_reason: str = ""

    @property
    def recorded(self) -> bool:
        return self.attended is not None


@dataclass(frozen=True)
class Totals:
    planned: Decimal = ZERO
    attended: Decimal = ZERO
    absent: Decimal = ZERO
    weeks: int = 0
    weeks_recorded: int = 0
    absent_by_reason: dict[str, Decimal] = field(default_factory=dict)

    @property
    def weeks_not_recorded(self) -> int:
        return self.weeks - self.weeks_recorded

    @property
    def rate(self) -> Decimal | None:
        """Share of recorded hours attended, 0-1 (None when nothing was recorded)."""
        recorded = self.attended + self.absent
        return None if recorded == 0 else self.attended / recorded

    @property
    def rate_percent(self) -> Decimal | None:
        rate = self.rate
        if rate is None:
            return None
        return (rate * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __add__(self, other: Totals) -> Totals:
        reasons = dict(self.absent_by_reason)
        for reason, hours in other.absent_by_reason.items():
            reasons[reason] = reasons.get(reason, ZERO) + hours
        return Totals(self.planned + other.planned, self.attended + other.attended,
                      self.absent + other.absent, self.weeks + other.weeks,
                      self.weeks_recorded + other.weeks_recorded, reasons)


@dataclass(frozen=True)
class InterventionReport:
    intervention: InterventionRow
    weeks: list[WeekLine]  # oldest first
    totals: Totals


@dataclass(frozen=True)
class AttendanceReport:
    period_from: date
    period_to: date
    interventions: list[InterventionReport]
    totals: Totals


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    """Mondays of every ISO week that overlaps first..last, oldest first."""
    if last < first:
        return []
    monday, out = monday_of(first), []
    while monday <= last:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def _totals(lines: Iterable[WeekLine]) -> Totals:
    planned = attended = absent = ZERO
    weeks = recorded = 0
    reasons: dict[str, Decimal] = {}
    for line in lines:
        weeks += 1
        planned += line.planned
        if line.attended is None or line.absent is None:
            continue
        recorded += 1
        attended += line.attended
        absent += line.absent
        if line.absent:
            reasons[line.absence_reason] = reasons.get(line.absence_reason, ZERO) + line.absent
    return Totals(planned, attended, absent, weeks, recorded, reasons)


def attendance_report(interventions: Sequence[InterventionRow],
                      rows: Iterable[AttendanceRow], period_from: date,
                      period_to: date) -> AttendanceReport:
    """Weeks, totals and attendance rate of each intervention in period_from..period_to.

    Interventions that do not overlap the period are left out; rows of weeks outside the
    period or of unknown interventions are ignored.
    """
    if period_to < period_from:
        raise ValueError("period_to: the end of the period is before its start")
    by_week: dict[tuple[int, date], AttendanceRow] = {
        (r.intervention_id, monday_of(r.week_start)): r for r in rows
    }
    reports = []
    for iv in sorted(interventions, key=lambda i: (i.start_date, i.id)):
        first = max(iv.start_date, period_from)
        last = min(iv.end_date or period_to, period_to)
        if last < first:
            continue
        lines = []
        for monday in weeks_between(first, last):
            row = by_week.get((iv.id, monday))
            lines.append(WeekLine(
                week_start=monday, planned=Decimal(iv.hours_per_week),
                attended=None if row is None else Decimal(row.hours_attended),
                absent=None if row is None else Decimal(row.hours_absent),
                absence_reason="" if row is None else row.absence_reason,
            ))
        reports.append(InterventionReport(iv, lines, _totals(lines)))
    total = sum((r.totals for r in reports), Totals())
    return AttendanceReport(period_from, period_to, reports, total)
