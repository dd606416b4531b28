"""Tracking look-ups (پیگیری درخواست), the rules the web page and the API share: counted per IP
(across every tenant's host) and per code (in its tenant), a mistyped code told as such, any wrong pair only "not found"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from intake import error_codes
from intake.citizen.selectors import TrackedRequest, request_find
from intake.models import ServiceRequest
from lib.throttle import Counter, first_counter_over_limit
from tenants.tracking_codes import MISTYPED_MESSAGE, TOO_MANY_MESSAGE, tracking_code_clean

# Error codes, as the API returns them; MESSAGES holds what a citizen reads.
TOO_MANY_FROM_IP = error_codes.TOO_MANY_ATTEMPTS
MISTYPED_CODE = error_codes.MISTYPED_CODE
TOO_MANY_FOR_CODE = error_codes.TOO_MANY_ATTEMPTS_FOR_CODE
NOT_FOUND = error_codes.NOT_FOUND
MESSAGES = {
    TOO_MANY_FROM_IP: TOO_MANY_MESSAGE,
    MISTYPED_CODE: MISTYPED_MESSAGE,
    TOO_MANY_FOR_CODE: _("تعداد تلاش‌ها برای این کد بیش از اندازه است؛ چند دقیقه دیگر دوباره تلاش کنید."),
    NOT_FOUND: _("درخواستی با این کد رهگیری و این کد ملی یا شماره همراه یافت نشد."),
}


@dataclass(frozen=True)
class Lookup:
    found: ServiceRequest | TrackedRequest | None = None
    error: str | None = None

    @property
    def message(self) -> str:
        return str(MESSAGES[self.error]) if self.error else ""

    @property
    def limited(self) -> bool:
        return self.error in (TOO_MANY_FROM_IP, TOO_MANY_FOR_CODE)


def tracking_lookup(*, ip: str, code: str, identity: str, find: Callable = request_find) -> Lookup:
    """One counted look-up. The IP is counted before anything else, so that mistyped codes
    are no free way to probe; the code is counted once it could be one. `find` reads the
    request: the page's ServiceRequest, or the API's one-query summary (request_track_summary)."""
    clean = tracking_code_clean(code)
    by_ip = Counter("track-ip", ip, settings.INTAKE_TRACK_LIMIT_PER_IP, across_tenants=True)
    # The code is counted only when it could be one, and not once the IP is over its limit.
    counters = [by_ip, Counter("track-code", clean, settings.INTAKE_TRACK_LIMIT_PER_CODE)] if clean else [by_ip]
    over = first_counter_over_limit(counters, window_seconds=settings.INTAKE_TRACK_WINDOW_SECONDS)
    if over is by_ip:
        return Lookup(error=TOO_MANY_FROM_IP)
    if clean is None:
        return Lookup(error=MISTYPED_CODE)
    if over is not None:
        return Lookup(error=TOO_MANY_FOR_CODE)
    found = find(code=clean, identity=identity)
    return Lookup(found=found) if found else Lookup(error=NOT_FOUND)
