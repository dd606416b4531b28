"""The broker (its own Redis here, CELERY_BROKER_URL) killed while the cache's Redis stays:
submits are saved with their receipt SMS waiting in the outbox, a one-time code goes out at
once from web (issue 13, item 6), `/healthz` says the worker does not answer; with the broker
back, each waiting SMS leaves exactly once."""

from __future__ import annotations

import re
import uuid

from tests.outages import Citizen, ThrowawayRedis, codes_sent, outbox_of, receipts_sent, requests_of, wait_for

HOST = "gamma.localhost"


def test_broker_killed_and_back(make_stack, redis_box, sms_gateway, test_database_url, tmp_path):
    broker = ThrowawayRedis(tmp_path / "broker").start()
    try:
        stack = make_stack(database_url=test_database_url, redis_url=redis_box.url, broker_url=broker.url,
                           sms_url=sms_gateway.base_url, WORKER_HEARTBEAT_SECONDS="1").start()
        citizen, mobile = Citizen(stack.url, HOST), "09131110002"
        wait_for(lambda: stack.healthz(HOST)[1]["status"] == "ok", what="/healthz ok with a worker")

        broker.kill()
        keys = [str(uuid.uuid4()) for _ in range(3)]
        answers = [citizen.submit(key, mobile) for key in keys]
        assert [r.status_code for r in answers] == [201] * 3, [r.text[:300] for r in answers]
        codes = [r.json()["tracking_code"] for r in answers]
        assert [r.json()["sms"]["status"] for r in answers] == ["queued"] * 3

        page = citizen.ask_for_code(codes[1])
        assert "پیامک شد." in page and len(codes_sent(sms_gateway, mobile)) == 1
        assert all(receipts_sent(sms_gateway, code) == 0 for code in codes)
        wait_for(lambda: stack.healthz(HOST)[1]["checks"]["worker"] == "no answer", what="/healthz to miss the worker")
        status, health = stack.healthz(HOST)
        assert (status, health["status"], health["down"], health["checks"]["redis"]) == (200, "degraded", ["worker"], "ok")
        assert citizen.get("/").status_code == 200

        broker.start()
        wait_for(lambda: stack.healthz(HOST)[1]["status"] == "ok", what="the worker back on the broker", seconds=60,
                 log=stack.folder / "worker.log")
        stack.sweep()
        wait_for(lambda: all(receipts_sent(sms_gateway, code) == 1 for code in codes), what="every receipt after the sweep",
                 log=stack.folder / "worker.log")
        stack.sweep()  # a second sweep finds nothing left to send
        wait_for(lambda: re.search(r"sms_requeue_all_tenants\[[^]]+\] succeeded in [^:]+: 0$", (stack.folder / "worker.log").read_text(), re.M),
                 what="a sweep with nothing left", log=stack.folder / "worker.log")

        assert sorted(requests_of(test_database_url, mobile)) == sorted(codes)
        assert [receipts_sent(sms_gateway, code) for code in codes] == [1, 1, 1]
        assert len(codes_sent(sms_gateway, mobile)) == 1
        assert {status for _, status in outbox_of(test_database_url, mobile)} == {"sent"}
        assert stack.answered_500() == []
    finally:
        broker.kill()
