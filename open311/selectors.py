"""What the GeoReport v2 endpoints read: the services a client may request, each service's
definition (its attributes), and requests as the public may see them (no personal data)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from catalog.models import Service
from catalog.selectors import published_services
from intake.models import ServiceRequest
from open311.models import ApiKey
from open311.formats import w3c

DEFAULT_DAYS = 90
DEFAULT_LIMIT = 1000
CLOSED = (ServiceRequest.Status.ANSWERED, ServiceRequest.Status.REJECTED)


def services_offered() -> QuerySet[Service]:
    """The wizard's offer (published cards with online requests), the same as POST accepts."""
    return published_services().filter(online_request=True).prefetch_related("units").order_by("order", "national_id")


def service_offered(code: str) -> Service | None:
    return services_offered().filter(national_id=code).first()


def service_row(service: Service) -> dict:
    units = list(service.units.all())
    return {
        "service_code": service.national_id, "service_name": service.title, "description": service.description,
        "metadata": True, "type": "realtime", "keywords": "، ".join(service.type_labels()),
        "group": units[0].name if units else "",
    }


@dataclass(frozen=True)
class Attribute:
    """One attribute of a service definition, and the wizard's field its value fills."""

    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool
    description: str
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = ()


# The wizard's fields that GeoReport v2 has no standard field for (the standard ones:
# description → the request text, first_name, last_name, phone → mobile, email).
_APPLICANT_ATTRIBUTES = (
    Attribute("national_code", "string", True, "کد ملی متقاضی", "۱۰ رقم با رقم کنترل"),
    Attribute("applicant_kind", "singlevaluelist", False, "متقاضی", "پیش‌فرض: شخص حقیقی",
              (("natural", "شخص حقیقی"), ("legal", "شخص حقوقی (شرکت)"))),
    Attribute("company_national_id", "string", False, "شناسه ملی شرکت", "برای شخص حقوقی، ۱۱ رقم با رقم کنترل"),
    Attribute("company_name", "string", False, "نام شرکت", "برای شخص حقوقی"),
    Attribute("landline", "string", False, "تلفن ثابت متقاضی", "با پیش‌شماره"),
    Attribute("applicant_address", "text", False, "نشانی متقاضی"),
)
_VISIT_ATTRIBUTES = (
    Attribute("visit_date", "datetime", False, "تاریخ مراجعه پیشین به دستگاه", "تاریخ و زمان W3C، مانند 2026-11-01T09:00:00+03:30"),
    Attribute("previous_result", "text", False, "نتیجه مراجعه پیشین"),
)


def service_attributes(service: Service) -> list[Attribute]:
    """The definition of a card: the applicant's fields, the unit it is asked of (the card's
    units as a list), and the optional earlier visit, as the wizard asks them."""
    units = tuple((str(unit.pk), unit.name) for unit in service.units.order_by("order", "id"))
    unit = Attribute("unit", "singlevaluelist", False, "واحد سازمانی", "پیش‌فرض: نخستین واحد", units)
    return [*_APPLICANT_ATTRIBUTES, unit, *_VISIT_ATTRIBUTES]


def attribute_row(attribute: Attribute, order: int) -> dict:
    row = {
        "variable": True, "code": attribute.code, "datatype": attribute.datatype, "required": attribute.required,
        "datatype_description": attribute.datatype_description, "order": order, "description": attribute.description,
    }
    if attribute.datatype in ("singlevaluelist", "multivaluelist"):
        row["values"] = [{"key": key, "name": name} for key, name in attribute.values]
    return row


def service_definition(service: Service) -> dict:
    return {"service_code": service.national_id,
            "attributes": [attribute_row(a, order) for order, a in enumerate(service_attributes(service), start=1)]}


# --- Requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestQuery:
    codes: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statuses: tuple[str, ...] = ()  # open, closed


def _requests() -> QuerySet[ServiceRequest]:
    return (ServiceRequest.objects.select_related("service", "unit", "current_stage")
            .annotate(last_event_at=Max("events__created_at", filter=Q(events__visible_to_citizen=True))))


def requests_found(query: RequestQuery) -> list[ServiceRequest]:
    """The spec's search: by ids alone when given; otherwise the last 90 days (or the dates
    asked), by service and status, newest first, at most 1,000."""
    if query.codes:
        return list(_requests().filter(tracking_code__in=query.codes)[:DEFAULT_LIMIT])
    end = query.end or timezone.now()
    start = query.start or (end - datetime.timedelta(days=DEFAULT_DAYS))
    found = _requests().filter(submitted_at__gte=start, submitted_at__lte=end)
    if query.service_codes:
        found = found.filter(service__national_id__in=query.service_codes)
    if set(query.statuses) == {"open"}:
        found = found.exclude(status__in=CLOSED)
    elif set(query.statuses) == {"closed"}:
        found = found.filter(status__in=CLOSED)
    return list(found.order_by("-submitted_at", "-id")[:DEFAULT_LIMIT])


def request_by_code(code: str) -> ServiceRequest | None:
    return _requests().filter(tracking_code=code).first()


def request_by_token(token) -> ServiceRequest | None:
    """Only requests an Open311 client posted (their channel is a key's name): a token of the
    web wizard or the desk is the citizen's own and never names a request here."""
    return (
        ServiceRequest.objects.filter(wizard_token=token, channel__in=ApiKey.objects.values("name"))
        .exclude(channel__in=ServiceRequest.Channel.values)
        .only("tracking_code", "wizard_token").first()
    )


def status_notes(service_request: ServiceRequest) -> str:
    """The stage in Persian: «در حال رسیدگی — مرحله: بررسی مدارک»."""
    label = str(service_request.get_status_display())
    if service_request.status in CLOSED or service_request.current_stage is None:
        return label
    return f"{label} — مرحله: {service_request.current_stage.name}"


def _expected(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def request_row(service_request: ServiceRequest) -> dict:
    """A request as anyone may read it: the tracking code, service, unit, stage and dates.
    Never the applicant's data, the request's text or its files (the tracking page shows
    those only after the one-time code)."""
    updated = getattr(service_request, "last_event_at", None) or service_request.submitted_at
    return {
        "service_request_id": service_request.tracking_code,
        "status": "closed" if service_request.status in CLOSED else "open",
        "status_notes": status_notes(service_request),
        "service_name": service_request.service.title,
        "service_code": service_request.service.national_id,
        "agency_responsible": service_request.unit.name,
        "service_notice": "",
        "requested_datetime": w3c(service_request.submitted_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(_expected(service_request.promised_date)),
    }
