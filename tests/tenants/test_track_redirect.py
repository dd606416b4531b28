"""The platform's home forwards a tracking code to its tenant under the tracking page's own
limit per IP and window (INTAKE_TRACK_LIMIT_PER_IP, INTAKE_TRACK_WINDOW_SECONDS), not numbers
of its own."""

import time

import pytest
from django.core.cache import caches

from tenants.tracking_codes import tracking_code_new

# The same checks on a Citus coordinator too (make test's second pass; README, Citus).
pytestmark = pytest.mark.citus


def forward(client, code: str, ip: str):
    return client.post("/track/", {"code": code}, REMOTE_ADDR=ip)


def test_forwarding_is_limited_by_the_tracking_settings(public_client, settings):
    settings.INTAKE_TRACK_LIMIT_PER_IP = 2
    code = tracking_code_new()  # well formed, issued by no tenant
    statuses = [forward(public_client, code, "10.9.0.1").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    limited = forward(public_client, code, "10.9.0.1")
    assert "تعداد تلاش‌ها بیش از اندازه است" in limited.content.decode()
    assert forward(public_client, code, "10.9.0.2").status_code == 404  # per IP


def test_the_window_is_the_tracking_window(public_client, settings):
    settings.INTAKE_TRACK_LIMIT_PER_IP, settings.INTAKE_TRACK_WINDOW_SECONDS = 1, 5
    code = tracking_code_new()
    assert [forward(public_client, code, "10.9.1.1").status_code for _ in range(2)] == [404, 429]
    # The counter lasts the tracking window (seconds here, not 600 s of its own): wait for it
    # to go (a state, not a time), and the address may forward again.
    counter, deadline = "attempts:platform-track-ip:10.9.1.1", time.monotonic() + 30
    while caches["platform"].has_key(counter) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not caches["platform"].has_key(counter)
    assert forward(public_client, code, "10.9.1.1").status_code == 404
