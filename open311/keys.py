"""API keys: issued, named, rate-limited and revoked by a tenant's admins; checked on every POST.

A key is 40 random characters after `m311_`; only its SHA-256 is stored (a random key of this
length needs no slow hash: there is nothing to guess from the digest). Keys live in the tenant's
schema, so a key of one tenant is simply unknown on another's host.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.persian import normalize_text, to_ascii_digits, to_persian_digits
from lib.throttle import attempt_allowed
from open311 import error_codes
from open311.models import NAME_MAX_LENGTH, ApiKey

KEY_PREFIX = "m311_"
RATE_WINDOW_SECONDS = 60
MAX_PER_MINUTE = 10_000


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    row: ApiKey
    key: str  # shown to the admin once, never stored


def api_key_issue(*, name: str, per_minute, actor: str) -> IssuedKey:
    """A new key under a name unique among the active ones; the key is returned only here."""
    name = normalize_text(name or "").strip()
    errors = {}
    if not name:
        errors["name"] = ValidationError(_("نامی برای کلید بنویسید، مانند نام برنامه‌ای که آن را به کار می‌برد."), code=error_codes.API_KEY_NAME_REQUIRED)
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = ValidationError(_("نام کلید حداکثر %(n)s نویسه است.") % {"n": to_persian_digits(NAME_MAX_LENGTH)}, code=error_codes.API_KEY_NAME_TOO_LONG)
    rate = to_ascii_digits(str(per_minute or "")).strip()
    if not (rate.isdigit() and 1 <= int(rate) <= MAX_PER_MINUTE):
        errors["per_minute"] = ValidationError(
            _("سقف درخواست در دقیقه را عددی از ۱ تا %(max)s بنویسید.") % {"max": to_persian_digits(f"{MAX_PER_MINUTE:,}").replace(",", "٬")},
            code=error_codes.API_KEY_RATE_INVALID,
        )
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    try:
        with transaction.atomic():
            row = ApiKey.objects.create(name=name, prefix=key[: len(KEY_PREFIX) + 6], key_hash=_digest(key), per_minute=int(rate), created_by=actor)
    except IntegrityError:
        raise ValidationError({"name": ValidationError(_("کلید فعال دیگری همین نام را دارد."), code=error_codes.API_KEY_NAME_TAKEN)}) from None
    return IssuedKey(row=row, key=key)


def api_key_revoke(*, key_id: int, actor: str) -> ApiKey | None:
    """Revoke a key at once; revoking a revoked key changes nothing."""
    with transaction.atomic():
        row = ApiKey.objects.select_for_update().filter(pk=key_id).first()
        if row is not None and row.revoked_at is None:
            row.revoked_at, row.revoked_by = timezone.now(), actor
            row.save(update_fields=["revoked_at", "revoked_by"])
        return row


def active_keys():
    return ApiKey.objects.all()


@dataclass(frozen=True)
class KeyCheck:
    key: ApiKey | None
    error: str = ""  # one of error_codes when refused


def api_key_check(raw: str) -> KeyCheck:
    """The active key `raw` names in this tenant, counted against its per-minute limit."""
    raw = (raw or "").strip()
    if not raw:
        return KeyCheck(None, error_codes.API_KEY_MISSING)
    row = ApiKey.objects.filter(key_hash=_digest(raw), revoked_at__isnull=True).first()
    if row is None:
        return KeyCheck(None, error_codes.API_KEY_INVALID)
    if not attempt_allowed(scope="open311-key", key=str(row.pk), limit=row.per_minute, window_seconds=RATE_WINDOW_SECONDS):
        return KeyCheck(row, error_codes.API_KEY_RATE_LIMITED)
    ApiKey.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return KeyCheck(row)
