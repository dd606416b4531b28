"""Background work of the registry (public schema: plain shared tasks, no tenant header)."""

from celery import shared_task
from django.conf import settings

from registry.models import SyncRun
from registry.services import national_service_changes_notify, registry_sync


@shared_task
def registry_sync_run(*, run_id: int) -> str:
    """A run queued from the vendor console."""
    run = SyncRun.objects.get(pk=run_id)
    return registry_sync(run=run).outcome


@shared_task
def registry_sync_nightly() -> str:
    """Celery beat's nightly sync from the configured source."""
    if not (settings.REGISTRY_SOURCE_URL or settings.REGISTRY_SOURCE_FILE):
        return "no source configured"
    return registry_sync(triggered_by="nightly").outcome


@shared_task
def registry_changes_notify(*, run_id: int) -> int:
    return national_service_changes_notify(run=SyncRun.objects.get(pk=run_id))
