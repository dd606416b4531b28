"""Redis killed under a running gunicorn: /readyz answers 503 naming Redis while /healthz
(liveness) stays 200 `degraded`, so Kubernetes takes the pod out of the Service without
restarting it; an empty Redis back makes it ready again."""

from __future__ import annotations

import requests

from tests.outages import wait_for

PLATFORM = "localhost"


def _readyz(stack) -> tuple[int, dict]:
    response = requests.get(stack.url + "/readyz", headers={"Host": PLATFORM}, timeout=15)
    return response.status_code, response.json()


def test_redis_killed_makes_web_unready_but_alive(make_stack, redis_box, sms_gateway, test_database_url):
    stack = make_stack(database_url=test_database_url, redis_url=redis_box.url, sms_url=sms_gateway.base_url).start_web()
    status, body = _readyz(stack)
    assert (status, body["status"], body["checks"]["redis"]) == (200, "ready", "ok"), body

    redis_box.kill()
    status, body = _readyz(stack)
    assert (status, body["status"], body["waiting_for"]) == (503, "not ready", ["redis"]), body
    assert body["checks"]["postgres"] == "ok" and body["checks"]["tenant_schemas"] == "ok"
    status, health = stack.healthz(PLATFORM)
    assert (status, health["status"]) == (200, "degraded") and "redis" in health["down"]

    redis_box.start()
    wait_for(lambda: _readyz(stack)[0] == 200, what="/readyz ready again", log=stack.folder / "web.log")
    assert stack.answered_500() == []
