"""{{ amount|money:currency }}: Stripe's amounts are in the currency's smallest unit; shown
with Persian digits, separators and the currency's Persian name (never a code like EUR)."""

from django import template
from django.utils.translation import gettext_lazy as _

from lib.persian import to_persian_digits

register = template.Library()

ZERO_DECIMAL = {"irr", "jpy", "krw", "vnd", "clp", "pyg", "ugx", "xof", "xaf"}
CURRENCY_NAMES = {"eur": _("یورو"), "usd": _("دلار"), "irr": _("ریال"), "gbp": _("پوند"), "aed": _("درهم")}
# Persian thousands separator (U+066C) and decimal separator (U+066B).
_SEPARATORS = str.maketrans({",": "\u066c", ".": "\u066b"})


@register.filter
def money(amount, currency="eur"):
    if amount is None:
        return "—"
    currency = (currency or "").lower()
    text = f"{int(amount):,}" if currency in ZERO_DECIMAL else f"{int(amount) / 100:,.2f}"
    name = CURRENCY_NAMES.get(currency, currency.upper())
    return f"{to_persian_digits(text.translate(_SEPARATORS))} {name}"
