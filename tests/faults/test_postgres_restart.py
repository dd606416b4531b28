"""PostgreSQL (a throw-away cluster holding a copy of the test database, never the machine's
own server) stopped and started again under a running gunicorn and worker: while it is down,
pages and submits answer 503 with Retry-After, not 500; after it, the client's retry with the
same Idempotency-Key gives one request, the next submits work on fresh connections, and every
receipt SMS leaves exactly once."""

from __future__ import annotations

import uuid

import pytest

from tests.outages import Citizen, ThrowawayPostgres, outbox_of, receipts_sent, requests_of, wait_for

HOST = "gamma.localhost"


@pytest.fixture
def postgres_box(test_database_url):
    cluster = ThrowawayPostgres().init()
    try:
        yield cluster, cluster.copy_database(test_database_url, "mizban_fault")
    finally:
        cluster.destroy()


def test_postgres_restarted_under_the_server(make_stack, redis_box, sms_gateway, postgres_box):
    cluster, database_url = postgres_box
    stack = make_stack(database_url=database_url, redis_url=redis_box.url, sms_url=sms_gateway.base_url).start()
    citizen, mobile = Citizen(stack.url, HOST), "09131110004"
    first = citizen.submit(str(uuid.uuid4()), mobile)
    assert first.status_code == 201, first.text[:300]
    assert citizen.get("/services/").status_code == 200  # web's connections are open and kept

    cluster.stop()
    retried_key = str(uuid.uuid4())
    refused = citizen.submit(retried_key, mobile)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "30", refused.text[:300]
    assert refused.json()["code"] == "service_unavailable"
    page = citizen.get("/services/")
    assert page.status_code == 503 and "سامانه لحظاتی در دسترس نیست" in page.text
    status, health = stack.healthz(HOST)
    assert status == 503 and health["checks"]["postgres"].startswith("error")

    cluster.start()
    wait_for(lambda: stack.healthz(HOST)[0] == 200, what="/healthz after PostgreSQL is back", seconds=30)
    retried = citizen.submit(retried_key, mobile)
    assert retried.status_code == 201, retried.text[:300]
    again = citizen.submit(retried_key, mobile)
    assert again.json()["tracking_code"] == retried.json()["tracking_code"]
    after = citizen.submit(str(uuid.uuid4()), mobile)
    assert after.status_code == 201, after.text[:300]
    codes = [first.json()["tracking_code"], retried.json()["tracking_code"], after.json()["tracking_code"]]

    stack.sweep()  # a receipt whose task met the database down waits for this
    wait_for(lambda: all(receipts_sent(sms_gateway, code) == 1 for code in codes), what="every receipt sent",
             log=stack.folder / "worker.log")
    assert sorted(requests_of(database_url, mobile)) == sorted(codes)
    assert [receipts_sent(sms_gateway, code) for code in codes] == [1, 1, 1]
    assert {status for _, status in outbox_of(database_url, mobile)} == {"sent"}
    assert stack.answered_500() == []
