"""The working-day calendar the report and the rollup read.

A working-day duration is `idx(end) - idx(start)`, where `idx(d)` counts the working days up to
and including `d`: exactly `intake.calendar.working_days_between`. The calendar covers the
report's span only (a few hundred to a few thousand days), is built here from the same rules
the promised dates use (Fridays, Thursdays unless the desk works them, Iran's official
holidays, the tenant's own closures) and is sent to PostgreSQL as three arrays: the report
reads them by a day's position (`width_bucket`), the rollup unnests them and hash-joins on the
day. See docs/insights.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import jdatetime

from intake.calendar import desk_calendar, is_working_day


@dataclass(frozen=True)
class Calendar:
    days: list[date]
    index: list[int]
    months: list[int]


def calendar_build(start: date, end: date) -> Calendar:
    """Days from `start` to `end` inclusive, for the current tenant's desk."""
    thursday, closures = desk_calendar()
    days, index, months = [], [], []
    count, current = 0, start
    jday = jdatetime.date.fromgregorian(date=start)
    while current <= end:
        if is_working_day(current, thursday_is_working=thursday, closures=closures):
            count += 1
        days.append(current)
        index.append(count)
        months.append(jday.year * 100 + jday.month)
        current += timedelta(days=1)
        jday += jdatetime.timedelta(days=1)
    return Calendar(days, index, months)
