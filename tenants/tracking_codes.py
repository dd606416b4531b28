"""Tracking codes (کد رهگیری): 16 random digits, the last a Luhn check, unique platform-wide."""

from __future__ import annotations

import secrets

from django.db import connection
from django.utils.translation import gettext_lazy as _

from lib.identifiers import is_valid_luhn, luhn_check_digit
from lib.persian import to_ascii_digits
from tenants.models import Tenant, TrackingCode

CODE_LENGTH = 16
# What a citizen reads, on the platform's home page and on every tenant's tracking page alike.
MISTYPED_MESSAGE = _("کد رهگیری ۱۶ رقم است و این کد درست نیست؛ آن را دوباره بخوانید.")
TOO_MANY_MESSAGE = _("تعداد تلاش‌ها بیش از اندازه است؛ چند دقیقه دیگر دوباره تلاش کنید.")


def tracking_code_new() -> str:
    body = str(secrets.randbelow(9 * 10 ** (CODE_LENGTH - 2)) + 10 ** (CODE_LENGTH - 2))  # no leading zero
    return body + luhn_check_digit(body)


# One statement, no savepoint: a code taken already inserts nothing and returns no row.
_RESERVE_SQL = "INSERT INTO {table} (code, tenant_id, created_at) VALUES (%s, %s, now()) ON CONFLICT (code) DO NOTHING RETURNING 1"


def tracking_code_reserve(*, tenant: Tenant) -> str:
    """A fresh code recorded for `tenant`, in the caller's transaction (a collision retries)."""
    sql = _RESERVE_SQL.format(table=connection.ops.quote_name(TrackingCode._meta.db_table))
    with connection.cursor() as cursor:
        for _attempt in range(10):
            code = tracking_code_new()
            cursor.execute(sql, [code, tenant.pk])
            if cursor.fetchone():
                return code
    raise RuntimeError("no free tracking code after 10 attempts")


def tracking_code_clean(value: str) -> str | None:
    """The code as 16 ASCII digits, or None when it cannot be one (a mistyped digit fails Luhn)."""
    code = "".join(ch for ch in to_ascii_digits(value or "") if ch.isdigit())
    return code if len(code) == CODE_LENGTH and is_valid_luhn(code) else None


def tracking_code_tenant(code: str) -> Tenant | None:
    entry = TrackingCode.objects.select_related("tenant").filter(code=code).first()
    return entry.tenant if entry else None
