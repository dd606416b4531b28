"""{{ amount|money:currency }}: Stripe's amounts are in the currency's smallest unit."""

from django import template

from mizban.persian import to_persian_digits

register = template.Library()

ZERO_DECIMAL = {"irr", "jpy", "krw", "vnd", "clp", "pyg", "ugx", "xof", "xaf"}


@register.filter
def money(amount, currency="eur"):
    if amount is None:
        return "—"
    currency = (currency or "").lower()
    text = f"{int(amount):,}" if currency in ZERO_DECIMAL else f"{int(amount) / 100:,.2f}"
    return f"{to_persian_digits(text)} {currency.upper()}"
