"""LOG_FORMAT=json (production's default): every line of a real gunicorn (the repository's
gunicorn.conf.py, its access log on) is one JSON object with the tenant's schema and the
request's ID, the access line included, and the redaction of citizens' codes still holds.
The worker's lines and Sentry's Celery events: tests/mizban/test_worker_observability.py."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time

import pytest
import requests
from django.db import connection
from django_tenants.utils import schema_context

from lib.log_context import JsonFormatter, request_id
from tests.workers import ROOT, database_url_for, free_port

TRACKING = "6964909502413290"


@pytest.fixture(scope="module")
def json_server(django_db_setup, tmp_path_factory):
    log_path, port = tmp_path_factory.mktemp("json-logs") / "server.log", free_port()
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="mizban.settings_test", DATABASE_URL=database_url_for(connection.settings_dict["NAME"]),
               LOG_LEVEL="INFO", LOG_FORMAT="json", PLATFORM_PORT=str(port))
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mizban.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--timeout", "60", "--access-logfile", "-", "--log-level", "info"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(url + "/healthz", headers={"Host": "localhost"}, timeout=15)
            break
        except requests.RequestException:
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.2)
    yield url, log_path, server
    if server.poll() is None:
        server.terminate()
        server.wait(10)


def _lines(log_path) -> list[dict]:
    return [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]


def _wait_for(log_path, predicate) -> list[dict]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [line for line in _lines(log_path) if predicate(line)]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(log_path.read_text()[-3000:])


def test_every_line_has_the_schema_and_the_request_id(json_server):
    url, log_path, server = json_server
    asked = requests.get(f"{url}/no-such-page/?code={TRACKING}", headers={"Host": "alpha.localhost", "X-Request-ID": "ingress-7f3a9c01"},
                         timeout=30)
    assert asked.status_code == 404 and asked.headers["X-Request-ID"] == "ingress-7f3a9c01"
    platform = requests.get(f"{url}/healthz", headers={"Host": "localhost", "X-Request-ID": "bad id\twith spaces"}, timeout=30)
    generated = platform.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)  # an ID that is not one is replaced

    alpha = _wait_for(log_path, lambda line: line["request_id"] == "ingress-7f3a9c01" and line["logger"] == "gunicorn.access")
    not_found = _wait_for(log_path, lambda line: line["logger"] == "django.request")
    assert not_found[0]["schema"] == "t_alpha" and not_found[0]["request_id"] == "ingress-7f3a9c01"
    assert not_found[0]["level"] == "WARNING" and "/no-such-page/" in not_found[0]["message"]
    assert alpha[0]["schema"] == "t_alpha" and "GET /no-such-page/?code=[redacted]" in alpha[0]["message"]
    (healthz,) = _wait_for(log_path, lambda line: line["request_id"] == generated)
    assert healthz["schema"] == "public" and healthz["logger"] == "gunicorn.access" and "/healthz" in healthz["message"]

    server.terminate()
    server.wait(10)
    lines = _lines(log_path)  # every line, the start and the stop included, is a JSON object
    assert {"time", "level", "logger", "message", "schema", "request_id"} <= set().union(*lines)
    assert all({"schema", "request_id", "message"} <= set(line) for line in lines)
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    assert TRACKING not in log_path.read_text()


def test_the_formatter_redacts_and_names_the_schema(db):
    logger = logging.getLogger("tests.json")
    token = request_id.set("req-0000beef")
    try:
        with schema_context("t_beta"):
            record = logger.makeRecord("tests.json", logging.ERROR, __file__, 1, "look-up of %s failed", (TRACKING,), None)
            line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["schema"] == "t_beta" and line["request_id"] == "req-0000beef"
    assert line["message"] == "look-up of [redacted] failed" and line["level"] == "ERROR"
