"""/readyz beside /healthz: ready when PostgreSQL, Redis and every migration this code knows
are in place; on the platform domain only, and it names no tenant. Pending migrations:
tests/tenants/test_readyz_migrations.py; Redis killed under a running gunicorn:
tests/faults/test_readiness_redis_down.py."""

import json


def _readyz(client):
    response = client.get("/readyz")
    return response.status_code, json.loads(response.content)


def test_ready_when_everything_is_in_place(public_client, settings):
    status, body = _readyz(public_client)
    assert (status, body["status"], body["waiting_for"]) == (200, "ready", []), body
    expected_redis = "ok" if settings.REDIS_URL else "not configured"
    assert body["checks"] == {
        "postgres": "ok", "redis": expected_redis, "public_schema": "ok", "template_schema": "ok", "tenant_schemas": "ok",
    }


def test_not_ready_while_redis_does_not_answer_though_alive(public_client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    status, body = _readyz(public_client)
    assert (status, body["status"], body["waiting_for"]) == (503, "not ready", ["redis"])
    assert body["checks"]["redis"].startswith("error") and body["checks"]["tenant_schemas"] == "ok"
    assert public_client.get("/healthz").status_code == 200  # liveness: the pod is not restarted for it


def test_readiness_is_the_platform_s_own_never_a_tenant_s(client_a, client_b, public_client):
    """Cross-tenant: a tenant host has no /readyz, and the platform's answer holds no
    tenant's name, slug or schema (the console lists lagging schemas, to the vendor)."""
    assert client_a.get("/readyz").status_code == 404
    assert client_b.get("/readyz").status_code == 404
    text = public_client.get("/readyz").content.decode()
    for word in ("alpha", "beta", "t_alpha", "t_beta"):
        assert word not in text
