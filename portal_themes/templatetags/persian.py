"""Jalali dates and Persian digits in templates: {{ value|jdate }}, {{ value|fa_digits }}."""

import jdatetime
from django import template
from django.utils import timezone

from mizban.persian import to_persian_digits

register = template.Library()


@register.filter
def fa_digits(value):
    return "" if value is None else to_persian_digits(value)


@register.filter
def jdate(value, fmt="%Y/%m/%d"):
    """A date or datetime in the Jalali calendar with Persian digits (local time)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        converted = jdatetime.datetime.fromgregorian(datetime=value)
    else:
        converted = jdatetime.date.fromgregorian(date=value)
    return to_persian_digits(converted.strftime(fmt))


@register.filter
def fa_number(value):
    """An amount with thousands separators and Persian digits: 25000000 → ۲۵٬۰۰۰٬۰۰۰."""
    if value in (None, ""):
        return ""
    return to_persian_digits(f"{int(value):,}".replace(",", "٬"))
