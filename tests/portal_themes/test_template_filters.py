"""The `persian` template filters every page uses: Jalali dates in local time, Persian
digits, amounts with the Persian thousands separator, file sizes in Persian units."""

from datetime import date, datetime, timezone

import pytest
from django.template import Context, Template


def render(text: str, **context) -> str:
    return Template("{% load persian %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 3, 19), "۱۴۰۲/۱۲/۲۹"),  # the last day of Esfand 1402
        (date(2024, 3, 20), "۱۴۰۳/۰۱/۰۱"),  # Nowruz 1403
        # 21:00 UTC on 19 March is half past midnight in Tehran: already the new year.
        (datetime(2024, 3, 19, 21, 0, tzinfo=timezone.utc), "۱۴۰۳/۰۱/۰۱"),
        (None, ""),
    ],
)
def test_jdate_writes_the_jalali_day_in_tehran_time(value, expected):
    assert render("{{ value|jdate }}", value=value) == expected


def test_jdate_takes_a_format():
    assert render('{{ value|jdate:"%Y/%m" }}', value=date(2024, 3, 20)) == "۱۴۰۳/۰۱"
    noon_utc = datetime(2024, 3, 20, 12, 0, tzinfo=timezone.utc)
    assert render('{{ value|jdate:"%Y/%m/%d %H:%M" }}', value=noon_utc) == "۱۴۰۳/۰۱/۰۱ ۱۵:۳۰"


def test_fa_digits_turns_every_digit_and_leaves_the_rest():
    assert render("{{ value|fa_digits }}", value="کد 0084575948-12") == "کد ۰۰۸۴۵۷۵۹۴۸-۱۲"
    assert render("{{ value|fa_digits }}", value=1405) == "۱۴۰۵"
    assert render("{{ value|fa_digits }}", value=None) == ""


def test_fa_number_groups_thousands_with_the_persian_separator():
    assert render("{{ value|fa_number }}", value=25000000) == "۲۵٬۰۰۰٬۰۰۰"
    assert render("{{ value|fa_number }}", value=999) == "۹۹۹"
    assert render("{{ value|fa_number }}", value="") == ""


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (193, "۱۹۳ بایت"),
        (1638, "۱٫۶ کیلوبایت"),
        (2048, "۲ کیلوبایت"),
        (5 * 1024**2, "۵ مگابایت"),
        (3 * 1024**3, "۳ گیگابایت"),
        ("not a size", ""),
    ],
)
def test_fa_filesize_names_the_unit_in_persian(size, expected):
    assert render("{{ size|fa_filesize }}", size=size) == expected
