"""Jalali report periods: a month, a quarter, a year or a chosen range, and the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import jdatetime
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.jalali import MONTH_NAMES, jalali_parse, jalali_to_gregorian
from lib.persian import to_ascii_digits, to_persian_digits

MONTHS = MONTH_NAMES


def jalali_first(year: int, month: int) -> date:
    return jalali_to_gregorian(year, month, 1)


def _month_after(year: int, month: int, step: int = 1) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """[start, end) in Gregorian dates; `kind` is month, quarter, year or range."""

    kind: str
    start: date
    end: date
    year: int = 0
    number: int = 0  # the month or the quarter

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{MONTHS[self.number - 1]} {to_persian_digits(self.year)}"
        if self.kind == "quarter":
            return f"فصل {to_persian_digits(self.number)} سال {to_persian_digits(self.year)}"
        if self.kind == "year":
            return f"سال {to_persian_digits(self.year)}"
        last = self.end - timedelta(days=1)
        return f"{jalali_text(self.start)} تا {jalali_text(last)}"

    def previous(self) -> Period:
        if self.kind == "month":
            return month_period(*_month_after(self.year, self.number, -1))
        if self.kind == "quarter":
            year, quarter = (self.year, self.number - 1) if self.number > 1 else (self.year - 1, 4)
            return quarter_period(year, quarter)
        if self.kind == "year":
            return year_period(self.year - 1)
        length = self.end - self.start
        return Period("range", self.start - length, self.start)

    def query(self) -> str:
        if self.kind == "range":
            return f"from={jalali_text(self.start, ascii=True)}&to={jalali_text(self.end - timedelta(days=1), ascii=True)}"
        extra = {"month": f"&month={self.number}", "quarter": f"&quarter={self.number}", "year": ""}[self.kind]
        return f"year={self.year}{extra}"


def jalali_text(day: date, *, ascii: bool = False) -> str:
    text = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    return text if ascii else to_persian_digits(text)


def month_period(year: int, month: int) -> Period:
    return Period("month", jalali_first(year, month), jalali_first(*_month_after(year, month)), year, month)


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period("quarter", jalali_first(year, first), jalali_first(*_month_after(year, first, 3)), year, quarter)


def year_period(year: int) -> Period:
    return Period("year", jalali_first(year, 1), jalali_first(year + 1, 1), year)




def period_from_query(params) -> Period:
    """The period the query asks for (year, month, quarter, or from/to as ۱۴۰۳/۰۱/۰۱); the
    current Jalali year when it asks for none or for nonsense."""
    start, end = jalali_parse(params.get("from", "")), jalali_parse(params.get("to", ""))
    if start and end and start <= end:
        return Period("range", start, end + timedelta(days=1))
    today = jdatetime.date.fromgregorian(date=timezone.localdate())
    try:
        year = int(to_ascii_digits(params.get("year", "") or str(today.year)))
        if not 1300 <= year <= 1500:
            raise ValueError
        if params.get("month"):
            month = int(to_ascii_digits(params["month"]))
            if 1 <= month <= 12:
                return month_period(year, month)
        if params.get("quarter"):
            quarter = int(to_ascii_digits(params["quarter"]))
            if 1 <= quarter <= 4:
                return quarter_period(year, quarter)
        return year_period(year)
    except ValueError:
        return year_period(today.year)


def period_errors(params) -> dict[str, str]:
    """What period_from_query had to ignore, as Persian messages for the fields the user typed
    them in (field name → message); empty when the query is sound."""
    errors = {}
    typed = {name: (params.get(name) or "").strip() for name in ("year", "from", "to")}
    days = {name: jalali_parse(typed[name]) for name in ("from", "to")}
    for name in ("from", "to"):
        if typed[name] and days[name] is None:
            errors[name] = _("«%(typed)s» تاریخ خورشیدی درستی نیست و به کار نرفت؛ مانند ۱۴۰۳/۰۱/۰۱ بنویسید.") % {"typed": typed[name]}
    if days["from"] and not typed["to"]:
        errors["to"] = _("برای گزارش یک بازه، «تا» را هم بنویسید.")
    elif days["to"] and not typed["from"]:
        errors["from"] = _("برای گزارش یک بازه، «از» را هم بنویسید.")
    elif days["from"] and days["to"] and days["from"] > days["to"]:
        errors["to"] = _("«تا» پیش از «از» است و بازه به کار نرفت.")
    if typed["year"] and not (to_ascii_digits(typed["year"]).isdigit() and 1300 <= int(to_ascii_digits(typed["year"])) <= 1500):
        errors["year"] = _("«%(typed)s» سال خورشیدی درستی نیست و به کار نرفت؛ مانند ۱۴۰۳ بنویسید.") % {"typed": typed["year"]}
    return errors


def month_key(day: date) -> int:
    """Jalali year * 100 + month: the key months are grouped by."""
    jday = jdatetime.date.fromgregorian(date=day)
    return jday.year * 100 + jday.month


def month_key_label(key: int) -> str:
    return f"{MONTHS[key % 100 - 1]} {to_persian_digits(key // 100)}"
