"""Tracking look-ups (پیگیری درخواست), the rules the web page and the API share: counted per IP
(across every tenant's host), wrong identities for a code counted per code and IP (in its
tenant), a mistyped code told as such, any wrong pair only "not found"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from intake import error_codes
from intake.citizen.selectors import TrackedRequest, request_find
from intake.models import ServiceRequest
from lib.throttle import Counter, counted_then_reached, first_counter_over_limit
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
    are no free way to probe. Wrong identities for a code are counted per code and IP: one
    address gets INTAKE_TRACK_LIMIT_PER_CODE of them, and someone who knows a code but not its
    owner cannot lock the owner out by failing on purpose (a count per code alone would). `find`
    reads the request: the page's ServiceRequest, or the API's one-query summary."""
    clean = tracking_code_clean(code)
    by_ip = Counter("track-ip", ip, settings.INTAKE_TRACK_LIMIT_PER_IP, across_tenants=True)
    if clean is None:
        if first_counter_over_limit([by_ip], window_seconds=settings.INTAKE_TRACK_WINDOW_SECONDS) is not None:
            return Lookup(error=TOO_MANY_FROM_IP)
        return Lookup(error=MISTYPED_CODE)
    wrong_here = Counter("track-code-wrong", f"{clean}|{ip}", settings.INTAKE_TRACK_LIMIT_PER_CODE)
    # The IP counted and the code's wrong identities read in one round trip.
    ip_over, code_locked = counted_then_reached(by_ip, wrong_here, window_seconds=settings.INTAKE_TRACK_WINDOW_SECONDS)
    if ip_over:
        return Lookup(error=TOO_MANY_FROM_IP)
    if code_locked:
        return Lookup(error=TOO_MANY_FOR_CODE)
    found = find(code=clean, identity=identity)
    if found:
        return Lookup(found=found)
    first_counter_over_limit([wrong_here], window_seconds=settings.INTAKE_TRACK_WINDOW_SECONDS)
    return Lookup(error=NOT_FOUND)
