"""The SMS outbox: a row per message written in the caller's transaction, sent after commit
in the schema it was queued in, retried, swept up later, never lost with the broker down.
Tasks run in-process here (eager); test_sms_worker.py runs them through a real worker."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.models import SmsMessage
from notifications.selectors import sms_is_out, sms_status_for
from notifications.services import sms_queue, sms_requeue
from tests.kavenegar import API_KEY
from tests.workers import ROOT, database_url_for


def test_sent_after_commit_in_the_schema_it_was_queued_in(tenant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with schema_context(tenant_a.schema_name):
            message = sms_queue(mobile="۰۹۱۲۱۲۳۴۵۶۷", text="درخواست شما ثبت شد.", purpose="receipt")
            assert sms_status_for(message.pk) == "queued"
        connection.set_schema_to_public()  # where the connection is when the callbacks run
    with schema_context(tenant_a.schema_name):
        message.refresh_from_db()
        assert (message.mobile, message.status, message.attempts, message.gateway) == ("09121234567", "sent", 1, "console")
        assert message.provider_message_id.startswith("console-") and message.sent_at
        assert sms_is_out(message.pk)


def test_a_bad_number_is_refused_in_persian(tenant_a):
    with schema_context(tenant_a.schema_name), pytest.raises(ValidationError) as caught:
        sms_queue(mobile="0212222", text="x", purpose="receipt")
    assert "شماره همراه" in caught.value.messages[0]


def test_failed_then_swept_up_when_kavenegar_is_back(tenant_a, kavenegar, settings, django_capture_on_commit_callbacks):
    """In-process there is one attempt per dispatch (the worker's retries: test_sms_worker.py)."""
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    kavenegar.down = True
    with schema_context(tenant_a.schema_name):
        with django_capture_on_commit_callbacks(execute=True):
            message = sms_queue(mobile="09121234567", text="درخواست شما ثبت شد.", purpose="receipt")
        message.refresh_from_db()
        assert (message.status, message.attempts, message.permanent_failure) == ("failed", 1, False)
        assert "500" in message.last_error and API_KEY not in message.last_error
        assert sms_status_for(message.pk) == "failed"

        kavenegar.down = False
        assert sms_requeue() == 0  # still in its grace period: its own retries may be under way
        assert sms_requeue(now=timezone.now() + timedelta(minutes=11)) == 1
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
        assert message.provider_message_id == str(kavenegar.next_id)
        assert sms_requeue(now=timezone.now() + timedelta(hours=25)) == 0


def test_a_refused_message_is_not_retried(tenant_a, kavenegar, settings, django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    kavenegar.refuse = 411
    with schema_context(tenant_a.schema_name):
        with django_capture_on_commit_callbacks(execute=True):
            message = sms_queue(mobile="09121234567", text="x", purpose="receipt")
        message.refresh_from_db()
        assert (message.status, message.attempts, message.permanent_failure) == ("failed", 1, True)
        assert sms_requeue(now=timezone.now() + timedelta(minutes=11)) == 0


def test_nothing_is_lost_when_the_broker_is_down(tmp_path, django_db_setup, django_db_blocker):
    """A committed sms_queue with Redis unreachable (in a separate process): the row stays
    queued, and the sweep sends it once there is a broker again."""
    script = (
        "from django.db import transaction\n"
        "from django_tenants.utils import schema_context\n"
        "from notifications.services import sms_queue\n"
        "with schema_context('t_alpha'), transaction.atomic():\n"
        "    print(sms_queue(mobile='09351112233', text='بدون کارگزار', purpose='receipt').pk)\n"
    )
    env = {"DJANGO_SETTINGS_MODULE": "mizban.settings_test", "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]),
           "REDIS_URL": "redis://127.0.0.1:1/0", "CELERY_TASK_ALWAYS_EAGER": "0", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "stays queued for the sweep" in result.stderr
    message_id = int(result.stdout.strip().splitlines()[-1])
    with django_db_blocker.unblock(), schema_context("t_alpha"):
        try:
            message = SmsMessage.objects.get(pk=message_id)
            assert (message.status, message.attempts) == ("queued", 0)
            assert sms_requeue(now=timezone.now() + timedelta(minutes=11)) == 1  # eager here: sent at once
            message.refresh_from_db()
            assert message.status == "sent"
        finally:
            SmsMessage.objects.filter(pk=message_id).delete()


def test_the_outbox_is_per_tenant(tenant_a, tenant_b):
    with schema_context(tenant_a.schema_name):
        with transaction.atomic():
            message = sms_queue(mobile="09121234567", text="x", purpose="receipt")
    with schema_context(tenant_b.schema_name):
        assert not SmsMessage.objects.filter(pk=message.pk).exists()
        assert sms_status_for(message.pk) == "failed"


def _waiting(mobile: str, text: str, purpose: str, minutes_ago: int) -> SmsMessage:
    """A message the broker's outage left queued, never handed to a worker."""
    return SmsMessage.objects.create(mobile=mobile, text=text, purpose=purpose, created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_the_sweep_sends_a_numbers_messages_in_the_order_they_were_written(tenant_a, kavenegar, settings):
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    with schema_context(tenant_a.schema_name):
        _waiting("09121234567", "رسید: درخواست شما ثبت شد.", "receipt", 40)
        _waiting("09121234567", "پاسخ درخواست شما صادر شد.", "answer", 30)
        _waiting("09121234567", "لطفاً در نظرسنجی شرکت کنید.", "survey", 20)
        assert sms_requeue() == 3
        assert [sent["form"]["message"] for sent in kavenegar.received] == [
            "رسید: درخواست شما ثبت شد.", "پاسخ درخواست شما صادر شد.", "لطفاً در نظرسنجی شرکت کنید."]


def test_a_later_message_sends_the_earlier_waiting_ones_first(tenant_a, kavenegar, settings, django_capture_on_commit_callbacks):
    """The receipt was left queued by an outage; the answer, written once the broker is back, is
    not read before it."""
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    with schema_context(tenant_a.schema_name):
        receipt = _waiting("09121234567", "رسید: درخواست شما ثبت شد.", "receipt", 3)
        other = _waiting("09351112233", "پیام شماره‌ای دیگر", "receipt", 4)
        with django_capture_on_commit_callbacks(execute=True):
            answer = sms_queue(mobile="09121234567", text="پاسخ درخواست شما صادر شد.", purpose="answer")
        assert [sent["form"]["message"] for sent in kavenegar.received] == ["رسید: درخواست شما ثبت شد.", "پاسخ درخواست شما صادر شد."]
        assert [SmsMessage.objects.get(pk=m.pk).status for m in (receipt, answer, other)] == ["sent", "sent", "queued"]


def test_a_later_message_waits_while_an_earlier_one_cannot_go(tenant_a, kavenegar, settings, django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY, settings.KAVENEGAR_API_KEY, settings.KAVENEGAR_API_BASE = "kavenegar", API_KEY, kavenegar.base_url
    kavenegar.down = True
    with schema_context(tenant_a.schema_name):
        receipt = _waiting("09121234567", "رسید: درخواست شما ثبت شد.", "receipt", 3)
        with django_capture_on_commit_callbacks(execute=True):
            answer = sms_queue(mobile="09121234567", text="پاسخ درخواست شما صادر شد.", purpose="answer")
        assert [sent["form"]["message"] for sent in kavenegar.received] == ["رسید: درخواست شما ثبت شد."]
        assert [SmsMessage.objects.get(pk=m.pk).status for m in (receipt, answer)] == ["failed", "queued"]
        kavenegar.down = False
        assert sms_requeue(now=timezone.now() + timedelta(minutes=11)) == 2
        assert [sent["form"]["message"] for sent in kavenegar.received][1:] == ["رسید: درخواست شما ثبت شد.", "پاسخ درخواست شما صادر شد."]
        assert [SmsMessage.objects.get(pk=m.pk).status for m in (receipt, answer)] == ["sent", "sent"]
