"""Redis down (issue 13, item 3): with the cache pointed at a port where no Redis answers,
tenant portals still serve (the host map is read from the database), the limits still limit
(counted in the process), a submit is saved, `/healthz` says `degraded` and names Redis, and
the dead port is asked once per retry period, not on every call."""

from __future__ import annotations

import json
import socket
import threading
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django_tenants.utils import schema_context

from intake.models import ServiceRequest
from notifications.models import SmsMessage
from tests.builders import NATIONAL_CODE, request_api_post, request_files
from tests.clients import api_submit
from tests.workers import free_port

TOO_MANY_SIGN_INS = "تلاش‌های ناموفق ورود از حد گذشت"


class DeadRedis:
    """A port that takes connections and drops them at once (as a Redis restarting does),
    counting how often it was asked."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port, self.connections = self.sock.getsockname()[1], 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self.sock.close()


def _caches_on(url: str, retry_seconds: float) -> dict:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_SECONDS": retry_seconds}
    caches_config = {}
    for name, config in django_settings.CACHES.items():
        caches_config[name] = {**config, "BACKEND": "lib.cache.PooledRedisCache", "LOCATION": url, "OPTIONS": options}
    return caches_config


@pytest.fixture
def redis_nowhere(settings):
    """REDIS_URL and both caches on a port nothing listens on."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = _caches_on(url, retry_seconds=60)
    return url


@pytest.fixture
def redis_dropping(settings):
    dead = DeadRedis()
    settings.REDIS_URL = f"redis://127.0.0.1:{dead.port}/0"
    settings.CACHES = _caches_on(settings.REDIS_URL, retry_seconds=60)
    yield dead
    dead.close()


def test_portal_pages_answer_with_redis_nowhere(alpha_catalog, client_a, redis_nowhere):
    for path in ("/", "/services/", "/track/", "/accounts/login/", "/requests/new/"):
        assert client_a.get(path).status_code == 200, path
    assert caches["platform"].breaker.is_open  # it was tried, failed, and is left alone


def test_healthz_says_degraded_and_names_redis(client_a, public_client, redis_nowhere):
    for client in (client_a, public_client):
        response = client.get("/healthz")
        body = json.loads(response.content)
        assert response.status_code == 200
        assert body["status"] == "degraded"
        assert body["checks"]["postgres"] == "ok" and body["checks"]["redis"].startswith("error")
        assert "redis" in body["down"]


def test_a_submit_is_saved_once_with_its_sms(alpha_catalog, client_a, tenant_a, redis_nowhere):
    key = str(uuid.uuid4())
    first = api_submit(client_a, key, **request_api_post(files=request_files()))
    assert first.status_code == 201, first.content
    again = api_submit(client_a, key, **request_api_post(files=request_files()))
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    with schema_context(tenant_a.schema_name):
        request = ServiceRequest.objects.get(tracking_code=first.json()["tracking_code"])
        assert SmsMessage.objects.filter(pk=request.sms_message_id, purpose="receipt").count() == 1


def test_tracking_look_ups_are_still_limited(alpha_catalog, client_a, settings, redis_nowhere):
    settings.INTAKE_TRACK_LIMIT_PER_IP = 3
    statuses = [client_a.post("/api/requests/track/", {"code": "1234", "identity": NATIONAL_CODE},
                              content_type="application/json", REMOTE_ADDR="10.9.0.1").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 429, 429]


def test_sign_in_attempts_are_still_limited(client_a, settings, redis_nowhere):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}

    def refused() -> bool:
        response = client_a.post("/accounts/login/", {"login": "nobody@alpha.test", "password": "wrong"}, REMOTE_ADDR="203.0.113.77")
        assert response.status_code == 200
        return TOO_MANY_SIGN_INS in response.content.decode()

    assert [refused() for _ in range(5)] == [False, False, False, True, True]


def test_a_dead_redis_is_asked_once_per_retry_period(alpha_catalog, client_a, redis_dropping):
    for _ in range(10):
        assert client_a.get("/services/").status_code == 200
        assert client_a.post("/api/requests/track/", {"code": "1234", "identity": NATIONAL_CODE},
                             content_type="application/json").status_code == 400
    # redis-py retries a dropped connection a few times within the first call, and no more.
    assert 1 <= redis_dropping.connections <= 6
