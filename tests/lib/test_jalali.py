"""lib.jalali: the one place Jalali dates are written and read."""

from datetime import date, datetime, timezone

from lib.jalali import MONTH_NAMES, jalali_format, jalali_parse


def test_month_and_weekday_names_are_persian():
    # 1 December 2026 is Tuesday 10 Azar 1405.
    assert jalali_format(date(2026, 12, 1), "%d %B %Y، %A") == "۱۰ آذر ۱۴۰۵، سه‌شنبه"


def test_datetime_in_tehran_time_with_persian_month():
    # 21:00 UTC is 00:30 the next day in Tehran (UTC+03:30).
    moment = datetime(2026, 12, 1, 21, 0, tzinfo=timezone.utc)
    assert jalali_format(moment, "%d %B %H:%M") == "۱۱ آذر ۰۰:۳۰"


def test_month_names_are_jdatetime_persian_ones():
    assert MONTH_NAMES[0] == "فروردین" and MONTH_NAMES[8] == "آذر" and len(MONTH_NAMES) == 12


def test_parse_reads_persian_and_ascii_digits():
    assert jalali_parse("۱۴۰۵/۰۹/۱۰") == date(2026, 12, 1)
    assert jalali_parse("1405-9-10") == date(2026, 12, 1)
    assert jalali_parse("۱۴۰۵/۱۲/۳۰") is None  # 1405 is not a leap year: Esfand has 29 days
    assert jalali_parse("") is None and jalali_parse("فردا") is None
