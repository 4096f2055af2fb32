"""Date arithmetic that stays inside the calendar Python can hold: 0001-01-01 to 9999-12-31 (pure).

Every step of a window, a week or a look-back goes through here. A step that would
leave the calendar stops at its edge (`shift(9999-12-30, days=7)` is 9999-12-31), so
`--days 100000000` means "every day up to --until" and an item dated 9999-12-31 has a
week, clipped at the last day. The first day, 0001-01-01, is a Monday: ISO week 0001-W01
starts on it, so every ISO week label has a four-digit year from 0001 to 9999.
"""

from __future__ import annotations

import datetime as dt

FIRST = dt.date.min
LAST = dt.date.max
_SPAN = (LAST - FIRST).days


def shift(day: dt.date, days: int = 0, *, weeks: int = 0) -> dt.date:
    """`day` moved by `days` and `weeks` (either may be negative), stopping at the first or last day."""
    offset = days + 7 * weeks
    if offset > _SPAN:
        return LAST
    if offset < -_SPAN:
        return FIRST
    ordinal = day.toordinal() + offset
    return dt.date.fromordinal(min(max(ordinal, FIRST.toordinal()), LAST.toordinal()))


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week holding `day` (the last week of 9999 ends on its last day)."""
    monday = shift(day, -day.weekday())
    return monday, shift(monday, 6)


def iso_week(day: dt.date) -> str:
    """The ISO week of a date: 2026-W12, 0001-W01."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO weeks of `year` (from 1 to 9999)."""
    return dt.date(year, 12, 28).isocalendar()[1]


def week_monday(year: int, week: int) -> dt.date:
    """The Monday of ISO week `week` of `year`; ValueError outside 0001-W01 to 9999-W52."""
    if not 1 <= year <= LAST.year:
        raise ValueError(f"the year must be from 1 to {LAST.year}")
    return dt.date.fromisocalendar(year, week, 1)


def weeks_between(first: dt.date, last: dt.date) -> int:
    """How many ISO weeks run from the week of `first` to the week of `last`, both counted."""
    return (week_bounds(last)[0] - week_bounds(first)[0]).days // 7 + 1
