"""The Kavenegar gateway against a local server speaking Kavenegar's REST API: the exact
request, the answer's shape, refusals and outages, and the API key kept out of every log
and error."""

import logging

import pytest

from notifications.sms import KavenegarGateway, SmsGatewayError
from tests.kavenegar import API_KEY, SENDER


def _gateway(base_url: str) -> KavenegarGateway:
    return KavenegarGateway(api_key=API_KEY, sender=SENDER, api_base=base_url, timeout=5)


def test_sends_the_request_kavenegar_expects_and_reads_the_message_id(kavenegar):
    accepted = _gateway(kavenegar.base_url).send(mobile="09121234567", text="کد پیگیری: ۱۲۳")
    (request,) = kavenegar.received
    assert request["path"] == f"/v1/{API_KEY}/sms/send.json"
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["form"] == {"receptor": "09121234567", "message": "کد پیگیری: ۱۲۳", "sender": SENDER}
    assert accepted.provider_message_id == str(kavenegar.next_id)


def test_an_attempt_that_timed_out_is_not_sent_again_on_retry(kavenegar):
    """Kavenegar took the message but answered after our time-out: the retry carries the same
    localid, and Kavenegar answers with the first send instead of sending it again."""
    gateway = KavenegarGateway(api_key=API_KEY, sender=SENDER, api_base=kavenegar.base_url, timeout=0.3)
    kavenegar.hang = 0.6
    with pytest.raises(SmsGatewayError) as caught:
        gateway.send(mobile="09121234567", text="رسید", reference="4711")
    assert not caught.value.permanent and "Timeout" in str(caught.value)
    kavenegar.hang = 0
    accepted = gateway.send(mobile="09121234567", text="رسید", reference="4711")
    assert [r["form"]["localid"] for r in kavenegar.received] == ["4711", "4711"]
    assert len(kavenegar.sent) == 1 and accepted.provider_message_id == str(kavenegar.sent[0]["messageid"])


def test_a_refused_receptor_is_a_permanent_failure(kavenegar):
    kavenegar.refuse = 411
    with pytest.raises(SmsGatewayError) as caught:
        _gateway(kavenegar.base_url).send(mobile="09121234567", text="x")
    assert caught.value.permanent and "411" in str(caught.value)


def test_an_outage_is_worth_retrying(kavenegar):
    kavenegar.down = True
    with pytest.raises(SmsGatewayError) as caught:
        _gateway(kavenegar.base_url).send(mobile="09121234567", text="x")
    assert not caught.value.permanent and "500" in str(caught.value)


def test_the_key_stays_out_of_logs_and_errors(kavenegar, caplog):
    caplog.set_level(logging.DEBUG)
    _gateway(kavenegar.base_url).send(mobile="09121234567", text="x")  # urllib3 logs the URL at DEBUG
    with pytest.raises(SmsGatewayError) as caught:  # nobody listens on port 1: the error names the URL
        _gateway("http://127.0.0.1:1").send(mobile="09121234567", text="x")
    # werkzeug's records are the fake Kavenegar's own access log, on "Kavenegar's" side.
    ours = "\n".join(record.getMessage() for record in caplog.records if record.name != "werkzeug")
    assert "/v1/***/sms/send.json" in ours
    assert API_KEY not in ours
    assert API_KEY not in str(caught.value) and "***" in str(caught.value)
