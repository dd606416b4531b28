"""A one-time code that died while waiting in the outbox is never handed to the gateway (the
local fake Kavenegar proves nothing arrives) and its row says `expired`: the issue's case of a
code that went out eleven minutes late, through a real Celery worker that comes back after
the code's end of life; and through the beat's sweep."""

import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from mizban.celery import app as celery_app
from notifications.models import OneTimeCode, SmsMessage
from notifications.otp import otp_send
from notifications.services import sms_queue, sms_requeue
from tests.kavenegar import API_KEY
from tests.workers import celery_worker

MOBILE = "09121234567"
COMMITTED_MOBILE = "09121230099"  # committed rows: kept apart from other tests' numbers, removed after


def _status(message_id: int) -> SmsMessage:
    with schema_context("t_alpha"):
        return SmsMessage.objects.get(pk=message_id)


def test_a_code_queued_while_no_worker_runs_is_not_sent_once_dead(kavenegar, tmp_path, settings, django_db_setup, django_db_blocker):
    if not settings.REDIS_URL:
        pytest.fail("This test needs Redis: set REDIS_URL or let the project start its embedded one.")
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    queue = f"mizban-test-{uuid.uuid4().hex[:8]}"
    kavenegar.down = True
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    with django_db_blocker.unblock():
        try:
            # Web (this process) tries Kavenegar once, fails, and leaves the retry to a worker
            # that is not running: the task waits in Redis.
            celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
            with schema_context("t_alpha"):
                sent = otp_send(mobile=COMMITTED_MOBILE, purpose="tracking", subject=f"expired-{queue}")
                message_id = OneTimeCode.objects.get(subject=f"expired-{queue}").sms_message_id
            assert (sent.status, sent.is_out, len(kavenegar.received)) == ("queued", False, 1)

            # The code's ten minutes pass; then Kavenegar and a worker come back.
            with schema_context("t_alpha"):
                SmsMessage.objects.filter(pk=message_id).update(expires_at=timezone.now() - timedelta(seconds=1))
            kavenegar.down = False
            env = {"SMS_GATEWAY": "kavenegar", "KAVENEGAR_API_KEY": API_KEY, "KAVENEGAR_API_BASE": kavenegar.base_url}
            with celery_worker(tmp_path / "worker.log", queue=queue, **env):
                deadline = time.monotonic() + 60
                while _status(message_id).status != "expired":
                    assert time.monotonic() < deadline, f"still {_status(message_id).status}"
                    time.sleep(0.2)
            assert _status(message_id).attempts == 1
            assert len(kavenegar.received) == 1  # only web's failed try: the dead code never left
            assert "expired in the outbox; not sent" in (tmp_path / "worker.log").read_text()
        finally:
            celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
            connection.set_schema_to_public()
            with schema_context("t_alpha"):
                OneTimeCode.objects.filter(mobile=COMMITTED_MOBILE).delete()
                SmsMessage.objects.filter(mobile=COMMITTED_MOBILE).delete()


def test_the_sweep_marks_dead_codes_and_sends_the_rest(kavenegar, settings, tenant_a):
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    settings.SMS_REQUEUE_GRACE_SECONDS = settings.SMS_REQUEUE_CODE_GRACE_SECONDS = 0
    now = timezone.now()
    with schema_context(tenant_a.schema_name):
        dead = sms_queue(mobile=MOBILE, text="کد: ۱۲۳۴۵۶", purpose="otp:tracking", expires_at=now - timedelta(seconds=1))
        alive = sms_queue(mobile=MOBILE, text="کد: ۶۵۴۳۲۱", purpose="otp:tracking", expires_at=now + timedelta(minutes=5))
        receipt = sms_queue(mobile=MOBILE, text="درخواست شما ثبت شد.", purpose="receipt")
        assert sms_requeue(now=now + timedelta(seconds=1)) == 2
        statuses = dict(SmsMessage.objects.filter(pk__in=(dead.pk, alive.pk, receipt.pk)).values_list("pk", "status"))
    assert statuses == {dead.pk: "expired", alive.pk: "sent", receipt.pk: "sent"}
    assert sorted(r["form"]["message"] for r in kavenegar.received) == sorted(["کد: ۶۵۴۳۲۱", "درخواست شما ثبت شد."])


def test_a_living_code_is_swept_within_its_life_and_a_dead_one_never(kavenegar, settings, tenant_a, django_capture_on_commit_callbacks):
    """The issue's case: the sweep's grace for other messages (ten minutes) equals a code's
    life, so a code whose first try failed was never swept while it could still be used."""
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    assert settings.SMS_REQUEUE_GRACE_SECONDS >= settings.OTP_TTL_SECONDS > settings.SMS_REQUEUE_CODE_GRACE_SECONDS
    kavenegar.down = True
    with schema_context(tenant_a.schema_name):
        with django_capture_on_commit_callbacks(execute=True):
            sent = otp_send(mobile=MOBILE, purpose="tracking", subject="swept-in-time")
        assert sent.status == "queued" and len(kavenegar.received) == 1  # web's own try failed
        kavenegar.down = False
        message = SmsMessage.objects.get(purpose="otp:tracking", mobile=MOBILE)
        assert sms_requeue(now=message.created_at + timedelta(seconds=10)) == 0  # its retries may be under way
        assert sms_requeue(now=message.created_at + timedelta(seconds=settings.SMS_REQUEUE_CODE_GRACE_SECONDS + 1)) == 1
        message.refresh_from_db()
        assert message.status == "sent" and len(kavenegar.received) == 2

        kavenegar.down = True
        with django_capture_on_commit_callbacks(execute=True):
            later = otp_send(mobile=MOBILE, purpose="tracking", subject="swept-too-late")
        kavenegar.down = False
        late = SmsMessage.objects.filter(purpose="otp:tracking", mobile=MOBILE).latest("pk")
        assert later.status == "queued"
        assert sms_requeue(now=late.expires_at + timedelta(seconds=1)) == 0
        late.refresh_from_db()
    assert late.status == "expired" and len(kavenegar.received) == 3  # the dead code never left
