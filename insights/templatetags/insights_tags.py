from django import template

from lib.persian import to_persian_digits

register = template.Library()


@register.filter
def get_item(row, key):
    return row.get(key)


@register.filter
def persian(value):
    return "" if value is None else to_persian_digits(value)
