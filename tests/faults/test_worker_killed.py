"""A Celery worker killed (SIGKILL) while the gateway is taking a receipt SMS from it: the
gateway has the message, our outbox does not know it (the worker's transaction died with it).
A new worker and the sweep send it again with the same localid, so the citizen gets it once."""

from __future__ import annotations

import uuid

from tests.outages import Citizen, outbox_of, receipts_sent, requests_of, wait_for

HOST = "gamma.localhost"


def test_worker_killed_while_sending(make_stack, redis_box, sms_gateway, test_database_url):
    stack = make_stack(database_url=test_database_url, redis_url=redis_box.url, sms_url=sms_gateway.base_url,
                       KAVENEGAR_TIMEOUT_SECONDS="30").start()
    citizen, mobile = Citizen(stack.url, HOST), "09131110005"

    sms_gateway.hang = 20  # the gateway takes the message, then keeps the worker waiting for its answer
    submitted = citizen.submit(str(uuid.uuid4()), mobile)
    assert submitted.status_code == 201, submitted.text[:300]
    code = submitted.json()["tracking_code"]
    wait_for(lambda: receipts_sent(sms_gateway, code) == 1, what="the worker to hand the receipt to the gateway",
             log=stack.folder / "worker.log")
    stack.kill_worker()
    assert outbox_of(test_database_url, mobile) == [("receipt", "queued")]  # the worker's transaction died with it

    sms_gateway.hang = 0
    stack.start_worker()
    stack.sweep()
    wait_for(lambda: outbox_of(test_database_url, mobile) == [("receipt", "sent")], what="the receipt sent again",
             log=stack.folder / "worker.log")
    assert requests_of(test_database_url, mobile) == [code]
    assert receipts_sent(sms_gateway, code) == 1  # the same localid: the gateway did not send it twice
    assert len([r for r in sms_gateway.received if r["form"]["receptor"] == mobile]) == 2
    assert stack.answered_500() == []
