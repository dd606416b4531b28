"""Use cases of the national registry mirror: sync it, queue a sync, tell tenants what changed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.selectors import active_staff_ids
from notifications.services import staff_notice_send
from registry.models import ServiceChange, SyncRun
from registry.selectors import progress_key
from registry.signals import national_services_changed
from registry.sources import SourceError, source_describe, source_for
from registry.sync import sync_apply, sync_lock_try
from tenants.selectors import tenants_live

logger = logging.getLogger(__name__)
PROGRESS_TTL_SECONDS = 24 * 3600


class SyncRefused(Exception):
    """Another sync holds the lock."""


def sync_run_queue(*, file: str | None = None, url: str | None = None, triggered_by: str = "") -> SyncRun:
    """Record a run and hand it to the worker once the record is committed, so the console
    can follow it while the worker syncs."""
    from registry.tasks import registry_sync_run  # tasks imports this module: a cycle

    source = source_for(file=file, url=url)
    run = SyncRun.objects.create(source=source.label, triggered_by=triggered_by)

    def enqueue() -> None:
        try:
            registry_sync_run.apply_async(kwargs={"run_id": run.pk}, retry=False)
        except Exception as error:  # kombu raises several kinds for an unreachable broker
            # A sync of the whole national list is too long for the request: the run says so
            # instead of waiting in the queue for ever, and the vendor tries again later.
            logger.warning("Broker unreachable (%s); registry sync #%s not started.", error, run.pk)
            _finish(run, SyncRun.Outcome.FAILED, _("صف کارهای پس‌زمینه در دسترس نیست؛ همگام‌سازی آغاز نشد. چند دقیقه بعد دوباره تلاش کنید."))

    transaction.on_commit(enqueue)
    return run


def registry_sync(
    *, file: str | None = None, url: str | None = None, run: SyncRun | None = None, triggered_by: str = "",
    progress: Callable[[int, int | None], None] | None = None,
) -> SyncRun:
    """Bring the mirror in line with one full export: all of it or nothing, and never two
    syncs at once (a second one is refused, not queued behind the first)."""
    try:
        source = source_describe(run.source) if run else source_for(file=file, url=url)
    except SourceError as error:
        return SyncRun.objects.create(
            source=str(file or url or "-"), triggered_by=triggered_by, outcome=SyncRun.Outcome.FAILED,
            started_at=timezone.now(), finished_at=timezone.now(), error=str(error),
        )
    if run is None:
        run = SyncRun.objects.create(source=source.label, triggered_by=triggered_by)
    elif run.outcome != SyncRun.Outcome.QUEUED:
        return run  # a redelivered task: this run has been attempted already
    run.outcome, run.started_at = SyncRun.Outcome.RUNNING, timezone.now()
    run.save(update_fields=["outcome", "started_at"])

    def report(read: int) -> None:
        caches["platform"].set(progress_key(run.pk), {"read": read, "total": source.total}, PROGRESS_TTL_SECONDS)
        if progress:
            progress(read, source.total)

    try:
        with transaction.atomic():
            if not sync_lock_try():
                raise SyncRefused
            counts = sync_apply(run=run, rows=source.rows(), now=run.started_at, progress=report)
            for name, value in vars(counts).items():
                setattr(run, name, value)
            _finish(run, SyncRun.Outcome.SUCCEEDED)
            transaction.on_commit(lambda: _after_sync(run))
    except SyncRefused:
        _finish(run, SyncRun.Outcome.REFUSED, _("همگام‌سازی دیگری در جریان است؛ این اجرا انجام نشد."))
    except SourceError as error:
        _finish(run, SyncRun.Outcome.FAILED, str(error))
    except Exception as error:
        _finish(run, SyncRun.Outcome.FAILED, _("خطای پیش‌بینی‌نشده: %(error)r") % {"error": error})
        raise
    return run


def _finish(run: SyncRun, outcome: str, error: str = "") -> None:
    run.outcome, run.error, run.finished_at = outcome, error, timezone.now()
    run.save()
    if outcome != SyncRun.Outcome.SUCCEEDED:
        logger.warning("Registry sync #%s %s: %s", run.pk, outcome, error)


def _after_sync(run: SyncRun) -> None:
    if run.changes.filter(kind__in=NOTIFIED_KINDS).exists():
        from registry.tasks import registry_changes_notify  # tasks imports this module: a cycle

        registry_changes_notify.delay(run_id=run.pk)


NOTIFIED_KINDS = (ServiceChange.Kind.RETIRED, ServiceChange.Kind.TITLE_CHANGED)
NOTICE_LIST_LIMIT = 50


def national_service_changes_notify(*, run: SyncRun) -> int:
    """Tell every tenant's catalogue (through `national_services_changed`) and admins which
    national services a run retired or renamed. Calling it twice for a run changes nothing
    more and tells nobody twice. Returns the number of tenants told."""
    changes = list(run.changes.filter(kind__in=NOTIFIED_KINDS).order_by("service_id"))
    if not changes:
        return 0
    retired = [{"id": c.service_id, "title": c.new_title} for c in changes if c.kind == ServiceChange.Kind.RETIRED]
    renamed = [
        {"id": c.service_id, "old": c.old_title, "new": c.new_title}
        for c in changes if c.kind == ServiceChange.Kind.TITLE_CHANGED
    ]
    payload = {
        "run_id": run.pk, "retired": retired[:NOTICE_LIST_LIMIT], "retired_count": len(retired),
        "renamed": renamed[:NOTICE_LIST_LIMIT], "renamed_count": len(renamed),
    }
    told = 0
    for schema_name in tenants_live().values_list("schema_name", flat=True):
        with schema_context(schema_name):
            national_services_changed.send(sender=ServiceChange, changes=changes)
            admins = active_staff_ids(roles=(User.Role.TENANT_ADMIN,))
            if staff_notice_send(kind="registry_changes", payload=payload, dedupe_key=f"registry-run-{run.pk}", recipient_ids=admins):
                told += 1
    return told
