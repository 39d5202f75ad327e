"""Date helpers used by rules and views."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

# A record is saved first and its many-to-many fields right after, each save a history
# version: versions by the same person this close together are shown as one change.
SAME_CHANGE = timedelta(seconds=2)


def add_months(day: date, months: int) -> date:
    """`day` plus whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def iso_week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-v{week:02d}"
