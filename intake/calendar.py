"""Working days of a service desk: Saturday to Wednesday, Thursday if the tenant says so;
Friday, Iran's official holidays (the `holidays` package) and the tenant's closures are shut."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db import connection

from intake.models import ClosureDay, DeskSettings

FRIDAY, THURSDAY = 4, 3  # date.weekday()


@lru_cache(maxsize=16)
def _official(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("IR", years=[year]).keys())


def is_working_day(day: date, *, thursday_is_working: bool, closures: frozenset[date] = frozenset()) -> bool:
    if day.weekday() == FRIDAY or (day.weekday() == THURSDAY and not thursday_is_working):
        return False
    return day not in _official(day.year) and day not in closures


def working_days_add(start: date, days: int, *, thursday_is_working: bool, closures: frozenset[date] = frozenset()) -> date:
    """The date `days` working days after `start` (an instant service: the first working day
    from `start` on)."""
    current = start
    if days == 0:
        while not is_working_day(current, thursday_is_working=thursday_is_working, closures=closures):
            current += timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, thursday_is_working=thursday_is_working, closures=closures):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, *, thursday_is_working: bool, closures: frozenset[date] = frozenset()) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, thursday_is_working=thursday_is_working, closures=closures):
            count += 1
    return count


# Both rules in one round trip: every submit reads them.
_CALENDAR_SQL = """
SELECT (SELECT thursday_is_working FROM {desk} ORDER BY id LIMIT 1),
       (SELECT array_agg(date) FROM {closure})
"""


def desk_calendar() -> tuple[bool, frozenset[date]]:
    """This tenant's rules (call inside its schema)."""
    with connection.cursor() as cursor:
        cursor.execute(_CALENDAR_SQL.format(desk=DeskSettings._meta.db_table, closure=ClosureDay._meta.db_table))
        thursday, closures = cursor.fetchone()
    return bool(thursday), frozenset(closures or ())


def promised_date_for(*, service, submitted_on: date) -> date:
    thursday, closures = desk_calendar()
    days = 0 if service.is_instant else (service.average_days or 0)
    return working_days_add(submitted_on, days, thursday_is_working=thursday, closures=closures)
