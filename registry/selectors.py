"""Reads of the mirror: search (vendor console and the tenants' API) and the sync runs."""

from __future__ import annotations

from django.core.cache import caches
from django.db.models import Count, Q, QuerySet

from lib.persian import normalize_text
from registry.models import NationalService, SyncRun

RECENT_RUNS = 20


def progress_key(run_id: int) -> str:
    return f"registry-sync-progress:{run_id}"


def national_service_search(
    *, query: str = "", status: str = "", service_type: str = "", missing: bool = False, short_id: bool = False,
) -> QuerySet[NationalService]:
    """Services whose ID starts with the query's digits, or whose title holds every word of
    it (Arabic ي/ك and Persian digits normalised), with optional filters."""
    services = NationalService.objects.all()
    query = normalize_text(query)
    if query.isdigit():
        services = services.filter(service_id__startswith=query)
    elif query:
        for word in query.split():
            services = services.filter(title__icontains=word)
    if status:
        services = services.filter(status=status)
    if service_type:
        services = services.filter(service_types__contains=[service_type])
    if missing:
        services = services.filter(missing_since__isnull=False)
    if short_id:
        services = services.filter(has_short_id=True)
    return services.order_by("service_id")


def national_service_totals() -> dict[str, int]:
    return NationalService.objects.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status=NationalService.Status.APPROVED)),
        retired=Count("pk", filter=Q(status=NationalService.Status.RETIRED)),
        missing=Count("pk", filter=Q(missing_since__isnull=False)),
        short_id=Count("pk", filter=Q(has_short_id=True)),
    )


def sync_runs_recent() -> QuerySet[SyncRun]:
    return SyncRun.objects.all()[:RECENT_RUNS]


def sync_run_progress(run: SyncRun) -> dict | None:
    """Rows read so far (and the export's size when known) while a run is going."""
    if run.is_finished:
        return None
    return caches["platform"].get(progress_key(run.pk))
