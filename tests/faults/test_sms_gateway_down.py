"""The SMS gateway (the local Kavenegar) answering 500, then hanging past our time-out while
it does send: submits are saved, receipts wait and are retried, a one-time code asked for
meanwhile is said to be queued (never «پیامک شد»); once the gateway answers again, every
message has reached the citizen exactly once (the retry after a time-out carries the same
localid, so the gateway does not send it a second time)."""

from __future__ import annotations

import uuid

from tests.outages import Citizen, codes_sent, outbox_of, receipts_sent, requests_of, wait_for

HOST = "gamma.localhost"


def test_gateway_failing_then_hanging_then_back(make_stack, redis_box, sms_gateway, test_database_url):
    stack = make_stack(database_url=test_database_url, redis_url=redis_box.url, sms_url=sms_gateway.base_url).start()
    citizen, mobile, other_mobile = Citizen(stack.url, HOST), "09131110003", "09131110004"

    sms_gateway.down = True
    failing = [citizen.submit(str(uuid.uuid4()), mobile) for _ in range(2)]
    assert [r.status_code for r in failing] == [201, 201], [r.text[:300] for r in failing]
    codes = [r.json()["tracking_code"] for r in failing]
    page = citizen.ask_for_code(codes[0])
    assert "پیامک شد." not in page and "در صف ارسال" in page
    wait_for(lambda: len(sms_gateway.received) >= 5, what="web's try of the code and the worker's two tries of each receipt",
             log=stack.folder / "worker.log")
    assert sms_gateway.sent == []

    sms_gateway.down, sms_gateway.hang = False, 2.5  # takes each message, answers after our 1 s time-out
    # Another citizen's number: messages to one number keep their order (notifications'
    # tests), so this receipt would wait behind the two above instead of meeting the hang.
    hanging = citizen.submit(str(uuid.uuid4()), other_mobile)
    assert hanging.status_code == 201, hanging.text[:300]
    codes.append(hanging.json()["tracking_code"])
    wait_for(lambda: receipts_sent(sms_gateway, codes[2]) == 1, what="the gateway to take the hanging receipt")
    # Our side only saw time-outs: it gave up (the sweep is next), the gateway had sent it once.
    wait_for(lambda: outbox_of(test_database_url, other_mobile)[-1] == ("receipt", "failed"), what="the worker to give up",
             log=stack.folder / "worker.log")

    sms_gateway.hang = 0
    stack.sweep()
    wait_for(lambda: all(status == "sent" for number in (mobile, other_mobile) for _, status in outbox_of(test_database_url, number)),
             what="every message of the outbox sent", log=stack.folder / "worker.log")

    assert sorted(requests_of(test_database_url, mobile)) == sorted(codes[:2])
    assert requests_of(test_database_url, other_mobile) == codes[2:]
    assert [receipts_sent(sms_gateway, code) for code in codes] == [1, 1, 1]
    assert len(codes_sent(sms_gateway, mobile)) == 1
    assert stack.answered_500() == []
