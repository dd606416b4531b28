"""/healthz: PostgreSQL, Redis, and whether a Celery worker answers (the heartbeat each
consuming worker writes to Redis, lib/worker_heartbeat.py); the vendor console shows the worker
too."""

import json
import re
import time
import uuid
from contextlib import contextmanager

import pytest

from mizban.celery import app as celery_app
from tests.workers import celery_worker


def test_healthz_on_the_platform_reports_postgres_and_redis(public_client, settings):
    response = public_client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "ok" and body["checks"]["postgres"] == "ok"
    assert body["checks"]["redis"] == ("ok" if settings.REDIS_URL else "not configured")


def test_healthz_reports_a_redis_that_does_not_answer_as_degraded(public_client, settings):
    """Pages go on without Redis (tests/tenants/test_redis_down.py): web stays in rotation."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = public_client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded" and body["checks"]["redis"].startswith("error")
    assert body["down"] == ["redis", "worker"] and body["checks"]["worker"] == "no answer"


def test_healthz_answers_on_tenant_hosts_too(client_a):
    assert client_a.get("/healthz").status_code == 200


@contextmanager
def _tasks_through_the_broker(queue: str):
    """This process sends its tasks to `queue` on Redis, as web does in production (the test
    settings otherwise run them in-process)."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def _healthz(client, query=""):
    response = client.get("/healthz" + query)
    return response.status_code, json.loads(response.content)


def _worker_badge(page: bytes) -> str:
    """The console's «کارگزار پس‌زمینه: …» badge."""
    return re.search(r'کارگزار پس‌زمینه:\s*<span class="badge [a-z_]+">([^<]+)</span>', page.decode()).group(1)


def test_no_worker_is_reported_without_taking_web_out_of_rotation(public_client, vendor_client, settings):
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL or let the project start its embedded one.")
    with _tasks_through_the_broker(f"mizban-test-{uuid.uuid4().hex[:8]}"):
        status, body = _healthz(public_client)
        assert (status, body["status"], body["checks"]["worker"]) == (200, "degraded", "no answer")
        assert body["checks"]["redis"] == "ok"  # all the old page said, worker or not
        assert _healthz(public_client, "?require=worker")[0] == 503
        assert _worker_badge(vendor_client.get("/console/").content) == "پاسخ نمی‌دهد"
        assert _worker_badge(vendor_client.get("/console/tenants/new/").content) == "پاسخ نمی‌دهد"


def test_tasks_run_in_process_say_so(public_client, vendor_client, settings):
    settings.TASKS_IN_PROCESS = True
    status, body = _healthz(public_client, "?require=worker")
    assert (status, body["status"], body["checks"]["worker"]) == (200, "ok", "in process")
    assert _worker_badge(vendor_client.get("/console/").content) == "درون وب‌سرور"


def test_a_real_worker_answers_and_its_stop_is_seen_at_once(public_client, vendor_client, settings, tmp_path):
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL or let the project start its embedded one.")
    log = tmp_path / "worker.log"
    with celery_worker(log) as worker:  # this process sends its tasks to the worker's queue meanwhile
        deadline = time.monotonic() + 60
        while _healthz(public_client)[1]["checks"]["worker"] != "ok":  # until its consumer is up
            assert worker.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the worker never answered"
            time.sleep(0.2)
        status, body = _healthz(public_client, "?require=worker")
        assert (status, body["status"], body["checks"]["worker"]) == (200, "ok", "ok")
        assert _worker_badge(vendor_client.get("/console/").content) == "فعال"

        worker.terminate()  # a graceful stop takes its heartbeat with it
        worker.wait(20)
        status, body = _healthz(public_client)
        assert (status, body["status"], body["checks"]["worker"]) == (200, "degraded", "no answer")
        assert _worker_badge(vendor_client.get("/console/").content) == "پاسخ نمی‌دهد"
