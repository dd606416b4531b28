"""Through a real Celery worker on Redis: with Kavenegar down (the local fake answering 500)
a committed message is retried with back-off and ends `failed`, never lost; once Kavenegar is
back, the beat's sweep sends it. The worker never writes the API key to its log."""

import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import schema_context

from notifications.models import SmsMessage
from notifications.services import sms_queue
from tenants.tasks import sms_requeue_all_tenants
from tests.kavenegar import API_KEY
from tests.workers import celery_worker


def _wait_for(message_id: int, statuses: set[str], timeout: float = 40.0) -> SmsMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with schema_context("t_alpha"):
            message = SmsMessage.objects.get(pk=message_id)
        if message.status in statuses:
            return message
        time.sleep(0.2)
    raise AssertionError(f"SMS {message_id} still {message.status} after {timeout} s")


def test_sent_by_the_worker_once_kavenegar_recovers(kavenegar, tmp_path, django_db_setup, django_db_blocker):
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL or let the project start its embedded one.")
    kavenegar.down = True
    log = tmp_path / "worker.log"
    env = {"SMS_GATEWAY": "kavenegar", "KAVENEGAR_API_KEY": API_KEY, "KAVENEGAR_API_BASE": kavenegar.base_url,
           "SMS_MAX_RETRIES": "2", "SMS_RETRY_BACKOFF_SECONDS": "0.5", "SMS_REQUEUE_GRACE_SECONDS": "0"}
    message_id = None
    with django_db_blocker.unblock(), celery_worker(log, **env):
        try:
            with transaction.atomic():
                connection.set_schema("t_alpha")
                message_id = sms_queue(mobile="09121234567", text="درخواست شما ثبت شد.", purpose="receipt").pk
                connection.set_schema_to_public()  # the task must still run in t_alpha
            failed = _wait_for(message_id, {"failed", "sent"})
            assert (failed.status, failed.attempts) == ("failed", 3)
            assert "500" in failed.last_error and API_KEY not in failed.last_error
            assert len(kavenegar.received) == 3

            kavenegar.down = False
            sms_requeue_all_tenants.apply_async()  # what beat sends every five minutes
            sent = _wait_for(message_id, {"sent"})
            assert sent.attempts == 4 and sent.provider_message_id == str(kavenegar.next_id)
            assert kavenegar.received[-1]["form"]["receptor"] == "09121234567"
        finally:
            connection.set_schema_to_public()
            if message_id:
                with schema_context("t_alpha"):
                    SmsMessage.objects.filter(pk=message_id).delete()
    worker_log = log.read_text()
    assert "not sent (attempt 1)" in worker_log
    assert API_KEY not in worker_log
