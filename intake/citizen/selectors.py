"""Reads of requests: tracking look-ups, what a citizen may see, a citizen's history."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import jdatetime
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.models import Service, WorkflowStage, service_title
from intake.models import RequestEvent, ServiceRequest, event_title
from lib.identifiers import normalize_mobile
from lib.persian import to_ascii_digits


def _identity_terms(identity: str) -> tuple[str | None, str | None]:
    """(national code, mobile) a tracking identity may be; either None when it cannot be one."""
    identity = "".join(ch for ch in to_ascii_digits(identity or "") if ch.isdigit() or ch == "+")
    national_code = identity if len(identity) == 10 and not identity.startswith("09") else None
    return national_code, normalize_mobile(identity)


def request_find(*, code: str, identity: str) -> ServiceRequest | None:
    """The request with this (already checked) tracking code whose applicant has this national
    code or mobile number; None for any wrong pair, never saying which half was wrong."""
    national_code, mobile = _identity_terms(identity)
    condition = Q(national_code=national_code) if national_code else Q(pk__in=[])
    if mobile:
        condition |= Q(mobile=mobile)
    return (
        ServiceRequest.objects.select_related("service", "current_stage").only(*TRACKING_FIELDS)
        .filter(condition, tracking_code=code).first()
    )


@dataclass(frozen=True)
class TrackedStage:
    order: int
    name: str
    current: bool
    passed: bool


@dataclass(frozen=True)
class TrackedEvent:
    title: str
    note: str
    at: datetime.datetime


@dataclass(frozen=True)
class TrackedRequest:
    """What the tracking API answers, read in one query (see request_track_summary)."""

    tracking_code: str
    service_national_id: str
    service_title: str
    status: str
    promised_date: datetime.date
    submitted_at: datetime.datetime
    answered_at: datetime.datetime | None
    stages: tuple[TrackedStage, ...]
    events: tuple[TrackedEvent, ...]

    @property
    def status_label(self) -> str:
        return str(ServiceRequest.Status(self.status).label)

    @property
    def current_stage(self) -> TrackedStage | None:
        return next((stage for stage in self.stages if stage.current), None)

    @property
    def late(self) -> bool:
        return request_is_late(self)


# Look-ups are the API's hottest path: the request, its service's stages and its visible events
# come in one round trip, with no ORM query to compile (three ORM queries were half its time).
_TRACK_SUMMARY_SQL = """
SELECT r.tracking_code, s.national_id, s.approved_title, s.common_name, r.status, r.promised_date,
       r.submitted_at, r.answered_at, r.current_stage_id,
       (SELECT json_agg(json_build_array(w.id, w."order", w.name) ORDER BY w."order", w.id)
          FROM {stage} w WHERE w.service_id = r.service_id),
       (SELECT json_agg(json_build_array(e.kind, e.data, e.stored_title, e.note, extract(epoch FROM e.created_at)) ORDER BY e.created_at, e.id)
          FROM {event} e WHERE e.request_id = r.id AND e.visible_to_citizen)
  FROM {request} r JOIN {service} s ON s.id = r.service_id
 WHERE r.tracking_code = %s AND (r.national_code = %s OR r.mobile = %s)
 LIMIT 1
"""


def request_track_summary(*, code: str, identity: str) -> TrackedRequest | None:
    """request_find's answer as the tracking API shows it: same pair rule, one query."""
    national_code, mobile = _identity_terms(identity)
    if not (national_code or mobile):
        return None
    sql = _TRACK_SUMMARY_SQL.format(
        request=ServiceRequest._meta.db_table, service=Service._meta.db_table,
        stage=WorkflowStage._meta.db_table, event=RequestEvent._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [code, national_code, mobile])
        row = cursor.fetchone()
    if row is None:
        return None
    (tracking_code, national_id, approved_title, common_name, status, promised_date,
     submitted_at, answered_at, current_stage_id, stage_rows, event_rows) = row
    stage_rows = stage_rows if isinstance(stage_rows, list) else json.loads(stage_rows or "[]")
    event_rows = event_rows if isinstance(event_rows, list) else json.loads(event_rows or "[]")
    current = next(((order, pk) for pk, order, _ in stage_rows if pk == current_stage_id), None)
    return TrackedRequest(
        tracking_code=tracking_code,
        service_national_id=national_id,
        service_title=service_title(approved_title, common_name),
        status=status, promised_date=promised_date, submitted_at=submitted_at, answered_at=answered_at,
        stages=tuple(
            TrackedStage(order=order, name=name, current=pk == current_stage_id, passed=current is not None and (order, pk) < current)
            for pk, order, name in stage_rows
        ),
        events=tuple(
            TrackedEvent(title=event_title(kind=kind, data=data, stored_title=stored_title), note=note,
                         at=datetime.datetime.fromtimestamp(float(epoch), tz=datetime.timezone.utc))
            for kind, data, stored_title, note, epoch in event_rows
        ),
    )


# What a look-up shows (a hot path: the cards' long texts are left in the database); anything
# else a page reads is still loaded when asked for.
TRACKING_FIELDS = (
    "id", "tracking_code", "status", "promised_date", "submitted_at", "answered_at", "service_id", "unit_id", "current_stage_id",
    "service__national_id", "service__approved_title", "service__common_name", "current_stage__order", "current_stage__name",
)


def request_is_late(service_request: ServiceRequest | TrackedRequest) -> bool:
    return service_request.answered_at is None and timezone.localdate() > service_request.promised_date


def request_visible_events(service_request: ServiceRequest):
    return service_request.events.filter(visible_to_citizen=True)


def citizen_requests(*, user) -> QuerySet[ServiceRequest]:
    """A signed-in citizen's requests: those they submitted and those made with their verified mobile."""
    condition = Q(citizen=user)
    mobile = getattr(user, "mobile", None)
    if mobile and getattr(user, "mobile_verified", False):
        condition |= Q(mobile=mobile)
    return ServiceRequest.objects.filter(condition).select_related("service").order_by("-submitted_at")


def requests_this_month_count() -> int:
    """Requests submitted since the first of this Jalali month (Tehran time), every channel:
    what the plan's "requests per month" counts."""
    first = jdatetime.date.fromgregorian(date=timezone.localdate()).replace(day=1).togregorian()
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    return ServiceRequest.objects.filter(submitted_at__gte=since).count()
