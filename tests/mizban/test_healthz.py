import json


def test_healthz_on_the_platform_reports_postgres_and_redis(public_client, settings):
    response = public_client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "ok" and body["checks"]["postgres"] == "ok"
    assert body["checks"]["redis"] == ("ok" if settings.REDIS_URL else "not configured")


def test_healthz_reports_a_redis_that_does_not_answer(public_client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = public_client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["redis"].startswith("error")


def test_healthz_answers_on_tenant_hosts_too(client_a):
    assert client_a.get("/healthz").status_code == 200
