"""Reads of the catalogue: for the portal (published cards only), the staff editor and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from catalog.models import CardAudit, Fee, FeeDue, Service, Unit, WorkflowStage
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


def first_stage_id_subquery() -> Subquery:
    """A service's first workflow stage, for `.annotate(first_stage_id=…)`: a new request starts
    there (intake's submit reads it with the service instead of in a query of its own)."""
    return Subquery(WorkflowStage.objects.filter(service=OuterRef("pk")).order_by("order").values("pk")[:1])


def first_stage_id(service: Service) -> int | None:
    if hasattr(service, "first_stage_id"):  # annotated by the query that read the service
        return service.first_stage_id
    return service.stages.order_by("order").values_list("pk", flat=True).first()


def submit_fees_exist(service: Service) -> bool | None:
    """Whether any fee of `service` is due at submit, when the query that read it said so
    (`submit_fees`, annotated by the online offer); None when it is not known."""
    return getattr(service, "submit_fees", None)


# What the portal's catalogue pages read is kept by each web process until a card changes
# (catalog.receivers renews the generation on every write; README, "Load").
CATALOGUE = "catalogue"


def portal_kept(key, build):
    """`build()`, or this process's copy of it while the tenant's catalogue is unchanged."""
    return remembered(CATALOGUE, key, build, seconds=settings.PORTAL_CATALOGUE_KEEP_SECONDS)


@dataclass(frozen=True)
class OnlineOffer:
    """A published card that takes requests online, with its first workflow stage
    (`service.first_stage_id`), whether a fee is due at submit (`service.submit_fees`) and the
    units offering it, in the chooser's order."""

    service: Service
    units: tuple[Unit, ...]

    def unit(self, unit_id: int | None) -> Unit | None:
        """The unit asked for, if it offers the service; the first one if none was asked for."""
        if unit_id is None:
            return self.units[0] if self.units else None
        return next((unit for unit in self.units if unit.pk == unit_id), None)


def online_offer(national_id: str) -> OnlineOffer | None:
    """What a submit checks the card against (intake's API): read once per catalogue generation
    by each process, so the busiest write of the portal asks nothing of the database for it."""
    return portal_kept(("online-offer", national_id), lambda: _online_offer_read(national_id))


def _online_offer_read(national_id: str) -> OnlineOffer | None:
    submit_fees = Fee.objects.filter(service=OuterRef("pk"), due=FeeDue.SUBMIT)
    service = (published_services().filter(online_request=True, national_id=national_id)
               .annotate(first_stage_id=first_stage_id_subquery(), submit_fees=Exists(submit_fees)).first())
    if service is None:
        return None
    return OnlineOffer(service=service, units=tuple(service.units.order_by("order", "id")))


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


CARD_RELATIONS = ("fees", "laws", "faqs", "forms", "stages__unit", "units", "children")


def portal_service_get(national_id: str) -> Service | None:
    return published_services().filter(national_id=national_id).prefetch_related(*CARD_RELATIONS).first()


def portal_card(national_id: str) -> Service | None:
    """A published card with everything its page shows (read only). A process that keeps the
    catalogue reads all of the tenant's cards at once, one query a relation, and keeps them
    while the catalogue is unchanged: citizens ask for many different cards, and one card's
    own nine queries cost more than its page (README, Benchmarks)."""
    if settings.PORTAL_CATALOGUE_KEEP_SECONDS <= 0:
        return portal_service_get(national_id)
    return portal_kept("cards", _portal_cards_read).get(national_id)


def _portal_cards_read() -> dict[str, Service]:
    return {service.national_id: service for service in published_services().prefetch_related(*CARD_RELATIONS)}


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
