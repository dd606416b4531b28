"""Kavenegar down at submit time: the request is registered anyway, the receipt says the SMS
was not sent, and a real Celery worker on Redis delivers it once Kavenegar is back."""

import time

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from intake.models import ServiceRequest
from notifications.models import SmsMessage
from tenants.tasks import sms_requeue_all_tenants
from tests.clients import Wizard, host_client
from tests.kavenegar import API_KEY
from tests.workers import celery_worker



def _sms(message_id):
    with schema_context("t_gamma"):
        return SmsMessage.objects.get(pk=message_id)


def _wait(message_id, statuses, timeout=40.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = _sms(message_id)
        if message.status in statuses:
            return message
        time.sleep(0.2)
    raise AssertionError(f"SMS still {message.status}")


def test_request_survives_the_gateway_and_its_sms_goes_out_later(kavenegar, demo_catalog_on_server, django_db_blocker, tmp_path):  # noqa: F811
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL or let the project start its embedded one.")
    kavenegar.down = True
    env = {"SMS_GATEWAY": "kavenegar", "KAVENEGAR_API_KEY": API_KEY, "KAVENEGAR_API_BASE": kavenegar.base_url,
           "SMS_MAX_RETRIES": "1", "SMS_RETRY_BACKOFF_SECONDS": "0.5", "SMS_REQUEUE_GRACE_SECONDS": "0"}
    client = host_client("gamma.localhost")
    with django_db_blocker.unblock(), celery_worker(tmp_path / "worker.log", **env):
        wizard = Wizard(client, schema="t_gamma").start().fill(files=())
        assert wizard.submit().status_code == 302
        with schema_context("t_gamma"):
            service_request = ServiceRequest.objects.get(wizard_token=wizard.token)
        assert service_request.tracking_code  # registered, gateway or not
        assert _wait(service_request.sms_message_id, {"failed"}).status == "failed"
        receipt = client.get(wizard.url("receipt/")).content.decode()
        assert "پیامک ارسال نشد" in receipt

        kavenegar.down = False
        sms_requeue_all_tenants.apply_async()  # what beat sends every five minutes
        assert _wait(service_request.sms_message_id, {"sent"}).status == "sent"
        assert kavenegar.received[-1]["form"]["receptor"] == "09121234567"
        assert service_request.tracking_code in kavenegar.received[-1]["form"]["message"].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
        receipt = client.get(wizard.url("receipt/")).content.decode()
        assert "پیامک کد رهگیری به شماره همراه شما فرستاده شد." in receipt
