"""Reads of the catalogue: for the portal (published cards only), the staff editor and the API."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from catalog.models import CardAudit, Service, Unit
from lib.generations import remembered
from lib.persian import normalize_text, to_ascii_digits
from registry.models import NationalService


def national_service_get(national_id: str):
    """The registry mirror's row for an ID (public schema, on every tenant's search path)."""
    return NationalService.objects.filter(service_id=national_id).first()


def national_services_search(*, query: str, limit: int = 30):
    query = normalize_text(to_ascii_digits(query or ""))
    services = NationalService.objects.filter(status="approved")
    if query.isdigit():
        services = services.filter(service_id__startswith=query)
    elif query:
        for word in query.split():
            services = services.filter(title__icontains=word)
    else:
        return NationalService.objects.none()
    return services.order_by("service_id")[:limit]


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(status=Service.Status.PUBLISHED)


# What the portal's catalogue pages read is kept by each web process until a card changes
# (catalog.receivers renews the generation on every write; README, "Load").
CATALOGUE = "catalogue"


def portal_kept(key, build):
    """`build()`, or this process's copy of it while the tenant's catalogue is unchanged."""
    return remembered(CATALOGUE, key, build, seconds=settings.PORTAL_CATALOGUE_KEEP_SECONDS)


def portal_service_tree() -> list[Service]:
    """Published top-level cards, each with its published sub-services in `.published_children`."""
    children = Prefetch("children", queryset=published_services().order_by("national_id"), to_attr="published_children")
    return list(published_services().filter(parent__isnull=True).prefetch_related(children).order_by("order", "national_id"))


def portal_service_search(*, query: str) -> QuerySet[Service]:
    query = normalize_text(to_ascii_digits(query or ""))
    services = published_services()
    if not query:
        return services.none()
    if query.isdigit():
        return services.filter(national_id__startswith=query)
    condition = Q()
    for word in query.split():
        condition &= Q(approved_title__icontains=word) | Q(common_name__icontains=word) | Q(description__icontains=word)
    return services.filter(condition).order_by("national_id")


def portal_service_get(national_id: str) -> Service | None:
    return (
        published_services()
        .filter(national_id=national_id)
        .prefetch_related("fees", "laws", "faqs", "forms", "stages__unit", "units", "children")
        .first()
    )


def units_with_services() -> list[Unit]:
    """Every unit with its published services; sub-units also list their headquarters' services."""
    units = list(Unit.objects.prefetch_related(Prefetch("services", queryset=published_services(), to_attr="published_services")))
    headquarters = [u for u in units if u.is_headquarters]
    hq_services = {s.pk: s for u in headquarters for s in u.published_services}
    for unit in units:
        if not unit.is_headquarters:
            own = {s.pk for s in unit.published_services}
            unit.headquarters_services = [s for pk, s in hq_services.items() if pk not in own]
        else:
            unit.headquarters_services = []
    return units


def staff_service_list(*, query: str = "", status: str = "") -> QuerySet[Service]:
    services = Service.objects.select_related("parent").order_by("national_id")
    if status:
        services = services.filter(status=status)
    query = normalize_text(to_ascii_digits(query or ""))
    if query.isdigit():
        services = services.filter(national_id__startswith=query)
    elif query:
        services = services.filter(Q(approved_title__icontains=query) | Q(common_name__icontains=query))
    return services


def faq_entries() -> QuerySet[Service]:
    return published_services().filter(faqs__isnull=False).distinct().prefetch_related("faqs")


def card_audit_recent(*, limit: int) -> QuerySet[CardAudit]:
    """The newest changes to service cards and workflows (CardAudit's own ordering), for the audit page."""
    return CardAudit.objects.all()[:limit]
