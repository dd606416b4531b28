"""Running the cross-tenant rollup: on demand from the vendor (queued, with progress shown on
/insights/), at once (beat, `seed_demo`), and soon after a tenant's new requests (debounced)."""

from __future__ import annotations

import logging
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from insights.models import RollupRun, TenantMonth
from insights.ranking import scope_months_rebuild
from insights.rollup import recent_months, rollup_tenant, rollup_tenants
from tenants.selectors import tenant_for_schema, tenants_live

logger = logging.getLogger(__name__)

ROLLUP_LOCK = 7_305_001  # the advisory lock's key


def rollup_request(*, requested_by: str) -> RollupRun:
    """Queue a run of every tenant for the worker, or give back the one already under way (a
    second click adds nothing). With no broker the run happens here, as a last resort."""
    with transaction.atomic():
        # One request at a time (two vendors, a double click): held until this transaction ends.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK])
        current = RollupRun.objects.filter(status__in=(RollupRun.Status.QUEUED, RollupRun.Status.RUNNING)).first()
        if current and current.under_way:
            return current
        RollupRun.objects.filter(status__in=(RollupRun.Status.QUEUED, RollupRun.Status.RUNNING)).update(
            status=RollupRun.Status.FAILED, finished_at=timezone.now(), error="no worker finished it")
        run = RollupRun.objects.create(requested_by=requested_by, tenants_total=tenants_live().count())
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from insights.tasks import insights_rollup_run  # tasks imports this module: a cycle

    try:
        insights_rollup_run.apply_async(args=[run_id], retry=False)
    except Exception as error:  # kombu raises several kinds for an unreachable broker
        logger.warning("Broker unreachable (%s); rolling up in-process.", error)
        rollup_run_execute(run_id=run_id)


def rollup_run_execute(*, run_id: int) -> RollupRun:
    """Do a run, tenant by tenant, writing its progress after each one so that the page can show it."""
    run = RollupRun.objects.get(pk=run_id)
    if not run.unfinished:
        return run
    tenants = list(tenants_live())
    run.status, run.started_at, run.tenants_total, run.tenants_done = RollupRun.Status.RUNNING, timezone.now(), len(tenants), 0
    run.save(update_fields=["status", "started_at", "tenants_total", "tenants_done"])

    def progress(done: int) -> None:
        RollupRun.objects.filter(pk=run.pk).update(tenants_done=done)

    try:
        rollup_tenants(tenants=tenants, progress=progress)
        scope_months_rebuild()  # each tenant moved the sums; this heals a province change or a removed tenant
    except Exception as error:
        RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000])
        raise
    RollupRun.objects.filter(pk=run.pk).update(status=RollupRun.Status.DONE, finished_at=timezone.now(), tenants_done=len(tenants))
    run.refresh_from_db()
    return run


def rollup_run_now(*, requested_by: str) -> RollupRun:
    """A whole run in this process: beat's nightly task and `seed_demo`."""
    run = RollupRun.objects.create(requested_by=requested_by, tenants_total=tenants_live().count())
    return rollup_run_execute(run_id=run.pk)


def rollup_demo() -> None:
    """`seed_demo`'s last step: the demo tenants' requests are on /insights/ from the start."""
    rollup_run_now(requested_by="seed_demo")


def _due_key(schema_name: str) -> str:
    return f"insights-rollup-due:{schema_name}"


def rollup_tenant_soon(*, schema_name: str) -> None:
    """After a request is submitted: roll this tenant up once INSIGHTS_ROLLUP_DELAY_SECONDS have
    passed. Every submit in that window rides on the same run (one cache key per tenant), so a
    busy tenant costs one small rollup per window, not one per request."""
    delay = settings.INSIGHTS_ROLLUP_DELAY_SECONDS
    cache = caches["platform"]
    if not cache.add(_due_key(schema_name), 1, timeout=delay + 300):
        return
    from insights.tasks import insights_rollup_tenant  # tasks imports this module: a cycle

    try:
        insights_rollup_tenant.apply_async(args=[schema_name], countdown=delay, retry=False)
    except Exception as error:  # no broker: the nightly run catches up
        logger.warning("Broker unreachable (%s); %s waits for the nightly rollup.", error, schema_name)
        cache.delete(_due_key(schema_name))


def rollup_tenant_due(*, schema_name: str) -> int:
    """The debounced run: this month and the last (answers cross the month's end); the last
    thirteen when the tenant has never been rolled up."""
    caches["platform"].delete(_due_key(schema_name))  # a submit from now on schedules the next run
    tenant = tenant_for_schema(schema_name)
    if tenant is None:
        return 0
    months = 2 if TenantMonth.objects.filter(tenant=tenant).exists() else 13
    return rollup_tenant(tenant=tenant, span=recent_months(months))
