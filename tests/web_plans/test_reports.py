"""The attendance report's numbers, computed alone over plain rows (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from vidare.plans.reports import (
    AttendanceRow,
    InterventionRow,
    Totals,
    attendance_report,
    weeks_between,
)

PRAKTIK = InterventionRow(1, "Praktik", "praktik", date(2026, 2, 4), date(2026, 3, 1), D(20))
SFI = InterventionRow(2, "SFI", "sfi", date(2026, 2, 16), None, D(10))
OLD = InterventionRow(3, "Old", "annan", date(2025, 9, 1), date(2025, 12, 19), D(30))
ROWS = [
    AttendanceRow(1, date(2026, 2, 2), D(16), D(4), "sjuk"),
    AttendanceRow(1, date(2026, 2, 11), D(20)),  # a Wednesday: counts for its week
    AttendanceRow(1, date(2026, 2, 23), D(10), D(10), "ogiltig"),
    AttendanceRow(2, date(2026, 2, 16), D(10)),
    AttendanceRow(2, date(2026, 3, 2), D(8), D(2), "vab"),  # after the period
    AttendanceRow(3, date(2025, 12, 15), D(30)),
]
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


def test_weeks_and_totals_per_intervention():
    report = attendance_report([SFI, PRAKTIK, OLD], ROWS, *FEBRUARY)
    assert [r.intervention.id for r in report.interventions] == [1, 2]  # by start; OLD left out
    praktik, sfi = report.interventions
    assert [w.week_start for w in praktik.weeks] == [date(2026, 2, 2), date(2026, 2, 9),
                                                     date(2026, 2, 16), date(2026, 2, 23)]
    assert [w.recorded for w in praktik.weeks] == [True, True, False, True]
    t = praktik.totals
    assert (t.planned, t.attended, t.absent) == (D(80), D(46), D(14))
    assert (t.weeks, t.weeks_recorded, t.weeks_not_recorded) == (4, 3, 1)
    assert t.absent_by_reason == {"sjuk": D(4), "ogiltig": D(10)}
    assert t.rate_percent == D("76.7")  # 46 / (46 + 14)
    assert (sfi.totals.planned, sfi.totals.attended, sfi.totals.rate_percent) == (
        D(20), D(10), D(100))
    assert sfi.totals.weeks_not_recorded == 1


def test_period_totals_add_up_the_interventions():
    total = attendance_report([PRAKTIK, SFI], ROWS, *FEBRUARY).totals
    assert (total.planned, total.attended, total.absent) == (D(100), D(56), D(14))
    assert total.rate_percent == D("80.0")
    assert (total.weeks, total.weeks_recorded) == (6, 4)
    assert total.absent_by_reason == {"sjuk": D(4), "ogiltig": D(10)}


def test_a_week_overlapping_the_period_edge_counts_whole():
    report = attendance_report([PRAKTIK], ROWS, date(2026, 2, 12), date(2026, 2, 17))
    assert [w.week_start for w in report.interventions[0].weeks] == [date(2026, 2, 9),
                                                                     date(2026, 2, 16)]
    assert report.totals.attended == D(20)


def test_no_recording_means_no_rate_not_zero():
    report = attendance_report([SFI], [], date(2026, 2, 16), date(2026, 2, 22))
    assert report.totals.rate is None and report.totals.rate_percent is None
    assert report.totals.planned == D(10) and report.totals.weeks_not_recorded == 1


def test_all_absent_is_zero_percent():
    rows = [AttendanceRow(2, date(2026, 2, 16), D(0), D(10), "sjuk")]
    assert attendance_report([SFI], rows, date(2026, 2, 16), date(2026, 2, 22)
                             ).totals.rate_percent == D(0)


def test_rate_rounds_half_up_to_one_decimal():
    totals = Totals(attended=D(2), absent=D(1))
    assert totals.rate_percent == D("66.7")
    assert Totals(attended=D(1), absent=D(7)).rate_percent == D("12.5")


def test_period_end_before_start_is_refused():
    with pytest.raises(ValueError, match="period_to"):
        attendance_report([SFI], [], date(2026, 3, 1), date(2026, 2, 1))


def test_weeks_between_covers_partial_weeks():
    assert weeks_between(date(2026, 3, 1), date(2026, 3, 2)) == [date(2026, 2, 23),
                                                                 date(2026, 3, 2)]
    assert weeks_between(date(2026, 3, 3), date(2026, 3, 2)) == []
