"""Jalali (Solar Hijri) dates: the one place that writes them for people and reads them back.

Month names come from jdatetime itself, so every page, form and report names them alike.
"""

from __future__ import annotations

from datetime import date, datetime

import jdatetime
from django.utils import timezone

from lib.persian import to_ascii_digits, to_persian_digits

# %B and %A name months and weekdays in Persian (jdatetime's default locale writes "Azar").
PERSIAN_LOCALE = "fa_IR"
MONTH_NAMES: tuple[str, ...] = tuple(jdatetime.date.j_months_fa)


def jalali_format(value: date | datetime | None, fmt: str = "%Y/%m/%d") -> str:
    """A date or datetime in the Jalali calendar with Persian digits (datetimes in local time)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        converted = jdatetime.datetime.fromgregorian(datetime=value, locale=PERSIAN_LOCALE)
    else:
        converted = jdatetime.date.fromgregorian(date=value, locale=PERSIAN_LOCALE)
    return to_persian_digits(converted.strftime(fmt))


def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """Raises ValueError for a day the Jalali calendar does not have."""
    return jdatetime.date(year, month, day).togregorian()


def jalali_parse(text: str | None) -> date | None:
    """'۱۴۰۳/۰۵/۰۱' or '1403-5-1' → a Gregorian date; None when empty or not a date."""
    text = to_ascii_digits((text or "").strip()).replace("-", "/")
    try:
        year, month, day = (int(part) for part in text.split("/"))
        return jalali_to_gregorian(year, month, day)
    except (ValueError, TypeError):
        return None
