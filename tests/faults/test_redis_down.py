"""Redis (cache and broker) killed under a running gunicorn and worker: the portal keeps
serving, submits are saved, a one-time code still goes out at once from web, `/healthz` says
`degraded` and names Redis; once an empty Redis is back, every receipt SMS leaves exactly
once."""

from __future__ import annotations

import uuid

from tests.outages import Citizen, codes_sent, outbox_of, receipts_sent, requests_of, wait_for

HOST = "gamma.localhost"


def test_redis_killed_and_back(make_stack, redis_box, sms_gateway, test_database_url):
    stack = make_stack(database_url=test_database_url, redis_url=redis_box.url, sms_url=sms_gateway.base_url,
                       WORKER_HEARTBEAT_SECONDS="1").start()
    citizen, mobile = Citizen(stack.url, HOST), "09131110001"

    before = citizen.submit(str(uuid.uuid4()), mobile)
    assert before.status_code == 201, before.text
    wait_for(lambda: receipts_sent(sms_gateway, before.json()["tracking_code"]) == 1, what="the receipt sent by the worker")

    redis_box.kill()
    for path in ("/", "/services/", "/track/", "/accounts/login/", "/requests/new/"):
        assert citizen.get(path).status_code == 200, path
    status, health = stack.healthz(HOST)
    assert (status, health["status"], health["checks"]["postgres"]) == (200, "degraded", "ok")
    assert "redis" in health["down"]

    keys = [str(uuid.uuid4()) for _ in range(3)]
    during = [citizen.submit(key, mobile) for key in keys]
    assert [r.status_code for r in during] == [201, 201, 201], [r.text[:300] for r in during]
    codes = [r.json()["tracking_code"] for r in during]
    assert [citizen.submit(keys[0], mobile).json()["tracking_code"]] == codes[:1]  # a retry: the same request
    page = citizen.ask_for_code(codes[0])
    assert "پیامک شد." in page  # web handed the code to the gateway itself; no broker needed
    assert len(codes_sent(sms_gateway, mobile)) == 1
    assert all(receipts_sent(sms_gateway, code) == 0 for code in codes)  # waiting for the broker

    redis_box.start()  # empty: whatever was queued in it is gone; the outbox is not
    wait_for(lambda: stack.healthz(HOST)[1]["status"] == "ok", what="/healthz ok again", seconds=60,
             log=stack.folder / "worker.log")
    stack.sweep()
    wait_for(lambda: all(receipts_sent(sms_gateway, code) == 1 for code in codes), what="every receipt sent after the sweep",
             log=stack.folder / "worker.log")

    assert sorted(requests_of(test_database_url, mobile)) == sorted([before.json()["tracking_code"], *codes])
    assert all(receipts_sent(sms_gateway, code) == 1 for code in [before.json()["tracking_code"], *codes])
    assert len(codes_sent(sms_gateway, mobile)) == 1
    assert {status for _, status in outbox_of(test_database_url, mobile)} == {"sent"}
    assert stack.answered_500() == []
