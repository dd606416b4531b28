"""Prometheus metrics: django-prometheus' request metrics, and Mizban's own, all `mizban_`.

Counted as requests are served (each process, or every gunicorn worker through
PROMETHEUS_MULTIPROC_DIR): `mizban_http_requests_total` and
`mizban_http_request_duration_seconds` by the kind of tenant the host resolved to.
Read when Prometheus asks (never on a request's path): the Celery queues' length in the broker,
the SMS outbox's backlog over every live tenant, the spare schemas ready, the migration state of
tenant schemas and the last `migrate_tenants` run, the tenants by kind and status.

`/metrics` answers on any host, Prometheus' scrape of a pod by its IP included, but only to
`Authorization: Bearer <METRICS_TOKEN>`; without it the path is the 404 of any unknown path, on
the platform's and the tenants' hosts alike, and with no METRICS_TOKEN set it is off.
"""

from __future__ import annotations

import hmac
import logging
import os
import time

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from notifications.models import SmsMessage
from tenants.models import Tenant
from tenants.provisioning import quote_name
from tenants.schema_migrations import schema_states
from tenants.selectors import migration_run_last, spare_schemas_ready, tenants_live

logger = logging.getLogger(__name__)

PATH = "/metrics"
REQUESTS = Counter("mizban_http_requests_total", "Requests answered, by the kind of tenant the host resolved to.",
                   ["tenant_kind", "method", "status"])
DURATION = Histogram("mizban_http_request_duration_seconds", "Time to answer a request, by tenant kind.", ["tenant_kind"])
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# kombu's Redis transport keeps a queue's higher priorities in keys of their own.
_PRIORITY_SEP, _PRIORITY_STEPS = "\x06\x16", (3, 6, 9)


def _tenant_kind(request) -> str:
    tenant = getattr(request, "tenant", None)
    if isinstance(tenant, Tenant):
        return tenant.kind
    return "platform" if tenant is not None else "unknown_host"


class RequestMetricsMiddleware:
    """Counts every answer, the unknown hosts' 404s included, by the tenant's kind."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        kind = _tenant_kind(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(kind, method, str(response.status_code)).inc()
        DURATION.labels(kind).observe(time.perf_counter() - started)
        return response


class MetricsEndpointMiddleware:
    """Before the tenancy: an authorised scrape is answered whatever the host; anything else
    goes on to be resolved like any request (and finds no such page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == PATH and request.method in ("GET", "HEAD") and scrape_authorised(request):
            return metrics_response()
        return self.get_response(request)


def scrape_authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    offered = request.META.get("HTTP_AUTHORIZATION", "")
    return bool(token) and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


def metrics_response() -> HttpResponse:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # gunicorn's workers: every process's counters
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    read_now = CollectorRegistry(auto_describe=False)
    read_now.register(PlatformCollector())
    return HttpResponse(generate_latest(counted) + generate_latest(read_now), content_type=CONTENT_TYPE_LATEST)


class PlatformCollector:
    """The gauges read at scrape time. A part that cannot be read (Redis down) is left out and
    counted in mizban_metrics_errors, so the rest still arrives."""

    def collect(self):
        connection.set_schema_to_public()
        errors = GaugeMetricFamily("mizban_metrics_errors", "Parts of this scrape that could not be read.", labels=["part"])
        for part, read in (("queues", _queues), ("outbox", _outbox), ("spares", _spares), ("migrations", _migrations),
                           ("tenants", _tenants)):
            try:
                yield from read()
                errors.add_metric([part], 0)
            except Exception:
                logger.exception("metrics: %s could not be read", part)
                errors.add_metric([part], 1)
        yield errors


def _queues():
    family = GaugeMetricFamily("mizban_celery_queue_length", "Tasks waiting in the broker, by queue.", labels=["queue"])
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(broker, socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT_SECONDS,
                                      socket_timeout=settings.REDIS_SOCKET_TIMEOUT_SECONDS)
        for queue in sorted({settings.CELERY_TASK_DEFAULT_QUEUE, settings.TENANT_SPARE_QUEUE} - {""}):
            keys = [queue] + [f"{queue}{_PRIORITY_SEP}{step}" for step in _PRIORITY_STEPS]
            pipe = client.pipeline()
            for key in keys:
                pipe.llen(key)
            family.add_metric([queue], sum(pipe.execute()))
    yield family


def _outbox():
    """Queued SMS over every live tenant: one count per schema on one connection (the index
    notifications_sms_pending leads with the status), a few milliseconds a hundred tenants."""
    table = SmsMessage._meta.db_table
    total, oldest = 0, None
    with connection.cursor() as cursor:
        for schema in tenants_live().values_list("schema_name", flat=True):
            cursor.execute(f"SELECT count(*), min(created_at) FROM {quote_name(schema)}.{quote_name(table)} WHERE status = %s",
                           [SmsMessage.Status.QUEUED])
            count, first = cursor.fetchone()
            total += count
            if first is not None and (oldest is None or first < oldest):
                oldest = first
    backlog = GaugeMetricFamily("mizban_outbox_backlog", "Messages waiting in the outboxes of every live tenant.",
                                labels=["outbox"])
    backlog.add_metric(["sms"], total)
    yield backlog
    age = GaugeMetricFamily("mizban_outbox_oldest_age_seconds", "Age of the oldest message waiting (0: none).",
                            labels=["outbox"])
    age.add_metric(["sms"], max(0.0, time.time() - oldest.timestamp()) if oldest else 0.0)
    yield age


def _spares():
    yield GaugeMetricFamily("mizban_spare_schemas_ready", "Copies of the current template ready for onboarding.",
                            value=spare_schemas_ready())


def _migrations():
    """Schemas at the template's migrations or behind it (one query: tenants/schema_migrations.py),
    and the last migrate_tenants run."""
    overview = schema_states()
    schemas = GaugeMetricFamily("mizban_tenant_schemas", "Tenant and spare schemas by migration state.", labels=["state"])
    missing, behind = len(overview.missing), len(overview.pending)
    schemas.add_metric(["current"], len(overview.schemas) - missing - behind)
    schemas.add_metric(["behind"], behind)
    schemas.add_metric(["missing"], missing)
    yield schemas
    run = migration_run_last()
    outcome = GaugeMetricFamily("mizban_migration_last_run", "The last migrate_tenants run: 1 for its outcome.", labels=["outcome"])
    for value in ("running", "succeeded", "failed"):
        outcome.add_metric([value], 1 if run is not None and run.outcome == value else 0)
    yield outcome
    yield GaugeMetricFamily("mizban_migration_last_run_failed_schemas", "Schemas the last migrate_tenants run could not migrate.",
                            value=len(run.failures) if run else 0)
    yield GaugeMetricFamily("mizban_migration_last_run_finished_timestamp_seconds", "When the last run ended (0: never, or running).",
                            value=run.finished_at.timestamp() if run and run.finished_at else 0)


def _tenants():
    from django.db.models import Count

    family = GaugeMetricFamily("mizban_tenants", "Tenants by kind and lifecycle status.", labels=["kind", "status"])
    counts = {(row["kind"], row["status"]): row["n"] for row in Tenant.objects.values("kind", "status").annotate(n=Count("id"))}
    for kind in Tenant.Kind.values:
        for status in Tenant.Status.values:
            family.add_metric([kind, status], counts.get((kind, status), 0))
    yield family
