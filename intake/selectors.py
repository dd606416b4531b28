"""Reads of requests: tracking look-ups, what a citizen may see, a citizen's history."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from intake.models import Request
from mizban.identifiers import normalize_mobile
from mizban.persian import to_ascii_digits


def request_find(*, code: str, identity: str) -> Request | None:
    """The request with this (already checked) tracking code whose applicant has this national
    code or mobile number; None for any wrong pair, never saying which half was wrong."""
    identity = "".join(ch for ch in to_ascii_digits(identity or "") if ch.isdigit() or ch == "+")
    mobile = normalize_mobile(identity)
    condition = Q(national_code=identity) if len(identity) == 10 and not identity.startswith("09") else Q(pk__in=[])
    if mobile:
        condition |= Q(mobile=mobile)
    return (
        Request.objects.select_related("service", "current_stage").only(*TRACKING_FIELDS)
        .filter(condition, tracking_code=code).first()
    )


# What a look-up shows (a hot path: the cards' long texts are left in the database); anything
# else a page reads is still loaded when asked for.
TRACKING_FIELDS = (
    "id", "tracking_code", "status", "promised_date", "submitted_at", "answered_at", "service_id", "unit_id", "current_stage_id",
    "service__national_id", "service__approved_title", "service__common_name", "current_stage__order", "current_stage__name",
)


def request_is_late(request: Request) -> bool:
    return request.answered_at is None and timezone.localdate() > request.promised_date


def request_visible_events(request: Request):
    return request.events.filter(visible_to_citizen=True)


def citizen_requests(*, user) -> QuerySet[Request]:
    """A signed-in citizen's requests: those they submitted and those made with their verified mobile."""
    condition = Q(citizen=user)
    mobile = getattr(user, "mobile", None)
    if mobile and getattr(user, "mobile_verified", False):
        condition |= Q(mobile=mobile)
    return Request.objects.filter(condition).select_related("service").order_by("-submitted_at")
