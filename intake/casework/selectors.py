"""Reads for the staff area: which requests a staff user may reach, and the queue's filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.models import Service, StaffMembership, Unit, WorkflowStage
from intake.models import RequestEvent, ServiceRequest
from lib.jalali import jalali_parse
from lib.persian import to_ascii_digits

OPEN_STATUSES = (ServiceRequest.Status.SUBMITTED, ServiceRequest.Status.IN_PROGRESS, ServiceRequest.Status.WAITING_CITIZEN)


def staff_unit(user) -> Unit | None:
    membership = StaffMembership.objects.filter(user=user).select_related("unit").first()
    return membership.unit if membership else None


def unit_subtree_ids(unit: Unit) -> list[int]:
    """The unit and every unit under it (a municipality's tree is small: one query, walked here)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = [], [unit.pk]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def requests_reachable(*, user) -> QuerySet[ServiceRequest]:
    """Every request this staff user may see or act on; nothing for anyone else."""
    base = ServiceRequest.objects.select_related("service", "unit", "current_stage", "assigned_to")
    if not (user.is_authenticated and user.is_tenant_staff):
        return base.none()
    if user.role == User.Role.TENANT_ADMIN:
        return base
    unit = staff_unit(user)
    if user.role == User.Role.UNIT_MANAGER:
        return base.filter(unit_id__in=unit_subtree_ids(unit)) if unit else base.none()
    if user.role == User.Role.CLERK:
        condition = Q(assigned_to=user)
        if unit:
            condition |= Q(unit=unit)
        return base.filter(condition)
    # A desk operator sees the walk-in requests they registered (to print the receipt again).
    return base.filter(channel=ServiceRequest.Channel.IN_PERSON, assisted_by=user.email or "-")


def can_work_on(*, user, service_request: ServiceRequest) -> bool:
    """Moving, asking, answering: admins, the unit's managers and clerks; not desk operators."""
    return user.role in (User.Role.TENANT_ADMIN, User.Role.UNIT_MANAGER, User.Role.CLERK) and (
        requests_reachable(user=user).filter(pk=service_request.pk).exists()
    )


def can_assign(*, user) -> bool:
    return user.role in (User.Role.TENANT_ADMIN, User.Role.UNIT_MANAGER)


def assignable_staff(*, user, service_request: ServiceRequest) -> QuerySet[User]:
    """Who the request may be given to: clerks and managers whose unit is the request's unit or
    above it for an admin; inside the manager's own tree for a unit manager."""
    staff = User.objects.filter(is_active=True, role__in=(User.Role.CLERK, User.Role.UNIT_MANAGER)).order_by("full_name", "email")
    if user.role == User.Role.UNIT_MANAGER:
        unit = staff_unit(user)
        staff = staff.filter(membership__unit_id__in=unit_subtree_ids(unit)) if unit else staff.none()
    return staff


@dataclass
class QueueFilters:
    unit: str = ""
    service: str = ""
    stage: str = ""
    status: str = ""
    channel: str = ""
    mine: bool = False
    late: bool = False
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    errors: dict = field(default_factory=dict)  # field name → Persian message, shown at the field

    @classmethod
    def from_query(cls, params) -> QueueFilters:
        dates, errors = {}, {}
        for name in ("from", "to"):
            typed = (params.get(name) or "").strip()
            dates[name] = jalali_parse(typed)
            if typed and dates[name] is None:
                errors[name] = _("«%(typed)s» تاریخ خورشیدی درستی نیست و در پالایش به کار نرفت؛ مانند ۱۴۰۳/۰۵/۰۱ بنویسید.") % {"typed": typed}
        if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
            errors["to"] = _("«تا تاریخ» پیش از «از تاریخ» است؛ هیچ درخواستی در این بازه نیست.")
        return cls(
            unit=params.get("unit", ""), service=params.get("service", ""), stage=params.get("stage", ""),
            status=params.get("status", ""), channel=params.get("channel", ""), mine=params.get("mine") == "1",
            late=params.get("late") == "1", q=params.get("q", "").strip(),
            date_from=dates["from"], date_to=dates["to"], errors=errors,
        )


def late_condition(today: date | None = None) -> Q:
    """Open and past either the promised date or the current stage's own due date."""
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES) & (Q(promised_date__lt=today) | Q(stage_due_date__lt=today))


def queue_requests(*, user, filters: QueueFilters) -> QuerySet[ServiceRequest]:
    service_requests = requests_reachable(user=user)
    for field, value in (("unit_id", filters.unit), ("service_id", filters.service), ("current_stage_id", filters.stage)):
        if value.isdigit():
            service_requests = service_requests.filter(**{field: int(value)})
    if filters.status:
        service_requests = service_requests.filter(status=filters.status)
    if filters.channel:
        service_requests = service_requests.filter(channel=filters.channel)
    if filters.mine:
        service_requests = service_requests.filter(assigned_to=user)
    if filters.late:
        service_requests = service_requests.filter(late_condition())
    if filters.date_from:
        service_requests = service_requests.filter(submitted_at__date__gte=filters.date_from)
    if filters.date_to:
        service_requests = service_requests.filter(submitted_at__date__lte=filters.date_to)
    if filters.q:
        query = to_ascii_digits(filters.q)
        condition = Q(tracking_code=query) | Q(national_code=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        parts = query.split()
        if len(parts) == 2:
            condition |= Q(first_name__icontains=parts[0], last_name__icontains=parts[1])
        service_requests = service_requests.filter(condition)
    return service_requests.order_by("promised_date", "submitted_at")


def time_left_class(service_request: ServiceRequest, today: date | None = None) -> tuple[str, int]:
    """A colour class for the time left against the promised date, and the days left."""
    today = today or timezone.localdate()
    if service_request.status not in OPEN_STATUSES:
        return "done", 0
    left = (service_request.promised_date - today).days
    if left < 0 or (service_request.stage_due_date and service_request.stage_due_date < today):
        return "late", left
    return ("soon" if left <= 2 else "ok"), left


def request_events_recent(*, limit: int) -> QuerySet[RequestEvent]:
    """The newest events of every request, for the audit page."""
    return RequestEvent.objects.select_related("request").order_by("-created_at", "-id")[:limit]


QUEUE_ROWS = 200  # a queue longer than this is narrowed with the filters, not scrolled


def queue_rows(*, user, filters: QueueFilters) -> list[tuple[ServiceRequest, str, int]]:
    """The queue's first rows, each with its colour class and days left."""
    return [(service_request, *time_left_class(service_request))
            for service_request in queue_requests(user=user, filters=filters)[:QUEUE_ROWS]]


def queue_filter_choices() -> dict:
    """What the queue's filters offer: every unit, and the services and stages that have requests."""
    return {
        "units": Unit.objects.all(),
        "services": Service.objects.filter(requests__isnull=False).distinct(),
        "stages": WorkflowStage.objects.filter(service__requests__isnull=False).select_related("service").distinct(),
    }
