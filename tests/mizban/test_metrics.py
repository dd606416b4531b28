"""/metrics (mizban/metrics.py): answered only to the scraper's bearer token, on any host; without
it the 404 of any unknown path on the platform's and tenants' hosts. What it reports is what an
operator would count by hand: requests by tenant kind, tasks waiting in the broker, SMS waiting
in tenants' outboxes, spare schemas, the tenant schemas' migration state and the last run."""

from __future__ import annotations

import uuid

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone
from django_tenants.utils import schema_context
from prometheus_client.parser import text_string_to_metric_families

from mizban.celery import app as celery_app
from notifications.models import SmsMessage
from tenants.models import MigrationRun, SpareSchema, Tenant
from tenants.spares import spares_refill
from tests.clients import host_client

TOKEN = "scrape-" + "x7" * 16


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def _scrape(host="localhost", token=TOKEN) -> dict[tuple, float]:
    response = host_client(host).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost", "beta.localhost"])
def test_without_the_token_metrics_is_the_404_of_an_unknown_path(db, metrics_on, host):
    unknown = host_client(host).get("/no-such-page-here")
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong-token"}, {"HTTP_AUTHORIZATION": TOKEN}):
        response = host_client(host).get("/metrics", **headers)
        assert response.status_code == 404 and b"mizban_" not in response.content
        assert response.status_code == unknown.status_code


def test_with_no_token_configured_metrics_is_off(db, settings):
    settings.METRICS_TOKEN = ""
    assert host_client("localhost").get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_an_authorised_scrape_answers_on_any_host(db, metrics_on):
    """Prometheus scrapes each pod by its IP: the token, not the host, authorises."""
    for host in ("localhost", "alpha.localhost", "10.0.3.7"):
        assert _value(_scrape(host), "mizban_tenants", kind="municipality", status="trial") >= 1


def test_requests_are_counted_by_the_tenants_kind(db, metrics_on):
    before = _scrape()
    for host, times in (("alpha.localhost", 3), ("beta.localhost", 2), ("localhost", 1), ("nobody.localhost", 1)):
        for _ in range(times):
            host_client(host).get("/healthz")
    after = _scrape()
    for kind, times in (("municipality", 3), ("dehyari", 2), ("platform", 1)):
        key = {"tenant_kind": kind, "method": "GET", "status": "200"}
        assert _value(after, "mizban_http_requests_total", **key) - _value(before, "mizban_http_requests_total", **key) == times
    unknown = {"tenant_kind": "unknown_host", "method": "GET", "status": "404"}
    assert _value(after, "mizban_http_requests_total", **unknown) - _value(before, "mizban_http_requests_total", **unknown) == 1
    # django-prometheus' standard names are there too (the Grafana dashboard reads them).
    assert _value(after, "django_http_requests_total_by_method_total", method="GET") > 0


def test_the_queue_length_is_what_waits_in_the_broker(db, metrics_on, settings):
    queue = f"mizban-metrics-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        for _ in range(3):  # nobody consumes this queue
            celery_app.send_task("tenants.tasks.spare_schemas_refill", queue=queue)
        assert _value(_scrape(), "mizban_celery_queue_length", queue=queue) == 3
    finally:
        celery_app.conf.task_always_eager = previous
        redis.Redis.from_url(django_settings.CELERY_BROKER_URL).delete(queue)


def test_the_outbox_backlog_counts_queued_sms_of_every_tenant(db, metrics_on):
    before = _value(_scrape(), "mizban_outbox_backlog", outbox="sms")
    for schema, statuses in (("t_alpha", ["queued", "queued", "sent"]), ("t_beta", ["queued", "failed"])):
        with schema_context(schema):
            for status in statuses:
                SmsMessage.objects.create(mobile="09121234567", text="رسید درخواست", purpose="receipt", status=status,
                                          created_at=timezone.now() - timezone.timedelta(minutes=10))
    after = _scrape()
    assert _value(after, "mizban_outbox_backlog", outbox="sms") - before == 3
    assert _value(after, "mizban_outbox_oldest_age_seconds", outbox="sms") >= 600


def test_spares_and_the_schemas_migration_state(db, metrics_on):
    assert spares_refill(target=2, parallel=1) == 2
    samples = _scrape()
    assert _value(samples, "mizban_spare_schemas_ready") == 2
    live = Tenant.objects.exclude(status=Tenant.Status.PROVISIONING).count()
    assert _value(samples, "mizban_tenant_schemas", state="current") == live + 2
    assert _value(samples, "mizban_tenant_schemas", state="behind") == 0

    SpareSchema.objects.filter(pk=SpareSchema.objects.first().pk).update(fingerprint="an-older-set-of-migrations")
    with schema_context("t_beta"):
        from django.db import connection

        with connection.cursor() as cursor:  # beta's schema one migration behind the template
            cursor.execute("DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations)")
    samples = _scrape()
    assert _value(samples, "mizban_spare_schemas_ready") == 1
    assert _value(samples, "mizban_tenant_schemas", state="behind") == 1


def test_the_last_migration_run(db, metrics_on):
    finished = timezone.now()
    MigrationRun.objects.create(started_at=finished - timezone.timedelta(minutes=3), finished_at=finished,
                                outcome=MigrationRun.Outcome.FAILED, schemas_total=5, schemas_migrated=3,
                                failures=[{"schema": "t_x", "error": "lock timeout"}, {"schema": "t_y", "error": "lock timeout"}])
    samples = _scrape()
    assert _value(samples, "mizban_migration_last_run", outcome="failed") == 1
    assert _value(samples, "mizban_migration_last_run", outcome="succeeded") == 0
    assert _value(samples, "mizban_migration_last_run_failed_schemas") == 2
    assert _value(samples, "mizban_migration_last_run_finished_timestamp_seconds") == pytest.approx(finished.timestamp(), abs=1)


def test_tenants_by_kind_and_status(db, metrics_on):
    samples = _scrape()
    for kind in Tenant.Kind.values:
        for status in Tenant.Status.values:
            assert _value(samples, "mizban_tenants", kind=kind, status=status) == Tenant.objects.filter(kind=kind, status=status).count()
    assert all(_value(samples, "mizban_metrics_errors", part=part) == 0 for part in ("queues", "outbox", "spares", "migrations", "tenants"))
