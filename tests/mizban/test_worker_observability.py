"""A real Celery worker with LOG_FORMAT=json and Sentry pointed at a local endpoint that speaks
Sentry's envelope protocol: a task queued while serving a request logs JSON lines with the
tenant's schema and that request's ID, and a task that fails reaches Sentry through the Celery
integration, tagged with its tenant."""

from __future__ import annotations

import gzip
import json
import time

import brotli
import pytest
from django_tenants.utils import schema_context
from pytest_httpserver import HTTPServer

from lib.log_context import request_id
from mizban.celery import app as celery_app
from notifications.tasks import sms_send_task
from tests.workers import celery_worker, free_port


@pytest.fixture(scope="module")
def sentry_endpoint():
    server = HTTPServer(host="127.0.0.1", port=free_port())
    server.expect_request("/api/1/envelope/", method="POST").respond_with_data("{}")
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture(scope="module")
def json_worker(django_db_setup, tmp_path_factory, sentry_endpoint):
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    with celery_worker(log_path, LOG_FORMAT="json", SENTRY_DSN=f"http://public@127.0.0.1:{sentry_endpoint.port}/1") as worker:
        yield log_path, worker


def _json_lines(log_path) -> list[dict]:
    lines = []
    for text in log_path.read_text().splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def _events(server) -> list[dict]:
    """The events (not sessions or other items) in every envelope received so far."""
    found = []
    for envelope in _envelopes(server):
        lines = envelope.splitlines()
        for header, item in zip(lines[1::2], lines[2::2]):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(item))
    return found


def _envelopes(server) -> list[str]:
    found = []
    for request, _ in list(server.log):
        body, encoding = request.get_data(), request.headers.get("Content-Encoding")
        body = gzip.decompress(body) if encoding == "gzip" else brotli.decompress(body) if encoding == "br" else body
        found.append(body.decode())
    return found


def test_a_tasks_lines_carry_its_tenant_and_the_queuing_requests_id(json_worker):
    log_path, worker = json_worker
    token = request_id.set("req-worker-00a1")
    try:
        with schema_context("t_alpha"):
            result = sms_send_task.delay(message_id=987654321)  # no such message: the task says "busy"
    finally:
        request_id.reset(token)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = [line for line in _json_lines(log_path) if result.id in line["message"] and "succeeded" in line["message"]]
        if done:
            break
        assert worker.poll() is None, log_path.read_text()[-3000:]
        time.sleep(0.2)
    else:
        raise AssertionError(log_path.read_text()[-3000:])
    assert done[0]["schema"] == "t_alpha" and done[0]["request_id"] == "req-worker-00a1"
    assert any(line["logger"].startswith("celery") for line in _json_lines(log_path))


def test_a_failing_task_reaches_sentry_tagged_with_its_tenant(json_worker, sentry_endpoint):
    log_path, worker = json_worker
    with schema_context("t_beta"):
        # A task queued by an older release with an argument this one no longer takes.
        result = celery_app.send_task("notifications.tasks.send_email",
                                      kwargs={"to": ["a@beta.test"], "subject": "s", "body": "b", "sender_unit": 3})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        events = [event for event in _events(sentry_endpoint) if result.id in json.dumps(event)
                  and event.get("exception", {}).get("values", [{}])[-1].get("mechanism", {}).get("type") == "celery"]
        if events:
            break
        assert worker.poll() is None, log_path.read_text()[-3000:]
        time.sleep(0.2)
    else:
        raise AssertionError(f"no Sentry event; worker log: {log_path.read_text()[-3000:]}")
    (event,) = events
    assert event["exception"]["values"][-1]["type"] == "TypeError"
    assert event["tags"]["tenant"] == "t_beta"
