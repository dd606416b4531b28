"""Jalali dates, Persian digits and sizes in templates: {{ value|jdate }}, {{ value|fa_digits }}, {{ f.size|fa_filesize }}."""

from django import template
from django.utils.translation import gettext as _

from lib.jalali import jalali_format
from lib.persian import to_persian_digits

register = template.Library()


@register.filter
def fa_digits(value):
    return "" if value is None else to_persian_digits(value)


@register.filter
def jdate(value, fmt="%Y/%m/%d"):
    """A date or datetime in the Jalali calendar with Persian digits (local time)."""
    return jalali_format(value, fmt)


@register.filter
def fa_number(value):
    """An amount with thousands separators and Persian digits: 25000000 → ۲۵٬۰۰۰٬۰۰۰."""
    if value in (None, ""):
        return ""
    return to_persian_digits(f"{int(value):,}".replace(",", "٬"))


@register.filter
def fa_filesize(value):
    """A file's size in Persian units and digits: 193 → «۱۹۳ بایت», 1638 → «۱٫۶ کیلوبایت»."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return _("%(size)s بایت") % {"size": to_persian_digits(size)}
    for unit_text, power in ((_("%(size)s کیلوبایت"), 1), (_("%(size)s مگابایت"), 2), (_("%(size)s گیگابایت"), 3)):
        amount = size / 1024**power
        if amount < 1024 or power == 3:
            shown = f"{amount:.1f}".removesuffix(".0").replace(".", "٫")
            return unit_text % {"size": to_persian_digits(shown)}


@register.filter
def toman(value):
    """Rial to Toman (ten Rial), an integer: 250000 → 25000 (written with fa_number after)."""
    try:
        return int(value) // 10
    except (TypeError, ValueError):
        return ""
